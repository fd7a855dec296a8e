// What every GEMM variant shares whatever its operand storage: the bias and C bindings,
// the uniforms, the override constants, the split-K range and the bias/activation
// epilogue. A variant's module joins this with the A and B bindings and their loads
// (matmul_common.wgsl for f32 element loads; quad loads generated per operand storage in
// src/ops/gemm-tiled.ts) and its generated `main` (src/ops/gemm-kernels.ts,
// src/ops/gemm-tiled.ts); matmul_naive.wgsl declares A and B itself.
// bias: [N] (read only when HAS_BIAS), C: [M, N] row-major (A and B are bindings 0 and 1).
// ACT (override): 0 none, 1 tanh, 2 sigmoid, 3 relu.
// Split K: with kChunk > 0, workgroup z computes the partial product over
// k ∈ [z·kChunk, (z+1)·kChunk) into C[z, M, N]; src/ops/matmul.ts then sums the partials
// (shaders/linalg/matmul_splitk_reduce.wgsl), so it dispatches these with no epilogue.
// requires: activate
// provides: bias, C, p, TRANS_A, TRANS_B, HAS_BIAS, ACT, c_base, k_range, store_c
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

/** Writes act(value + bias[col]) to C (at c_base). */
fn store_c(row: u32, col: u32, value: f32) {
  var v = value;
  if (HAS_BIAS) { v += bias[col]; }
  C[c_base + row * p.N + col] = activate(v, ACT);
}
