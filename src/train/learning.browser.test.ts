// Learning on WebGPU (SwiftShader here): the trainer matches the CPU backend step for
// step, allocates nothing new once the first epoch has run, and — the teaching task —
// LSTM and GRU learn to remember the first word of a 60-token text while the vanilla
// RNN stays at chance. The numbers seen are printed with each test.
import { expectSameSteps, stepStats } from './trainer.support.ts';
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { generateLongMemory, WHY_LSTM_PRESET } from '../data/long-memory.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer, type StepStats } from './trainer.ts';
import { PROFILE_STEPS, timeProfile, type TimeProfile } from '../metrics/time-profile.ts';

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
    const cpu = (await stepStats(new CpuBackend(), data, model, config, 4)).stats;
    const web = (await stepStats(gpu, data, model, config, 4)).stats;
    expect(web).toHaveLength(4);
    expectSameSteps(web, cpu, 'gated fusion');
    web.forEach((s, k) => expect(s.timeShare).toEqual(cpu[k].timeShare));
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
  const profiles: Record<string, TimeProfile[]> = { rnn_tanh: [], lstm: [], gru: [] };
  const train = async (cell: CellKind) => {
    const gpu = await gpuPromise;
    const p = WHY_LSTM_PRESET;
    const model: ModelConfig = defaultModelConfig({
      fusion: 'text',
      text: { cell, vocabSize: data.vocab.tokens.length, embeddingSize: p.embeddingSize, hiddenSize: p.hiddenSize, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: p.forgetBias },
      head: { hiddenSize: 0, dropout: 0 },
      outputSize: 2,
    });
    const stats: StepStats[] = [];
    const t = new Trainer(gpu, data, model, defaultTrainConfig({ batchSize: p.batchSize, epochs: p.epochs, clipNorm: p.clipNorm, optimizer: { kind: 'adam', lr: p.learningRate }, readbackEvery: 10 }), (e) => e.type === 'steps' && stats.push(...e.stats));
    await t.start();
    // The gradient-over-time card as the demo shows it: the profile of each run of PROFILE_STEPS steps.
    for (let end = PROFILE_STEPS; end <= stats.length; end += PROFILE_STEPS) {
      const window = stats.slice(end - PROFILE_STEPS, end);
      profiles[cell].push(timeProfile(window.map((s) => ({ values: s.timeNorms })), window.map((s) => ({ values: s.timeShare ?? [] }))));
    }
    console.log(`${cell}: gradient over time, per ${PROFILE_STEPS} steps: ${profiles[cell].map((p) => `×${p.trend?.toExponential(1)}${p.verdict ? ` ${p.verdict}` : ''}`).join(' ')}`);
    const r = await t.evaluate('test');
    accuracy[cell] = r.classification!.accuracy;
    console.log(`${cell}: test accuracy ${r.classification!.accuracy.toFixed(3)}, validation by epoch ${t.history.map((h) => h.validation.accuracy!.toFixed(2)).join(' ')}`);
    t.dispose();
    t.model.dispose();
    return r.classification!.accuracy;
  };
  it('the vanilla RNN stays near chance, its gradient vanishing toward the first word', async () => {
    expect(await train('rnn_tanh')).toBeLessThan(0.65);
    for (const p of profiles.rnn_tanh) {
      expect(p.verdict).toBe('vanishing');
      expect(p.judgedUpTo).toBe(59);
      // Orders of magnitude between the last word and the first (0 once below float32), at a steady rate.
      expect(p.ratio!).toBeLessThan(1e-8);
      expect(p.trend!).toBeLessThan(1e-8);
    }
  });
  it('the LSTM learns it, its gradient over time much flatter and never called vanishing', async () => {
    expect(await train('lstm')).toBeGreaterThan(0.95);
    for (const p of profiles.lstm) expect(p.verdict).toBeNull();
    const rnn = profiles.rnn_tanh[profiles.rnn_tanh.length - 1];
    const lstm = profiles.lstm[profiles.lstm.length - 1];
    if (rnn) expect(lstm.trend!).toBeGreaterThan(1e6 * rnn.trend!);
  });
  it('the GRU learns it, its gradient over time never called vanishing', async () => {
    expect(await train('gru')).toBeGreaterThan(0.95);
    for (const p of profiles.gru) expect(p.verdict).toBeNull();
  });
});
