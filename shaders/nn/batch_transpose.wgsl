// Transposes the last two axes of a batch of matrices: out[b, j, i] = x[b, i, j].
// x: [batch, rows, cols] → out: [batch, cols, rows]; f32 row-major. Used to move
// channels between [N, pixels, O] (GEMM rows) and [N, O, pixels] (NCHW). One invocation
// moves a 4×4 block (fewer invocations and index divisions: on SwiftShader they cost
// more than the copy).
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { batch: u32, rows: u32, cols: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  let BI = (p.rows + 3u) / 4u;
  let BJ = (p.cols + 3u) / 4u;
  if (idx >= p.batch * BI * BJ) { return; }
  let bj = idx % BJ;
  let bi = (idx / BJ) % BI;
  let b = idx / (BJ * BI);
  let i0 = bi * 4u;
  let j0 = bj * 4u;
  let src = b * p.rows * p.cols;
  for (var dj = 0u; dj < 4u; dj++) {
    let j = j0 + dj;
    if (j >= p.cols) { break; }
    let dst = src + j * p.rows;
    for (var di = 0u; di < 4u; di++) {
      let i = i0 + di;
      if (i >= p.rows) { break; }
      out[dst + i] = x[src + i * p.cols + j];
    }
  }
}
