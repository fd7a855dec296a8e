// The exported audio model in ONNX Runtime Web (its wasm build, run by Node) against
// GateScope's CPU backend, for every fusion strategy that reads audio: max |Δ| ≤ 1e-4. The
// browser test (audio-export.browser.test.ts) checks the same against WebGPU. Also: the
// graph's inputs, and the generated PyTorch module's audio parts.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { CpuBackend } from '../backend/cpu.ts';
import { exportOnnx, onnxFeeds, onnxInterface } from './onnx.ts';
import { pytorchModule } from './pytorch.ts';
import { gatescopeOutput, maxAbsDiff, randomWeights, runOnnx } from './export.support.ts';
import { AUDIO_EXPORT_CASES, audioExportConfig, audioExportData, audioImageExportData } from './audio-export.support.ts';
import { SEQUENCE_AUDIO_FUSIONS, validateModelConfig } from '../models/config.ts';
import { MultimodalModel, taskLoss } from '../models/model.ts';
import { makeBatch } from '../train/batch.ts';
import { backward } from '../ops/grad.ts';
import { scope } from '../tensor.ts';
import { fittingFusion } from '../models/dataset-fit.ts';

const ALL = [0, 1, 2, 3, 4, 5, 6, 7];

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
});

describe('audio model export', () => {
  const data = audioExportData();

  it('the graph reads audio_frames, audio_lengths and audio_present next to the text', () => {
    const config = audioExportConfig(data, 'late', 'lstm');
    expect(onnxInterface(config).inputs.map((i) => i.name)).toEqual(['audio_frames', 'audio_lengths', 'audio_present', 'tokens', 'lengths', 'text_present']);
    const py = pytorchModule(config);
    expect(py).toContain('class AudioEncoder(SeriesEncoder):');
    expect(py).toContain('The module takes log-mel frames, not the waveform');
    expect(py).toContain('v = substitute(self.audio_encoder(audio_frames, audio_lengths), audio_present > 0.5, self.fusion.missing_image)');
    expect(py).not.toContain('ImageEncoder');
  });

  for (const k of AUDIO_EXPORT_CASES) {
    it(`ORT matches GateScope: ${k.fusion}, ${k.cell}, ${k.layers} layer${k.layers > 1 ? 's' : ''}${k.bidirectional ? ', bidirectional' : ''}`, async () => {
      const config = audioExportConfig(data, k.fusion, k.cell, k.layers, k.bidirectional);
      const weights = randomWeights(config, 11);
      const ours = await gatescopeOutput(new CpuBackend(), config, weights, data, ALL);
      const feeds = onnxFeeds(config, data, ALL);
      expect(feeds.audio_frames.dims).toEqual([8, 6, 40]);
      expect(Array.from(feeds.audio_lengths.data)).toEqual([6, 1, 4, 1, 2, 5, 3, 6]);
      expect(Array.from(feeds.audio_present.data)).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
      const theirs = await runOnnx(ort, exportOnnx(config, weights).bytes, feeds);
      const diff = maxAbsDiff(ours, theirs.logits.data);
      console.log(`audio ${k.fusion} ${k.cell}: max |Δ| = ${diff.toExponential(2)}`);
      expect(diff, `max |Δ| = ${diff}`).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(6, 9))).toBeGreaterThan(1e-3);
    });
  }
});

describe('audio next to images (the sequence slot)', () => {
  const data = audioImageExportData();

  it('puts the clips in the sequence slot and keeps the images', () => {
    expect(data.series!.frameSize).toBe(40);
    expect(data.series!.length).toBe(6);
    expect(Array.from(data.lengths)).toEqual([6, 1, 4, 3, 2, 5, 3, 6]);
    expect(Array.from(data.hasImage)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // The class counts of preparation are kept (the Data panel's class histogram reads them).
    expect(data.stats.train.classCounts).toBeDefined();
    const config = audioExportConfig(data, 'late', 'lstm');
    expect(config.series).toEqual({ frameSize: 40, audio: true });
    expect(config.audio).toBeUndefined();
    expect(validateModelConfig(config)).toEqual([]);
    expect(validateModelConfig({ ...config, fusion: 'early' })[0]).toMatch(/Audio next to images takes the sequence slot/);
    expect(fittingFusion(config, data)).toBeNull();
    expect(fittingFusion({ ...config, fusion: 'init' }, data)?.fusion).toBe('late');
    expect(onnxInterface(config).inputs.map((i) => i.name)).toEqual(['image', 'image_present', 'frames', 'lengths']);
  });

  it('trains: every parameter of the image encoder, the sequence (audio) encoder and the fusion gets a gradient', () => {
    const cpu = new CpuBackend();
    const config = audioExportConfig(data, 'gated', 'lstm');
    const model = MultimodalModel.create(cpu, config, 3);
    scope(() => {
      const batch = makeBatch(cpu, data, config, [0, 1, 2, 3]);
      expect(batch.text!.frames!.shape).toEqual([4, 6, 40]);
      expect(batch.pixels!.shape).toEqual([4, 3, 16, 16]);
      backward(taskLoss(batch, model.forward(batch, { training: true, seed: 1 }).output).loss);
    });
    const without = model.params.names().filter((n) => !model.params.get(n).grad);
    expect(without).toEqual(['fusion.missing_image', 'fusion.missing_text']);
    expect(model.params.names().some((n) => n.startsWith('series_encoder.input'))).toBe(true);
    model.dispose();
  });

  for (const fusion of SEQUENCE_AUDIO_FUSIONS.filter((f) => f !== 'text' && f !== 'image')) {
    it(`ORT matches GateScope: ${fusion}`, async () => {
      const config = audioExportConfig(data, fusion, 'gru', 1, true);
      const weights = randomWeights(config, 13);
      const ours = await gatescopeOutput(new CpuBackend(), config, weights, data, ALL);
      const theirs = await runOnnx(ort, exportOnnx(config, weights).bytes, onnxFeeds(config, data, ALL));
      const diff = maxAbsDiff(ours, theirs.logits.data);
      console.log(`audio + image ${fusion}: max |Δ| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(ours.subarray(0, 3), ours.subarray(6, 9))).toBeGreaterThan(1e-3);
    });
  }
});
