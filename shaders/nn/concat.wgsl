// Copies a column block between a narrow and a wide row-major matrix (concat / split
// along the last axis):
//   PACK = true:  wide[r, off + c] = narrow[r, c]   (concat, one dispatch per input)
//   PACK = false: narrow[r, c] = wide[r, off + c]   (split, one dispatch per output)
// src: [rows, cols_src] f32, dst: [rows, cols_dst] f32.
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;

struct Params { rows: u32, cols: u32, wide: u32, off: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override PACK: bool = true;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.rows * p.cols) { return; }
  let r = i / p.cols;
  let c = i % p.cols;
  if (PACK) {
    dst[r * p.wide + p.off + c] = src[i];
  } else {
    dst[i] = src[r * p.wide + p.off + c];
  }
}
