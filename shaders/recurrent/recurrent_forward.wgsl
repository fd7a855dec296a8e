// Recurrent layer forward for one direction; the cell math (cell_forward) comes from
// the cell's folder (src/ops/cells/<cell>/<cell>_cell.wgsl), composed in by src/gpu/wgsl.ts.
//   xproj:   [B, T, G·H]  A = X·W_ihᵀ + b_ih for every timestep (one GEMM before this)
//   w_hh:    [G·H, H]     row-major (PyTorch layout)
//   b_hh:    [G·H]
//   lengths: [B] i32      real steps per example, 1 ≤ L ≤ T
//   init:    [2, B, H]    h0, then c0 (LSTM); with PEEPHOLE followed by the peephole
//                         weights [3, H] (p_i, p_f, p_o; src/ops/cells/lstm/lstm.ts)
//   in_bias: [B, G·H]     per-example input bias added to A at every step (read only when HAS_IN_BIAS)
//   y:       [B, T, D·H]  this direction writes columns d_off .. d_off + H (zero-filled before)
//   saved:   [B, T, S·H]  per-unit values backward and the inspector need (see the cell file)
//   hprev:   [B, T, H]    h_{t-1} at each step, for dW_hh = dGhᵀ·H_prev
// Step s (processing order) of example b is timestep t = s, or L − 1 − s in reverse.
// Entry `step_blocked` (generated, src/ops/recurrent-kernels.ts): one dispatch per s, each
// invocation a block of batch rows × units with the recurrent matvec in registers.
// Entry `sequence`: one dispatch; workgroup b owns batch row b and loops over s.
// W_hh (binding 1) and load_w_hh come from a weights fragment: recurrent_weights_f32.wgsl,
// or recurrent_weights_f16pack.wgsl (f16 pairs; src/ops/recurrent-f16.ts).
// requires: cell_forward, CellOut, load_w_hh
// provides: p, H, G, S, ACT, lengths, init, y, load_b_hh, h_prev_base, finish
@group(0) @binding(0) var<storage, read> xproj: array<f32>;
@group(0) @binding(2) var<storage, read> b_hh: array<f32>;
@group(0) @binding(3) var<storage, read> lengths: array<i32>;
@group(0) @binding(4) var<storage, read> init: array<f32>;
@group(0) @binding(5) var<storage, read> in_bias: array<f32>;
@group(0) @binding(6) var<storage, read_write> y: array<f32>;
@group(0) @binding(7) var<storage, read_write> saved: array<f32>;
@group(0) @binding(8) var<storage, read_write> hprev: array<f32>;

struct Params { B: u32, T: u32, DH: u32, d_off: u32, reverse: u32, s: u32, steps: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override H: u32 = 32u;
override G: u32 = 4u;   // gates per unit
override S: u32 = 6u;   // saved values per unit
override ACT: u32 = 1u; // RNN activation: 1 tanh, 3 relu
override WG: u32 = 64u;
override HAS_IN_BIAS: bool = false;
override PEEPHOLE: bool = false;

fn time_of(s: u32, L: u32) -> u32 {
  if (p.reverse == 1u) { return L - 1u - s; }
  return s;
}

fn load_b_hh(g: u32, j: u32) -> f32 {
  if (g >= G) { return 0.0; }
  return b_hh[g * H + j];
}

// Where h_{t-1} of example b starts: in init at step 0, else in y at the previous step.
fn h_prev_base(b: u32, s: u32, L: u32) -> u32 {
  if (s == 0u) { return b * H; }
  return (b * p.T + time_of(min(s - 1u, L - 1u), L)) * p.DH + p.d_off;
}

fn h_prev_value(s: u32, base: u32, k: u32) -> f32 {
  if (s == 0u) { return init[base + k]; }
  return y[base + k];
}

// Peephole weights (p_i, p_f, p_o, 0) of unit j, read from the tail of init; zero without.
fn peephole(j: u32) -> vec4<f32> {
  if (!PEEPHOLE) { return vec4<f32>(0.0); }
  let o = 2u * p.B * H + j;
  return vec4<f32>(init[o], init[o + H], init[o + 2u * H], 0.0);
}

// Finishes unit j of example b at step s given r = W_hh h_{t-1} + b_hh for its gates.
// Straight-line on purpose: loops over gates or saved slots index arrays dynamically,
// which SwiftShader spills to memory.
fn finish(b: u32, j: u32, s: u32, L: u32, r: vec4<f32>) {
  let t = time_of(s, L);
  let row = b * p.T + t;
  var h_prev_j = 0.0;
  var c_prev_j = 0.0;
  if (s == 0u) {
    h_prev_j = init[b * H + j];
    if (S == 6u) { c_prev_j = init[p.B * H + b * H + j]; }
  } else {
    let prev = b * p.T + time_of(s - 1u, L);
    h_prev_j = y[prev * p.DH + p.d_off + j];
    if (S == 6u) { c_prev_j = saved[prev * S * H + 4u * H + j]; }
  }
  let xo = row * G * H + j;
  var a = vec4<f32>(xproj[xo], 0.0, 0.0, 0.0);
  if (G > 1u) { a.y = xproj[xo + H]; }
  if (G > 2u) { a.z = xproj[xo + 2u * H]; }
  if (G > 3u) { a.w = xproj[xo + 3u * H]; }
  if (HAS_IN_BIAS) {
    let bo = b * G * H + j;
    a.x += in_bias[bo];
    if (G > 1u) { a.y += in_bias[bo + H]; }
    if (G > 2u) { a.z += in_bias[bo + 2u * H]; }
    if (G > 3u) { a.w += in_bias[bo + 3u * H]; }
  }
  let out = cell_forward(a, r, h_prev_j, c_prev_j, peephole(j));
  let so = row * S * H + j;
  saved[so] = out.saved[0];
  saved[so + H] = out.saved[1];
  if (S > 2u) { saved[so + 2u * H] = out.saved[2]; }
  if (S > 3u) { saved[so + 3u * H] = out.saved[3]; }
  if (S > 4u) { saved[so + 4u * H] = out.saved[4]; }
  if (S > 5u) { saved[so + 5u * H] = out.saved[5]; }
  hprev[row * H + j] = h_prev_j;
  y[row * p.DH + p.d_off + j] = out.h;
}

fn unit(b: u32, j: u32, s: u32) {
  let L = u32(lengths[b]);
  if (s >= L) { return; }
  let base = h_prev_base(b, s, L);
  var r = vec4<f32>(load_b_hh(0u, j), load_b_hh(1u, j), load_b_hh(2u, j), load_b_hh(3u, j));
  for (var k = 0u; k < H; k++) {
    let hk = h_prev_value(s, base, k);
    r += hk * vec4<f32>(load_w_hh(0u, j, k), load_w_hh(1u, j, k), load_w_hh(2u, j, k), load_w_hh(3u, j, k));
  }
  finish(b, j, s, L, r);
}

@compute @workgroup_size(WG)
fn sequence(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x;
  for (var s = 0u; s < p.steps; s++) {
    for (var j = lid; j < H; j += WG) { unit(b, j, s); }
    // h_t of this row must be visible to the whole workgroup before step s + 1.
    storageBarrier();
    workgroupBarrier();
  }
}
