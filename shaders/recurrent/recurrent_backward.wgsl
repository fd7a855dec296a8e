// Fused BPTT step for one direction; the cell math (cell_backward) comes from the cell's
// file, composed in by src/gpu/wgsl.ts. The entry point `step_blocked` is generated
// (src/ops/recurrent-kernels.ts). Dispatched for s = steps−1 … 0 and once more with final = 1.
//   w_hh:    [G·H, H]
//   lengths: [B] i32
//   saved:   [B, T, S·H]  from forward
//   dy:      [B, T, D·H]  gradient of the layer output (this direction at d_off); read only when HAS_DY
//   dfinal:  [2, B, H]    dh_N, dc_N; with PEEPHOLE followed by the peephole weights [3, H]
//   dgx:     [B, T, G·H]  gradient of the input-side gate pre-activations (zero-filled before)
//   dgh:     [B, T, G·H]  same for the hidden side; written only when SEPARATE_DGH (the GRU,
//                         whose n gate differs) — otherwise the carry reads dgx
//   dstate:  [2, B, H]    [0]: the direct part of dh_{t-1}; after final = 1, dh_0
//                         [1]: dc carry; at the end dc_0
// Step s for unit k:  dh = (s == L−1 ? dh_N : direct + W_hhᵀ·dgh[t_{s+1}]) + dy[t_s],
// then the cell's elementwise gradients. Only invocation (b, k) touches dstate[·, b, k],
// and dgh is read at t_{s+1} while it is written at t_s, so steps need no other barrier.
// requires: cell_backward, CellGrad
// provides: p, H, G, S, ACT, w_hh, dgx, carry, carry_time, finish
@group(0) @binding(0) var<storage, read> w_hh: array<f32>;
@group(0) @binding(1) var<storage, read> lengths: array<i32>;
@group(0) @binding(2) var<storage, read> saved: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read> dfinal: array<f32>;
@group(0) @binding(5) var<storage, read_write> dgx: array<f32>;
@group(0) @binding(6) var<storage, read_write> dgh: array<f32>;
@group(0) @binding(7) var<storage, read_write> dstate: array<f32>;

struct Params { B: u32, T: u32, DH: u32, d_off: u32, reverse: u32, s: u32, final_step: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override H: u32 = 32u;
override G: u32 = 4u;
override S: u32 = 6u;
override ACT: u32 = 1u;
override SEPARATE_DGH: bool = false;
override HAS_DY: bool = true;
override PEEPHOLE: bool = false;

fn time_of(s: u32, L: u32) -> u32 {
  if (p.reverse == 1u) { return L - 1u - s; }
  return s;
}

// Peephole weights (p_i, p_f, p_o, 0) of unit k, read from the tail of dfinal; zero without.
fn peephole(k: u32) -> vec4<f32> {
  if (!PEEPHOLE) { return vec4<f32>(0.0); }
  let o = 2u * p.B * H + k;
  return vec4<f32>(dfinal[o], dfinal[o + H], dfinal[o + 2u * H], 0.0);
}

// Hidden-side gate gradient at flat index i (dgh for the GRU, else dgx).
fn carry(i: u32) -> f32 {
  if (SEPARATE_DGH) { return dgh[i]; }
  return dgx[i];
}

// Step s for unit k of example b, given through = Σ_m dgh[b, t_{s+1}, m]·W_hh[m, k]
// (or, when final_step = 1, the same at t of step 0).
fn finish(b: u32, k: u32, through: f32) {
  let L = u32(lengths[b]);
  let bh = b * H + k;
  if (p.final_step == 1u) {
    dstate[bh] = dstate[bh] + through;
    return;
  }
  let s = p.s;
  if (s >= L) { return; }
  let t = time_of(s, L);
  let row = b * p.T + t;
  var dh: f32;
  var dc: f32;
  if (s == L - 1u) {
    dh = dfinal[bh];
    dc = dfinal[p.B * H + bh];
  } else {
    dh = dstate[bh] + through;
    dc = dstate[p.B * H + bh];
  }
  if (HAS_DY) { dh += dy[row * p.DH + p.d_off + k]; }
  // Straight-line loads and stores: dynamically indexed arrays spill on SwiftShader.
  let so = row * S * H + k;
  var sv = array<f32, 6>(saved[so], saved[so + H], 0.0, 0.0, 0.0, 0.0);
  if (S > 2u) { sv[2] = saved[so + 2u * H]; }
  if (S > 3u) { sv[3] = saved[so + 3u * H]; }
  if (S > 4u) { sv[4] = saved[so + 4u * H]; }
  if (S > 5u) { sv[5] = saved[so + 5u * H]; }
  let g = cell_backward(sv, dh, dc, peephole(k));
  let go = row * G * H + k;
  dgx[go] = g.dgx.x;
  if (G > 1u) { dgx[go + H] = g.dgx.y; }
  if (G > 2u) { dgx[go + 2u * H] = g.dgx.z; }
  if (G > 3u) { dgx[go + 3u * H] = g.dgx.w; }
  if (SEPARATE_DGH) {
    dgh[go] = g.dgh.x;
    if (G > 1u) { dgh[go + H] = g.dgh.y; }
    if (G > 2u) { dgh[go + 2u * H] = g.dgh.z; }
    if (G > 3u) { dgh[go + 3u * H] = g.dgh.w; }
  }
  dstate[bh] = g.direct;
  dstate[p.B * H + bh] = g.dc;
}

// Timestep whose dgh feeds this step's carry: t_{s+1}, or t_0 for the final pass.
fn carry_time(b: u32) -> u32 {
  let L = u32(lengths[b]);
  if (p.final_step == 1u) { return time_of(0u, L); }
  return time_of(min(p.s + 1u, L - 1u), L);
}
