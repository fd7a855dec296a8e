// Like matmul_tiled_common.wgsl, but A and B hold f16 values packed two per u32 (element
// i is half i & 1 of word i >> 1, as pack2x16float writes them; src/ops/gemm-f16.ts packs
// them). unpack2x16float is core WGSL, so this needs no `shader-f16`: storage and
// bandwidth are halved, the arithmetic stays f32. A quad of 4 halves starting at a
// multiple of 4 is one 8-byte load. Joined with matmul_shared.wgsl. Bound buffers must be
// a multiple of 8 bytes long.
// provides: A, B, half_a, half_b, quad_a, quad_b
@group(0) @binding(0) var<storage, read> A: array<vec2<u32>>;
@group(0) @binding(1) var<storage, read> B: array<vec2<u32>>;

fn half_a(i: u32) -> f32 { return unpack2x16float(A[i >> 2u][(i >> 1u) & 1u])[i & 1u]; }
fn half_b(i: u32) -> f32 { return unpack2x16float(B[i >> 2u][(i >> 1u) & 1u])[i & 1u]; }

/** Elements i … i+3 of A (flat index) as f32, the first n of them real (n ≥ 4: all), the rest 0. */
fn quad_a(i: u32, n: u32) -> vec4<f32> {
  if (n >= 4u && (i & 3u) == 0u) {
    let w = A[i >> 2u];
    return vec4<f32>(unpack2x16float(w.x), unpack2x16float(w.y));
  }
  var v = vec4<f32>(0.0);
  for (var e = 0u; e < min(n, 4u); e++) { v[e] = half_a(i + e); }
  return v;
}

fn quad_b(i: u32, n: u32) -> vec4<f32> {
  if (n >= 4u && (i & 3u) == 0u) {
    let w = B[i >> 2u];
    return vec4<f32>(unpack2x16float(w.x), unpack2x16float(w.y));
  }
  var v = vec4<f32>(0.0);
  for (var e = 0u; e < min(n, 4u); e++) { v[e] = half_b(i + e); }
  return v;
}
