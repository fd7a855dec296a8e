// Convolution input gradient as an implicit GEMM (a gather: no col2im, no atomics;
// operands for src/ops/conv2d-kernels.ts):
//   dx[n, c, iy, ix] = Σ_{o, kh, kw} dz[n, o, oy, ox] · w[o, c, kh, kw]
//   over oy = (iy + P − kh) / S, ox = (ix + P − kw) / S where the division is exact and
//   0 ≤ oy < OH, 0 ≤ ox < OW;  dz = dy, or dy · [y > 0] when RELU_MASK (the gradient of
//   the fused ReLU, applied as dy is read).
//   GEMM rows m = (n, iy, ix) ∈ [0, N·H·W), columns c ∈ [0, C), k = (o, kh, kw) ∈ [0, O·K·K).
// dy: [N, O, OH, OW], w: [O, C, K, K], y: [N, O, OH, OW] (the forward output, read only
// when RELU_MASK) → dx: [N, C, H, W]; f32 row-major. Sizes except N are override constants.
// The sizes C … P are override constants of conv2d_sizes.wgsl, joined with this file.
// requires: C, H, W, O, OH, OW, K, S, P
// provides: p, gemm_rows, gemm_cols, k_bounds, RowInfo, row_info, ColInfo, col_info, KInfo, k_info, load_a, load_b, store_c
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

struct Params { N: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override RELU_MASK: bool = false;

fn gemm_rows() -> u32 { return p.N * H * W; }
fn gemm_cols() -> u32 { return C; }
fn k_bounds(z: u32) -> vec2u { return vec2u(0u, O * K * K); }

// Row m = (n, iy, ix): start of item n in dy, and (iy + P, ix + P).
struct RowInfo { base: u32, ty: i32, tx: i32 }

fn row_info(m: u32) -> RowInfo {
  let q = m % (H * W);
  return RowInfo((m / (H * W)) * O * OH * OW, i32(q / W + P), i32(q % W + P));
}

struct ColInfo { wc: u32 }

fn col_info(c: u32) -> ColInfo { return ColInfo(c * K * K); }

// k = (o, kh, kw): the dy plane of o and the weight offset without c.
struct KInfo { plane: u32, wo: u32, kh: i32, kw: i32 }

fn k_info(k: u32) -> KInfo {
  let o = k / (K * K);
  let kh = (k / K) % K;
  let kw = k % K;
  return KInfo(o * OH * OW, o * C * K * K + kh * K + kw, i32(kh), i32(kw));
}

fn load_a(r: RowInfo, t: KInfo) -> f32 {
  let ty = r.ty - t.kh;
  let tx = r.tx - t.kw;
  let oy = u32(ty) / S;
  let ox = u32(tx) / S;
  // `&` (not `&&`): no branches in the unrolled GEMM loop.
  let inside = (ty >= 0) & (tx >= 0) & (oy * S == u32(ty)) & (ox * S == u32(tx)) & (oy < OH) & (ox < OW);
  let at = select(0u, r.base + t.plane + oy * OW + ox, inside);
  var g = dy[at];
  if (RELU_MASK) { g = select(0.0, g, y[at] > 0.0); }
  return select(0.0, g, inside);
}

fn load_b(t: KInfo, c: ColInfo) -> f32 { return w[t.wo + c.wc]; }

fn store_c(z: u32, m: u32, c: u32, value: f32) {
  let n = m / (H * W);
  dx[(n * C + c) * H * W + m % (H * W)] = value;
}
