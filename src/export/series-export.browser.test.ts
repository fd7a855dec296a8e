// The exported series model (frames → MatMul/Add → LSTM | GRU | RNN → head) in ONNX
// Runtime Web (wasm EP) against GateScope's WebGPU forward: ragged lengths 1–6, two
// values per frame, three outputs; max |Δ| ≤ 1e-4.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CELL_KINDS } from '../models/config.ts';
import { exportOnnx, onnxFeeds } from './onnx.ts';
import { gatescopeOutput, maxAbsDiff, randomWeights, runOnnx } from './export.support.ts';
import { seriesExportConfig, seriesExportData } from './series-export.support.ts';

const TOLERANCE = 1e-4;
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];
let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
});

describe('ONNX Runtime Web vs GateScope WebGPU, series models', () => {
  const data = seriesExportData();
  const cases = CELL_KINDS.flatMap((cell) => [
    { cell, layers: 1, bidirectional: false },
    { cell, layers: 2, bidirectional: true },
  ]);
  for (const k of cases) {
    it(`${k.cell}, ${k.layers} layer${k.layers > 1 ? 's' : ''}${k.bidirectional ? ', bidirectional' : ''}`, async () => {
      const config = seriesExportConfig(data, k.cell, k.layers, k.bidirectional);
      const weights = randomWeights(config, 11);
      const t = data.targets as { mean: number; std: number };
      const ours = await gatescopeOutput(gpu, config, weights, data, ALL);
      const feeds = onnxFeeds(config, data, ALL);
      expect(Object.keys(feeds).sort()).toEqual(['frames', 'lengths']);
      expect(feeds.frames.dims).toEqual([8, 6, 2]);
      const theirs = await runOnnx(ort, exportOnnx(config, weights, { targetScale: { mean: t.mean, std: t.std } }).bytes, feeds);
      expect(theirs.value.dims).toEqual([8, 3]);
      const diff = maxAbsDiff(ours, theirs.value.data);
      expect(diff, `max |Δ| = ${diff}`).toBeLessThanOrEqual(TOLERANCE);
      const units = Float32Array.from(ours, (v) => v * t.std + t.mean);
      expect(maxAbsDiff(units, theirs.value_in_target_units.data)).toBeLessThanOrEqual(TOLERANCE * (1 + t.std));
      // Rows differ, so agreement is not an accident of a constant output.
      expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(9, 12))).toBeGreaterThan(1e-3);
    });
  }
});
