// The training worker in a real Worker on WebGPU: every message type round-trips, pause /
// step / resume behave, requests resolve (or reject with the worker's message), and a
// destroyed GPU device is recovered from.
import { describe, expect, it } from 'vitest';
import { TrainingClient } from './client.ts';
import type { FromWorker, ReadyInfo } from './protocol.ts';
import { defaultModelConfig } from '../models/config.ts';
import { defaultTrainConfig } from './config.ts';
import { tinyDataset } from '../models/models.support.ts';

function harness() {
  const events: FromWorker[] = [];
  const waiters: { test: (e: FromWorker) => boolean; resolve: (e: FromWorker) => void }[] = [];
  const client = new TrainingClient((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.test(e) || e.type === 'fatal') {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  const next = <T extends FromWorker>(test: (e: FromWorker) => e is T, timeoutMs = 60_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a worker event')), timeoutMs);
      waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e as T)) });
    });
  return { client, events, next };
}

const model = defaultModelConfig({
  fusion: 'late',
  text: { cell: 'lstm', vocabSize: 8, embeddingSize: 4, hiddenSize: 8, numLayers: 1, bidirectional: false, dropout: 0 },
  image: { encoder: 'cnn', imageSize: 16, channels: [4], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
  head: { hiddenSize: 0, dropout: 0 },
  outputSize: 3,
});
const data = tinyDataset({ task: 'classification', size: 40, seed: 2, imageSize: 16 });

describe('training worker protocol', () => {
  it('round-trips every message type on WebGPU', async () => {
    const { client, events, next } = harness();
    try {
      client.send({ type: 'init', dataset: data, model, train: defaultTrainConfig({ batchSize: 8, epochs: 3, readbackEvery: 2 }), backend: 'webgpu' });
      const ready = await next((e): e is Extract<FromWorker, { type: 'ready' }> => e.type === 'ready');
      const info: ReadyInfo = ready.info;
      expect(info.backendKind).toBe('webgpu');
      expect(info.stepsPerEpoch).toBe(4); // 30 training examples / 8
      expect(info.paramNames).toContain('text_encoder.rnn.weight_ih_l0');

      // Start, then pause once statistics arrive.
      client.send({ type: 'start' });
      await next((e): e is FromWorker => e.type === 'steps');
      client.send({ type: 'pause' });
      await next((e): e is FromWorker => e.type === 'state' && e.state === 'paused');
      // The steps taken so far, from the worker itself: the last progress message may
      // still be held back by its 100 ms throttle when the pause arrives.
      const stepBefore = (await client.request({ type: 'exportState' })).step;

      // Live learning rate and one step.
      client.send({ type: 'setLearningRate', lr: 0.123 });
      client.send({ type: 'step' });
      const stepped = await next((e): e is Extract<FromWorker, { type: 'steps' }> => e.type === 'steps' && e.stats.some((s) => s.step === stepBefore));
      expect(stepped.stats.find((s) => s.step === stepBefore)!.lr).toBeCloseTo(0.123, 6);

      // Requests while paused.
      const evaluation = await client.request({ type: 'evaluate', split: 'validation' });
      expect(evaluation.count).toBe(10);
      expect(evaluation.classification!.confusion).toHaveLength(3);
      const inspection = await client.request({ type: 'inspect', target: { example: 0 }, saliency: true });
      expect(inspection.traces[0].values.f).toBeInstanceOf(Float32Array);
      expect(inspection.saliency).toHaveLength(256);
      const scan = await client.request({ type: 'scanUnits', request: { layer: 0, direction: 0, state: 'h', units: [1], split: 'train', limit: 3 } });
      expect(scan.examples).toHaveLength(3);
      const state = await client.request({ type: 'exportState' });
      expect(state.step).toBe(stepBefore + 1);
      expect(Object.keys(state.weights)).toEqual(info.paramNames);
      // The last good weights are those of the last drained step (the one just taken),
      // so restoring them gives back that step and leaves the weights as they are.
      const restored = await client.request({ type: 'restoreLastGood' });
      expect(restored.step).toBe(stepBefore);
      expect((await client.request({ type: 'exportState' })).weights).toEqual(state.weights);
      await expect(client.request({ type: 'scanUnits', request: { layer: 5, direction: 0, state: 'h', units: [0], split: 'train', limit: 1 } })).rejects.toThrow(/no layer 5/);

      // Slow down, resume, and finish.
      client.send({ type: 'setSpeed', stepDelayMs: 1 });
      client.send({ type: 'resume' });
      await next((e): e is FromWorker => e.type === 'state' && e.state === 'finished', 120_000);
      const epochs = events.filter((e) => e.type === 'epoch');
      expect(epochs).toHaveLength(3);
      client.send({ type: 'stop' });
    } finally {
      client.terminate();
    }
  });

  it('rebuilds on a new device and trains on when its GPU device is destroyed', async () => {
    const { client, events, next } = harness();
    try {
      client.send({ type: 'init', dataset: data, model, train: defaultTrainConfig({ batchSize: 8, epochs: 30, readbackEvery: 2 }), backend: 'webgpu', hostCopyEvery: 3 });
      await next((e): e is FromWorker => e.type === 'ready');
      client.send({ type: 'start' });
      await next((e): e is FromWorker => e.type === 'steps' && e.stats.some((s) => s.step >= 6));
      client.send({ type: 'loseDevice' });
      const lost = await next((e): e is Extract<FromWorker, { type: 'deviceLost' }> => e.type === 'deviceLost');
      const recovered = await next((e): e is Extract<FromWorker, { type: 'recovered' }> => e.type === 'recovered');
      expect(recovered.position.step).toBe(lost.keptStep);
      expect(lost.keptStep).toBeGreaterThan(0);
      expect(recovered.resumed).toBe(true);
      expect(recovered.info.backendKind).toBe('webgpu');
      await next((e): e is FromWorker => e.type === 'steps' && e.stats.some((s) => s.step > lost.lostAtStep));
      client.send({ type: 'pause' });
      await next((e): e is FromWorker => e.type === 'state' && e.state === 'paused');
      expect((await client.request({ type: 'exportState' })).step).toBeGreaterThan(lost.lostAtStep);
      expect(events.filter((e) => e.type === 'log' || e.type === 'fatal')).toEqual([]);
    } finally {
      client.terminate();
    }
  });

  it('reports an invalid configuration as a fatal message naming the problem', async () => {
    const { client, next } = harness();
    try {
      client.send({ type: 'init', dataset: data, model: { ...model, outputSize: 0 }, train: defaultTrainConfig(), backend: 'cpu' });
      const fatal = await next((e): e is Extract<FromWorker, { type: 'fatal' }> => e.type === 'fatal');
      expect(fatal.message).toMatch(/Output size/);
    } finally {
      client.terminate();
    }
  });
});
