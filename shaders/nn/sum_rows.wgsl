// Sum over leading rows: out[j] = scale · Σ_r x[r·cols + j].
// x: [rows, cols] row-major f32, out: [cols] f32. One invocation per column; used to
// reduce broadcast gradients and for full sums (cols = 1 after a first pass).
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

struct Params { rows: u32, cols: u32, scale: f32 }
@group(1) @binding(0) var<uniform> p: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let j = gid.x + gid.y * groups.x * WG;
  if (j >= p.cols) { return; }
  var acc = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    acc += x[r * p.cols + j];
  }
  out[j] = acc * p.scale;
}
