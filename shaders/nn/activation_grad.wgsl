// Gradient through an activation, from its output y (and input x for relu):
//   tanh:    dx = dy · (1 − y²)
//   sigmoid: dx = dy · y · (1 − y)
//   relu:    dx = dy · [y > 0]
// dy: [n] f32, y: [n] f32, dx: [n] f32. F (override): 1 tanh, 2 sigmoid, 3 relu.
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

struct Params { n: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override F: u32 = 1u;
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.n) { return; }
  let g = dy[i];
  let v = y[i];
  var r: f32;
  switch F {
    case 1u: { r = g * (1.0 - v * v); }
    case 2u: { r = g * v * (1.0 - v); }
    default: { r = select(0.0, g, v > 0.0); }
  }
  dx[i] = r;
}
