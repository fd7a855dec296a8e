// Inspection on the CPU backend: gate traces match what a direct forward computes, the
// saliency map is the normalised pixel gradient of the predicted logit, own text is
// tokenised with the dataset's vocabulary, and unit scans read the same traces.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { MultimodalModel } from '../models/model.ts';
import { tinyDataset } from '../models/models.support.ts';
import { inspect, scanUnits } from './inspect.ts';
import { tokenizeForModel } from './text-input.ts';
import { makeBatch } from './batch.ts';
import { noGrad } from '../autograd/tape.ts';
import { scope } from '../tensor.ts';

function config(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return defaultModelConfig({
    fusion: 'late',
    text: { cell: 'lstm', vocabSize: 8, embeddingSize: 4, hiddenSize: 5, numLayers: 2, bidirectional: true, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 8, channels: [2], mlpHidden: 8, inputFeatures: 0, featureSize: 4 },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize: 3,
    ...overrides,
  });
}

describe('inspect', () => {
  const data = tinyDataset({ task: 'classification', size: 8, seed: 3 });
  const cpu = new CpuBackend();

  it('returns traces of every layer and direction, the prediction and a saliency map', async () => {
    const model = MultimodalModel.create(cpu, config(), 5);
    const r = await inspect(model, data, { example: 2 }, { saliency: true });
    expect(r.traces).toHaveLength(4);
    const L = data.lengths[2];
    expect(r.tokens).toHaveLength(L);
    for (const tr of r.traces) {
      expect(tr.length).toBe(L);
      for (const name of ['i', 'f', 'g', 'o', 'c', 'h']) expect(tr.values[name]).toHaveLength(data.maxLength * 5);
      // Gates are sigmoids in (0, 1); h = o·tanh(c) at every real step.
      for (let t = 0; t < L; t++) {
        for (let j = 0; j < 5; j++) {
          const k = t * 5 + j;
          expect(tr.values.f[k]).toBeGreaterThan(0);
          expect(tr.values.f[k]).toBeLessThan(1);
          expect(tr.values.h[k]).toBeCloseTo(tr.values.o[k] * Math.tanh(tr.values.c[k]), 5);
        }
      }
    }
    expect(r.prediction.kind).toBe('classes');
    if (r.prediction.kind === 'classes') expect(r.prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.saliency).not.toBeNull();
    expect(Math.max(...r.saliency!)).toBeCloseTo(1, 6);
    expect(Math.min(...r.saliency!)).toBeGreaterThanOrEqual(0);
    // No gradient is left behind on the parameters.
    expect(model.params.list().every((p) => p.grad === null)).toBe(true);
  });

  const saliencyCases: [string, ModelConfig['image']][] = [
    ['mlp', { encoder: 'mlp', imageSize: 8, channels: [2], mlpHidden: 6, inputFeatures: 0, featureSize: 4 }],
    // Evaluation mode: one example is normalised with the running statistics.
    ['cnn with batch norm', { encoder: 'cnn', imageSize: 8, channels: [3], batchNorm: true, mlpHidden: 6, inputFeatures: 0, featureSize: 4 }],
  ];
  for (const [name, image] of saliencyCases) {
    it(`saliency is |∂ predicted logit / ∂ pixel| (float64 finite differences), ${name}`, async () => {
      const f64 = new CpuBackend({ precision: 'f64' });
      const c = config({ image });
      const model = MultimodalModel.create(f64, c, 6);
      if (c.image.batchNorm) {
        f64.write(model.params.get('image_encoder.bn0.running_mean'), [0.2, -0.1, 0.05]);
        f64.write(model.params.get('image_encoder.bn0.running_var'), [0.5, 2, 1.3]);
      }
      const r = await inspect(model, data, { example: 1 }, { saliency: true });
      const logits = (images: Float32Array) =>
        noGrad(() =>
          scope(() => {
            const d = { ...data, images };
            const batch = makeBatch(f64, d, c, [1]);
            return Array.from(f64.data(model.forward(batch, { training: false, seed: 0 }).output));
          }),
        );
      const base = logits(data.images);
      const best = base.indexOf(Math.max(...base));
      const S = 8;
      const grad = (pixel: number) =>
        Math.max(
          ...[0, 1, 2].map((ch) => {
            const k = 1 * 3 * S * S + ch * S * S + pixel;
            const up = Float32Array.from(data.images);
            const down = Float32Array.from(data.images);
            up[k] += 1e-3;
            down[k] -= 1e-3;
            return Math.abs((logits(up)[best] - logits(down)[best]) / 2e-3);
          }),
        );
      const g = Array.from({ length: S * S }, (_, p) => grad(p));
      const max = Math.max(...g);
      g.forEach((v, p) => expect(r.saliency![p]).toBeCloseTo(v / max, 3));
    });
  }

  it('tokenises own text with the dataset vocabulary and runs it with a chosen image', async () => {
    const ids = tokenizeForModel(data, 'T0 t1, zebra');
    expect(Array.from(ids)).toEqual([4, 5, 1, 1]);
    const model = MultimodalModel.create(cpu, config(), 5);
    const r = await inspect(model, data, { text: 't0 t1', imageExample: 3 }, { saliency: false });
    expect(r.tokens).toEqual(['t0', 't1']);
    expect(r.saliency).toBeNull();
    await expect(inspect(model, data, { example: 99 }, { saliency: false })).rejects.toThrow(/no example 99/);
  });

  it('scans units across a split with the same values the inspector shows', async () => {
    const model = MultimodalModel.create(cpu, config(), 5);
    const scan = await scanUnits(model, data, { layer: 1, direction: 1, state: 'h', units: [0, 3], split: 'train', limit: 4 });
    expect(scan.examples).toHaveLength(4);
    const first = scan.examples[0];
    const single = await inspect(model, data, { example: first.index }, { saliency: false });
    const trace = single.traces[3];
    first.values.forEach((v, t) => expect(v).toBeCloseTo((trace.values.h[t * 5] + trace.values.h[t * 5 + 3]) / 2, 5));
    expect(first.tokens).toEqual(single.tokens);
    await expect(scanUnits(model, data, { layer: 0, direction: 0, state: 'q', units: [0], split: 'train', limit: 2 })).rejects.toThrow(/no state "q"/);
    await expect(scanUnits(model, data, { layer: 0, direction: 0, state: 'h', units: [9], split: 'train', limit: 2 })).rejects.toThrow(/no unit 9/);
  });
});
