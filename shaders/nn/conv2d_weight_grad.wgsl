// Convolution weight and bias gradients as an implicit GEMM with split K (operands for
// src/ops/conv2d-kernels.ts; the patches are read from x directly):
//   part[z, o, r] = Σ_{m in chunk z} dz[n, o, oy, ox] · tap_r(n, oy, ox),   m = (n, oy, ox)
//   tap_r = x[n, c, oy·S − P + kh, ox·S − P + kw] for r = (c·K + kh)·K + kw < R = C·K·K
//   (0 in the padding), tap_R = 1 (the bias column); dz = dy, or dy · [y > 0] when
//   RELU_MASK (the gradient of the fused ReLU, applied as dy is read).
//   GEMM rows o ∈ [0, O), columns r ∈ [0, R], k = m ∈ [z·chunk, (z + 1)·chunk) ∩ [0, N·OH·OW).
//   shaders/nn/conv2d_weight_grad_reduce.wgsl then sums part over z in order.
// dy: [N, O, OH, OW], x: [N, C, H, W], y: [N, O, OH, OW] (read only when RELU_MASK)
// → part: [Z, O, R + 1]; f32 row-major. Sizes except N are override constants.
// The sizes C … P are override constants of conv2d_sizes.wgsl, joined with this file.
// requires: C, H, W, O, OH, OW, K, S, P
// provides: p, gemm_rows, gemm_cols, k_bounds, RowInfo, row_info, ColInfo, col_info, KInfo, k_info, load_a, load_b, store_c
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> part: array<f32>;

struct Params { N: u32, chunk: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override RELU_MASK: bool = false;

fn gemm_rows() -> u32 { return O; }
fn gemm_cols() -> u32 { return C * K * K + 1u; }
fn k_bounds(z: u32) -> vec2u { return vec2u(z * p.chunk, min((z + 1u) * p.chunk, p.N * OH * OW)); }

struct RowInfo { plane: u32 }

fn row_info(o: u32) -> RowInfo { return RowInfo(o * OH * OW); }

// Column r: its offset from the patch start and (kh, kw); tap is false for the bias column r = R.
struct ColInfo { off: i32, kh: i32, kw: i32, tap: bool }

fn col_info(r: u32) -> ColInfo {
  let R = C * K * K;
  let c = min(r, R - 1u) / (K * K);
  let kh = (min(r, R - 1u) / K) % K;
  let kw = min(r, R - 1u) % K;
  return ColInfo(i32((c * H + kh) * W + kw), i32(kh), i32(kw), r < R);
}

// Pixel m = (n, oy, ox): its offset in dy without o, and where its patch starts in x.
struct KInfo { at: u32, base: i32, iy0: i32, ix0: i32 }

fn k_info(m: u32) -> KInfo {
  let n = m / (OH * OW);
  let q = m % (OH * OW);
  let iy0 = i32((q / OW) * S) - i32(P);
  let ix0 = i32((q % OW) * S) - i32(P);
  return KInfo(n * O * OH * OW + q, i32(n * C * H * W) + iy0 * i32(W) + ix0, iy0, ix0);
}

fn load_a(r: RowInfo, t: KInfo) -> f32 {
  let at = t.at + r.plane;
  var g = dy[at];
  if (RELU_MASK) { g = select(0.0, g, y[at] > 0.0); }
  return g;
}

fn load_b(t: KInfo, c: ColInfo) -> f32 {
  let inside = (u32(t.iy0 + c.kh) < H) & (u32(t.ix0 + c.kw) < W);
  let v = select(0.0, x[select(0u, u32(t.base + c.off), inside)], inside);
  return select(1.0, v, c.tap);
}

fn store_c(z: u32, o: u32, r: u32, value: f32) {
  part[(z * O + o) * (C * K * K + 1u) + r] = value;
}
