// Softmax cross-entropy, one invocation per row (numerically stable log-sum-exp):
//   p[i, :] = softmax(logits[i, :]),  row_loss[i] = w_i · (log Σ_c e^{z_ic} − z_{i,y_i})
//   w_i = mask[i], or 0 when the label lies outside [0, C) (such rows count as masked).
// logits: [N, C] f32, labels: [N] i32, mask: [N] f32 → probs: [N, C], rows: [N, 2] = (w_i·loss_i, w_i).
@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<i32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;
@group(0) @binding(4) var<storage, read_write> rows: array<f32>;

struct Params { N: u32, C: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.N) { return; }
  let base = i * p.C;
  var m = logits[base];
  for (var c = 1u; c < p.C; c++) { m = max(m, logits[base + c]); }
  var s = 0.0;
  for (var c = 0u; c < p.C; c++) {
    let e = exp(logits[base + c] - m);
    probs[base + c] = e;
    s += e;
  }
  for (var c = 0u; c < p.C; c++) { probs[base + c] = probs[base + c] / s; }
  let y = labels[i];
  var w = mask[i];
  var loss = 0.0;
  if (y < 0 || u32(y) >= p.C) {
    w = 0.0;
  } else {
    loss = log(s) + m - logits[base + u32(y)];
  }
  rows[2u * i] = w * loss;
  rows[2u * i + 1u] = w;
}
