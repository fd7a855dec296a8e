// The host copy of the training state (what survives a GPU device loss): it equals the
// exported state, a trainer rebuilt from it on a new device takes the same next steps,
// and a session whose device is destroyed mid-run saves from it, rebuilds and trains on.
// The readback cost of one host copy at the default model is printed.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { defaultModelConfig } from '../models/config.ts';
import { modelFromWeights } from '../models/model.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from './config.ts';
import type { FromWorker, TrainingState } from './protocol.ts';
import { TrainingSession } from './session.ts';
import { Trainer, type StepStats } from './trainer.ts';

const small = defaultModelConfig({
  fusion: 'late',
  text: { cell: 'gru', vocabSize: 8, embeddingSize: 4, hiddenSize: 8, numLayers: 1, bidirectional: false, dropout: 0 },
  image: { encoder: 'cnn', imageSize: 16, channels: [4], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
  head: { hiddenSize: 6, dropout: 0 },
  outputSize: 3,
});
const smallData = tinyDataset({ task: 'classification', size: 40, seed: 4, imageSize: 16 });

function expectSameState(a: TrainingState, b: TrainingState): void {
  expect(a.step).toBe(b.step);
  expect(a.epoch).toBe(b.epoch);
  expect(a.cursor).toBe(b.cursor);
  expect(a.rngPosition).toBe(b.rngPosition);
  expect(Array.from(a.order)).toEqual(Array.from(b.order));
  expect(a.history).toEqual(b.history);
  expect(a.epochLoss).toEqual(b.epochLoss);
  expect(a.optimizer.step).toBe(b.optimizer.step);
  expect(a.optimizer.paramSteps).toEqual(b.optimizer.paramSteps);
  expect(Object.keys(a.weights)).toEqual(Object.keys(b.weights));
  for (const k of Object.keys(a.weights)) expect(Array.from(a.weights[k]), k).toEqual(Array.from(b.weights[k]));
  for (const k of Object.keys(a.optimizer.tensors)) expect(Array.from(a.optimizer.tensors[k]), k).toEqual(Array.from(b.optimizer.tensors[k]));
}

describe('host copy of the training state', () => {
  it('is refreshed from the drained steps, equals the exported state, and continues identically on a new device', async () => {
    const first = await WebGpuBackend.create();
    const config = defaultTrainConfig({ batchSize: 8, epochs: 3, readbackEvery: 2 });
    const stats: StepStats[] = [];
    const t = new Trainer(first, smallData, small, config, (e) => e.type === 'steps' && stats.push(...e.stats), { hostCopyEvery: 3 });
    expect(t.hostCopy).toBeNull();
    for (let k = 0; k < 3; k++) await t.stepOnce();
    // Read with the third step's statistics: its epoch loss counts the three steps.
    expect(t.hostCopy?.step).toBe(3);
    expect(t.hostCopy?.epochLoss?.count).toBe(3);
    expect(t.hostCopy!.epochLoss!.sum).toBeCloseTo(stats[0].loss + stats[1].loss + stats[2].loss, 5);
    // Past the end of the first epoch (4 steps): the copy taken there is in the new epoch.
    for (let k = 0; k < 3; k++) await t.stepOnce();
    await t.refreshHostCopy();
    const copy = t.hostCopy!;
    expectSameState(copy, await t.exportState());
    expect(copy.step).toBe(6);
    expect(copy.history).toHaveLength(1);

    // The same next steps from the copy on a second device as from the original.
    const second = await WebGpuBackend.create();
    const again: StepStats[] = [];
    const rebuilt = new Trainer(second, smallData, small, config, (e) => e.type === 'steps' && again.push(...e.stats), {
      model: modelFromWeights(second, small, copy.weights),
    });
    rebuilt.restore(structuredClone(copy));
    for (let k = 0; k < 3; k++) {
      await t.stepOnce();
      await rebuilt.stepOnce();
    }
    const original = stats.filter((s) => s.step >= 6);
    expect(again.map((s) => s.step)).toEqual([6, 7, 8]);
    again.forEach((s, k) => expect(s.loss).toBeCloseTo(original[k].loss, 5));
    const a = await t.exportState();
    const b = await rebuilt.exportState();
    for (const name of Object.keys(a.weights)) {
      const x = a.weights[name];
      const y = b.weights[name];
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i]), name).toBeLessThan(1e-5);
    }
    expect(b.history).toEqual(a.history);
    for (const tr of [t, rebuilt]) {
      tr.dispose();
      tr.model.dispose();
    }
  });

  it('costs one readback of weights and moments (measured at the default model)', async () => {
    const gpu = await WebGpuBackend.create();
    const model = defaultModelConfig();
    const data = tinyDataset({ task: 'classification', size: 72, seed: 5, imageSize: model.image.imageSize, vocabSize: model.text.vocabSize, maxLength: 16, classes: model.outputSize });
    const t = new Trainer(gpu, data, model, defaultTrainConfig({ batchSize: 32, epochs: 5 }), () => {}, { hostCopyEvery: 1_000_000 });
    for (let k = 0; k < 3; k++) await t.stepOnce();
    const stepTimes: number[] = [];
    for (let k = 0; k < 3; k++) {
      const start = performance.now();
      await t.stepOnce();
      stepTimes.push(performance.now() - start);
    }
    const copyTimes: number[] = [];
    for (let k = 0; k < 5; k++) {
      const start = performance.now();
      await t.refreshHostCopy();
      copyTimes.push(performance.now() - start);
    }
    const copy = t.hostCopy!;
    const values = [...Object.values(copy.weights), ...Object.values(copy.optimizer.tensors)].reduce((n, a) => n + a.length, 0);
    const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    console.log(
      `host copy at the default model: ${values} values (${((values * 4) / 1e6).toFixed(2)} MB), ` +
        `median ${median(copyTimes).toFixed(1)} ms per copy vs ${median(stepTimes).toFixed(1)} ms per awaited step (${gpu.description})`,
    );
    const params = t.model.params.list().reduce((n, p) => n + p.size, 0);
    // Every weight, plus Adam's two moments (for the parameters that have them).
    expect(Object.values(copy.weights).reduce((n, a) => n + a.length, 0)).toBe(params);
    expect(values).toBeGreaterThan(2 * params);
    expect(values).toBeLessThanOrEqual(3 * params);
    t.dispose();
    t.model.dispose();
  });

  it('a session whose device is destroyed mid-run saves from the host copy, rebuilds on a new device and trains on', async () => {
    const events: FromWorker[] = [];
    const waiters: { test: (e: FromWorker) => boolean; resolve: () => void }[] = [];
    let savedDuringRecovery: Promise<TrainingState> | null = null;
    const session: TrainingSession = new TrainingSession((e) => {
      events.push(e);
      // A save asked for the moment the loss is announced is answered from the host copy.
      if (e.type === 'deviceLost') savedDuringRecovery = session.exportState();
      for (const w of [...waiters]) {
        if (w.test(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }, 0);
    const until = (test: (e: FromWorker) => boolean) =>
      events.some(test) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve }));
    const train = defaultTrainConfig({ batchSize: 8, epochs: 40, readbackEvery: 2 });
    await session.init({ type: 'init', dataset: smallData, model: small, train, backend: 'webgpu', hostCopyEvery: 4 });
    session.start();
    await until((e) => e.type === 'steps' && e.stats.some((s) => s.step >= 9));
    session.loseDevice();
    await until((e) => e.type === 'recovered');
    const lost = events.find((e) => e.type === 'deviceLost') as Extract<FromWorker, { type: 'deviceLost' }>;
    const recovered = events.find((e) => e.type === 'recovered') as Extract<FromWorker, { type: 'recovered' }>;
    expect(lost.lostAtStep).toBeGreaterThanOrEqual(10);
    expect(lost.keptStep).toBeGreaterThan(0);
    expect(lost.keptStep).toBeLessThanOrEqual(lost.lostAtStep);
    expect(recovered.position.step).toBe(lost.keptStep);
    expect(recovered.resumed).toBe(true);
    expect(recovered.info.backendKind).toBe('webgpu');
    const saved = await savedDuringRecovery!;
    expect(saved.step).toBe(lost.keptStep);

    // Trains on past the step it was lost at; the repeated step has the loss it had before.
    await until((e) => e.type === 'steps' && e.stats.some((s) => s.step >= lost.lostAtStep + 3));
    session.pause();
    const index = events.indexOf(recovered);
    const before = events.slice(0, index).flatMap((e) => (e.type === 'steps' ? e.stats : []));
    const after = events.slice(index).flatMap((e) => (e.type === 'steps' ? e.stats : []));
    expect(after[0].step).toBe(lost.keptStep);
    const earlier = before.find((s) => s.step === lost.keptStep);
    if (earlier) expect(after[0].loss).toBeCloseTo(earlier.loss, 4);
    const firstLoss = before[0].loss;
    const late = after.slice(-4).reduce((n, s) => n + s.loss, 0) / 4;
    expect(late).toBeLessThan(firstLoss);
    const state = await session.exportState();
    expect(state.step).toBeGreaterThan(lost.lostAtStep);
    // Nothing said the run had failed.
    expect(events.filter((e) => e.type === 'log' || (e.type === 'state' && e.reason)).map((e) => JSON.stringify(e))).toEqual([]);
    session.dispose();
  });
});
