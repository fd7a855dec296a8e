// f32 operands with element loads, for the generated register-blocked GEMM variants
// (src/ops/gemm-kernels.ts); joined with matmul_shared.wgsl (bias, C, uniforms, split K,
// epilogue).
// A: [M, K] row-major (or [K, M] when TRANS_A), B: [K, N] (or [N, K] when TRANS_B).
// requires: p, TRANS_A, TRANS_B
// provides: A, B, load_a, load_b
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;

fn load_a(row: u32, k: u32) -> f32 {
  if (TRANS_A) { return A[k * p.M + row]; }
  return A[row * p.K + k];
}

fn load_b(k: u32, col: u32) -> f32 {
  if (TRANS_B) { return B[col * p.K + k]; }
  return B[k * p.N + col];
}
