// Global average pooling: y[n, c] = (1 / (H·W)) · Σ_{iy, ix} x[n, c, iy, ix].
// x: [N, C, H, W] f32 viewed as [planes, HW] → y: [N, C] f32 = [planes].
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

struct Params { planes: u32, HW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  if (idx >= p.planes) { return; }
  var acc = 0.0;
  for (var i = 0u; i < p.HW; i++) { acc += x[idx * p.HW + i]; }
  y[idx] = acc / f32(p.HW);
}
