// W_hh of recurrent_forward.wgsl as f16 values packed two per u32 (element i is half
// i & 1 of word i >> 1, as pack2x16float and packF16 in src/ops/gemm-f16.ts write them),
// decoded with unpack2x16float (core WGSL, no `shader-f16`); the arithmetic stays f32.
// requires: G, H
// provides: w_hh, load_w_hh
@group(0) @binding(1) var<storage, read> w_hh: array<u32>;

/** W_hh[g·H + j, k] decoded to f32, 0 for gates the cell does not have (g ≥ G). */
fn load_w_hh(g: u32, j: u32, k: u32) -> f32 {
  if (g >= G) { return 0.0; }
  let i = (g * H + j) * H + k;
  return unpack2x16float(w_hh[i >> 1u])[i & 1u];
}
