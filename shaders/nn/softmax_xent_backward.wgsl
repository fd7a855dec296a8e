// d logits[i, c] = g · w_i · (p_ic − [c = y_i]) / Σ w   (0 when Σ w = 0).
// probs: [N, C], labels: [N] i32, mask: [N], stats: [2] (mean loss, Σ w), g: [1] → dlogits: [N, C].
@group(0) @binding(0) var<storage, read> probs: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<i32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlogits: array<f32>;

struct Params { N: u32, C: u32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx >= p.N * p.C) { return; }
  let i = idx / p.C;
  let c = idx % p.C;
  let y = labels[i];
  var w = mask[i];
  if (y < 0 || u32(y) >= p.C) { w = 0.0; }
  let total = stats[1];
  var d = 0.0;
  if (total > 0.0) {
    let onehot = select(0.0, 1.0, i32(c) == y);
    d = g[0] * w * (probs[idx] - onehot) / total;
  }
  dlogits[idx] = d;
}
