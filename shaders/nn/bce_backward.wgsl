// Gradients of the mean binary cross-entropy with logits:
//   dz_ic = g · w_i · (σ(z_ic) − y_ic) / (C · Σ w)
//   dy_ic = −g · w_i · z_ic / (C · Σ w)          (written when TARGETS_GRAD)
// (both 0 when Σ w = 0). logits, targets: [N, C]; mask: [N]; stats: [2] = (loss, Σ w);
// g: [1] → dlogits: [N, C] (and dtargets: [N, C]).
// requires: sigmoid
// provides: main
@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(6) var<storage, read_write> dtargets: array<f32>;

struct Params { N: u32, C: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override TARGETS_GRAD: bool = false;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.N * p.C) { return; }
  let total = stats[1];
  var k = 0.0;
  if (total > 0.0) { k = g[0] * mask[idx / p.C] / (f32(p.C) * total); }
  let z = logits[idx];
  dlogits[idx] = k * (sigmoid(z) - targets[idx]);
  if (TARGETS_GRAD) { dtargets[idx] = -k * z; }
}
