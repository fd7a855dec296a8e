// Recurrent layers on WebGPU: PyTorch parity on both forward paths, an independent
// cross-check against ONNX Runtime Web's LSTM / GRU / RNN operators, and that a
// training step after the first creates no GPU buffers.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { fourWideSubgroups } from '../backend/subgroups.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { allclose } from '../autograd/gradcheck.ts';
import { scope } from '../tensor.ts';
import { encodeModel, ONNX_FLOAT, ONNX_INT32 } from '../export/onnx-proto.ts';
import { ONNX_OP, onnxRecurrentAttributes, onnxRecurrentWeights } from '../export/onnx-recurrent.ts';
import { compareWithPytorch, recurrentFixtures } from './recurrent-parity.support.ts';
import { initRecurrentParams, recurrent, setStepKernels, type CellKind, type RecurrentConfig } from './recurrent.ts';
import { blockedStepKernels, sharedStepKernels } from './recurrent-kernels.ts';
import { workgroupStepKernels } from './recurrent-kernels-any.ts';
import { compareWithReference, type OpCase } from './ops.support.ts';
import { seededValues } from './ops.support.ts';
import { recurrentTrainingFixture } from './recurrent.support.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  ort.env.wasm.numThreads = 1;
});

describe('PyTorch parity, WebGPU (f32: atol 2e-5, rtol 2e-4)', () => {
  for (const [name, f] of recurrentFixtures()) {
    for (const path of ['step', 'sequence'] as const) {
      it(`${name} ${path}`, async () => {
        const reports = await compareWithPytorch(f, gpu, { atol: 2e-5, rtol: 2e-4 }, path);
        for (const r of reports) expect(r.ok, r.message).toBe(true);
      });
    }
  }
});

// Every family of per-step kernels (the default one depends on the adapter and the
// batch), on a batch that is not a multiple of any block and ragged lengths.
describe('step kernel families vs the float64 CPU reference', () => {
  const B = 19;
  const T = 5;
  const I = 3;
  const H = 6;
  const lengths = Array.from({ length: B }, (_, b) => 1 + ((b * 7) % T));
  const families = [
    ['register-blocked 4×2', () => blockedStepKernels(4, 2), false],
    ['subgroup-shared, 16 rows', (G: number) => sharedStepKernels(16, G), true],
    ['subgroup-shared, 4 rows', (G: number) => sharedStepKernels(4, G), true],
    ['subgroup-shared, 16 rows, 4-gate vectors', () => sharedStepKernels(16, 4), true],
    ['workgroup-memory, 16 rows', (G: number) => workgroupStepKernels(16, G), false],
    ['workgroup-memory, 4 rows', (G: number) => workgroupStepKernels(4, G), false],
  ] as const;
  for (const [family, kernels, needsSubgroups] of families) {
    for (const cell of ['lstm', 'gru', 'rnn_relu'] as CellKind[]) {
      it(`${family}: ${cell} bidirectional, ragged, input bias`, async (ctx) => {
        if (needsSubgroups && !fourWideSubgroups(gpu)) ctx.skip();
        const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
        const config: RecurrentConfig = { cell, inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: true, dropout: 0 };
        const inputs = [{ shape: [B, T, I] }];
        for (let d = 0; d < 2; d++) inputs.push({ shape: [G * H, I] }, { shape: [G * H, H] }, { shape: [G * H] }, { shape: [G * H] });
        for (let d = 0; d < 2; d++) inputs.push({ shape: [B, G * H] });
        const c: OpCase = {
          ops: [cell === 'lstm' || cell === 'gru' ? cell : 'rnn', 'recurrentBackward'],
          name: `${family} ${cell}`,
          inputs,
          tolerance: { atol: 2e-5, rtol: 2e-4 },
          run: ([x, ...rest]) => {
            const layers = [0, 1].map((d) => ({ wIh: rest[4 * d], wHh: rest[4 * d + 1], bIh: rest[4 * d + 2], bHh: rest[4 * d + 3] }));
            const r = recurrent(x, lengths, { layers }, config, { path: 'step', inputBias: [rest[8], rest[9]] });
            return [r.output, ...r.hN, ...(r.cN ?? [])];
          },
        };
        setStepKernels(gpu, kernels(G));
        try {
          const reports = await compareWithReference(c, gpu);
          for (const r of reports) expect(r.ok, r.message).toBe(true);
        } finally {
          setStepKernels(gpu, null);
        }
      });
    }
  }
});

// The workgroup-memory family walks the reduction in chunks of 32 and the units in
// tiles of 16 or 32: H = 37 gives several chunks (forward k < 37, backward m < G·37) and
// a partial last unit tile, B = 5 a partial row tile.
describe('workgroup-memory step kernels over several chunks vs the float64 CPU reference', () => {
  const B = 5;
  const T = 4;
  const I = 3;
  const H = 37;
  const lengths = [4, 1, 3, 4, 2];
  for (const rows of [16, 4] as const) {
    for (const cell of ['lstm', 'gru', 'rnn_tanh'] as CellKind[]) {
      it(`${rows} rows: ${cell}, ragged`, async () => {
        const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
        const config: RecurrentConfig = { cell, inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: false, dropout: 0 };
        const c: OpCase = {
          ops: [cell === 'lstm' || cell === 'gru' ? cell : 'rnn', 'recurrentBackward'],
          name: `workgroup ${rows} ${cell} H${H}`,
          inputs: [{ shape: [B, T, I] }, { shape: [G * H, I] }, { shape: [G * H, H] }, { shape: [G * H] }, { shape: [G * H] }],
          tolerance: { atol: 2e-5, rtol: 2e-4 },
          run: ([x, wIh, wHh, bIh, bHh]) => {
            const r = recurrent(x, lengths, { layers: [{ wIh, wHh, bIh, bHh }] }, config, { path: 'step' });
            return [r.output, ...r.hN, ...(r.cN ?? [])];
          },
        };
        setStepKernels(gpu, workgroupStepKernels(rows, G));
        try {
          const reports = await compareWithReference(c, gpu);
          for (const r of reports) expect(r.ok, r.message).toBe(true);
        } finally {
          setStepKernels(gpu, null);
        }
      });
    }
  }
});

describe('ONNX Runtime Web cross-check (one-node models, layout 0)', () => {
  const B = 3;
  const T = 5;
  const I = 4;
  const H = 3;
  const lengths = [5, 2, 4];
  for (const cell of ['lstm', 'gru', 'rnn_tanh', 'rnn_relu'] as CellKind[]) {
    it(`${cell} bidirectional, ragged, with initial state`, async () => {
      const config: RecurrentConfig = { cell, inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: true, dropout: 0 };
      const params = initRecurrentParams(gpu, config, 42);
      const xData = seededValues(B * T * I, 7);
      const h0Data = [seededValues(B * H, 8), seededValues(B * H, 9)];
      const c0Data = [seededValues(B * H, 10), seededValues(B * H, 11)];
      const hasCell = cell === 'lstm';
      const ours = scope(() => {
        const x = gpu.fromArray(xData, [B, T, I]);
        const r = recurrent(x, lengths, params, config, {
          h0: h0Data.map((d) => gpu.fromArray(d, [B, H])),
          c0: hasCell ? c0Data.map((d) => gpu.fromArray(d, [B, H])) : undefined,
        });
        return { y: r.output.read(), h: Promise.all(r.hN.map((t) => t.read())) };
      });
      const y = await ours.y;
      const hN = await ours.h;
      const weights = await Promise.all(
        params.layers.map(async (l) => ({ wIh: await l.wIh.read(), wHh: await l.wHh.read(), bIh: await l.bIh.read(), bHh: await l.bHh.read() })),
      );
      const { W, R, B: bias } = onnxRecurrentWeights(cell, H, I, weights);
      const G = W.length / (2 * H * I);
      const inputs = ['x_tbi', 'W', 'R', 'B', 'sequence_lens', 'initial_h'];
      if (hasCell) inputs.push('initial_c');
      const model = encodeModel({
        name: `${cell}_check`,
        nodes: [
          { opType: 'Transpose', inputs: ['x'], outputs: ['x_tbi'], attributes: { perm: [1, 0, 2] } },
          { opType: ONNX_OP[cell], inputs, outputs: hasCell ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h'], attributes: onnxRecurrentAttributes(cell, H, true) },
          { opType: 'Transpose', inputs: ['Y'], outputs: ['y'], attributes: { perm: [2, 0, 1, 3] } },
        ],
        initializers: [
          { name: 'W', dims: [2, G * H, I], data: W },
          { name: 'R', dims: [2, G * H, H], data: R },
          { name: 'B', dims: [2, 2 * G * H], data: bias },
        ],
        inputs: [
          { name: 'x', elemType: ONNX_FLOAT, shape: ['batch', T, I] },
          { name: 'sequence_lens', elemType: ONNX_INT32, shape: ['batch'] },
          { name: 'initial_h', elemType: ONNX_FLOAT, shape: [2, 'batch', H] },
          ...(hasCell ? [{ name: 'initial_c', elemType: ONNX_FLOAT, shape: [2, 'batch', H] }] : []),
        ],
        outputs: [
          { name: 'y', elemType: ONNX_FLOAT, shape: ['batch', T, 2, H] },
          { name: 'Y_h', elemType: ONNX_FLOAT, shape: [2, 'batch', H] },
        ],
      });
      const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
      const feeds: Record<string, ort.Tensor> = {
        x: new ort.Tensor('float32', Float32Array.from(xData), [B, T, I]),
        sequence_lens: new ort.Tensor('int32', Int32Array.from(lengths), [B]),
        initial_h: new ort.Tensor('float32', Float32Array.from([...h0Data[0], ...h0Data[1]]), [2, B, H]),
      };
      if (hasCell) feeds.initial_c = new ort.Tensor('float32', Float32Array.from([...c0Data[0], ...c0Data[1]]), [2, B, H]);
      const result = await session.run(feeds);
      const yOrt = result.y.data as Float32Array;
      const hOrt = result.Y_h.data as Float32Array;
      const rY = allclose(y, yOrt, 1e-5, 1e-4, `${cell} output vs ONNX Runtime`);
      expect(rY.ok, rY.message).toBe(true);
      const rH = allclose([...hN[0], ...hN[1]], hOrt, 1e-5, 1e-4, `${cell} h_n vs ONNX Runtime`);
      expect(rH.ok, rH.message).toBe(true);
      for (const l of params.layers) for (const t of [l.wIh, l.wHh, l.bIh, l.bHh]) t.dispose();
    });
  }
});

describe('buffer reuse', () => {
  it('a training step after the first creates no GPU buffers or bind groups and is one submit', async () => {
    const { step } = recurrentTrainingFixture(gpu, 'lstm');
    step();
    await gpu.sync();
    const created = gpu.pool.created;
    const submits = gpu.recorder.submits;
    const bindGroups = gpu.recorder.bindGroupsCreated;
    for (let i = 0; i < 3; i++) step();
    await gpu.sync();
    expect(gpu.pool.created).toBe(created);
    expect(gpu.recorder.submits - submits).toBe(3);
    // From the second step on the pool hands out its buffers in the same order, so the
    // third and later steps bind what the second bound: no new bind groups.
    expect(gpu.recorder.bindGroupsCreated).toBeGreaterThan(bindGroups);
    const bindGroupsAfterSecond = gpu.recorder.bindGroupsCreated;
    for (let i = 0; i < 2; i++) step();
    await gpu.sync();
    expect(gpu.recorder.bindGroupsCreated).toBe(bindGroupsAfterSecond);
  });
});
