// Sounds & Questions: the audio model (log-mel frames → audio encoder in the image feature's
// place, fused with the question) on WebGPU (SwiftShader here) matches the CPU backend step
// for step, and, on the CPU engine, learns to answer: validation accuracy per question kind
// after a stated number of steps. Thresholds count steps; the numbers seen are printed.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { createCpuBackend } from '../backend/cpu-engine.ts';
import { soundsDataset, type SoundsSettings } from '../data/sounds-dataset.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { DEFAULT_SPLIT } from '../data/prepare.ts';
import { defaultModelConfig, type FusionKind } from '../models/config.ts';
import { resolveModelConfig } from '../models/dataset-fit.ts';
import type { PreparedDataset } from '../data/types.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer } from './trainer.ts';
import { expectSameSteps, stepStats } from './trainer.support.ts';

const gpuPromise = WebGpuBackend.create();
// Learning runs on the CPU engine, the backend the app chooses for this model on this
// machine's software GPU (5× faster here); WebGPU's equality with the CPU is the test above.
const enginePromise = createCpuBackend();

function sounds(o: Partial<SoundsSettings>): PreparedDataset {
  return soundsDataset({ count: 1200, seed: 1, kinds: ['count', 'first', 'last', 'exists'], ...o }, { tokenizer: DEFAULT_TOKENIZER, split: DEFAULT_SPLIT });
}

function audioModel(data: PreparedDataset, fusion: FusionKind, o: { embeddingSize: number; hiddenSize: number; featureSize: number; head: number; bidirectional?: boolean }) {
  const base = defaultModelConfig({
    fusion,
    text: { cell: 'lstm', vocabSize: 4, embeddingSize: o.embeddingSize, hiddenSize: o.hiddenSize, numLayers: 1, bidirectional: o.bidirectional ?? false, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 16, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: o.featureSize },
    head: { hiddenSize: o.head, dropout: 0 },
    fusionSize: o.featureSize,
  });
  return resolveModelConfig(base, data, null);
}

/** Validation accuracy per question kind (tags.kind) from the predictions of an evaluation. */
function perKind(data: PreparedDataset, indices: Int32Array, predictions: Float32Array): Record<string, number> {
  const t = data.targets;
  if (t.kind !== 'classification') throw new Error('not classification');
  const right: Record<string, number[]> = {};
  indices.forEach((i, k) => {
    const kind = data.tags[i]?.kind ?? '?';
    (right[kind] ??= [0, 0])[0] += predictions[k] === t.labels[i] ? 1 : 0;
    right[kind][1]++;
  });
  return Object.fromEntries(Object.entries(right).map(([k, [r, n]]) => [k, r / n]));
}

describe('audio model on WebGPU', () => {
  it('gives the same losses and gradient norms as the CPU backend', async () => {
    const gpu = await gpuPromise;
    const data = sounds({ count: 40, seed: 5 });
    const model = audioModel(data, 'film', { embeddingSize: 4, hiddenSize: 6, featureSize: 5, head: 4, bidirectional: true });
    const config = defaultTrainConfig({ batchSize: 8, epochs: 1, readbackEvery: 2, clipNorm: 0.5 });
    const cpu = (await stepStats(new CpuBackend(), data, model, config, 3)).stats;
    const web = (await stepStats(gpu, data, model, config, 3)).stats;
    expect(web).toHaveLength(3);
    expectSameSteps(web, cpu, 'audio');
  });

  // Measured (seed 1, 1,200 examples, validation 180): a bidirectional LSTM of 32 units
  // answers "first" and "last" every time after 400 steps (1.00 / 1.00; at 200 steps 0.47 /
  // 0.47); "exists" reaches 0.71 and "count" 0.59 then, 0.87–0.89 and 0.70–0.78 by
  // 800–1,200 steps (neither is solved within 1,200). The forward-only LSTM of the same size
  // had "last" at 0.87 and "first" at 0.30 after 400 steps: the reverse direction's final
  // state is the one that has just read the start of the clip.
  it('a bidirectional LSTM answers "first" and "last" within 400 steps', async () => {
    const backend = await enginePromise;
    const data = sounds({});
    const model = audioModel(data, 'late', { embeddingSize: 16, hiddenSize: 32, featureSize: 32, head: 32, bidirectional: true });
    const t = new Trainer(backend, data, model, defaultTrainConfig({ batchSize: 32, epochs: 1000, clipNorm: 1, optimizer: { kind: 'adam', lr: 0.01 }, readbackEvery: 10 }), () => {});
    for (let s = 0; s < 400; s++) await t.stepOnce();
    const r = await t.evaluate('validation');
    const kinds = perKind(data, r.indices, r.predictions);
    console.log(`audio after 400 steps: validation accuracy ${r.classification!.accuracy.toFixed(3)}, per kind ${JSON.stringify(kinds)}`);
    t.dispose();
    t.model.dispose();
    expect(kinds.first).toBeGreaterThanOrEqual(0.9);
    expect(kinds.last).toBeGreaterThanOrEqual(0.9);
    // Not solved yet, but above chance (one of 3 counts; yes/no).
    expect(kinds.count).toBeGreaterThan(0.45);
    expect(kinds.exists).toBeGreaterThan(0.6);
  }, 600_000);
});
