// CPU GEMM for the reference path (the CPU backend is the app's fallback and the test
// oracle): C = op(A)·op(B) with float64 accumulation. Both operands are packed so that
// the reduction index k is contiguous (op(A) as [M, K], op(B)ᵀ as [N, K]); then a 4×4
// block of C is accumulated in 16 local doubles per pass over k, so each loaded value
// feeds four multiply-adds.
import type { FloatArray } from '../tensor.ts';

/** A matrix operand: data in row-major order, and whether op(X) = Xᵀ. */
export interface Operand {
  data: ArrayLike<number>;
  /** Element offset of the matrix inside data. */
  offset?: number;
  trans: boolean;
}

/**
 * Copies op(X) to [rows, cols] row-major float64, where X is stored row-major as
 * [rows, cols] (trans = false) or [cols, rows] (trans = true).
 */
export function pack(x: Operand, rows: number, cols: number, out = new Float64Array(rows * cols)): Float64Array {
  const o = x.offset ?? 0;
  const d = x.data;
  if (!x.trans) {
    for (let i = 0; i < rows * cols; i++) out[i] = d[o + i];
  } else {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = d[o + c * rows + r];
  }
  return out;
}

/**
 * C[M, N] (+)= A[M, K]·Bᵀ where a is A as [M, K] and bt is B as [N, K], both row-major
 * float64 (see pack). With `accumulate` C is added to, else overwritten. C may be any
 * float array; rows of C are cStride apart (default N).
 */
export function gemmPacked(a: Float64Array, bt: Float64Array, c: FloatArray | Float64Array, M: number, N: number, K: number, accumulate = false, cStride = N): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = i * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    for (let j = 0; j < N4; j += 4) {
      const b0 = j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
        const y0 = bt[b0 + k], y1 = bt[b1 + k], y2 = bt[b2 + k], y3 = bt[b3 + k];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = i * cStride + j;
      const r1 = r0 + cStride;
      const r2 = r1 + cStride;
      const r3 = r2 + cStride;
      if (accumulate) {
        c[r0] += c00; c[r0 + 1] += c01; c[r0 + 2] += c02; c[r0 + 3] += c03;
        c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13;
        c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23;
        c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33;
      } else {
        c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03;
        c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
        c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
        c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
      }
    }
  }
  // Edges: the last M % 4 rows (all columns) and the last N % 4 columns (first M4 rows).
  const edge = (i: number, j: number) => {
    let s = 0;
    const ao = i * K;
    const bo = j * K;
    for (let k = 0; k < K; k++) s += a[ao + k] * bt[bo + k];
    const ci = i * cStride + j;
    if (accumulate) c[ci] += s;
    else c[ci] = s;
  };
  for (let i = 0; i < M4; i++) for (let j = N4; j < N; j++) edge(i, j);
  for (let i = M4; i < M; i++) for (let j = 0; j < N; j++) edge(i, j);
}

/** C[M, N] = op(A)·op(B) (float64 accumulation; C is overwritten). */
export function gemm(a: Operand, b: Operand, c: FloatArray | Float64Array, M: number, N: number, K: number): void {
  // op(B)ᵀ as [N, K]: B stored [K, N] needs a transpose, B stored [N, K] (trans) does not.
  gemmPacked(pack(a, M, K), pack({ ...b, trans: !b.trans }, N, K), c, M, N, K);
}
