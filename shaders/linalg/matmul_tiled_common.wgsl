// f32 operands as quads, for the workgroup-memory tiled GEMM variants
// (src/ops/gemm-tiled.ts); joined with matmul_shared.wgsl (bias, C, uniforms, split K,
// epilogue). A and B are declared as arrays of vec4 so that a quad of 4 consecutive
// elements starting at a multiple of 4 is one 16-byte load. This needs the bound buffers
// to be a multiple of 16 bytes long (every buffer of the pool is:
// src/gpu/buffer-pool.ts rounds to ≥ 256 bytes).
// A: [M, K] row-major (or [K, M] when TRANS_A), B: [K, N] (or [N, K] when TRANS_B).
// provides: A, B, quad_a, quad_b
@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;

/** Elements i … i+3 of A (flat index), the first n of them real (n ≥ 4: all), the rest 0. */
fn quad_a(i: u32, n: u32) -> vec4<f32> {
  if (n >= 4u && (i & 3u) == 0u) { return A[i >> 2u]; }
  var v = vec4<f32>(0.0);
  for (var e = 0u; e < min(n, 4u); e++) { v[e] = A[(i + e) >> 2u][(i + e) & 3u]; }
  return v;
}

fn quad_b(i: u32, n: u32) -> vec4<f32> {
  if (n >= 4u && (i & 3u) == 0u) { return B[i >> 2u]; }
  var v = vec4<f32>(0.0);
  for (var e = 0u; e < min(n, 4u); e++) { v[e] = B[(i + e) >> 2u][(i + e) & 3u]; }
  return v;
}
