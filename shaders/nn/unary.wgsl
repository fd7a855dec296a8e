// Elementwise unary op: out[i] = f(x[i]) * alpha + beta.
// x: [n] f32, out: [n] f32. F (override): 0 identity, 1 tanh, 2 sigmoid, 3 relu.
// requires: activate
// provides: main
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { n: u32, alpha: f32, beta: f32 }
@group(1) @binding(0) var<uniform> p: Params;

override F: u32 = 0u;
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.n) { return; }
  let v = x[i];
  out[i] = activate(v, F) * p.alpha + p.beta;
}
