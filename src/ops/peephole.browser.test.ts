// Peephole LSTM on WebGPU: every family of per-step kernels and the sequence path vs the
// float64 CPU reference (outputs, final states and every gradient, the peephole weights
// included). The PyTorch fixture and the ONNX Runtime Web check are further down.
import { beforeAll, describe, expect, it } from 'vitest';
import { fourWideSubgroups } from '../backend/subgroups.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { recurrent, setStepKernels, type RecurrencePath, type RecurrentConfig } from './recurrent.ts';
import { blockedStepKernels, sharedStepKernels } from './recurrent-kernels.ts';
import { workgroupStepKernels } from './recurrent-kernels-any.ts';
import { compareWithReference, type CaseInput, type OpCase } from './ops.support.ts';
import type { StepKernelPair } from './recurrent-selection.ts';
import { setRecurrentWeights } from './recurrent-f16.ts';
import { initRecurrentParams } from './recurrent.ts';
import { seededValues } from './ops.support.ts';
import { scope } from '../tensor.ts';
import { backward } from './grad.ts';
import { matmul } from './matmul.ts';
import { mean } from './reduce.ts';
import { mul, sub } from './elementwise.ts';
import { scale } from './scale.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

/**
 * A 2-layer bidirectional peephole LSTM with odd H, ragged lengths and initial states:
 * B = 19 is not a multiple of any row block, H = 5 of no unit block.
 */
function peepholeCase(name: string, path: RecurrencePath, H = 5): OpCase {
  const B = 19;
  const T = 5;
  const I = 3;
  const D = 2;
  const layers = 2;
  const lengths = Array.from({ length: B }, (_, b) => 1 + ((b * 7) % T));
  const config: RecurrentConfig = { cell: 'lstm', inputSize: I, hiddenSize: H, numLayers: layers, bidirectional: true, dropout: 0, peephole: true };
  const inputs: CaseInput[] = [{ shape: [B, T, I] }];
  for (let l = 0; l < layers; l++) {
    for (let d = 0; d < D; d++) inputs.push({ shape: [4 * H, l === 0 ? I : D * H] }, { shape: [4 * H, H] }, { shape: [4 * H] }, { shape: [4 * H] });
  }
  for (let k = 0; k < layers * D; k++) inputs.push({ shape: [B, H] }, { shape: [B, H] }, { shape: [3 * H] });
  return {
    ops: ['lstm', 'recurrentBackward'],
    name,
    inputs,
    tolerance: { atol: 2e-5, rtol: 2e-4 },
    run: ([x, ...rest]) => {
      const n = layers * D;
      const weights = rest.slice(0, 4 * n);
      const extra = rest.slice(4 * n);
      const params = Array.from({ length: n }, (_, k) => ({
        wIh: weights[4 * k],
        wHh: weights[4 * k + 1],
        bIh: weights[4 * k + 2],
        bHh: weights[4 * k + 3],
        peephole: extra[3 * k + 2],
      }));
      const r = recurrent(x, lengths, { layers: params }, config, {
        path,
        h0: params.map((_, k) => extra[3 * k]),
        c0: params.map((_, k) => extra[3 * k + 1]),
      });
      return [r.output, ...r.hN, ...(r.cN ?? [])];
    },
  };
}

describe('peephole LSTM, every step-kernel family vs the float64 CPU reference', () => {
  const families: [string, () => StepKernelPair, boolean][] = [
    ['register-blocked 4×2', () => blockedStepKernels(4, 2), false],
    ['subgroup-shared, 16 rows', () => sharedStepKernels(16, 4), true],
    ['subgroup-shared, 4 rows', () => sharedStepKernels(4, 4), true],
    ['workgroup-memory, 16 rows', () => workgroupStepKernels(16, 4), false],
    ['workgroup-memory, 4 rows', () => workgroupStepKernels(4, 4), false],
  ];
  for (const [family, kernels, needsSubgroups] of families) {
    it(`${family}: 2 layers, bidirectional, ragged, h0/c0, H = 5`, async (ctx) => {
      if (needsSubgroups && !fourWideSubgroups(gpu)) ctx.skip();
      setStepKernels(gpu, kernels());
      try {
        const reports = await compareWithReference(peepholeCase(`peephole ${family}`, 'step'), gpu);
        expect(reports.length).toBe(1 + 8 + 1 + 4 * 4 + 4 * 3);
        for (const r of reports) expect(r.ok, r.message).toBe(true);
      } finally {
        setStepKernels(gpu, null);
      }
    });
  }
  it('sequence path (one dispatch per direction), default backward kernels', async () => {
    const reports = await compareWithReference(peepholeCase('peephole sequence', 'sequence'), gpu);
    for (const r of reports) expect(r.ok, r.message).toBe(true);
  });
  it('workgroup-memory kernels over several chunks (H = 37)', async () => {
    setStepKernels(gpu, workgroupStepKernels(16, 4));
    try {
      const reports = await compareWithReference(peepholeCase('peephole workgroup H37', 'step', 37), gpu);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    } finally {
      setStepKernels(gpu, null);
    }
  });
});

// Half-precision W_hh (setRecurrentWeights 'f16') runs the same forward template, so the
// peephole terms apply there too: the f16 forward stays near the f32 one, far from the
// plain cell's output.
describe('peephole LSTM with f16 recurrent weights', () => {
  it('forward within 3e-3 of the f32 weights; the plain cell differs by far more', async () => {
    const [B, T, I, H] = [4, 4, 3, 8];
    const config: RecurrentConfig = { cell: 'lstm', inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: true, dropout: 0, peephole: true };
    const params = initRecurrentParams(gpu, config, 9);
    const peep = [0, 1].map((d) => gpu.fromArray(seededValues(3 * H, 20 + d).map((v) => 3 * v), [3 * H]));
    const layers = params.layers.map((l, d) => ({ ...l, peephole: peep[d] }));
    const x = seededValues(B * T * I, 4);
    const lengths = [4, 2, 3, 1];
    const run = (weights: 'f32' | 'f16', peephole: boolean) => {
      setRecurrentWeights(gpu, weights);
      try {
        return scope(() => recurrent(gpu.fromArray(x, [B, T, I]), lengths, { layers: peephole ? layers : params.layers }, { ...config, peephole }, { path: 'step' }).output.read());
      } finally {
        setRecurrentWeights(gpu, 'f32');
      }
    };
    const f16 = await run('f16', true);
    const f32 = await run('f32', true);
    const plain = await run('f32', false);
    let worst = 0;
    let apart = 0;
    for (let i = 0; i < f32.length; i++) {
      worst = Math.max(worst, Math.abs(f16[i] - f32[i]));
      apart = Math.max(apart, Math.abs(plain[i] - f32[i]));
    }
    expect(worst, `max |f16 − f32| ${worst}`).toBeLessThanOrEqual(3e-3);
    expect(worst).toBeGreaterThan(0);
    expect(apart, `max |plain − peephole| ${apart}`).toBeGreaterThan(0.05);
  });
});

describe('peephole LSTM buffer reuse', () => {
  it('a training step after the first creates no GPU buffers and is one submit', async () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true, dropout: 0, peephole: true };
    const params = initRecurrentParams(gpu, config, 5);
    const head = gpu.fromArray(seededValues(8 * 3, 3), [8, 3]).param();
    const all = [...params.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh, l.peephole!]), head];
    const x = gpu.fromArray(seededValues(2 * 6 * 4, 4), [2, 6, 4]).keep();
    const target = gpu.fromArray(seededValues(2 * 3, 5), [2, 3]).keep();
    const step = () => {
      scope(() => {
        const r = recurrent(x, [6, 3], params, config);
        const d = sub(matmul(r.hN[r.hN.length - 1], head), target);
        backward(mean(mul(d, d)));
        // Plain SGD through ops, recorded into the same command buffer.
        for (const p of all) {
          const updated = sub(p, scale(p.grad!, 0.01));
          gpu.recorder.copy(gpu.buffer(updated), 0, gpu.buffer(p), 0, p.size * 4);
          p.grad!.persistent = false;
          p.grad!.dispose();
          p.grad = null;
        }
      });
      gpu.flush();
    };
    step();
    await gpu.sync();
    const created = gpu.pool.created;
    const submits = gpu.recorder.submits;
    for (let i = 0; i < 3; i++) step();
    await gpu.sync();
    expect(gpu.pool.created).toBe(created);
    expect(gpu.recorder.submits - submits).toBe(3);
  });
});
