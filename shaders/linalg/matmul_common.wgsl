// Bindings, operand loads and the bias/activation epilogue shared by the generated
// register-blocked GEMM variants (src/ops/gemm-kernels.ts).
// A: [M, K] row-major (or [K, M] when TRANS_A), B: [K, N] (or [N, K] when TRANS_B),
// bias: [N] (read only when HAS_BIAS), C: [M, N] row-major.
// ACT (override): 0 none, 1 tanh, 2 sigmoid, 3 relu.
// Split K: with kChunk > 0, workgroup z computes the partial product over
// k ∈ [z·kChunk, (z+1)·kChunk) into C[z, M, N]; src/ops/matmul.ts then sums the partials
// (shaders/linalg/matmul_splitk_reduce.wgsl), so it dispatches these with no epilogue.
// requires: activate
// provides: A, B, bias, C, p, TRANS_A, TRANS_B, HAS_BIAS, ACT, k_range, load_a, load_b, store_c
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;

struct Params { M: u32, N: u32, K: u32, kChunk: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;

/** Offset of this workgroup's partial product in C (0 without split K). */
var<private> c_base: u32 = 0u;

/** The k range of workgroup z: [begin, end). Sets c_base. */
fn k_range(z: u32) -> vec2u {
  if (p.kChunk == 0u) { return vec2u(0u, p.K); }
  c_base = z * p.M * p.N;
  let begin = z * p.kChunk;
  return vec2u(begin, min(p.K, begin + p.kChunk));
}

fn load_a(row: u32, k: u32) -> f32 {
  if (TRANS_A) { return A[k * p.M + row]; }
  return A[row * p.K + k];
}

fn load_b(k: u32, col: u32) -> f32 {
  if (TRANS_B) { return B[col * p.K + k]; }
  return B[k * p.N + col];
}

fn store_c(row: u32, col: u32, value: f32) {
  var v = value;
  if (HAS_BIAS) { v += bias[col]; }
  C[c_base + row * p.N + col] = activate(v, ACT);
}
