// Run slice: the training session in the worker as the page sees it — what it was built
// from, its status, throttled progress and throughput, the per-epoch history, NaN
// notices, evaluation results and the weights version the inspector refreshes on.
// Per-step numbers are not here: they go to the live buffers (state/live.ts).
import type { StateCreator } from 'zustand';
import type { PreparedDataset } from '../../data/types.ts';
import type { ModelConfig } from '../../models/config.ts';
import type { TrainConfig } from '../../train/config.ts';
import type { EvalResult } from '../../train/evaluate.ts';
import type { ReadyInfo, RestoredPosition } from '../../train/protocol.ts';
import type { DataSource, Setup } from '../settings.ts';
import type { EpochRecord, ThroughputStats, TrainerEvent } from '../../train/trainer.ts';
import type { Store } from '../store.ts';

/** none: no session; starting: the worker is building the model; the rest mirror the trainer. */
export type RunStatus = 'none' | 'starting' | 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

export type Progress = Omit<Extract<TrainerEvent, { type: 'progress' }>, 'type'>;
export type NanNotice = Omit<Extract<TrainerEvent, { type: 'nan' }>, 'type'>;

/** What a session was built from. */
export interface SessionSpec {
  key: string;
  dataset: PreparedDataset;
  /** Resolved configs the worker trains. */
  model: ModelConfig;
  train: TrainConfig;
  /** The settings they were resolved from (what a restored session puts back). */
  setup: Setup;
  datasetSource: DataSource | null;
  /** The ONNX image features the model reads, if any. */
  features: { fileName: string; featureSize: number; provider: 'webgpu' | 'wasm' } | null;
  featureValues: Float32Array | null;
}

/** A question before a new, untrained model replaces a trained one (Train or Step pressed after the run ended). */
export interface ReplaceQuestion {
  /** Steps the trained model has. */
  step: number;
  /** How the settings differ from the trained model's ("hidden 64 → 128"). */
  changes: string[];
  /** What the user pressed: done on the new model once they agree. */
  action: 'train' | 'step';
}

export interface RunSlice {
  runStatus: RunStatus;
  /** Why the run paused, finished or failed, in the trainer's words. */
  runReason: string | null;
  session: SessionSpec | null;
  runInfo: ReadyInfo | null;
  progress: Progress | null;
  throughput: ThroughputStats | null;
  history: EpochRecord[];
  nan: NanNotice | null;
  /** Recent messages from the trainer (newest last). */
  runLog: string[];
  /** What happened when the GPU device was lost and how training went on, in plain words. */
  deviceNotice: string | null;
  /** Changes when the weights in the worker changed (at most about once a second while training). */
  weightsVersion: number;
  evaluation: EvalResult | null;
  evalBusy: boolean;
  evalError: string | null;
  replaceQuestion: ReplaceQuestion | null;
  setReplaceQuestion(q: ReplaceQuestion | null): void;
  sessionStarting(spec: SessionSpec): void;
  sessionReady(info: ReadyInfo): void;
  /** Ready with saved training state: its history and position, paused (or finished). */
  sessionRestored(info: ReadyInfo, state: RestoredPosition): void;
  sessionFailed(message: string): void;
  setRunStatus(status: RunStatus, reason?: string | null): void;
  setProgress(progress: Progress): void;
  setThroughput(throughput: ThroughputStats): void;
  addEpoch(record: EpochRecord): void;
  /** Several records at once (one render for a burst of short epochs). */
  addEpochs(records: EpochRecord[]): void;
  setNan(nan: NanNotice | null): void;
  addLog(message: string): void;
  setDeviceNotice(message: string | null): void;
  bumpWeights(): void;
  evaluationStarted(): void;
  evaluationDone(result: EvalResult): void;
  evaluationFailed(message: string): void;
}

const LOG_LINES = 20;

export const createRunSlice: StateCreator<Store, [], [], RunSlice> = (set) => ({
  runStatus: 'none',
  runReason: null,
  session: null,
  runInfo: null,
  progress: null,
  throughput: null,
  history: [],
  nan: null,
  runLog: [],
  deviceNotice: null,
  weightsVersion: 0,
  evaluation: null,
  evalBusy: false,
  evalError: null,
  replaceQuestion: null,
  setReplaceQuestion: (q) => set({ replaceQuestion: q }),
  sessionStarting: (spec) =>
    set({ replaceQuestion: null, runStatus: 'starting', runReason: null, session: spec, runInfo: null, progress: null, throughput: null, history: [], nan: null, runLog: [], deviceNotice: null, evaluation: null, evalBusy: false, evalError: null }),
  sessionReady: (info) =>
    set((s) => ({
      runStatus: 'idle',
      runInfo: info,
      weightsVersion: s.weightsVersion + 1,
      progress: { epoch: 0, step: 0, stepInEpoch: 0, stepsPerEpoch: info.stepsPerEpoch, totalSteps: info.totalSteps, etaSeconds: null },
    })),
  sessionRestored: (info, state) =>
    set((s) => ({
      runStatus: s.session && state.epoch >= s.session.train.epochs ? 'finished' : 'paused',
      runReason: null,
      runInfo: info,
      history: state.history,
      weightsVersion: s.weightsVersion + 1,
      progress: {
        epoch: state.epoch,
        step: state.step,
        stepInEpoch: s.session ? Math.ceil(state.cursor / s.session.train.batchSize) : 0,
        stepsPerEpoch: info.stepsPerEpoch,
        totalSteps: info.totalSteps,
        etaSeconds: null,
      },
    })),
  sessionFailed: (message) => set({ runStatus: 'failed', runReason: message }),
  setRunStatus: (status, reason = null) => set({ runStatus: status, runReason: reason }),
  setProgress: (progress) => set({ progress }),
  setThroughput: (throughput) => set({ throughput }),
  addEpoch: (record) => set((s) => ({ history: [...s.history, record] })),
  addEpochs: (records) => set((s) => ({ history: s.history.concat(records) })),
  setNan: (nan) => set({ nan }),
  addLog: (message) => set((s) => ({ runLog: [...s.runLog.slice(-(LOG_LINES - 1)), message] })),
  setDeviceNotice: (message) => set({ deviceNotice: message }),
  bumpWeights: () => set((s) => ({ weightsVersion: s.weightsVersion + 1 })),
  evaluationStarted: () => set({ evalBusy: true, evalError: null }),
  evaluationDone: (result) => set({ evaluation: result, evalBusy: false }),
  evaluationFailed: (message) => set({ evalBusy: false, evalError: message }),
});
