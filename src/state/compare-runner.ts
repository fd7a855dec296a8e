// The compare queue: runs that differ in one setting, trained one after another, each in
// a fresh worker session with the same data and seed. `compareRuns` builds the queue from
// the current settings, `foldRuns` a k-fold cross-validation of them (the same setup k
// times, each validating on its own fold); `compareRunner` trains it and records what
// each run did.
import { kFoldSplits } from '../data/splits.ts';
import { TrainingClient } from '../train/client.ts';
import { saveTuningEntry, storedTuningEntries } from './tuning-storage.ts';
import type { FromWorker, TrainingState } from '../train/protocol.ts';
import type { ModelConfig } from '../models/config.ts';
import type { OptimizerKind } from '../optim/optimizer.ts';
import type { TrainConfig } from '../train/config.ts';
import { compareLive } from './live.ts';
import { resolveModelConfig } from './settings.ts';
import { FOLD_RANGE, queuedRun, type CompareRun, type CompareSetting, type CompareVaried } from './slices/compare.ts';
import { resolveTrainConfig, setupProblems } from './target.ts';
import { training } from './training.ts';
import { useStore } from './store.ts';
import type { PreparedDataset } from '../data/types.ts';
import type { FeatureSet } from './slices/data.ts';

/** Names of the settings a comparison can vary, for the UI. */
export const COMPARE_SETTINGS: Record<CompareSetting, string> = {
  cell: 'recurrent cell',
  fusion: 'fusion strategy',
  optimizer: 'optimizer',
  learningRate: 'learning rate',
  hiddenSize: 'hidden size',
  numLayers: 'layers',
  bidirectional: 'bidirectional',
  encoder: 'image encoder',
  batchSize: 'batch size',
};

/** What a queue varies, in words. */
export function variedName(varied: CompareVaried): string {
  if (varied === 'distill') return 'model';
  return varied === 'fold' ? 'fold' : COMPARE_SETTINGS[varied];
}

/** The model and training settings with `setting` set to `value` (as typed). */
export function applySetting(model: ModelConfig, train: TrainConfig, setting: CompareSetting, value: string): { model: ModelConfig; train: TrainConfig } | string {
  const m: ModelConfig = structuredClone(model);
  const t: TrainConfig = structuredClone(train);
  const num = Number(value);
  const whole = () => (Number.isInteger(num) && num > 0 ? null : `${COMPARE_SETTINGS[setting]} "${value}" is not a whole number above 0`);
  switch (setting) {
    case 'cell':
      m.text.cell = value as ModelConfig['text']['cell'];
      break;
    case 'fusion':
      m.fusion = value as ModelConfig['fusion'];
      break;
    case 'encoder':
      m.image.encoder = value as ModelConfig['image']['encoder'];
      break;
    case 'optimizer':
      t.optimizer = { ...t.optimizer, kind: value as OptimizerKind };
      break;
    case 'learningRate':
      if (!(num > 0 && Number.isFinite(num))) return `learning rate "${value}" is not a positive number`;
      t.optimizer = { ...t.optimizer, lr: num };
      break;
    case 'hiddenSize':
      if (whole()) return whole()!;
      m.text.hiddenSize = num;
      break;
    case 'numLayers':
      if (whole()) return whole()!;
      m.text.numLayers = num;
      break;
    case 'batchSize':
      if (whole()) return whole()!;
      t.batchSize = num;
      break;
    case 'bidirectional':
      if (value !== 'true' && value !== 'false') return `bidirectional must be true or false, not "${value}"`;
      m.text.bidirectional = value === 'true';
      break;
  }
  return { model: m, train: t };
}

/**
 * The queue for the current settings: one run per value, everything else equal (same
 * seed, same data), `epochs` each, at full speed. Problems name the value they concern.
 */
export function compareRuns(
  base: { model: ModelConfig; train: TrainConfig },
  dataset: PreparedDataset | null,
  features: FeatureSet | null,
  setting: CompareSetting,
  values: string[],
  epochs: number,
): { runs: CompareRun[]; problems: string[] } {
  const runs: CompareRun[] = [];
  const problems: string[] = [];
  if (!dataset) return { runs, problems: ['No dataset is ready yet.'] };
  if (values.length < 2) problems.push('Choose at least two values to compare.');
  if (new Set(values).size !== values.length) problems.push('Each value can be compared once.');
  values.forEach((value, k) => {
    const applied = applySetting(base.model, { ...base.train, epochs, stepDelayMs: 0 }, setting, value);
    if (typeof applied === 'string') {
      problems.push(`${value}: ${applied}.`);
      return;
    }
    const issues = setupProblems(applied.model, applied.train, dataset, features);
    if (issues.length) {
      problems.push(`${COMPARE_SETTINGS[setting]} = ${value}: ${issues.join(' ')}`);
      return;
    }
    runs.push(
      queuedRun({
        id: `run-${Date.now().toString(36)}-${k}`,
        setting,
        value,
        model: resolveModelConfig(applied.model, dataset, features),
        train: resolveTrainConfig(applied.train, dataset),
      }),
    );
  });
  return { runs, problems };
}

/**
 * A k-fold cross-validation of the current setup: k runs with the same model, training
 * settings and seed, `epochs` each; run i trains on the other folds and is validated
 * (after every epoch) on fold i. Folds are drawn from the training and validation
 * examples, stratified by class and keeping related examples together (kFoldSplits).
 */
export function foldRuns(
  base: { model: ModelConfig; train: TrainConfig },
  dataset: PreparedDataset | null,
  datasetVersion: number,
  features: FeatureSet | null,
  k: number,
  epochs: number,
): { runs: CompareRun[]; problems: string[] } {
  if (!dataset) return { runs: [], problems: ['No dataset is ready yet.'] };
  if (!Number.isInteger(k) || k < FOLD_RANGE.min || k > FOLD_RANGE.max) {
    return { runs: [], problems: [`The number of folds must be a whole number from ${FOLD_RANGE.min} to ${FOLD_RANGE.max} (got ${k}).`] };
  }
  const train = { ...base.train, epochs, stepDelayMs: 0 };
  const issues = setupProblems(base.model, train, dataset, features);
  if (issues.length) return { runs: [], problems: issues };
  let folds: ReturnType<typeof kFoldSplits>;
  try {
    folds = kFoldSplits(dataset, k, base.train.seed);
  } catch {
    const pool = dataset.splits.train.length + dataset.splits.validation.length;
    return { runs: [], problems: [`${k} folds need at least ${k} training and validation examples that are not copies of one another; "${dataset.name}" has too few (${pool} examples in all). Choose fewer folds.`] };
  }
  const small = folds.findIndex((f) => f.train.length === 0 || f.validation.length === 0);
  if (small >= 0) return { runs: [], problems: [`Fold ${small + 1} of ${k} would have no examples to train or validate on: choose fewer folds.`] };
  const model = resolveModelConfig(base.model, dataset, features);
  const resolved = resolveTrainConfig(train, { ...dataset, splits: folds[0] });
  const stamp = Date.now().toString(36);
  const runs = folds.map((splits, i) =>
    queuedRun({ id: `fold-${stamp}-${i}`, setting: 'fold', value: String(i + 1), fold: { index: i, count: k, splits, datasetVersion }, model, train: resolved }),
  );
  return { runs, problems: [] };
}

class CompareRunner {
  private client: TrainingClient | null = null;
  private cancelled = false;
  private current: string | null = null;
  /** The teacher of a distillation queue: its logits for every example, [N, C], and the dataset they index. */
  private teacher: { logits: Float32Array; dataset: PreparedDataset } | null = null;
  /** Trained weights of a distillation's students, by run id, for "Use … as the model" (this page only, not saved). */
  private kept = new Map<string, TrainingState>();

  /**
   * Trains the queued runs one after another (rows already done, like a distillation's
   * teacher, are shown, not trained). The main run is paused first. `teacher`: the
   * teacher's logits for a distillation queue (src/state/distill.ts).
   */
  async start(runs: CompareRun[], teacher: { logits: Float32Array; dataset: PreparedDataset } | null = null): Promise<void> {
    const store = useStore.getState();
    if (store.compareRunning || runs.length === 0) return;
    if (store.runStatus === 'running') training.pause();
    compareLive.clear();
    this.cancelled = false;
    this.teacher = teacher;
    store.compareQueued(runs);
    for (const run of runs) {
      if (this.cancelled) break;
      await this.runOne(run);
    }
    const s = useStore.getState();
    for (const r of s.compareRuns) if (r.status === 'queued') s.compareUpdate(r.id, { status: 'cancelled', note: 'not run: the queue was stopped' });
    s.compareStopped();
  }

  /** Stops the run in progress and drops the rest of the queue. */
  stop(): void {
    this.cancelled = true;
    this.client?.send({ type: 'stop' });
  }

  private runOne(run: CompareRun): Promise<void> {
    if (run.status === 'done') return Promise.resolve();
    const { features, datasetVersion } = useStore.getState();
    // A distillation's students train on the data the teacher's logits index.
    const dataset = run.distill ? this.teacher?.dataset : useStore.getState().dataset;
    if (!dataset) return Promise.resolve();
    const update = (patch: Partial<CompareRun>) => useStore.getState().compareUpdate(run.id, patch);
    if (run.fold && run.fold.datasetVersion !== datasetVersion) {
      update({ status: 'failed', note: 'the dataset changed after the folds were drawn: queue the folds again' });
      return Promise.resolve();
    }
    // A fold trains and validates on its own split of the same examples.
    const data = run.fold ? { ...dataset, splits: run.fold.splits } : dataset;
    update({ status: 'starting' });
    this.current = run.id;
    return new Promise((resolve) => {
      let started = 0;
      let steps = 0;
      let finished = false;
      const finish = (patch: Partial<CompareRun>) => {
        if (finished) return;
        finished = true;
        update({ ...patch, seconds: started ? (performance.now() - started) / 1000 : null, steps });
        useStore.getState().setCompareProgress(null);
        client.terminate();
        if (this.client === client) this.client = null;
        this.current = null;
        resolve();
      };
      const onEvent = (e: FromWorker) => {
        const store = useStore.getState();
        switch (e.type) {
          case 'ready':
            update({ status: 'running', parameters: e.info.parameters });
            if (this.cancelled) return finish({ status: 'cancelled', note: 'stopped before it started' });
            started = performance.now();
            client.send({ type: 'start' });
            break;
          case 'steps':
            compareLive.push(run.id, e.stats);
            steps = e.stats[e.stats.length - 1].step + 1;
            break;
          case 'progress':
            store.setCompareProgress({ epoch: e.epoch, step: e.step, stepInEpoch: e.stepInEpoch, stepsPerEpoch: e.stepsPerEpoch, totalSteps: e.totalSteps, etaSeconds: e.etaSeconds });
            break;
          case 'epoch':
            store.compareAddEpoch(run.id, e.record);
            break;
          case 'state':
            if (e.state === 'finished') {
              const done = { status: 'done' as const, note: e.reason && e.reason !== 'all epochs done' ? e.reason : null };
              if (!run.distill || !this.teacher) finish(done);
              else {
                const teacherLogits = this.teacher.logits;
                Promise.all([client.request({ type: 'outputs', indices: Array.from(dataset.splits.validation) }), client.request({ type: 'exportState' })])
                  .then(([out, state]) => {
                    this.kept.set(run.id, state);
                    finish({ ...done, distill: { ...run.distill!, agreement: agreement(out, teacherLogits, dataset.splits.validation) } });
                  })
                  .catch((err: unknown) => finish({ ...done, note: `agreement with the teacher not measured: ${err instanceof Error ? err.message : String(err)}` }));
              }
            }
            else if (e.state === 'stopped') finish({ status: 'cancelled', note: 'stopped by you' });
            else if (e.state === 'paused') {
              // A compare run pauses only on its own (NaN or an error): it cannot continue.
              client.send({ type: 'stop' });
              finish({ status: 'failed', note: e.reason ?? 'paused' });
            }
            break;
          case 'fatal':
            finish({ status: 'failed', note: e.message });
            break;
          case 'tuning':
            // Kernels tuned for this run's model are kept for the next (see tuning-storage.ts).
            if (e.report.status === 'done' && e.report.tuning.store) saveTuningEntry(e.report.tuning.store.key, JSON.stringify(e.report.tuning.store.entry));
            break;
          default:
            break;
        }
      };
      const client = new TrainingClient(onEvent);
      this.client = client;
      const useFeatures = run.model.image.encoder === 'features' && features?.datasetVersion === datasetVersion ? features.features : undefined;
      const teacher = run.distill?.role === 'student' && this.teacher ? { logits: this.teacher.logits, temperature: run.distill.temperature, alpha: run.distill.alpha } : undefined;
      client.send({ type: 'init', dataset: data, model: run.model, train: run.train, backend: 'auto', features: useFeatures, tuningEntries: storedTuningEntries(), teacher });
    });
  }

  /** The trained state of a distillation's student (null after a reload: only the page keeps it). */
  keptState(runId: string): TrainingState | null {
    return this.kept.get(runId) ?? null;
  }

  /** Id of the run being trained. */
  get running(): string | null {
    return this.current;
  }
}

/**
 * Share of the examples `indices` whose argmax of `outputs` ([indices.length, C], in that
 * order) equals the argmax of the teacher's row ([N, C] by example index).
 */
export function agreement(outputs: Float32Array, teacherLogits: Float32Array, indices: ArrayLike<number>): number {
  if (indices.length === 0) return NaN;
  const C = outputs.length / indices.length;
  const argmax = (z: Float32Array, o: number) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (z[o + c] > z[o + best]) best = c;
    return best;
  };
  let same = 0;
  for (let k = 0; k < indices.length; k++) if (argmax(outputs, k * C) === argmax(teacherLogits, indices[k] * C)) same++;
  return same / indices.length;
}

/** The one compare queue of the page. */
export const compareRunner = new CompareRunner();
