enable f16;
// Like matmul_tiled_common.wgsl with A and B as f16 arrays (needs the `shader-f16`
// feature): the tiled kernels keep their workgroup tiles in f16 and multiply in f16;
// each product is converted to f32 before it is added, so sums are f32
// (src/ops/gemm-f16.ts). Joined with matmul_shared.wgsl. Bound buffers must be a
// multiple of 8 bytes long.
// provides: A, B, quad_a, quad_b
@group(0) @binding(0) var<storage, read> A: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f16>>;

/** Elements i … i+3 of A (flat index), the first n of them real (n ≥ 4: all), the rest 0. */
fn quad_a(i: u32, n: u32) -> vec4<f16> {
  if (n >= 4u && (i & 3u) == 0u) { return A[i >> 2u]; }
  var v = vec4<f16>(0.0h);
  for (var e = 0u; e < min(n, 4u); e++) { v[e] = A[(i + e) >> 2u][(i + e) & 3u]; }
  return v;
}

fn quad_b(i: u32, n: u32) -> vec4<f16> {
  if (n >= 4u && (i & 3u) == 0u) { return B[i >> 2u]; }
  var v = vec4<f16>(0.0h);
  for (var e = 0u; e < min(n, 4u); e++) { v[e] = B[(i + e) >> 2u][(i + e) & 3u]; }
  return v;
}
