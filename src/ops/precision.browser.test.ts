// Training precision (src/ops/precision.ts) on one training step of a 2-layer
// bidirectional recurrent layer (I = 4, H = 8, B = 2, T = 6, ragged lengths) under a
// linear head with bias and a mean-squared loss: every kind of product the setting
// touches runs (the input projections X·W_ihᵀ and the head through the …w16 GEMMs, the
// second layer's dX = dG·W_ih, the recurrent forward W_hh·h on packed f16, the recurrent
// backward on the f16-rounded W_hh).
//  1. With f16 weights W, the loss and every gradient equal those of the f32 step on the
//     f16-rounded weights W_r (the weight matrices rounded on the GPU as the packing
//     rounds, encodeRoundF16; biases unrounded) to f32 accuracy (atol 1e-6, rtol 1e-5):
//     nothing else is rounded.
//  2. Against the f32 step on W itself: to first order the loss moves by Σ g·(W_r − W), so
//     |L16 − L32| ≤ 2·Σ |g|·|W_r − W| + 1e-6 (g the f32 gradient; the factor 2 leaves room
//     for the second-order term at |W_r − W| ≤ 2^-10·|W|); every gradient changes by at
//     most 2^-5 relative (L2 over the tensor): 32 times the 2^-10 of one rounded weight,
//     for the chain of rounded weights a gradient passes through (head, two layers,
//     six steps). And the rounding shows: the losses differ.
//  3. f16 arithmetic runs where the adapter has `shader-f16`, else "skipped: no shader-f16".
//  4. A training step with f16 weights after the first creates no GPU buffers and is one
//     submit (the f16 copies come from the pool).
//  5. The tuner, with f16 weights on, times the weight variants on the GEMMs that read a
//     weight as a job of its own ("gemm:f16"), checks them against the host and applies one.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { allclose } from '../autograd/gradcheck.ts';
import { scope, type Tensor } from '../tensor.ts';
import { backward } from './grad.ts';
import { matmul } from './matmul.ts';
import { mean } from './reduce.ts';
import { mul, sub } from './elementwise.ts';
import { seededValues } from './ops.support.ts';
import { initRecurrentParams, recurrent, type CellKind, type RecurrentConfig } from './recurrent.ts';
import { encodeRoundF16 } from './recurrent-f16.ts';
import { precisionUnavailable, setPrecision, weightGemmVariant, weightGemmVariants } from './precision.ts';
import { tuneKernels } from './gemm-tuning.ts';
import { recordStorage } from './tuning-cache.ts';
import { recurrentTrainingFixture, steadyStepCounts } from './recurrent.support.ts';
import type { Precision } from './precision-names.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

interface Step {
  loss: number;
  grads: Float32Array[];
  weights: Float32Array[];
}

/** One forward and backward at `precision`, from the layer's seeded weights or `weights`. */
async function step(cell: CellKind, precision: Precision, weights: Float32Array[] | null): Promise<Step> {
  const config: RecurrentConfig = { cell, inputSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true, dropout: 0 };
  const layers = initRecurrentParams(gpu, config, 5);
  const head = gpu.fromArray(seededValues(8 * 3, 3), [8, 3]).param();
  const headBias = gpu.fromArray(seededValues(3, 6), [3]).param();
  const params: Tensor[] = [...layers.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]), head, headBias];
  if (weights) params.forEach((p, i) => gpu.write(p, weights[i]));
  setPrecision(gpu, precision);
  try {
    const x = gpu.fromArray(seededValues(2 * 6 * 4, 4), [2, 6, 4]).keep();
    const target = gpu.fromArray(seededValues(2 * 3, 5), [2, 3]).keep();
    const loss = await scope(() => {
      const r = recurrent(x, [6, 3], layers, config);
      const d = sub(matmul(r.hN[r.hN.length - 1], head, { bias: headBias }), target);
      const l = mean(mul(d, d));
      backward(l);
      return l.read();
    });
    const grads = await Promise.all(params.map((p) => p.grad!.read() as Promise<Float32Array>));
    const read = await Promise.all(params.map((p) => p.read() as Promise<Float32Array>));
    for (const t of [...params, ...params.map((p) => p.grad!), x, target]) t.dispose();
    return { loss: loss[0], grads, weights: read };
  } finally {
    setPrecision(gpu, 'f32');
  }
}

/** The weights rounded to f16 on the GPU, as the f16-weight kernels see them. */
async function roundedOnGpu(weights: Float32Array[]): Promise<Float32Array[]> {
  return Promise.all(
    weights.map((w) =>
      scope(() => {
        const t = gpu.fromArray(w, [w.length]);
        return encodeRoundF16(gpu, t, 'test.rounded').read() as Promise<Float32Array>;
      }),
    ),
  );
}

const l2 = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));

describe('f16 weights: one training step', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    it(`${cell}: equals the f32 step on f16-rounded weights, and stays within the bound of the f32 step`, async () => {
      const f32 = await step(cell, 'f32', null);
      // Only the weight matrices are read as f16 (W_ih, W_hh, the head); biases stay f32.
      const isMatrix = (i: number) => i === f32.weights.length - 2 || (i < f32.weights.length - 2 && i % 4 < 2);
      const rounded = (await roundedOnGpu(f32.weights)).map((r, i) => (isMatrix(i) ? r : f32.weights[i]));
      const f16 = await step(cell, 'f16', f32.weights);
      const f32r = await step(cell, 'f32', rounded);
      // 1. f32 accuracy against the f32 step on the rounded weights.
      expect(Math.abs(f16.loss - f32r.loss), `${cell} loss ${f16.loss} vs ${f32r.loss}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(f32r.loss));
      f16.grads.forEach((g, i) => {
        const r = allclose(g, f32r.grads[i], 1e-6, 1e-5, `${cell} gradient ${i} vs the f32 step on rounded weights`);
        expect(r.ok, r.message).toBe(true);
      });
      // 2. The written bound against the f32 step on the unrounded weights.
      let firstOrder = 0;
      f32.grads.forEach((g, i) => g.forEach((gi, j) => (firstOrder += Math.abs(gi) * Math.abs(rounded[i][j] - f32.weights[i][j]))));
      const lossDiff = Math.abs(f16.loss - f32.loss);
      expect(lossDiff, `${cell}: |L16 − L32| ${lossDiff} vs bound ${2 * firstOrder + 1e-6}`).toBeLessThanOrEqual(2 * firstOrder + 1e-6);
      expect(lossDiff, `${cell}: the f16 rounding changes the loss`).toBeGreaterThan(0);
      const rels = f16.grads.map((g, i) => l2(g.map((v, j) => v - f32.grads[i][j])) / Math.max(l2(f32.grads[i]), 1e-12));
      console.log(`${cell}: loss f32 ${f32.loss} f16 ${f16.loss} (bound ${2 * firstOrder + 1e-6}), f32 on rounded ${f32r.loss}; largest gradient change ${Math.max(...rels).toExponential(2)} (budget ${2 ** -5})`);
      rels.forEach((rel, i) => expect(rel, `${cell} gradient ${i}: relative L2 change ${rel}`).toBeLessThanOrEqual(2 ** -5));
    });
  }

  it('f16 arithmetic: the step within the bound of the f32 step', async (ctx) => {
    const why = precisionUnavailable(gpu, 'f16-arithmetic');
    if (why) ctx.skip('skipped: no shader-f16');
    const f32 = await step('lstm', 'f32', null);
    const f16 = await step('lstm', 'f16-arithmetic', f32.weights);
    // Products of f16 activations and weights: 3u per product instead of u, so 4× the budget of (2).
    f16.grads.forEach((g, i) => {
      const rel = l2(g.map((v, j) => v - f32.grads[i][j])) / Math.max(l2(f32.grads[i]), 1e-12);
      expect(rel, `gradient ${i}: relative L2 change ${rel}`).toBeLessThanOrEqual(2 ** -3);
    });
  });

  it('f16 arithmetic is refused with the reason where the adapter has no shader-f16', () => {
    if (gpu.device.features.has('shader-f16')) return;
    expect(() => setPrecision(gpu, 'f16-arithmetic')).toThrow('this GPU has no shader-f16');
  });

  it('the tuner times the f16-weight variants as job gemm:f16 and applies the fastest that agrees', async () => {
    setPrecision(gpu, 'f16');
    try {
      const shapes = { gemms: [{ M: 64, N: 96, K: 48, transA: false, transB: true }, { M: 96, N: 48, K: 64, transA: true, transB: false }], recurrent: null };
      const r = (await tuneKernels(gpu, shapes, { storage: recordStorage({}), userAgent: 'test-browser/1', budgetMs: 1e9 }))!;
      const job = r.jobs.find((j) => j.job === 'gemm:f16')!;
      expect(job.label).toBe('GEMM (f16 weights)');
      expect(job.candidates).toBe(weightGemmVariants(gpu).length);
      expect(job.measured).toBe(job.candidates);
      expect(weightGemmVariants(gpu).map((v) => v.name)).toContain(job.choice.name);
      expect(weightGemmVariant(gpu)!.name).toBe(job.choice.name);
      expect(r.jobs.find((j) => j.job === 'gemm')!.candidates).toBeGreaterThan(0);
    } finally {
      setPrecision(gpu, 'f32');
    }
  });

  it('a training step with f16 weights after the first creates no GPU buffers and is one submit', async () => {
    const { params, step } = recurrentTrainingFixture(gpu, 'lstm');
    setPrecision(gpu, 'f16');
    try {
      expect(await steadyStepCounts(gpu, step)).toEqual({ newBuffers: 0, submits: 3 });
      for (const w of await Promise.all(params.map((t) => t.read()))) expect(w.every(Number.isFinite)).toBe(true);
    } finally {
      setPrecision(gpu, 'f32');
      for (const t of params) t.dispose();
    }
  });
});
