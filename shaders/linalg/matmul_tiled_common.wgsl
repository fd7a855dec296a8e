// Bindings, operand quads and the bias/activation epilogue of the workgroup-memory tiled
// GEMM variants (src/ops/gemm-tiled.ts), f32 storage. Same bindings, uniforms and
// override constants as matmul_common.wgsl, except that A and B are declared as arrays
// of vec4 so that a quad of 4 consecutive elements starting at a multiple of 4 is one
// 16-byte load. This needs the bound buffers to be a multiple of 16 bytes long (every
// buffer of the pool is: src/gpu/buffer-pool.ts rounds to ≥ 256 bytes).
// A: [M, K] row-major (or [K, M] when TRANS_A), B: [K, N] (or [N, K] when TRANS_B),
// bias: [N] (read only when HAS_BIAS), C: [M, N] row-major; split K as in matmul_common.wgsl.
// requires: activate
// provides: A, B, bias, C, p, TRANS_A, TRANS_B, HAS_BIAS, ACT, k_range, quad_a, quad_b, store_c
@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;

struct Params { M: u32, N: u32, K: u32, kChunk: u32 }
@group(1) @binding(0) var<uniform> p: Params;

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;

var<private> c_base: u32 = 0u;

/** The k range of workgroup z: [begin, end). Sets c_base. */
fn k_range(z: u32) -> vec2u {
  if (p.kChunk == 0u) { return vec2u(0u, p.K); }
  c_base = z * p.M * p.N;
  let begin = z * p.kChunk;
  return vec2u(begin, min(p.K, begin + p.kChunk));
}

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

fn store_c(row: u32, col: u32, value: f32) {
  var v = value;
  if (HAS_BIAS) { v += bias[col]; }
  C[c_base + row * p.N + col] = activate(v, ACT);
}
