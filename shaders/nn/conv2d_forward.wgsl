// Convolution forward as an implicit GEMM (operands for src/ops/conv2d-kernels.ts; no
// im2col buffer, the patches are read from x directly):
//   y[n, o, oy, ox] = act(b[o] + Σ_{c, kh, kw} w[o, c, kh, kw] · x[n, c, oy·S − P + kh, ox·S − P + kw])
//   GEMM rows m = (n, oy, ox) ∈ [0, N·OH·OW), columns o ∈ [0, O), k = (c, kh, kw) ∈ [0, C·K·K);
//   A[m, k] = the input under the patch (0 in the padding), B[k, o] = w[o, k].
// x: [N, C, H, W], w: [O, C, K, K], b: [O] (read only when HAS_BIAS), y: [N, O, OH, OW];
// all f32 row-major. The sizes except N are override constants (fixed for a model).
// RELU: y = max(·, 0) (the ReLU after the convolution, fused).
// The sizes C … P are override constants of conv2d_sizes.wgsl, joined with this file.
// requires: C, H, W, O, OH, OW, K, S, P
// provides: p, gemm_rows, gemm_cols, k_bounds, RowInfo, row_info, ColInfo, col_info, KInfo, k_info, load_a, load_b, store_c
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

struct Params { N: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override HAS_BIAS: bool = false;
override RELU: bool = false;

fn gemm_rows() -> u32 { return p.N * OH * OW; }
fn gemm_cols() -> u32 { return O; }
fn k_bounds(z: u32) -> vec2u { return vec2u(0u, C * K * K); }

// Row m: where its patch starts in x (may be negative inside the padding).
struct RowInfo { base: i32, iy0: i32, ix0: i32 }

fn row_info(m: u32) -> RowInfo {
  let n = m / (OH * OW);
  let q = m % (OH * OW);
  let iy0 = i32((q / OW) * S) - i32(P);
  let ix0 = i32((q % OW) * S) - i32(P);
  return RowInfo(i32(n * C * H * W) + iy0 * i32(W) + ix0, iy0, ix0);
}

struct ColInfo { wrow: u32 }

fn col_info(o: u32) -> ColInfo { return ColInfo(o * C * K * K); }

// Tap k = (c, kh, kw): its offset from the patch start, and (kh, kw).
struct KInfo { k: u32, off: i32, kh: i32, kw: i32 }

fn k_info(k: u32) -> KInfo {
  let c = k / (K * K);
  let kh = (k / K) % K;
  let kw = k % K;
  return KInfo(k, i32((c * H + kh) * W + kw), i32(kh), i32(kw));
}

fn load_a(r: RowInfo, t: KInfo) -> f32 {
  let inside = (u32(r.iy0 + t.kh) < H) & (u32(r.ix0 + t.kw) < W);
  return select(0.0, x[select(0u, u32(r.base + t.off), inside)], inside);
}

fn load_b(t: KInfo, c: ColInfo) -> f32 { return w[c.wrow + t.k]; }

fn store_c(z: u32, m: u32, o: u32, value: f32) {
  var v = value;
  if (HAS_BIAS) { v += b[o]; }
  if (RELU) { v = max(v, 0.0); }
  let n = m / (OH * OW);
  y[(n * O + o) * OH * OW + m % (OH * OW)] = v;
}
