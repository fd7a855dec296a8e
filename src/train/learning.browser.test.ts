// Learning on WebGPU (SwiftShader here): the trainer matches the CPU backend step for
// step, allocates nothing new once the first epoch has run, and — the teaching task —
// LSTM and GRU learn to remember the first word of a 60-token text while the vanilla
// RNN stays at chance. The numbers seen are printed with each test.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/testing.ts';
import { generateLongMemory, WHY_LSTM_PRESET } from '../data/long-memory.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer, type StepStats } from './trainer.ts';

const gpuPromise = WebGpuBackend.create();

describe('trainer on WebGPU', () => {
  it('gives the same losses and norms as the CPU backend for the first steps', async () => {
    const gpu = await gpuPromise;
    const data = tinyDataset({ task: 'classification', size: 40, seed: 9, missingImage: 0.2, missingText: 0.2 });
    const model = defaultModelConfig({
      fusion: 'gated',
      text: { cell: 'gru', vocabSize: 8, embeddingSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true, dropout: 0 },
      image: { encoder: 'cnn', imageSize: 8, channels: [4, 4], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
      head: { hiddenSize: 6, dropout: 0 },
      outputSize: 3,
    });
    const config = defaultTrainConfig({ batchSize: 8, epochs: 1, readbackEvery: 2, clipNorm: 0.5 });
    const run = async (backend: CpuBackend | WebGpuBackend) => {
      const stats: StepStats[] = [];
      const t = new Trainer(backend, data, model, config, (e) => e.type === 'steps' && stats.push(...e.stats));
      for (let k = 0; k < 4; k++) await t.stepOnce();
      t.dispose();
      t.model.dispose();
      return stats;
    };
    const cpu = await run(new CpuBackend());
    const web = await run(gpu);
    console.log(`losses cpu ${cpu.map((s) => s.loss.toFixed(5)).join(' ')} | webgpu ${web.map((s) => s.loss.toFixed(5)).join(' ')}`);
    expect(web).toHaveLength(4);
    web.forEach((s, k) => {
      expect(s.loss).toBeCloseTo(cpu[k].loss, 4);
      expect(Math.abs(s.gradNorm - cpu[k].gradNorm)).toBeLessThan(1e-3 * cpu[k].gradNorm + 1e-5);
      s.timeNorms.forEach((v, t) => expect(Math.abs(v - cpu[k].timeNorms[t])).toBeLessThan(1e-3 * cpu[k].timeNorms[t] + 1e-5));
    });
  });

  it('allocates no new GPU buffers once the first epoch has run', async () => {
    const gpu = await gpuPromise;
    const data = tinyDataset({ task: 'classification', size: 40, seed: 4 });
    const model = defaultModelConfig({
      fusion: 'film',
      text: { cell: 'lstm', vocabSize: 8, embeddingSize: 4, hiddenSize: 8, numLayers: 1, bidirectional: false, dropout: 0.2 },
      image: { encoder: 'cnn', imageSize: 8, channels: [4], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
      head: { hiddenSize: 0, dropout: 0.1 },
      outputSize: 3,
      modalityDropout: 0.3,
    });
    const t = new Trainer(gpu, data, model, defaultTrainConfig({ batchSize: 8, epochs: 3, readbackEvery: 3 }), () => {});
    const perEpoch = t.stepsPerEpoch;
    for (let k = 0; k < perEpoch + 1; k++) await t.stepOnce();
    const created = gpu.pool.created;
    for (let k = 0; k < perEpoch; k++) await t.stepOnce();
    expect(gpu.pool.created).toBe(created);
    t.dispose();
    t.model.dispose();
  });
});

describe('why LSTM: remembering the first word of 60', () => {
  const data = generateLongMemory();
  const accuracy: Partial<Record<CellKind, number>> = {};
  const train = async (cell: CellKind) => {
    const gpu = await gpuPromise;
    const p = WHY_LSTM_PRESET;
    const model: ModelConfig = defaultModelConfig({
      fusion: 'text',
      text: { cell, vocabSize: data.vocab.tokens.length, embeddingSize: p.embeddingSize, hiddenSize: p.hiddenSize, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: p.forgetBias },
      head: { hiddenSize: 0, dropout: 0 },
      outputSize: 2,
    });
    const t = new Trainer(gpu, data, model, defaultTrainConfig({ batchSize: p.batchSize, epochs: p.epochs, clipNorm: p.clipNorm, optimizer: { kind: 'adam', lr: p.learningRate }, readbackEvery: 10 }), () => {});
    await t.start();
    const r = await t.evaluate('test');
    accuracy[cell] = r.classification!.accuracy;
    console.log(`${cell}: test accuracy ${r.classification!.accuracy.toFixed(3)}, validation by epoch ${t.history.map((h) => h.validation.accuracy!.toFixed(2)).join(' ')}`);
    t.dispose();
    t.model.dispose();
    return r.classification!.accuracy;
  };
  it('the vanilla RNN stays near chance', async () => {
    expect(await train('rnn_tanh')).toBeLessThan(0.65);
  });
  it('the LSTM learns it', async () => {
    expect(await train('lstm')).toBeGreaterThan(0.95);
  });
  it('the GRU learns it', async () => {
    expect(await train('gru')).toBeGreaterThan(0.95);
  });
});
