// Sum of split-K partial products, then the matmul epilogue:
//   C[i] = act(Σ_s part[s, i] + bias[i mod N]),  i < M·N, s < S (summed in order).
// ACT (override): 0 none, 1 tanh, 2 sigmoid, 3 relu.
// requires: activate
// provides: main
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;

struct Params { MN: u32, N: u32, S: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override HAS_BIAS: bool = false;
override ACT: u32 = 0u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.MN) { return; }
  var v = 0.0;
  for (var s = 0u; s < p.S; s++) { v += part[s * p.MN + i]; }
  if (HAS_BIAS) { v += bias[i % p.N]; }
  C[i] = activate(v, ACT);
}
