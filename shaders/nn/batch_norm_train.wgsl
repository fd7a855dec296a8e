// Batch normalisation, training mode (torch.nn.BatchNorm2d.train()), one workgroup per
// channel c over the N·H·W values of that channel:
//   μ = mean(x),  σ² = mean((x − μ)²) (biased),  inv = 1/√(σ² + ε)
//   y = γ·(x − μ)·inv + β            (RELU: y = max(0, γ·(x − μ)·inv + β), fused)
// Every lane sums a fixed strided slice, then a fixed tree adds the lanes: the order of
// the additions does not depend on timing, so results are the same on every run.
// x: [N, C, HW] f32, gamma/beta: [C] → y: [N, C, HW], mean/invstd/variance: [C]
// requires: WG, workgroup_sum, Walk, walk_start, walk_next, walk_index
// provides: p
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> invstd: array<f32>;
@group(0) @binding(6) var<storage, read_write> variance: array<f32>;

/** Apply ReLU to the output (conv → BN → ReLU in one pass). */
override RELU: bool = false;

struct Params { N: u32, C: u32, HW: u32, eps: f32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lane: u32) {
  let c = wg.x;
  let n = p.N * p.HW;
  let step = Walk(WG / p.HW, WG % p.HW);
  var s = 0.0;
  var w = walk_start(lane);
  for (var i = lane; i < n; i += WG) {
    s += x[walk_index(c, w)];
    w = walk_next(w, step);
  }
  let mu = workgroup_sum(lane, s) / f32(n);
  var q = 0.0;
  w = walk_start(lane);
  for (var i = lane; i < n; i += WG) {
    let d = x[walk_index(c, w)] - mu;
    q += d * d;
    w = walk_next(w, step);
  }
  let v = workgroup_sum(lane, q) / f32(n);
  let inv = 1.0 / sqrt(v + p.eps);
  let g = gamma[c] * inv;
  let b = beta[c];
  w = walk_start(lane);
  for (var i = lane; i < n; i += WG) {
    let k = walk_index(c, w);
    let z = (x[k] - mu) * g + b;
    y[k] = select(z, max(z, 0.0), RELU);
    w = walk_next(w, step);
  }
  if (lane == 0u) {
    mean[c] = mu;
    invstd[c] = inv;
    variance[c] = v;
  }
}
