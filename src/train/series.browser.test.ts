// Forecasting: the series model (frames → Linear → RNN | LSTM | GRU → k outputs) on WebGPU
// (SwiftShader here) matches the CPU backend step for step and allocates nothing once warm;
// trained on the CPU engine (the backend the app chooses for it on this machine's software
// GPU; ~5× faster here), it learns the Sines task
// well past the naive "repeat the last value" forecast, and tells the spike story: with
// the memory gate open, LSTM and GRU carry the spike across 100 steps, the tanh RNN does
// not. Thresholds count steps; the numbers seen are printed.
import { expectSameSteps, stepStats } from './trainer.support.ts';
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { createCpuBackend } from '../backend/cpu-engine.ts';
import { generateSeries, SPIKE_PRESET } from '../data/series.ts';
import { defaultModelConfig } from '../models/config.ts';
import { resolveModelConfig } from '../models/dataset-fit.ts';
import type { CellKind } from '../ops/recurrent.ts';
import type { PreparedDataset } from '../data/types.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer } from './trainer.ts';

const gpuPromise = WebGpuBackend.create();
const enginePromise = createCpuBackend();

function seriesModel(data: PreparedDataset, cell: CellKind, o: { embeddingSize: number; hiddenSize: number; numLayers?: number; bidirectional?: boolean; forgetBias?: number }) {
  const base = defaultModelConfig({
    fusion: 'text',
    text: { cell, vocabSize: 4, embeddingSize: o.embeddingSize, hiddenSize: o.hiddenSize, numLayers: o.numLayers ?? 1, bidirectional: o.bidirectional ?? false, dropout: 0, forgetBias: o.forgetBias },
    head: { hiddenSize: 0, dropout: 0 },
  });
  return resolveModelConfig(base, data, null);
}

/** Trains `steps` steps and returns the validation RMSE of the model and of the naive forecast. */
async function trainFor(data: PreparedDataset, cell: CellKind, steps: number, o: Parameters<typeof seriesModel>[2] & { lr: number; clipNorm: number }) {
  const backend = await enginePromise;
  const t = new Trainer(backend, data, seriesModel(data, cell, o), defaultTrainConfig({ batchSize: 32, epochs: 1000, clipNorm: o.clipNorm, optimizer: { kind: 'adam', lr: o.lr }, readbackEvery: 10 }), () => {});
  for (let s = 0; s < steps; s++) await t.stepOnce();
  const r = await t.evaluate('validation');
  t.dispose();
  t.model.dispose();
  const f = r.forecast!;
  console.log(`${data.name} ${cell}: after ${steps} steps validation RMSE ${f.model.overall.rmse.toFixed(3)} (MAE ${f.model.overall.mae.toFixed(3)}), naive ${f.naive.overall.rmse.toFixed(3)}; per step ${f.model.perStep.map((p) => p.rmse.toFixed(2)).join(' ')}`);
  return { rmse: f.model.overall.rmse, naive: f.naive.overall.rmse };
}

describe('series model', () => {
  it('gives the same losses, norms and gradients over time as the CPU backend', async () => {
    const gpu = await gpuPromise;
    const data = generateSeries({ count: 60, length: 12, horizon: 3, seed: 5 });
    const model = seriesModel(data, 'lstm', { embeddingSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true });
    const config = defaultTrainConfig({ batchSize: 8, epochs: 1, readbackEvery: 2, clipNorm: 0.5 });
    const cpu = (await stepStats(new CpuBackend(), data, model, config, 4)).stats;
    const web = (await stepStats(gpu, data, model, config, 4)).stats;
    expect(web).toHaveLength(4);
    expectSameSteps(web, cpu, 'series');
    web.forEach((s) => expect(s.timeNorms.length).toBeGreaterThan(0));
  });

  // Measured: the ends of epochs 1 and 2 still allocate (88 → 115 → 124 buffers with these
  // sizes; epoch ends run the validation pass and the last, smaller batch); from then on a
  // whole epoch allocates nothing. The text models' test sees no allocation from epoch 2:
  // why the series model's second epoch end allocates 9 more was not found yet.
  it('allocates no new GPU buffers in an epoch once two epochs have run', async () => {
    const gpu = await gpuPromise;
    const data = generateSeries({ count: 60, length: 12, horizon: 3, seed: 6 });
    const t = new Trainer(gpu, data, seriesModel(data, 'gru', { embeddingSize: 4, hiddenSize: 8 }), defaultTrainConfig({ batchSize: 8, epochs: 4, readbackEvery: 3 }), () => {});
    const seen: number[] = [];
    for (let k = 0; k < 2 * t.stepsPerEpoch + 1; k++) {
      await t.stepOnce();
      seen.push(gpu.pool.created);
    }
    const created = gpu.pool.created;
    for (let k = 0; k < t.stepsPerEpoch; k++) await t.stepOnce();
    console.log(`buffers created after each step (${t.stepsPerEpoch} per epoch): ${seen.join(' ')}, then ${gpu.pool.created}`);
    expect(gpu.pool.created).toBe(created);
    t.dispose();
    t.model.dispose();
  });

  it('Sines: an LSTM forecasts 8 steps at under half the naive RMSE within 300 steps', async () => {
    const data = generateSeries({ generator: 'sines', count: 1000, length: 48, horizon: 8, seed: 1 });
    const r = await trainFor(data, 'lstm', 300, { embeddingSize: 8, hiddenSize: 16, lr: 0.01, clipNorm: 1 });
    expect(r.naive).toBeGreaterThan(0.9);
    expect(r.rmse).toBeLessThan(0.5 * r.naive);
  });
});

describe('why LSTM, with numbers: remember the spike across 100 steps', () => {
  const p = SPIKE_PRESET;
  const data = generateSeries({ generator: 'spike', count: 1000, length: p.length, horizon: 8, seed: 1 });
  const o = { embeddingSize: p.embeddingSize, hiddenSize: p.hiddenSize, forgetBias: p.forgetBias, lr: p.learningRate, clipNorm: p.clipNorm };
  it('the tanh RNN stays at the naive forecast after 300 steps', async () => {
    const r = await trainFor(data, 'rnn_tanh', 300, o);
    expect(r.rmse).toBeGreaterThan(0.9 * r.naive);
  });
  it('the LSTM gets under a third of the naive RMSE within 200 steps', async () => {
    const r = await trainFor(data, 'lstm', 200, o);
    expect(r.rmse).toBeLessThan(r.naive / 3);
  });
  it('the GRU gets under a third of the naive RMSE within 200 steps', async () => {
    const r = await trainFor(data, 'gru', 200, o);
    expect(r.rmse).toBeLessThan(r.naive / 3);
  });
});
