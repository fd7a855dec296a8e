// The audio model on the CPU backend: log-mel frames → audio encoder (Linear per frame →
// recurrent stack → Linear → ReLU) in the image feature's place, fused with the question
// text by every fusion strategy; every parameter gets a gradient, and a float64 gradient
// check of the whole model passes.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { gradcheck } from '../autograd/gradcheck.ts';
import { backward } from '../ops/grad.ts';
import { scope, type Tensor } from '../tensor.ts';
import { makeBatch } from '../train/batch.ts';
import { soundsDataset } from '../data/sounds-dataset.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { DEFAULT_SPLIT } from '../data/prepare.ts';
import { Random } from '../random.ts';
import { defaultModelConfig, validateModelConfig, FUSION_KINDS, type FusionKind, type ModelConfig } from './config.ts';
import { resolveModelConfig, fittingFusion } from './dataset-fit.ts';
import { MultimodalModel, modelSpecs, parameterCount, taskLoss } from './model.ts';
import { Params, initialValues } from './params.ts';

const data = soundsDataset({ count: 24, seed: 3, kinds: ['count', 'first', 'last', 'exists'] }, { tokenizer: DEFAULT_TOKENIZER, split: DEFAULT_SPLIT });

function audioConfig(fusion: FusionKind, cell: 'lstm' | 'gru' = 'lstm', bidirectional = false): ModelConfig {
  const base = defaultModelConfig({
    fusion,
    text: { cell, vocabSize: 4, embeddingSize: 3, hiddenSize: 3, numLayers: 1, bidirectional, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 16, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: 4 },
    head: { hiddenSize: 3, dropout: 0 },
    fusionSize: 3,
  });
  return resolveModelConfig(base, data, null);
}

describe('audio model', () => {
  it('takes the audio shape from the dataset, is valid, and has an audio encoder instead of an image encoder', () => {
    expect(data.audio!.frameSize).toBe(40);
    expect(data.audio!.length).toBe(97); // 1 + ⌊(16000 − 512) / 160⌋
    expect(Array.from(data.hasImage).every((h) => h === 1)).toBe(true);
    const c = audioConfig('late');
    expect(c.audio).toEqual({ frameSize: 40 });
    expect(validateModelConfig(c)).toEqual([]);
    const names = modelSpecs(c).map((s) => s.name);
    expect(names).toContain('audio_encoder.input.weight');
    expect(names).toContain('audio_encoder.proj.weight');
    expect(names.some((n) => n.startsWith('image_encoder'))).toBe(false);
    expect(fittingFusion(defaultModelConfig({ fusion: 'gated' }), data)).toBeNull();
    expect(validateModelConfig({ ...c, task: 'captioning', fusion: 'init' })).toContain('Captioning describes images; an audio model answers about its clips (classification).');
  });

  // Every strategy that reads the second modality ("text" alone ignores it).
  for (const fusion of FUSION_KINDS.filter((f) => f !== 'text')) {
    it(`${fusion}: forward gives [B, C] and the audio encoder's parameters get gradients`, () => {
      const cpu = new CpuBackend();
      const c = audioConfig(fusion, 'gru', true);
      const model = MultimodalModel.create(cpu, c, 1);
      scope(() => {
        const batch = makeBatch(cpu, data, c, [0, 1, 2, 3, 4]);
        expect(batch.audio!.frames.shape).toEqual([5, 97, 40]);
        const out = model.forward(batch, { training: true, seed: 1 });
        expect(out.output.shape).toEqual([5, c.outputSize]);
        expect(out.audio!.embedded.shape).toEqual([5, 97, 3]);
        backward(taskLoss(batch, out.output).loss);
      });
      const without = model.params.names().filter((n) => !model.params.get(n).grad);
      expect(without.filter((n) => n.startsWith('audio_encoder'))).toEqual([]);
      expect(without.every((n) => n.startsWith('fusion.missing'))).toBe(true);
      expect(parameterCount(c)).toBe(model.params.list().reduce((s, t) => s + t.size, 0));
      model.dispose();
    });
  }

  it('float64 gradient check of the whole model (gated fusion, LSTM)', () => {
    // A 2-frame slice of the clips keeps the check small; the maths does not depend on T.
    const c = audioConfig('gated');
    const a = data.audio!;
    const T = 2;
    const frames = new Float32Array(data.size * T * a.frameSize);
    for (let i = 0; i < data.size; i++) frames.set(a.frames.subarray(i * a.length * a.frameSize, (i * a.length + T) * a.frameSize), i * T * a.frameSize);
    const small = { ...data, audio: { ...a, frames, length: T, lengths: Int32Array.from(a.lengths, (l) => Math.min(l, T)) } };
    const specs = modelSpecs(c);
    const rng = new Random(3);
    const inputs = specs.map((s) => ({ data: initialValues(s, rng), shape: s.shape }));
    const result = gradcheck((ts, backend) => {
      const params = new Params(new Map(specs.map((s, k) => [s.name, ts[k]] as [string, Tensor])));
      const model = MultimodalModel.fromParams(c, params);
      const batch = makeBatch(backend, small, c, [0, 1, 2]);
      return taskLoss(batch, model.forward(batch, { training: true, seed: 1 }).output).loss;
    }, inputs);
    expect(result.ok, result.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
  });
});
