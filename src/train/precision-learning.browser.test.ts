// Learning with f16 weights (TrainConfig.precision 'f16', src/ops/precision.ts) against
// f32, counted in training steps: a small LSTM (embedding 8, hidden 16, the "Why LSTM?"
// preset's forget bias, Adam lr 0.01, batch 32, clip 1) on the remember-the-first-word
// task with 4 classes and 12-token texts (chance 25 %). Every CHECK_EVERY steps the
// validation accuracy is measured; both precisions must reach THRESHOLD within the same
// budget of STEPS steps (the steps each needed are printed).
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { defaultModelConfig } from '../models/config.ts';
import { generateLongMemory, WHY_LSTM_PRESET } from '../data/long-memory.ts';
import type { Precision } from '../ops/precision-names.ts';
import { precisionOf } from '../ops/precision.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer, type StepStats } from './trainer.ts';

const STEPS = 120;
const CHECK_EVERY = 10;
const THRESHOLD = 0.95;

describe('f16 weights learn like f32', () => {
  const data = generateLongMemory({ count: 800, length: 12, classes: 4, seed: 3 });
  const p = WHY_LSTM_PRESET;
  const model = defaultModelConfig({
    fusion: 'text',
    text: { cell: 'lstm', vocabSize: data.vocab.tokens.length, embeddingSize: p.embeddingSize, hiddenSize: p.hiddenSize, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: p.forgetBias },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize: 4,
  });

  /** Steps until the validation accuracy first reaches THRESHOLD (checked every CHECK_EVERY), or null. */
  const stepsToThreshold = async (gpu: WebGpuBackend, precision: Precision) => {
    const config = defaultTrainConfig({ batchSize: 32, epochs: 100, clipNorm: p.clipNorm, optimizer: { kind: 'adam', lr: p.learningRate }, readbackEvery: 10, precision });
    const losses: number[] = [];
    const t = new Trainer(gpu, data, model, config, (e) => e.type === 'steps' && losses.push(...e.stats.map((s: StepStats) => s.loss)));
    expect(precisionOf(gpu)).toBe(precision);
    const curve: string[] = [];
    let reached: number | null = null;
    for (let step = CHECK_EVERY; step <= STEPS && reached === null; step += CHECK_EVERY) {
      for (let k = 0; k < CHECK_EVERY; k++) await t.stepOnce();
      const acc = (await t.evaluate('validation')).classification!.accuracy;
      curve.push(`${step}:${acc.toFixed(2)}`);
      if (acc >= THRESHOLD) reached = step;
    }
    console.log(`${precision}: validation accuracy by step ${curve.join(' ')}; loss ${losses[0]?.toFixed(6)} → ${losses[losses.length - 1]?.toFixed(6)}`);
    t.dispose();
    t.model.dispose();
    return { reached, losses };
  };

  it(`f32 and f16 weights both reach ${THRESHOLD} validation accuracy within ${STEPS} steps`, async () => {
    const gpu = await WebGpuBackend.create();
    const { reached: f32, losses: l32 } = await stepsToThreshold(gpu, 'f32');
    const { reached: f16, losses: l16 } = await stepsToThreshold(gpu, 'f16');
    // The f16 weights are really used: the per-step losses are not those of f32.
    expect(l16.length).toBe(l32.length);
    expect(l16.some((l, i) => l !== l32[i])).toBe(true);
    console.log(`steps to ${THRESHOLD}: f32 ${f32}, f16 weights ${f16}`);
    expect(f32, `f32 did not reach ${THRESHOLD} in ${STEPS} steps`).not.toBeNull();
    expect(f16, `f16 weights did not reach ${THRESHOLD} in ${STEPS} steps`).not.toBeNull();
  });
});
