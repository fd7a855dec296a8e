// Transposes the last two axes of a batch of matrices: out[b, j, i] = x[b, i, j].
// x: [batch, rows, cols] → out: [batch, cols, rows]; f32 row-major. Used to move
// channels between [N, pixels, O] (GEMM rows) and [N, O, pixels] (NCHW).
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { batch: u32, rows: u32, cols: u32, pad: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.batch * p.rows * p.cols) { return; }
  let i = idx % p.rows;
  let j = (idx / p.rows) % p.cols;
  let b = idx / (p.rows * p.cols);
  out[idx] = x[(b * p.rows + i) * p.cols + j];
}
