// Final states of one direction at each example's last real step
// (t = L − 1 forward, t = 0 reverse).
//   y:       [B, T, D·H] layer output
//   saved:   [B, T, S·H] (c_t at offset C_OFF·H for the LSTM)
//   lengths: [B] i32
//   h_n:     [B, H]
//   c_n:     [B, H] (written only when C_OFF > 0)
@group(0) @binding(0) var<storage, read> y: array<f32>;
@group(0) @binding(1) var<storage, read> saved: array<f32>;
@group(0) @binding(2) var<storage, read> lengths: array<i32>;
@group(0) @binding(3) var<storage, read_write> h_n: array<f32>;
@group(0) @binding(4) var<storage, read_write> c_n: array<f32>;

struct Params { B: u32, T: u32, DH: u32, d_off: u32, reverse: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override H: u32 = 32u;
override S: u32 = 6u;
override C_OFF: u32 = 0u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.x + gid.y * groups.x * 64u;
  if (idx >= p.B * H) { return; }
  let b = idx / H;
  let j = idx % H;
  let L = u32(lengths[b]);
  var t = L - 1u;
  if (p.reverse == 1u) { t = 0u; }
  let row = b * p.T + t;
  h_n[idx] = y[row * p.DH + p.d_off + j];
  if (C_OFF > 0u) { c_n[idx] = saved[row * S * H + C_OFF * H + j]; }
}
