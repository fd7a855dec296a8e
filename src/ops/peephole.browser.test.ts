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
