// Binary cross-entropy with logits (torch BCEWithLogitsLoss, mean), fused in one
// workgroup: row sums, mask weights and the final mean.
//   l_ic = max(z, 0) − z·y + log1p(e^{−|z|})              (stable for any z)
//   loss = Σ_i w_i Σ_c l_ic / (C · Σ_i w_i)   (0 when Σ w = 0),  w_i = mask[i]
// logits, targets: [N, C] f32 row-major; mask: [N] f32 → loss: [1], stats: [2] = (loss, Σ w).
@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;

struct Params { N: u32, C: u32 }
@group(1) @binding(0) var<uniform> p: Params;

const WG: u32 = 256u;
var<workgroup> partial: array<vec2<f32>, WG>;

// log(1 + u) accurate for small u (log(w)·u/(w − 1) cancels the rounding of w = 1 + u).
fn log1p(u: f32) -> f32 {
  let w = 1.0 + u;
  if (w == 1.0) { return u; }
  return log(w) * u / (w - 1.0);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = vec2<f32>(0.0);
  for (var i = lid; i < p.N; i += WG) {
    let w = mask[i];
    var row = 0.0;
    for (var c = 0u; c < p.C; c++) {
      let z = logits[i * p.C + c];
      row += max(z, 0.0) - z * targets[i * p.C + c] + log1p(exp(-abs(z)));
    }
    acc += vec2<f32>(w * row, w);
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] += partial[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let t = partial[0];
    let mean = select(0.0, t.x / (f32(p.C) * t.y), t.y > 0.0);
    loss[0] = mean;
    stats[0] = mean;
    stats[1] = t.y;
  }
}
