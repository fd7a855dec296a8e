// Compare slice: runs that differ in one setting (or the folds of a k-fold
// cross-validation), queued and trained one after another in fresh worker sessions with
// the same seed and data; their per-epoch histories,
// time and parameter count. Per-step losses of these runs are in live.ts (compareLive).
import type { StateCreator } from 'zustand';
import type { Splits } from '../../data/types.ts';
import type { ModelConfig } from '../../models/config.ts';
import type { TrainConfig } from '../../train/config.ts';
import type { EpochRecord } from '../../train/trainer.ts';
import type { Store } from '../store.ts';
import type { Progress } from './run.ts';

/** Settings a comparison can vary. */
export type CompareSetting = 'cell' | 'fusion' | 'optimizer' | 'learningRate' | 'hiddenSize' | 'numLayers' | 'bidirectional' | 'encoder' | 'batchSize';

/** What a queue varies: one setting, the fold of a k-fold cross-validation, or a distillation (teacher, student, labels-only student). */
export type CompareVaried = CompareSetting | 'fold' | 'distill';

/**
 * A row of a distillation queue (src/state/distill.ts): the trained model (teacher, not
 * trained again), the student trained on its softened logits, or the same student trained
 * on the labels alone (the baseline). T and α are the student's settings.
 */
export interface DistillRecord {
  role: 'teacher' | 'student' | 'baseline';
  temperature: number;
  alpha: number;
  /** The teacher in words ("LSTM, 32 units, 1 layer, 60 steps"). */
  teacher: string;
  /** Share of validation examples whose predicted class is the teacher's (1 for the teacher). */
  agreement?: number;
}

/** Cross-validation folds the Compare panel offers. */
export const FOLD_RANGE = { min: 3, max: 10 } as const;

export type CompareRunStatus = 'queued' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface CompareRun {
  id: string;
  /** What this queue varies. */
  setting: CompareVaried;
  /** The varied setting's value as shown, e.g. "lstm" or "0.01" (the fold's number for folds). */
  value: string;
  /** For a cross-validation fold: its splits (validation = this fold) and the dataset version they index. */
  fold?: { index: number; count: number; splits: Splits; datasetVersion: number };
  model: ModelConfig;
  train: TrainConfig;
  status: CompareRunStatus;
  parameters: number | null;
  history: EpochRecord[];
  /** Wall-clock training time in seconds. */
  seconds: number | null;
  steps: number;
  /** Why it failed or stopped early. */
  note: string | null;
  /** Set on the rows of a distillation queue. */
  distill?: DistillRecord;
}

/** A run waiting in the queue, nothing trained yet. */
export function queuedRun(run: Pick<CompareRun, 'id' | 'setting' | 'value' | 'model' | 'train'> & Partial<CompareRun>): CompareRun {
  return { status: 'queued', parameters: null, history: [], seconds: null, steps: 0, note: null, ...run };
}

export interface CompareSlice {
  compareSetting: CompareSetting;
  /** Values chosen per setting (kept when switching between settings). */
  compareValues: Record<CompareSetting, string[]>;
  /** Epochs per compared run. */
  compareEpochs: number;
  /** k of the k-fold cross-validation. */
  compareFolds: number;
  compareRuns: CompareRun[];
  compareRunning: boolean;
  /** Progress of the run being trained. */
  compareProgress: Progress | null;
  setCompareSetting(setting: CompareSetting): void;
  setCompareValues(setting: CompareSetting, values: string[]): void;
  setCompareEpochs(epochs: number): void;
  setCompareFolds(folds: number): void;
  compareQueued(runs: CompareRun[]): void;
  compareUpdate(id: string, patch: Partial<CompareRun>): void;
  compareAddEpoch(id: string, record: EpochRecord): void;
  setCompareProgress(progress: Progress | null): void;
  compareStopped(): void;
  compareClear(): void;
}

const DEFAULT_COMPARE_VALUES: Record<CompareSetting, string[]> = {
  cell: ['rnn_tanh', 'lstm', 'gru'],
  fusion: ['text', 'image', 'late'],
  optimizer: ['sgd', 'adam'],
  learningRate: ['0.001', '0.003', '0.01'],
  hiddenSize: ['16', '64'],
  numLayers: ['1', '2'],
  bidirectional: ['false', 'true'],
  encoder: ['cnn', 'mlp'],
  batchSize: ['16', '64'],
};

export const createCompareSlice: StateCreator<Store, [], [], CompareSlice> = (set) => ({
  compareSetting: 'fusion',
  compareValues: DEFAULT_COMPARE_VALUES,
  compareEpochs: 3,
  compareFolds: 5,
  compareRuns: [],
  compareRunning: false,
  compareProgress: null,
  setCompareSetting: (setting) => set({ compareSetting: setting }),
  setCompareValues: (setting, values) => set((s) => ({ compareValues: { ...s.compareValues, [setting]: values } })),
  setCompareEpochs: (epochs) => set({ compareEpochs: epochs }),
  setCompareFolds: (folds) => set({ compareFolds: folds }),
  compareQueued: (runs) => set({ compareRuns: runs, compareRunning: true, compareProgress: null }),
  compareUpdate: (id, patch) => set((s) => ({ compareRuns: s.compareRuns.map((r) => (r.id === id ? { ...r, ...patch } : r)) })),
  compareAddEpoch: (id, record) => set((s) => ({ compareRuns: s.compareRuns.map((r) => (r.id === id ? { ...r, history: [...r.history, record] } : r)) })),
  setCompareProgress: (progress) => set({ compareProgress: progress }),
  compareStopped: () => set({ compareRunning: false, compareProgress: null }),
  compareClear: () => set({ compareRuns: [], compareRunning: false, compareProgress: null }),
});
