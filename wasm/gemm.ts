// f32 GEMM for the WebAssembly SIMD engine (AssemblyScript; built by scripts/build-wasm.mjs,
// loaded by src/backend/wasm-gemm.ts). C[M, N] (+)= op(A)·op(B), all row-major f32 in the
// module's (imported) memory; op(A) is [M, K], op(B) is [K, N].
//
// Blocking: for each block of KC steps of k, op(B) is packed into panels of NR = 8 columns
// (k-major: the 8 values of one k are contiguous), then for each block of MC rows op(A) is
// packed into panels of MR = 4 rows (the 4 values of one k contiguous). The micro-kernel
// keeps a 4×8 block of C in 8 f32x4 accumulators; per k it loads two vectors of B and
// splats four values of A: 8 multiplies and 8 adds. Panels are zero-padded past M and N,
// so every micro-kernel call runs full width; edge tiles go through a 4×8 scratch tile and
// only their valid part is added to C.
// Memory use: workspaceBytes(M, N, K) bytes at `work` (packed B block, packed A block,
// scratch tile). The module has no runtime and allocates nothing: the caller lays out
// memory from heapBase() on. gemmPart computes one block of rows or columns of C, so
// that several threads can share one GEMM (src/backend/wasm-pool.ts).

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;

/** First byte after the module's static data: the caller may use memory from here. */
export function heapBase(): usize {
  return __heap_base;
}

function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

/** Bytes of workspace gemm needs for these sizes (multiple of 16). */
export function workspaceBytes(M: i32, N: i32, K: i32): i32 {
  const kc = min(K, KC);
  const mc = min(roundUp(M, MR), MC);
  return (kc * roundUp(N, NR) + mc * kc + MR * NR) * 4;
}

// Packs op(B)[k0 .. k0+kc, 0 .. N] into panels of NR columns: panel p, step k, lane j at
// dst + ((p * kc + k) * NR + j) * 4. Element (k, j) of op(B) is at b + (k * rs + j * cs) * 4.
function packB(b: usize, rs: i32, cs: i32, k0: i32, kc: i32, N: i32, dst: usize): void {
  const panels = roundUp(N, NR) / NR;
  for (let p = 0; p < panels; p++) {
    const j0 = p * NR;
    const width = min(NR, N - j0);
    let d = dst + <usize>(p * kc * NR) * 4;
    if (width == NR && cs == 1) {
      // The 8 columns are contiguous in memory: one vector pair per k.
      for (let k = 0; k < kc; k++) {
        const s = b + <usize>((k0 + k) * rs + j0) * 4;
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += NR * 4;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const row = b + <usize>((k0 + k) * rs) * 4;
        for (let j = 0; j < NR; j++) {
          store<f32>(d + <usize>j * 4, j < width ? load<f32>(row + <usize>((j0 + j) * cs) * 4) : 0);
        }
        d += NR * 4;
      }
    }
  }
}

// Packs op(A)[i0 .. i0+mc, k0 .. k0+kc] into panels of MR rows: panel p, step k, lane r at
// dst + ((p * kc + k) * MR + r) * 4. Element (i, k) of op(A) is at a + (i * rs + k * cs) * 4.
function packA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  const panels = roundUp(mc, MR) / MR;
  for (let p = 0; p < panels; p++) {
    const r0 = i0 + p * MR;
    const height = min(MR, i0 + mc - r0);
    let d = dst + <usize>(p * kc * MR) * 4;
    for (let k = 0; k < kc; k++) {
      const col = a + <usize>((k0 + k) * cs) * 4;
      for (let r = 0; r < MR; r++) {
        store<f32>(d + <usize>r * 4, r < height ? load<f32>(col + <usize>((r0 + r) * rs) * 4) : 0);
      }
      d += MR * 4;
    }
  }
}

// C[4, 8] block at c (rows ldc bytes apart) += packed A panel · packed B panel over kc
// steps. rows/cols < 4/8 at the edges: the block goes through `tile` and only its valid
// part is added.
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, rows: i32, cols: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa, 4);
    const a2 = v128.load32_splat(pa, 8);
    const a3 = v128.load32_splat(pa, 12);
    if (ASC_FEATURE_RELAXED_SIMD) {
      // Fused (or not: the engine chooses) multiply-add; the relaxed builds only.
      c00 = v128.relaxed_madd<f32>(a0, b0, c00);
      c01 = v128.relaxed_madd<f32>(a0, b1, c01);
      c10 = v128.relaxed_madd<f32>(a1, b0, c10);
      c11 = v128.relaxed_madd<f32>(a1, b1, c11);
      c20 = v128.relaxed_madd<f32>(a2, b0, c20);
      c21 = v128.relaxed_madd<f32>(a2, b1, c21);
      c30 = v128.relaxed_madd<f32>(a3, b0, c30);
      c31 = v128.relaxed_madd<f32>(a3, b1, c31);
    } else {
      c00 = f32x4.add(c00, f32x4.mul(a0, b0));
      c01 = f32x4.add(c01, f32x4.mul(a0, b1));
      c10 = f32x4.add(c10, f32x4.mul(a1, b0));
      c11 = f32x4.add(c11, f32x4.mul(a1, b1));
      c20 = f32x4.add(c20, f32x4.mul(a2, b0));
      c21 = f32x4.add(c21, f32x4.mul(a2, b1));
      c30 = f32x4.add(c30, f32x4.mul(a3, b0));
      c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    }
    pa += MR * 4;
    pb += NR * 4;
  }
  if (rows == MR && cols == NR) {
    v128.store(c, f32x4.add(v128.load(c), c00));
    v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
    c += ldc;
    v128.store(c, f32x4.add(v128.load(c), c10));
    v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
    c += ldc;
    v128.store(c, f32x4.add(v128.load(c), c20));
    v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
    c += ldc;
    v128.store(c, f32x4.add(v128.load(c), c30));
    v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
  } else {
    v128.store(tile, c00);
    v128.store(tile, c01, 16);
    v128.store(tile, c10, 32);
    v128.store(tile, c11, 48);
    v128.store(tile, c20, 64);
    v128.store(tile, c21, 80);
    v128.store(tile, c30, 96);
    v128.store(tile, c31, 112);
    for (let r = 0; r < rows; r++) {
      const cr = c + <usize>r * ldc;
      const tr = tile + <usize>(r * NR) * 4;
      for (let j = 0; j < cols; j++) {
        const p = cr + <usize>j * 4;
        store<f32>(p, load<f32>(p) + load<f32>(tr + <usize>j * 4));
      }
    }
  }
}

/** transB value of a B already packed whole by packBAll (gemm and gemmPart). */
const PACKED_B: i32 = 2;

/** Bytes packBAll writes for op(B) [K, N]. */
export function packedBBytes(N: i32, K: i32): i32 {
  return K * roundUp(N, NR) * 4;
}

/**
 * Packs all of op(B) [K, N] (B stored [K, N], or [N, K] when transB != 0) at dst, as the
 * GEMM packs it block by block: the block of k0 .. k0 + kc at dst + k0·roundUp(N, 8)·4,
 * in panels of 8 columns. A GEMM given transB = 2 and this array skips packing: a
 * recurrent layer multiplies by the same W_hh at every step, and packs it once.
 */
export function packBAll(b: usize, N: i32, K: i32, transB: i32, dst: usize): void {
  const bRs = transB != 0 ? 1 : N;
  const bCs = transB != 0 ? K : 1;
  const stride = roundUp(N, NR);
  for (let k0 = 0; k0 < K; k0 += KC) packB(b, bRs, bCs, k0, min(KC, K - k0), N, dst + <usize>(k0 * stride) * 4);
}

/**
 * C[M, N] = op(A)·op(B), or C += op(A)·op(B) when accumulate != 0. A is stored [M, K]
 * (transA = 0) or [K, M] (transA != 0); B is stored [K, N] (transB = 0) or [N, K]
 * (transB = 1), or was packed by packBAll (transB = 2); all row-major f32. work:
 * workspaceBytes(M, N, K) bytes, 16-byte aligned.
 */
export function gemm(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, accumulate: i32, work: usize): void {
  gemmPart(a, b, c, M, N, K, transA, transB, accumulate, work, 0, M, 0, N);
}

/**
 * The block C[i0 .. i1, j0 .. j1] of gemm(a, b, c, M, N, K, transA, transB, accumulate):
 * the worker pool (src/backend/wasm-pool.ts) gives each thread its own block of rows or
 * columns and its own workspace of workspaceBytes(i1 - i0, j1 - j0, K) bytes. Blocks of
 * different calls never overlap in C, so the threads write disjoint memory. With a packed
 * B (transB = 2), j0 is a multiple of 8 (the pool cuts columns in panels of 8).
 */
export function gemmPart(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, accumulate: i32, work: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  // Element strides of op(A)(i, k) and op(B)(k, j) in the full arrays.
  const aRs = transA != 0 ? 1 : K;
  const aCs = transA != 0 ? M : 1;
  const packed = transB == PACKED_B;
  const bRs = transB == 1 ? 1 : N;
  const bCs = transB == 1 ? K : 1;
  block(
    a + <usize>(i0 * aRs) * 4, aRs, aCs,
    packed ? b : b + <usize>(j0 * bCs) * 4, bRs, bCs,
    c + (<usize>i0 * <usize>N + <usize>j0) * 4, N,
    i1 - i0, j1 - j0, K, accumulate, work,
    packed, roundUp(N, NR), j0,
  );
}

// C[M, N] (+)= op(A)·op(B) where op(A)(i, k) is at a + (i * aRs + k * aCs) * 4, op(B)(k, j)
// at b + (k * bRs + j * bCs) * 4 and C(i, j) at c + (i * ldc + j) * 4. packed: b is
// packBAll's array of the whole op(B) (stride: its padded width), and this block's
// columns start at column jb of it.
function block(a: usize, aRs: i32, aCs: i32, b: usize, bRs: i32, bCs: i32, c: usize, ldc: i32, M: i32, N: i32, K: i32, accumulate: i32, work: usize, packed: bool, stride: i32, jb: i32): void {
  if (M <= 0 || N <= 0) return;
  const ldcBytes = <usize>ldc * 4;
  if (accumulate == 0) {
    if (ldc == N) memory.fill(c, 0, <usize>M * <usize>N * 4);
    else for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldcBytes, 0, <usize>N * 4);
  }
  if (K <= 0) return;
  const kcMax = min(K, KC);
  const packedA = work + <usize>(kcMax * roundUp(N, NR)) * 4;
  const tile = packedA + <usize>(min(roundUp(M, MR), MC) * kcMax) * 4;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    let packedB = work;
    if (packed) packedB = b + <usize>(k0 * stride + jb * kc) * 4;
    else packB(b, bRs, bCs, k0, kc, N, packedB);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(a, aRs, aCs, i0, mc, k0, kc, packedA);
      for (let j0 = 0; j0 < N; j0 += NR) {
        const pb = packedB + <usize>(j0 * kc) * 4;
        const cols = min(NR, N - j0);
        for (let i = 0; i < mc; i += MR) {
          const pa = packedA + <usize>(i * kc) * 4;
          const c0 = c + (<usize>(i0 + i) * ldcBytes) + <usize>j0 * 4;
          micro(kc, pa, pb, c0, ldcBytes, min(MR, mc - i), cols, tile);
        }
      }
    }
  }
}
