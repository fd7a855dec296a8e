// C = act(op(A) · op(B) + bias), one output element per invocation.
// A: [M, K] row-major (or [K, M] when TRANS_A), B: [K, N] (or [N, K] when TRANS_B),
// bias: [N] (read only when HAS_BIAS), C: [M, N] row-major.
// ACT (override): 0 none, 1 tanh, 2 sigmoid, 3 relu.
// Split K (kChunk > 0): invocation z sums k ∈ [z·kChunk, (z+1)·kChunk) into C[z, M, N]
// (see matmul_common.wgsl).
// requires: activate
// provides: main
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

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.y;
  let col = gid.x;
  if (row >= p.M || col >= p.N) { return; }
  var kb = 0u;
  var ke = p.K;
  var base = 0u;
  if (p.kChunk > 0u) {
    kb = gid.z * p.kChunk;
    ke = min(p.K, kb + p.kChunk);
    base = gid.z * p.M * p.N;
  }
  var acc = 0.0;
  for (var k = kb; k < ke; k++) {
    let a = select(A[row * p.K + k], A[k * p.M + row], TRANS_A);
    let b = select(B[k * p.N + col], B[col * p.K + k], TRANS_B);
    acc += a * b;
  }
  if (HAS_BIAS) { acc += bias[col]; }
  C[base + row * p.N + col] = activate(acc, ACT);
}
