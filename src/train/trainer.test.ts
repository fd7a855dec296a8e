// The training loop on the CPU backend: determinism, pause / resume / step once, live
// learning-rate changes, NaN detection with restore, early stopping, exact resume from
// an exported state, and k-fold cross-validation.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { MultimodalModel, modelFromWeights } from '../models/model.ts';
import { defaultTrainConfig, type TrainConfig } from './config.ts';
import { Trainer, layerOf, type StepStats, type TrainerEvent } from './trainer.ts';
import { crossValidate, meanStd } from './cross-validate.ts';
import type { PreparedDataset } from '../data/types.ts';
import type { TrainingState } from './protocol.ts';

function smallModel(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return defaultModelConfig({
    fusion: 'late',
    text: { cell: 'gru', vocabSize: 8, embeddingSize: 4, hiddenSize: 6, numLayers: 1, bidirectional: false, dropout: 0 },
    image: { encoder: 'mlp', imageSize: 8, channels: [2], mlpHidden: 8, inputFeatures: 0, featureSize: 4 },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize: 3,
    ...overrides,
  });
}

function smallTrain(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return defaultTrainConfig({ batchSize: 4, epochs: 2, readbackEvery: 2, optimizer: { kind: 'adam', lr: 0.01 }, ...overrides });
}

function collect(): { events: TrainerEvent[]; steps: () => StepStats[]; emit: (e: TrainerEvent) => void } {
  const events: TrainerEvent[] = [];
  return {
    events,
    emit: (e) => events.push(e),
    steps: () => events.flatMap((e) => (e.type === 'steps' ? e.stats : [])),
  };
}

async function runToEnd(trainer: Trainer): Promise<void> {
  await trainer.start();
}

describe('Trainer on the CPU backend', () => {
  const data = tinyDataset({ task: 'classification', size: 24, seed: 4 });

  it('same seed, config and data give the same loss curve', async () => {
    const curves: number[][] = [];
    for (let k = 0; k < 2; k++) {
      const c = collect();
      const t = new Trainer(new CpuBackend(), data, smallModel(), smallTrain(), c.emit);
      await runToEnd(t);
      curves.push(c.steps().map((s) => s.loss));
      expect(t.state).toBe('finished');
    }
    expect(curves[0].length).toBe(10); // 2 epochs × ceil(18 / 4) steps
    expect(curves[0].every(Number.isFinite)).toBe(true);
    expect(curves[1]).toEqual(curves[0]);
    const other = collect();
    await runToEnd(new Trainer(new CpuBackend(), data, smallModel(), smallTrain({ seed: 2 }), other.emit));
    expect(other.steps().map((s) => s.loss)).not.toEqual(curves[0]);
  });

  it('streams per-step statistics, epochs with validation metrics, and the state changes', async () => {
    const c = collect();
    const t = new Trainer(new CpuBackend(), data, smallModel(), smallTrain(), c.emit);
    await runToEnd(t);
    const steps = c.steps();
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i));
    for (const s of steps) {
      expect(s.gradNorm).toBeGreaterThan(0);
      expect(s.layerNorms).toHaveLength(t.layerNames.length);
      expect(s.timeNorms).toHaveLength(data.maxLength);
      expect(s.lr).toBeCloseTo(0.01);
    }
    // The global norm is the root of the summed squared layer norms.
    const s0 = steps[0];
    expect(Math.hypot(...s0.layerNorms)).toBeCloseTo(s0.gradNorm, 4);
    const epochs = c.events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(2);
    for (const e of epochs) {
      if (e.type !== 'epoch') continue;
      expect(Number.isFinite(e.record.trainLoss)).toBe(true);
      expect(e.record.validation.accuracy).toBeGreaterThanOrEqual(0);
    }
    const states = c.events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? e.state : ''));
    expect(states).toEqual(['running', 'finished']);
  });

  it('gradient over time: the same examples padded differently give the same profile over real tokens', async () => {
    const ragged = tinyDataset({ task: 'classification', size: 24, seed: 5, maxLength: 5, missingText: 0.25 });
    // The same examples with 4 more padded slots per text.
    const T = ragged.maxLength;
    const wide = T + 4;
    const tokens = new Int32Array(ragged.size * wide);
    for (let i = 0; i < ragged.size; i++) tokens.set(ragged.tokens.subarray(i * T, (i + 1) * T), i * wide);
    const padded: PreparedDataset = { ...ragged, maxLength: wide, tokens };
    const first = async (data: PreparedDataset) => {
      const c = collect();
      const t = new Trainer(new CpuBackend({ precision: 'f64' }), data, smallModel(), smallTrain({ batchSize: 8 }), c.emit);
      await t.stepOnce();
      return c.steps()[0];
    };
    const a = await first(ragged);
    const b = await first(padded);
    expect(b.loss).toBe(a.loss);
    expect(a.timeNorms).toHaveLength(T);
    expect(b.timeNorms).toHaveLength(wide);
    expect(b.timeNorms.slice(0, T)).toEqual(a.timeNorms);
    expect(b.timeNorms.slice(T).every(Number.isNaN)).toBe(true);
    expect(b.timeShare!.slice(0, T)).toEqual(a.timeShare);
    // Every text reaches its last token; fewer reach further back; no text, no value.
    expect(a.timeShare![0]).toBe(1);
    a.timeShare!.forEach((share, k) => {
      if (k > 0) expect(share).toBeLessThanOrEqual(a.timeShare![k - 1]);
      expect(Number.isNaN(a.timeNorms[k])).toBe(share === 0);
    });
  });

  it('gradient over time of a caption decoder runs over its caption steps', async () => {
    const data = tinyDataset({ task: 'captioning', size: 16, seed: 6 });
    const c = collect();
    const model = smallModel({ task: 'captioning', fusion: 'init', outputSize: data.targets.kind === 'captioning' ? data.targets.vocab.tokens.length : 0 });
    const t = new Trainer(new CpuBackend(), data, model, smallTrain(), c.emit);
    await t.stepOnce();
    const s = c.steps()[0];
    expect(s.timeNorms.length).toBeGreaterThan(1);
    expect(s.timeShare).toHaveLength(s.timeNorms.length);
    expect(s.timeNorms[0]).toBeGreaterThan(0);
  });

  it('pause stops the loop, step once advances one step, resume continues', async () => {
    const c = collect();
    const t = new Trainer(new CpuBackend(), data, smallModel(), smallTrain({ epochs: 3 }), (e) => {
      c.emit(e);
      if (e.type === 'progress' && e.step === 3) t.pause();
    });
    await t.start();
    expect(t.state).toBe('paused');
    expect(t.step).toBe(3);
    await t.stepOnce();
    expect(t.step).toBe(4);
    expect(c.steps().map((s) => s.step)).toEqual([0, 1, 2, 3]);
    await t.resume();
    expect(t.state).toBe('finished');
    expect(t.step).toBe(15);
  });

  it('a live learning-rate change applies from the next step', async () => {
    const c = collect();
    const t = new Trainer(new CpuBackend(), data, smallModel(), smallTrain(), c.emit);
    await t.stepOnce();
    t.setLearningRate(0.5);
    await t.stepOnce();
    const lrs = c.steps().map((s) => s.lr);
    expect(lrs[0]).toBeCloseTo(0.01);
    expect(lrs[1]).toBeCloseTo(0.5);
    expect(() => t.setLearningRate(-1)).toThrow(/positive/);
  });

  it('a non-finite loss pauses training, names the tensor, and the last good weights can be restored', async () => {
    const c = collect();
    const backend = new CpuBackend();
    const t = new Trainer(backend, data, smallModel(), smallTrain({ epochs: 5, clipNorm: 0 }), (e) => {
      c.emit(e);
      // Poison one weight after the first readback (it holds step 0 alone: the first
      // step's statistics are read at once).
      if (e.type === 'steps' && e.stats[e.stats.length - 1].step === 0) {
        const w = t.model.params.get('head.fc.weight');
        backend.data(w)[0] = NaN;
      }
    });
    await t.start();
    expect(t.state).toBe('paused');
    const nan = c.events.find((e) => e.type === 'nan');
    expect(nan && nan.type === 'nan' ? nan.message : '').toMatch(/step \d+/);
    expect(nan && nan.type === 'nan' ? nan.tensor : '').toMatch(/loss|gradient of/);
    const restoredStep = t.restoreLastGood();
    expect(restoredStep).toBe(0);
    const w = t.model.params.get('head.fc.weight');
    expect(Array.from(backend.data(w)).every(Number.isFinite)).toBe(true);
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const c = collect();
    // A learning rate far below f32 resolution leaves the weights, and so the
    // validation loss, unchanged after the first epoch.
    const t = new Trainer(
      new CpuBackend(),
      data,
      smallModel(),
      smallTrain({ epochs: 10, optimizer: { kind: 'sgd', lr: 1e-12 }, earlyStopping: { enabled: true, metric: 'loss', patience: 2, restoreBest: true } }),
      c.emit,
    );
    await t.start();
    expect(t.state).toBe('finished');
    expect(t.epoch).toBe(3);
    const finish = c.events.filter((e) => e.type === 'state').pop();
    expect(finish && finish.type === 'state' ? finish.reason : '').toMatch(/early stopping/);
  });

  /** The final state of an uninterrupted run. */
  async function straightRun(d: PreparedDataset, config: TrainConfig): Promise<TrainingState> {
    const t = new Trainer(new CpuBackend(), d, smallModel(), config, () => {});
    await t.start();
    return t.exportState();
  }

  /** The state of a run paused when it reports step `at(stepsPerEpoch)`. */
  async function pausedRun(d: PreparedDataset, config: TrainConfig, at: (stepsPerEpoch: number) => number): Promise<TrainingState> {
    const t: Trainer = new Trainer(new CpuBackend(), d, smallModel(), config, (e) => {
      if (e.type === 'progress' && e.step === at(t.stepsPerEpoch)) t.pause();
    });
    await t.start();
    return t.exportState();
  }

  /** A fresh trainer restored from `state`, run to the end; its final state. */
  async function resumedRun(d: PreparedDataset, config: TrainConfig, state: TrainingState): Promise<TrainingState> {
    const backend = new CpuBackend();
    const t = new Trainer(backend, d, smallModel(), config, () => {}, { model: modelFromWeights(backend, smallModel(), state.weights) });
    t.restore(state);
    await t.resume();
    return t.exportState();
  }

  function expectSameWeights(got: TrainingState, expected: TrainingState, what = '') {
    for (const name of Object.keys(expected.weights)) expect(Array.from(got.weights[name]), `${what} ${name}`).toEqual(Array.from(expected.weights[name]));
  }

  it('early stopping turned on during a run ends it at once and keeps the best epoch; after the run it restores the best epoch', async () => {
    // As above: the validation loss does not change after epoch 1, so epoch 1 stays the best.
    const config = smallTrain({ epochs: 8, optimizer: { kind: 'sgd', lr: 1e-12 } });
    const es = { enabled: true, metric: 'loss' as const, patience: 2, restoreBest: true };
    const c = collect();
    let sent = false;
    const t: Trainer = new Trainer(new CpuBackend(), data, smallModel(), config, (e) => {
      c.emit(e);
      // The page's message arrives between two steps of epoch 5 (three epochs after the best).
      if (!sent && e.type === 'steps' && e.stats.some((s) => s.epoch === 4)) {
        sent = true;
        t.setEarlyStopping(es);
      }
    });
    await t.start();
    expect(t.state).toBe('finished');
    expect(t.history).toHaveLength(4);
    const finish = c.events.filter((e) => e.type === 'state' && e.state === 'finished');
    expect(finish).toHaveLength(1);
    expect(finish[0].type === 'state' ? finish[0].reason : '').toMatch(/early stopping/);
    expect(c.events.some((e) => e.type === 'log' && /Restored the weights of epoch 1/.test(e.message))).toBe(true);

    // A finished run (early stopping off) gets the best epoch back when it is turned on afterwards.
    const d = collect();
    const done = new Trainer(new CpuBackend(), data, smallModel(), smallTrain({ epochs: 4, optimizer: { kind: 'sgd', lr: 1e-12 } }), d.emit);
    await done.start();
    expect(d.events.some((e) => e.type === 'log')).toBe(false);
    done.setEarlyStopping(es);
    expect(d.events.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? e.message : ''))).toEqual(['Restored the weights of epoch 1 (best validation loss).']);
    // Turning it on again restores nothing more.
    done.setEarlyStopping({ ...es, patience: 1 });
    expect(d.events.filter((e) => e.type === 'log')).toHaveLength(1);
  });

  it('resumes exactly from an exported state', async () => {
    const config = smallTrain({ epochs: 2 });
    const expected = await straightRun(data, config);
    const saved = await pausedRun(data, config, () => 7);
    expect(saved.step).toBe(7);
    const got = await resumedRun(data, config, saved);
    expect(got.step).toBe(expected.step);
    expectSameWeights(got, expected);
  });

  it('a state exported at an epoch boundary carries the epoch record and resumes exactly', async () => {
    const config = smallTrain({ epochs: 2 });
    const expected = await straightRun(data, config);
    // Paused right after the first epoch's last step, before its evaluation finished.
    const saved = await pausedRun(data, config, (perEpoch) => perEpoch);
    expect(saved.history).toHaveLength(1);
    expect(saved.step).toBe(expected.step / 2);
    expect(saved.cursor).toBe(0);

    // The same position as an older file could hold it: the last batch taken, no record
    // yet, the first epoch's order and the random stream before the next shuffle.
    const previous = await pausedRun(data, config, (perEpoch) => perEpoch - 1);
    const before = { ...saved, epoch: 0, history: [], cursor: data.splits.train.length, order: previous.order, rngPosition: previous.rngPosition };
    for (const [which, state] of [['exported', saved], ['older', before]] as const) {
      const got = await resumedRun(data, config, state);
      expect(got.step, which).toBe(expected.step);
      expect(got.history.map((h) => h.epoch), which).toEqual([1, 2]);
      expect(got.history[1].validation, which).toEqual(expected.history[1].validation);
      expectSameWeights(got, expected, which);
    }
  });

  it('resumes exactly when some parameters skip updates (missing-modality vectors)', async () => {
    const sparse = tinyDataset({ task: 'classification', size: 24, seed: 4, missingImage: 0.2, missingText: 0.2 });
    const config = smallTrain({ epochs: 2 });
    const expected = await straightRun(sparse, config);
    const saved = await pausedRun(sparse, config, () => 7);
    // The "missing" vectors are updated only in steps whose batch has a missing row.
    expect(Math.min(...saved.optimizer.paramSteps!)).toBeLessThan(saved.optimizer.step);
    const got = await resumedRun(sparse, config, saved);
    expectSameWeights(got, expected);
    // The interrupted epoch's mean train loss counts the steps before the pause too.
    expect(got.history).toEqual(expected.history);
  });

  it('rejects weights whose shapes do not match the model', () => {
    const backend = new CpuBackend();
    const model = MultimodalModel.create(backend, smallModel(), 1);
    const weights: Record<string, Float32Array> = {};
    for (const n of model.params.names()) weights[n] = new Float32Array(model.params.get(n).size);
    weights['head.fc.weight'] = new Float32Array(3);
    expect(() => modelFromWeights(backend, smallModel(), weights)).toThrow(/head\.fc\.weight.*\[3, /);
    delete weights['head.fc.weight'];
    expect(() => modelFromWeights(backend, smallModel(), weights)).toThrow(/no parameter "head\.fc\.weight"/);
  });

  it('groups parameters into layers', () => {
    expect(layerOf('text_encoder.rnn.weight_ih_l0')).toBe('text_encoder.rnn.l0');
    expect(layerOf('text_encoder.rnn.bias_hh_l1_reverse')).toBe('text_encoder.rnn.l1_reverse');
    expect(layerOf('image_encoder.conv0.weight')).toBe('image_encoder.conv0');
    expect(layerOf('fusion.alpha')).toBe('fusion.alpha');
  });

  it('k-fold cross-validation trains one model per fold and reports mean ± std', async () => {
    const all = Array.from({ length: data.size }, (_, i) => i);
    const folds = [0, 1, 2].map((k) => ({
      train: Int32Array.from(all.filter((i) => i % 3 !== k)),
      validation: Int32Array.from(all.filter((i) => i % 3 === k)),
      test: new Int32Array(0),
    }));
    const seen = new Set<number>();
    const r = await crossValidate(new CpuBackend(), data, smallModel(), smallTrain({ epochs: 1 }), folds, (fold) => seen.add(fold));
    expect(r.folds).toHaveLength(3);
    expect([...seen].sort()).toEqual([0, 1, 2]);
    const losses = r.folds.map((f) => f.loss);
    expect(r.summary.loss.mean).toBeCloseTo(losses.reduce((a, b) => a + b) / 3, 10);
    expect(r.summary.accuracy.std).toBeGreaterThanOrEqual(0);
    expect(meanStd([1, 3])).toEqual({ mean: 2, std: Math.SQRT2 });
  });
});

describe('worker messages', () => {
  it('collect whole typed-array buffers for transfer, once each, and skip views into larger buffers', async () => {
    const { transferables } = await import('./protocol.ts');
    const a = new Float32Array(4);
    const shared = new ArrayBuffer(64);
    const view = new Float32Array(shared, 16, 2);
    const list = transferables({ type: 'result', value: { a, again: a, nested: [new Int32Array(3)], view } });
    expect(list).toHaveLength(2);
    expect(list).toContain(a.buffer);
    expect(list).not.toContain(shared);
  });
});

describe('Trainer with batch norm in the cnn encoder', () => {
  const data = tinyDataset({ task: 'classification', size: 24, seed: 4 });
  const bnModel = () =>
    smallModel({ image: { encoder: 'cnn', imageSize: 8, channels: [3], batchNorm: true, mlpHidden: 8, inputFeatures: 0, featureSize: 4 } });
  const stats = ['running_mean', 'running_var', 'num_batches_tracked'].map((n) => `image_encoder.bn0.${n}`);

  it('the optimizer skips the buffers; the exported state carries them and resumes exactly', async () => {
    const config = smallTrain({ epochs: 2 });
    const straight = new Trainer(new CpuBackend(), data, bnModel(), config, () => {});
    await straight.start();
    const expected = await straight.exportState();
    expect(Object.keys(expected.optimizer.tensors).some((n) => n.includes('running') || n.includes('num_batches'))).toBe(false);
    expect(Array.from(expected.weights[stats[2]])).toEqual([expected.step]);
    const paused: Trainer = new Trainer(new CpuBackend(), data, bnModel(), config, (e) => {
      if (e.type === 'progress' && e.step === 5) paused.pause();
    });
    await paused.start();
    const saved = await paused.exportState();
    const backend = new CpuBackend();
    const resumed = new Trainer(backend, data, bnModel(), config, () => {}, { model: modelFromWeights(backend, bnModel(), saved.weights) });
    resumed.restore(saved);
    await resumed.resume();
    const got = await resumed.exportState();
    for (const name of Object.keys(expected.weights)) expect(Array.from(got.weights[name]), name).toEqual(Array.from(expected.weights[name]));
  });

  it('restoring the best epoch restores its running statistics', async () => {
    const es = { enabled: true, metric: 'loss' as const, patience: 1, restoreBest: true };
    const c = collect();
    const early = new Trainer(new CpuBackend(), data, bnModel(), smallTrain({ epochs: 12, optimizer: { kind: 'adam', lr: 0.05 }, earlyStopping: es }), c.emit);
    await early.start();
    const restored = c.events.flatMap((e) => (e.type === 'log' ? [/Restored the weights of epoch (\d+)/.exec(e.message)] : [])).find((m) => m);
    expect(restored, 'the run restores a best epoch').toBeTruthy();
    const bestEpoch = Number(restored![1]);
    expect(bestEpoch).toBeLessThan(early.epoch);
    const got = await early.exportState();
    // The same run stopped at the best epoch: its weights and statistics are the ones to get back.
    const straight = new Trainer(new CpuBackend(), data, bnModel(), smallTrain({ epochs: bestEpoch, optimizer: { kind: 'adam', lr: 0.05 } }), () => {});
    await straight.start();
    const expected = await straight.exportState();
    for (const name of Object.keys(expected.weights)) expect(Array.from(got.weights[name]), name).toEqual(Array.from(expected.weights[name]));
    expect(Array.from(got.weights[stats[2]])).toEqual([expected.step]);
  });
});
