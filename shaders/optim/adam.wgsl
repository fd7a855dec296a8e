// Adam / AdamW update of one parameter tensor, in place (torch.optim.Adam / AdamW):
//   g ← g + wd·θ                       (Adam with L2 weight decay, DECOUPLED = false)
//   θ ← θ·(1 − lr·wd)                  (AdamW, DECOUPLED = true)
//   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
//   θ ← θ − lr · (m / bc1) / (√(v / bc2) + ε),   bc1 = 1 − β1^t, bc2 = 1 − β2^t
// grad: [n] read; param, m, v: [n] read_write.
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;

struct Params { n: u32, lr: f32, beta1: f32, beta2: f32, eps: f32, wd: f32, bc1: f32, bc2: f32 }
@group(1) @binding(0) var<uniform> p: Params;

override DECOUPLED: bool = false;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i >= p.n) { return; }
  var theta = param[i];
  var g = grad[i];
  if (DECOUPLED) { theta = theta * (1.0 - p.lr * p.wd); } else { g = g + p.wd * theta; }
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] = theta - p.lr * (mi / p.bc1) / (sqrt(vi / p.bc2) + p.eps);
}
