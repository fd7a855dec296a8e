// Batch normalisation, evaluation mode (torch.nn.BatchNorm2d.eval()): the running
// statistics of training instead of the batch's, one invocation per value:
//   inv = 1/√(running_var + ε),  y = γ·(x − running_mean)·inv + β   (RELU: max(0, ·), fused)
// The first C invocations also write the statistics used (mean, invstd) for backward.
// x: [N, C, HW] f32, gamma/beta/running_mean/running_var: [C] → y: [N, C, HW], mean/invstd: [C]
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read> running_mean: array<f32>;
@group(0) @binding(4) var<storage, read> running_var: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<storage, read_write> mean: array<f32>;
@group(0) @binding(7) var<storage, read_write> invstd: array<f32>;

override RELU: bool = false;

struct Params { total: u32, C: u32, HW: u32, eps: f32 }
@group(1) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 256u;
  if (idx < p.C) {
    mean[idx] = running_mean[idx];
    invstd[idx] = 1.0 / sqrt(running_var[idx] + p.eps);
  }
  if (idx >= p.total) { return; }
  let c = (idx / p.HW) % p.C;
  let inv = 1.0 / sqrt(running_var[c] + p.eps);
  let z = (x[idx] - running_mean[c]) * inv * gamma[c] + beta[c];
  y[idx] = select(z, max(z, 0.0), RELU);
}
