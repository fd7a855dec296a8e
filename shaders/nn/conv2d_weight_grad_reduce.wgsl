// Convolution weight and bias gradients, second pass: sums the split-K partials of
// shaders/nn/conv2d_weight_grad.wgsl over z (in order of z, deterministic).
//   dw[o, r] = Σ_z part[z, o, r]  (r < R = C·K·K),   db[o] = Σ_z part[z, o, R]
// part: [Z, O, R + 1] → dw: [O, R] (= [O, C, K, K]), db: [O] (written when HAS_BIAS).
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> dw: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

struct Params { Z: u32, O: u32, R: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override HAS_BIAS: bool = false;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  let R1 = p.R + 1u;
  if (idx >= p.O * R1) { return; }
  let o = idx / R1;
  let r = idx % R1;
  var acc = 0.0;
  for (var z = 0u; z < p.Z; z++) { acc += part[(z * p.O + o) * R1 + r]; }
  if (r < p.R) {
    dw[o * p.R + r] = acc;
  } else if (HAS_BIAS) {
    db[o] = acc;
  }
}
