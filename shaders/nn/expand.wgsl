// Repeats x along a new axis: out[o, j, i] = x[o, i] for j < n.
// x: [outer, inner] f32 (x viewed around the new axis), out: [outer, n, inner] f32.
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { outer: u32, n: u32, inner: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.outer * p.n * p.inner) { return; }
  let i = idx % p.inner;
  let o = idx / (p.n * p.inner);
  out[idx] = x[o * p.inner + i];
}
