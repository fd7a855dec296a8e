// f32 values → binary16 packed two per u32 (element i in half i & 1 of word i >> 1, low
// half first, as pack2x16float writes them). Words past the n values are written as 0,
// so a buffer of `words` words (rounded up for the 8-byte loads of the readers) is whole.
// WGSL leaves the rounding of an inexact value to either neighbour (not always nearest):
// the packed value is within 2^-10 relative of x (normal range).
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> packed: array<u32>;

struct Params { n: u32, words: u32 }
@group(1) @binding(0) var<uniform> p: Params;

fn value(i: u32) -> f32 {
  if (i < p.n) { return x[i]; }
  return 0.0;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let w = gid.x + gid.y * groups.x * 64u;
  if (w >= p.words) { return; }
  packed[w] = pack2x16float(vec2<f32>(value(2u * w), value(2u * w + 1u)));
}
