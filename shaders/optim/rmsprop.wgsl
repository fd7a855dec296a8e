// RMSprop update of one parameter tensor, in place (torch.optim.RMSprop):
//   g ← grad·scale + l1·sign(θ) + wd·θ
//   s ← α·s + (1 − α)·g²
//   a ← α·a + (1 − α)·g,  d ← √(s − a²) + ε     (CENTERED)   else  d ← √s + ε
//   b ← μ·b + g / d,  θ ← θ − lr·b              (MOMENTUM)   else  θ ← θ − lr·g / d
// grad: [n], scale: [1] read; param, square_avg, grad_avg, momentum_buffer: [n] read_write
// (grad_avg and momentum_buffer are unused placeholders when their option is off).
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> scale: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> square_avg: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_avg: array<f32>;
@group(0) @binding(5) var<storage, read_write> momentum_buffer: array<f32>;

struct Params { n: u32, lr: f32, wd: f32, l1: f32, alpha: f32, eps: f32, momentum: f32 }
@group(1) @binding(0) var<uniform> p: Params;

override CENTERED: bool = false;
override MOMENTUM: bool = false;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.n) { return; }
  let theta = param[i];
  let g = grad[i] * scale[0] + p.l1 * sign(theta) + p.wd * theta;
  let s = p.alpha * square_avg[i] + (1.0 - p.alpha) * g * g;
  square_avg[i] = s;
  var d: f32;
  if (CENTERED) {
    let a = p.alpha * grad_avg[i] + (1.0 - p.alpha) * g;
    grad_avg[i] = a;
    d = sqrt(s - a * a) + p.eps;
  } else {
    d = sqrt(s) + p.eps;
  }
  if (MOMENTUM) {
    let b = p.momentum * momentum_buffer[i] + g / d;
    momentum_buffer[i] = b;
    param[i] = theta - p.lr * b;
  } else {
    param[i] = theta - p.lr * g / d;
  }
}
