// The session's throttle of step statistics (src/train/session.ts) on the CPU backend (the
// WebAssembly engine here, a worker-less page: one thread): the
// first statistics of a trainer go out at once, the rest at most every progressIntervalMs.
import { describe, expect, it } from 'vitest';
import { defaultModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from './config.ts';
import type { FromWorker } from './protocol.ts';
import { TrainingSession } from './session.ts';

const model = defaultModelConfig({
  fusion: 'late',
  text: { cell: 'gru', vocabSize: 8, embeddingSize: 4, hiddenSize: 8, numLayers: 1, bidirectional: false, dropout: 0 },
  image: { encoder: 'cnn', imageSize: 16, channels: [4], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
  head: { hiddenSize: 6, dropout: 0 },
  outputSize: 3,
});
const data = tinyDataset({ task: 'classification', size: 40, seed: 4, imageSize: 16 });

describe('training session throttle', () => {
  it('posts the first step statistics at once, then holds the rest until the interval or another event', async () => {
    const events: FromWorker[] = [];
    // An interval far longer than the test: besides the first statistics, only other events
    // (the end of an epoch) let statistics out.
    const session = new TrainingSession((e) => events.push(e), 60_000);
    const train = defaultTrainConfig({ batchSize: 2, epochs: 1000, readbackEvery: 1 });
    await session.init({ type: 'init', dataset: data, model, train, backend: 'cpu' });
    const stepsPerEpoch = (events.find((e) => e.type === 'ready') as Extract<FromWorker, { type: 'ready' }>).info.stepsPerEpoch;
    expect(stepsPerEpoch).toBeGreaterThanOrEqual(8);
    session.start();
    const deadline = performance.now() + 30_000;
    while (!events.some((e) => e.type === 'epoch') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    session.pause();
    session.dispose();
    const steps = events.filter((e): e is Extract<FromWorker, { type: 'steps' }> => e.type === 'steps');
    const epochAt = events.findIndex((e) => e.type === 'epoch');
    expect(epochAt).toBeGreaterThan(0);
    // The first message holds the first step (numbered from 0; at most the two steps in
    // flight with it) ...
    expect(steps[0].stats[0].step).toBe(0);
    expect(steps[0].stats.length).toBeLessThanOrEqual(3);
    // ... and the rest of the epoch's steps wait for the epoch's end: one more message.
    const beforeEpoch = events.slice(0, epochAt).filter((e) => e.type === 'steps');
    expect(beforeEpoch).toHaveLength(2);
  });
});
