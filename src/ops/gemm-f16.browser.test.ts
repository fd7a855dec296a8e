// Half-precision GEMM variants (src/ops/gemm-f16.ts) against float64 products, with the
// error bound derived there checked for every element:
//   f16 storage:    |C − C_exact| ≤ (2u + u² + K·2^-23)·Σ_k |a_k b_k| + s
//   f16 arithmetic: |C − C_exact| ≤ (3u + 3u² + u³ + K·2^-23)·Σ_k |a_k b_k| + s + K·2^-25
// (u = 2^-11; C_exact from the f32 inputs; s = 2^-25·Σ_k (|a_k| + |b_k|) covers inputs
// below f16's normal range, whose rounding error is absolute, not relative). The storage variants must also match the
// product of the f16-rounded inputs to f32 summation accuracy (they really read the
// halves), and the rounding must be visible (they do not read f32 behind the scenes).
// The weight variants (…w16, …wh16: only B is stored as f16, A stays f32) are checked
// the same way with B alone rounded (storage: u instead of 2u + u²).
// The f16-arithmetic variants run only where the adapter has `shader-f16`.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { scope } from '../tensor.ts';
import { F16_ARITHMETIC_GEMM_VARIANTS, F16_STORAGE_GEMM_VARIANTS, F16_UNIT_ROUNDOFF, F16_WEIGHT_ARITHMETIC_GEMM_VARIANTS, F16_WEIGHT_GEMM_VARIANTS, f16Bits, f16Value, packF16, roundToF16 } from './gemm-f16.ts';
import { gemm } from './matmul-cpu.ts';
import { encodeGemm } from './matmul.ts';
import { seededValues } from './ops.support.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

const u = F16_UNIT_ROUNDOFF;

/** [M, K, N, kChunk]: odd sizes, tile multiples, and split K with an uneven last chunk. */
const shapes: [number, number, number, number][] = [
  [37, 29, 19, 0],
  [64, 64, 64, 0],
  [130, 67, 129, 0],
  [5, 1, 3, 0],
  [16, 1000, 27, 300],
];

type Variant = { name: string; code: string; tileN: number; tileM: number };

interface Run {
  gpu: Float32Array;
  /** Float64 product of the f32 inputs, of the f16-rounded inputs, and Σ|a·b| per element (all with the bias). */
  exact: Float64Array;
  rounded: Float64Array;
  absSum: Float64Array;
  /** 2^-25·Σ_k (|a_k| + |b_k|): the absolute rounding error of inputs below f16's normal range (|x| < 2^-14). */
  subnormal: Float64Array;
  K: number;
}

async function runF16(
  variant: Variant,
  M: number,
  K: number,
  N: number,
  kChunk: number,
  transA: boolean,
  transB: boolean,
  /** false for the weight variants: A is bound as f32. */
  halfA = true,
): Promise<Run> {
  const a = seededValues(M * K, M + 3 * K);
  const b = seededValues(K * N, N + 7 * K);
  const bias = seededValues(N, 11);
  const S = kChunk > 0 ? Math.ceil(K / kChunk) : 1;
  const out = await scope(() => {
    const ta = halfA ? gpu.fromArray(packF16(a), [Math.max(4, Math.ceil((M * K) / 8) * 4)], 'i32') : gpu.fromArray(a, [M * K]);
    const tb = gpu.fromArray(packF16(b), [Math.max(4, Math.ceil((K * N) / 8) * 4)], 'i32');
    const tbias = gpu.fromArray(bias, [N]);
    const c = gpu.empty([S, M, N], 'f32', 'test.c');
    encodeGemm(gpu, variant, { a: gpu.buffer(ta), b: gpu.buffer(tb), bias: kChunk > 0 ? null : gpu.buffer(tbias), c: gpu.buffer(c) }, { M, N, K }, { transA, transB, activation: 'none' }, kChunk);
    return c.read();
  });
  // Split K: the partial products summed here, then the bias.
  const result = new Float32Array(M * N);
  for (let s = 0; s < S; s++) for (let i = 0; i < M * N; i++) result[i] += out[s * M * N + i];
  if (kChunk > 0) for (let i = 0; i < M * N; i++) result[i] += bias[i % N];
  const product = (x: number[], y: number[]) => {
    const c = new Float64Array(M * N);
    gemm({ data: x, trans: transA }, { data: y, trans: transB }, c, M, N, K);
    for (let i = 0; i < M * N; i++) c[i] += bias[i % N];
    return c;
  };
  const absSum = new Float64Array(M * N);
  gemm({ data: a.map(Math.abs), trans: transA }, { data: b.map(Math.abs), trans: transB }, absSum, M, N, K);
  const rowAbs = new Float64Array(M * N);
  gemm({ data: a.map(Math.abs), trans: transA }, { data: new Array(K * N).fill(1), trans: false }, rowAbs, M, N, K);
  const colAbs = new Float64Array(M * N);
  gemm({ data: new Array(M * K).fill(1), trans: false }, { data: b.map(Math.abs), trans: transB }, colAbs, M, N, K);
  const subnormal = rowAbs.map((v, i) => 2 ** -25 * (v + colAbs[i]));
  return { gpu: result, exact: product(a, b), rounded: product(halfA ? a.map(roundToF16) : a, b.map(roundToF16)), absSum, subnormal, K };
}

/** Index of the first element outside |x − ref| ≤ bound(i), or −1. */
function firstViolation(x: ArrayLike<number>, ref: ArrayLike<number>, bound: (i: number) => number): number {
  for (let i = 0; i < x.length; i++) if (!(Math.abs(x[i] - ref[i]) <= bound(i))) return i;
  return -1;
}

const maxAbsDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
};

describe('f16 conversion', () => {
  it('rounds to nearest even, keeps subnormals, overflows to infinity', () => {
    expect(f16Value(f16Bits(1))).toBe(1);
    expect(f16Value(f16Bits(65504))).toBe(65504);
    expect(f16Value(f16Bits(65520))).toBe(Infinity);
    expect(f16Value(f16Bits(1 + 2 ** -11))).toBe(1); // tie → even
    expect(f16Value(f16Bits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9); // tie → even (up)
    expect(f16Value(f16Bits(2 ** -24))).toBe(2 ** -24);
    expect(f16Value(f16Bits(2 ** -26))).toBe(0);
    expect(f16Value(f16Bits(-0.1))).toBeCloseTo(-0.0999755859375, 12);
    for (const x of seededValues(1000, 5, -4, 4)) expect(Math.abs(roundToF16(x) - x)).toBeLessThanOrEqual(Math.abs(x) * u);
  });
});

/**
 * f16 storage, f32 arithmetic, on every shape and transpose: the product of the rounded
 * inputs to f32 summation accuracy, within `rel`·Σ|a·b| of the exact product (2u + u² with
 * both operands f16, u with B alone), and the rounding visible.
 */
async function checkStorage(variant: Variant, halfA: boolean, rel: number): Promise<void> {
  for (const [M, K, N, kChunk] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const what = `${variant.name} ${M}×${K}×${N}${kChunk ? ` split ${kChunk}` : ''} tA=${transA} tB=${transB}`;
        const r = await runF16(variant, M, K, N, kChunk, transA, transB, halfA);
        const sumErr = K * 2 ** -23;
        // The kernel computes the product of the f16 inputs, up to f32 summation.
        const i1 = firstViolation(r.gpu, r.rounded, (i) => sumErr * r.absSum[i] + 1e-7);
        expect(i1, `${what}: element ${i1} ${r.gpu[i1]} vs f16-input product ${r.rounded[i1]}`).toBe(-1);
        // Accuracy loss against the f32 inputs: the bound of src/ops/gemm-f16.ts.
        const i2 = firstViolation(r.gpu, r.exact, (i) => (rel + sumErr) * r.absSum[i] + r.subnormal[i] + 1e-7);
        expect(i2, `${what}: element ${i2} ${r.gpu[i2]} vs exact ${r.exact[i2]}, bound ${(rel + sumErr) * r.absSum[i2]}`).toBe(-1);
        // The rounding shows: the result is nearer the f16-input product than the f32 one.
        if (K >= 16) expect(maxAbsDiff(r.gpu, r.exact), what).toBeGreaterThan(4 * maxAbsDiff(r.gpu, r.rounded));
      }
    }
  }
}

/** f16 products, f32 sums (shader-f16): within (3u + 3u² + u³)·Σ|a·b| + 2^-25 per product of the exact product. */
async function checkArithmetic(variant: Variant, halfA: boolean): Promise<void> {
  for (const [M, K, N, kChunk] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const what = `${variant.name} ${M}×${K}×${N}${kChunk ? ` split ${kChunk}` : ''} tA=${transA} tB=${transB}`;
        const r = await runF16(variant, M, K, N, kChunk, transA, transB, halfA);
        const rel = 3 * u + 3 * u * u + u ** 3 + K * 2 ** -23;
        const i2 = firstViolation(r.gpu, r.exact, (i) => rel * r.absSum[i] + r.subnormal[i] + K * 2 ** -25 + 1e-7);
        expect(i2, `${what}: element ${i2} ${r.gpu[i2]} vs exact ${r.exact[i2]}`).toBe(-1);
      }
    }
  }
}

describe('f16-storage GEMM variants (packed halves, f32 arithmetic) vs float64', () => {
  for (const variant of F16_STORAGE_GEMM_VARIANTS) it(variant.name, () => checkStorage(variant, true, 2 * u + u * u));

  it('the bound rejects a kernel that reads the two halves of each word swapped', async () => {
    // What such a kernel would compute, on the host: the bound must not let it pass.
    const [M, K, N] = [37, 29, 19];
    const a = seededValues(M * K, M + 3 * K);
    const b = seededValues(K * N, N + 7 * K);
    const swap = (x: number[]) => x.map((_, i) => roundToF16(x[(i ^ 1) < x.length ? i ^ 1 : i]));
    const wrong = new Float64Array(M * N);
    gemm({ data: swap(a), trans: false }, { data: b.map(roundToF16), trans: false }, wrong, M, N, K);
    const exact = new Float64Array(M * N);
    gemm({ data: a, trans: false }, { data: b, trans: false }, exact, M, N, K);
    const absSum = new Float64Array(M * N);
    gemm({ data: a.map(Math.abs), trans: false }, { data: b.map(Math.abs), trans: false }, absSum, M, N, K);
    expect(firstViolation(wrong, exact, (i) => (2 * u + u * u + K * 2 ** -23) * absSum[i] + 1e-7)).toBeGreaterThanOrEqual(0);
  });
});

describe('f16-arithmetic GEMM variants (shader-f16) vs float64', () => {
  for (const variant of F16_ARITHMETIC_GEMM_VARIANTS) {
    it(variant.name, async (ctx) => {
      if (!gpu.device.features.has('shader-f16')) ctx.skip('skipped: no shader-f16');
      await checkArithmetic(variant, true);
    });
  }
});

describe('f16-weight GEMM variants (B packed halves, A f32, f32 arithmetic) vs float64', () => {
  for (const variant of F16_WEIGHT_GEMM_VARIANTS) it(variant.name, () => checkStorage(variant, false, u));
});

describe('f16-weight arithmetic GEMM variants (shader-f16) vs float64', () => {
  for (const variant of F16_WEIGHT_ARITHMETIC_GEMM_VARIANTS) {
    it(variant.name, async (ctx) => {
      if (!gpu.device.features.has('shader-f16')) ctx.skip('skipped: no shader-f16');
      // The f16 weight array is the packed words (same bytes); A is converted as it is loaded.
      await checkArithmetic(variant, false);
    });
  }
});
