// Adam / AdamW update of one parameter tensor, in place (torch.optim.Adam / AdamW):
//   g ← grad·scale + l1·sign(θ)
//   g ← g + wd·θ                       (Adam with L2 weight decay, DECOUPLED = false)
//   θ ← θ·(1 − lr·wd)                  (AdamW, DECOUPLED = true)
//   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
//   θ ← θ − stepSize · m / (√v / √bc2 + ε),   stepSize = lr / bc1,
//   bc1 = 1 − β1^t, bc2 = 1 − β2^t (t: this parameter's step count)
// grad: [n], scale: [1] read; param, exp_avg (m), exp_avg_sq (v): [n] read_write.
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> scale: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> exp_avg: array<f32>;
@group(0) @binding(4) var<storage, read_write> exp_avg_sq: array<f32>;

struct Params { n: u32, lr: f32, wd: f32, l1: f32, beta1: f32, beta2: f32, eps: f32, stepSize: f32, bc2Sqrt: f32 }
@group(1) @binding(0) var<uniform> p: Params;

override DECOUPLED: bool = false;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.n) { return; }
  var theta = param[i];
  var g = grad[i] * scale[0] + p.l1 * sign(theta);
  if (DECOUPLED) { theta = theta * (1.0 - p.lr * p.wd); } else { g = g + p.wd * theta; }
  let m = p.beta1 * exp_avg[i] + (1.0 - p.beta1) * g;
  let v = p.beta2 * exp_avg_sq[i] + (1.0 - p.beta2) * g * g;
  exp_avg[i] = m;
  exp_avg_sq[i] = v;
  param[i] = theta - p.stepSize * m / (sqrt(v) / p.bc2Sqrt + p.eps);
}
