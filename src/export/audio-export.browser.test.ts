// The exported audio model (log-mel frames → MatMul/Add → LSTM | GRU | RNN → Gemm/Relu in
// the image feature's place, fused with the question) in ONNX Runtime Web (wasm EP)
// against GateScope's WebGPU forward: ragged clips of 1–6 frames and a row without a clip;
// max |Δ| ≤ 1e-4.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { exportOnnx, onnxFeeds } from './onnx.ts';
import { gatescopeOutput, maxAbsDiff, randomWeights, runOnnx } from './export.support.ts';
import { AUDIO_EXPORT_CASES, audioExportConfig, audioExportData } from './audio-export.support.ts';

const TOLERANCE = 1e-4;
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];
let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
});

describe('ONNX Runtime Web vs GateScope WebGPU, audio models', () => {
  const data = audioExportData();
  for (const k of AUDIO_EXPORT_CASES) {
    it(`${k.fusion}, ${k.cell}, ${k.layers} layer${k.layers > 1 ? 's' : ''}${k.bidirectional ? ', bidirectional' : ''}`, async () => {
      const config = audioExportConfig(data, k.fusion, k.cell, k.layers, k.bidirectional);
      const weights = randomWeights(config, 11);
      const ours = await gatescopeOutput(gpu, config, weights, data, ALL);
      const feeds = onnxFeeds(config, data, ALL);
      expect(feeds.audio_frames.dims).toEqual([8, 6, 40]);
      expect(Array.from(feeds.audio_lengths.data)).toEqual([6, 1, 4, 1, 2, 5, 3, 6]);
      expect(Array.from(feeds.audio_present.data)).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
      const theirs = await runOnnx(ort, exportOnnx(config, weights).bytes, feeds);
      expect(theirs.logits.dims).toEqual([8, 3]);
      const diff = maxAbsDiff(ours, theirs.logits.data);
      console.log(`audio ${k.fusion} ${k.cell}: max |Δ| = ${diff.toExponential(2)}`);
      expect(diff, `max |Δ| = ${diff}`).toBeLessThanOrEqual(TOLERANCE);
      // Rows differ, so agreement is not an accident of a constant output.
      expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(6, 9))).toBeGreaterThan(1e-3);
    });
  }
});
