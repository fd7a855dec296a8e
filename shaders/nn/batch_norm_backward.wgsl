// Batch normalisation backward, one workgroup per channel c over its N·H·W values, with
// x̂ = (x − μ)·inv from the statistics the forward used, and d = dy (d = dy·[y > 0]
// when the forward had the fused ReLU, y its output):
//   dβ = Σ d,  dγ = Σ d·x̂
//   training (μ, σ² are the batch's, so they depend on x; n = N·H·W):
//     dx = γ·inv·(d − dβ/n − x̂·dγ/n)
//   evaluation (running statistics are constants): dx = γ·inv·d
// Lane slices and the tree are fixed (batch_norm_channel.wgsl): the sums are deterministic.
// dy, x, y: [N, C, HW] f32, gamma/mean/invstd: [C] → dx: [N, C, HW], dgamma/dbeta: [C]
// requires: WG, workgroup_sum, Walk, walk_start, walk_next, walk_index
// provides: p
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invstd: array<f32>;
@group(0) @binding(5) var<storage, read> y: array<f32>;
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;
@group(0) @binding(7) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(8) var<storage, read_write> dbeta: array<f32>;

/** true: gradients through the batch statistics (training mode); false: evaluation mode. */
override TRAINING: bool = true;
/** The forward applied ReLU: the gradient passes only where y > 0. */
override RELU: bool = false;

struct Params { N: u32, C: u32, HW: u32 }
@group(1) @binding(0) var<uniform> p: Params;

/** The gradient at the normalised value: dy, masked by the fused ReLU. */
fn grad_at(k: u32) -> f32 {
  return select(dy[k], select(0.0, dy[k], y[k] > 0.0), RELU);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lane: u32) {
  let c = wg.x;
  let n = p.N * p.HW;
  let step = Walk(WG / p.HW, WG % p.HW);
  let mu = mean[c];
  let inv = invstd[c];
  var sd = 0.0;
  var sdx = 0.0;
  var w = walk_start(lane);
  for (var i = lane; i < n; i += WG) {
    let k = walk_index(c, w);
    let d = grad_at(k);
    sd += d;
    sdx += d * (x[k] - mu) * inv;
    w = walk_next(w, step);
  }
  let db = workgroup_sum(lane, sd);
  let dg = workgroup_sum(lane, sdx);
  let scale = gamma[c] * inv;
  let mdy = db / f32(n);
  let mdx = dg / f32(n);
  w = walk_start(lane);
  for (var i = lane; i < n; i += WG) {
    let k = walk_index(c, w);
    let d = grad_at(k);
    if (TRAINING) {
      dx[k] = scale * (d - mdy - (x[k] - mu) * inv * mdx);
    } else {
      dx[k] = scale * d;
    }
    w = walk_next(w, step);
  }
  if (lane == 0u) {
    dgamma[c] = dg;
    dbeta[c] = db;
  }
}
