// SGD update of one parameter tensor, in place (torch.optim.SGD):
//   g ← grad·scale + l1·sign(θ) + wd·θ
//   b ← decay·b + gradWeight·g        (MOMENTUM; decay = momentum, gradWeight = 1 − dampening,
//                                      except on a parameter's first step: decay 0, gradWeight 1, so b = g)
//   g ← g + momentum·b (NESTEROV) or b (MOMENTUM)
//   θ ← θ − lr·g
// grad: [n], scale: [1] (the clip factor, 1 when none) read; param, buf: [n] read_write
// (buf is an unused placeholder without MOMENTUM).
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> scale: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> buf: array<f32>;

struct Params { n: u32, lr: f32, wd: f32, l1: f32, momentum: f32, decay: f32, gradWeight: f32 }
@group(1) @binding(0) var<uniform> p: Params;

override MOMENTUM: bool = false;
override NESTEROV: bool = false;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.n) { return; }
  let theta = param[i];
  var g = grad[i] * scale[0] + p.l1 * sign(theta) + p.wd * theta;
  if (MOMENTUM) {
    let b = p.decay * buf[i] + p.gradWeight * g;
    buf[i] = b;
    if (NESTEROV) { g = g + p.momentum * b; } else { g = b; }
  }
  param[i] = theta - p.lr * g;
}
