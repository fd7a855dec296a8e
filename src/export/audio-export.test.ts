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
import { AUDIO_EXPORT_CASES, audioExportConfig, audioExportData } from './audio-export.support.ts';

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
