// C = act(op(A) · op(B) + bias), one output element per invocation; joined with
// matmul_shared.wgsl (bias, C, uniforms, split K, epilogue).
// A: [M, K] row-major (or [K, M] when TRANS_A), B: [K, N] (or [N, K] when TRANS_B).
// Split K (kChunk > 0): invocation z sums k ∈ [z·kChunk, (z+1)·kChunk) into C[z, M, N].
// requires: p, TRANS_A, TRANS_B, k_range, store_c
// provides: A, B, main
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.y;
  let col = gid.x;
  if (row >= p.M || col >= p.N) { return; }
  let kr = k_range(gid.z);
  var acc = 0.0;
  for (var k = kr.x; k < kr.y; k++) {
    let a = select(A[row * p.K + k], A[k * p.M + row], TRANS_A);
    let b = select(B[k * p.N + col], B[col * p.K + k], TRANS_B);
    acc += a * b;
  }
  store_c(row, col, acc);
}
