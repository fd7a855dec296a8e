// The IndexedDB session store in a real browser: round trip with typed arrays, clear,
// quota and size errors reported (and the previous session kept), newer and damaged
// records refused, and autosave timing and error reporting.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { defaultModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from '../train/config.ts';
import type { StepStats } from '../train/trainer.ts';
import type { TrainingState } from '../train/protocol.ts';
import {
  clearSession,
  createAutosave,
  deleteSessionDatabase,
  loadSession,
  MAX_SAVED_STEPS,
  saveSession,
  SESSION_VERSION,
  SessionStorageError,
  type SessionInput,
} from './persistence.ts';
import { exportTestConfig, randomWeights } from './export.support.ts';
import { packSteps } from './step-columns.ts';

let dbName = '';
let counter = 0;
beforeEach(() => {
  dbName = `gatescope-test-${Date.now()}-${counter++}`;
});
afterEach(async () => {
  await deleteSessionDatabase(dbName);
});

function step(k: number): StepStats {
  return { step: k, epoch: 0, loss: 1 / (k + 1), lr: 0.01, gradNorm: 0.5, layerNorms: [0.1, 0.2], timeNorms: [0.3] };
}

function session(batchNorm = false): SessionInput {
  const model = exportTestConfig({ fusion: 'late', cell: 'lstm', batchNorm });
  const weights = randomWeights(model, 1);
  const training: TrainingState = {
    weights,
    optimizer: { step: 3, tensors: { 'param0.exp_avg': Float32Array.from([1, 2, 3]) }, paramSteps: [3, 2] },
    step: 3,
    epoch: 0,
    history: [{ epoch: 1, step: 3, trainLoss: 0.7, validation: { loss: 0.8, accuracy: 0.5 } }],
    order: Int32Array.from([2, 0, 1]),
    cursor: 2,
    rngPosition: 12345,
    learningRateOverride: null,
  };
  const prepared = tinyDataset({ task: 'classification', size: 6, imageSize: 16 });
  return {
    dataset: { source: 'import', name: 'my files', prepared },
    features: null,
    model,
    train: defaultTrainConfig(),
    training,
    metrics: { epochs: training.history, steps: [step(0), step(1), step(2)] },
    compareRuns: [{ name: 'run 1', curve: [1, 0.5] }],
  };
}

function expectStorageError(e: unknown, reason: string, pattern: RegExp) {
  expect(e).toBeInstanceOf(SessionStorageError);
  expect((e as SessionStorageError).reason).toBe(reason);
  expect((e as Error).message).toMatch(pattern);
}

describe('session store (IndexedDB)', () => {
  it('returns null when nothing was saved', async () => {
    expect(await loadSession({ dbName })).toBeNull();
  });

  it("keeps a batch-norm cnn's running statistics", async () => {
    const input = session(true);
    await saveSession(input, { dbName });
    const back = await loadSession({ dbName });
    for (const n of ['running_mean', 'running_var', 'num_batches_tracked']) {
      const name = `image_encoder.bn1.${n}`;
      expect(back!.training!.weights[name], name).toEqual(input.training!.weights[name]);
    }
    expect(back!.model.image.batchNorm).toBe(true);
  });

  it('saves and restores the session, typed arrays included', async () => {
    const input = session();
    const before = Date.now();
    const stored = await saveSession(input, { dbName });
    expect(stored.version).toBe(SESSION_VERSION);
    expect(stored.savedAt).toBeGreaterThanOrEqual(before);
    const back = await loadSession({ dbName });
    expect(back).not.toBeNull();
    expect(back!.savedAt).toBe(stored.savedAt);
    expect(back!.model).toEqual(input.model);
    expect(back!.train).toEqual(input.train);
    expect(back!.metrics).toEqual(input.metrics);
    expect(back!.compareRuns).toEqual(input.compareRuns);
    const w = back!.training!.weights['text_encoder.rnn.weight_ih_l0'];
    expect(w).toBeInstanceOf(Float32Array);
    expect(w).toEqual(input.training!.weights['text_encoder.rnn.weight_ih_l0']);
    expect(back!.training!.order).toBeInstanceOf(Int32Array);
    expect(back!.training).toEqual(input.training);
    const d = back!.dataset!;
    expect(d.source).toBe('import');
    if (d.source === 'import') {
      expect(d.prepared.images).toBeInstanceOf(Float32Array);
      expect(d.prepared.images).toEqual((input.dataset as { prepared: { images: Float32Array } }).prepared.images);
      expect(d.prepared.splits.train).toEqual((input.dataset as { prepared: { splits: { train: Int32Array } } }).prepared.splits.train);
    }
  });

  it('a later save replaces the earlier one; clear removes it', async () => {
    await saveSession(session(), { dbName });
    const second = { ...session(), compareRuns: ['second'] };
    await saveSession(second, { dbName });
    expect((await loadSession({ dbName }))!.compareRuns).toEqual(['second']);
    await clearSession({ dbName });
    expect(await loadSession({ dbName })).toBeNull();
  });

  it('keeps only the most recent step records', async () => {
    const input = session();
    input.metrics = { epochs: [], steps: Array.from({ length: MAX_SAVED_STEPS + 5 }, (_, k) => step(k)) };
    await saveSession(input, { dbName });
    const steps = (await loadSession({ dbName }))!.metrics.steps;
    expect(steps).toHaveLength(MAX_SAVED_STEPS);
    expect(steps[0].step).toBe(5);
  });

  it('reports a storage quota error and keeps the previous session', async () => {
    await saveSession({ ...session(), compareRuns: ['kept'] }, { dbName });
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    let error: unknown = null;
    try {
      await saveSession(session(), { dbName });
    } catch (e) {
      error = e;
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expectStorageError(error, 'quota', /refused to store the .* session: its storage quota for this site is full/);
    expect((await loadSession({ dbName }))!.compareRuns).toEqual(['kept']);
  });

  it('refuses a session larger than the bound, naming its largest parts', async () => {
    await saveSession({ ...session(), compareRuns: ['kept'] }, { dbName });
    let error: unknown = null;
    try {
      await saveSession(session(), { dbName, maxBytes: 10_000 });
    } catch (e) {
      error = e;
    }
    expectStorageError(error, 'too-large', /The session is .* MB, more than the .* MB .*\(the prepared dataset .* MB/);
    expect((await loadSession({ dbName }))!.compareRuns).toEqual(['kept']);
  });

  it('refuses a record from a newer GateScope or with weights that do not fit its model', async () => {
    const db = await openDB(dbName, 1, { upgrade: (d) => void d.createObjectStore('session') });
    await db.put('session', { ...session(), version: SESSION_VERSION + 1, savedAt: 1 }, 'current');
    let error: unknown = null;
    await loadSession({ dbName }).catch((e) => (error = e));
    expectStorageError(error, 'newer', new RegExp(`newer GateScope \\(session version ${SESSION_VERSION + 1}; this one reads up to ${SESSION_VERSION}\\)`));
    const broken = session();
    broken.training!.weights['head.fc1.weight'] = new Float32Array(2);
    await db.put('session', { ...broken, version: SESSION_VERSION, savedAt: 1 }, 'current');
    error = null;
    await loadSession({ dbName }).catch((e) => (error = e));
    expectStorageError(error, 'corrupt', /weights do not fit its model \("head\.fc1\.weight"\)/);
    await db.put('session', { ...session(), model: defaultModelConfig({ version: 7 }), version: SESSION_VERSION, savedAt: 1 }, 'current');
    error = null;
    await loadSession({ dbName }).catch((e) => (error = e));
    expectStorageError(error, 'newer', /model config is unusable: This model config is version 7/);
    const damaged = session();
    await db.put('session', { ...damaged, metrics: { epochs: [], steps: { ...packSteps(damaged.metrics.steps), loss: new Float64Array(1) } }, version: SESSION_VERSION, savedAt: 1 }, 'current');
    error = null;
    await loadSession({ dbName }).catch((e) => (error = e));
    expectStorageError(error, 'corrupt', /training statistics are damaged/);
    db.close();
  });

  it('stores the step statistics as columns and still reads a version 1 record (steps as objects)', async () => {
    const input = session();
    await saveSession(input, { dbName });
    const db = await openDB(dbName, 1);
    const raw = (await db.get('session', 'current')) as { metrics: { steps: { format: string; loss: Float64Array } } };
    expect(raw.metrics.steps.format).toBe('columns');
    expect(Array.from(raw.metrics.steps.loss)).toEqual(input.metrics.steps.map((s) => s.loss));
    await db.put('session', { ...session(), version: 1, savedAt: 1 }, 'current');
    db.close();
    expect((await loadSession({ dbName }))!.metrics.steps).toEqual(input.metrics.steps);
  });
});

describe('autosave', () => {
  it('saves at most once per interval however often it is scheduled, and at once on flush', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let snapshots = 0;
      const saved: number[] = [];
      const autosave = createAutosave(
        () => {
          snapshots++;
          return session();
        },
        { dbName, intervalMs: 300, onSaved: (s) => saved.push(s.savedAt), onError: (e) => expect.fail(e.message) },
      );
      for (let i = 0; i < 20; i++) autosave.schedule();
      vi.advanceTimersByTime(0); // the first save starts at once
      await autosave.idle();
      expect(snapshots).toBe(1);
      for (let i = 0; i < 20; i++) autosave.schedule();
      vi.advanceTimersByTime(299);
      await autosave.idle();
      expect(snapshots).toBe(1); // the next waits for the interval
      vi.advanceTimersByTime(1);
      await autosave.idle();
      expect(snapshots).toBe(2);
      autosave.schedule();
      await autosave.flush(); // on pause: now, and the pending one is dropped
      expect(snapshots).toBe(3);
      vi.advanceTimersByTime(1000);
      await autosave.idle();
      expect(snapshots).toBe(3);
      expect(saved).toHaveLength(3);
      autosave.dispose();
      autosave.schedule();
      vi.advanceTimersByTime(1000);
      await autosave.idle();
      expect(snapshots).toBe(3);
      expect(await loadSession({ dbName })).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports every failed save to onError', async () => {
    const errors: SessionStorageError[] = [];
    const autosave = createAutosave(() => session(), { dbName, intervalMs: 10, maxBytes: 100, onError: (e) => errors.push(e) });
    await autosave.flush();
    await autosave.flush();
    expect(errors.map((e) => e.reason)).toEqual(['too-large', 'too-large']);
    expect(await loadSession({ dbName })).toBeNull();
    autosave.dispose();
  });
});
