// The exported ONNX graph in ONNX Runtime Web (wasm EP) against GateScope's WebGPU
// forward, in the browser: every cell × every fusion strategy, ragged texts, a row
// without an image and a row without a text; max |Δ| ≤ 1e-4.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CELL_KINDS, FUSION_KINDS } from '../models/config.ts';
import { exportOnnx, onnxFeeds } from './onnx.ts';
import { exportTestConfig, exportTestData, gatescopeOutput, maxAbsDiff, randomWeights, runOnnx, type ExportCase } from './export.support.ts';

const TOLERANCE = 1e-4;
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];
let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
});

async function check(k: ExportCase) {
  const config = exportTestConfig(k);
  const weights = randomWeights(config, 11);
  const data = exportTestData(config.task);
  const ours = await gatescopeOutput(gpu, config, weights, data, ALL);
  const theirs = await runOnnx(ort, exportOnnx(config, weights).bytes, onnxFeeds(config, data, ALL));
  const diff = maxAbsDiff(ours, theirs.logits.data);
  expect(diff, `max |Δ| = ${diff}`).toBeLessThanOrEqual(TOLERANCE);
  // Rows differ, so agreement is not an accident of a constant output.
  expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(9, 12))).toBeGreaterThan(1e-3);
}

describe('ONNX Runtime Web vs GateScope WebGPU, every cell × fusion', () => {
  for (const cell of CELL_KINDS) {
    for (const fusion of FUSION_KINDS) {
      it(`${cell} × ${fusion}`, () => check({ fusion, cell }));
    }
    for (const fusion of ['late', 'init', 'early', 'additive'] as const) {
      it(`${cell} × ${fusion}, 2 bidirectional layers`, () => check({ fusion, cell, bidirectional: true, numLayers: 2 }));
    }
    it(`${cell} × late, CNN with global max pooling`, () => check({ fusion: 'late', cell, pool: 'max' }));
    it(`${cell} captioning decoder (init), teacher forcing`, () => check({ fusion: 'init', cell, task: 'captioning', numLayers: 2 }));
  }
  // Peephole LSTM: the LSTM node's input P, random non-zero peephole weights.
  for (const fusion of ['late', 'init', 'additive'] as const) {
    it(`peephole LSTM × ${fusion}, 2 bidirectional layers`, () => check({ fusion, cell: 'lstm', peephole: true, bidirectional: true, numLayers: 2 }));
  }
  it('peephole LSTM × early, 1 layer', () => check({ fusion: 'early', cell: 'lstm', peephole: true }));
  // BatchNormalization in inference mode with the running statistics as initializers.
  it('lstm × late, CNN with batch norm', () => check({ fusion: 'late', cell: 'lstm', batchNorm: true }));
  it('gru × image, CNN with batch norm and global max pooling', () => check({ fusion: 'image', cell: 'gru', batchNorm: true, pool: 'max' }));
  it('lstm captioning decoder (init) with a CNN with batch norm', () => check({ fusion: 'init', cell: 'lstm', task: 'captioning', batchNorm: true }));
});
