// W_hh of recurrent_forward.wgsl as f32: [G·H, H] row-major (PyTorch layout).
// requires: G, H
// provides: w_hh, load_w_hh
@group(0) @binding(1) var<storage, read> w_hh: array<f32>;

/** W_hh[g·H + j, k], 0 for gates the cell does not have (g ≥ G). */
fn load_w_hh(g: u32, j: u32, k: u32) -> f32 {
  if (g >= G) { return 0.0; }
  return w_hh[(g * H + j) * H + k];
}
