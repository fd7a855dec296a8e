// Sum over one axis: out[o, i] = Σ_{j < n} x[o, j, i], summed in order of j.
// x: [outer, n, inner] f32 (x viewed around the axis), out: [outer, inner] f32.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { outer: u32, n: u32, inner: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  if (idx >= p.outer * p.inner) { return; }
  let i = idx % p.inner;
  let o = idx / p.inner;
  let base = o * p.n * p.inner + i;
  var acc = 0.0;
  for (var j = 0u; j < p.n; j++) { acc += x[base + j * p.inner]; }
  out[idx] = acc;
}
