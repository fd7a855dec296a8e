// Messages between the page and the training worker. The worker file is a switch over
// `ToWorker`; everything it posts is a `FromWorker`. Typed arrays inside these messages
// cross as transferables (see `transferables`).
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { GateTrace } from '../ops/recurrent.ts';
import type { EarlyStoppingConfig, TrainConfig } from './config.ts';
import type { EvalResult, SplitName } from './evaluate.ts';
import type { TeacherTargets, TrainerEvent, TrainingState } from './trainer.ts';
import type { AdapterSummary } from '../gpu/device.ts';
import type { KernelTuning } from '../ops/gemm-tuning.ts';
import type { BackendComparison } from './backend-race.ts';

export type { TrainingState };

export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/** What to inspect: a dataset example, or the user's own text with a dataset image (or none). */
/** `encoder: 'audio'`: the gates of the audio encoder over the clip's frames (audio models), else the text encoder's. */
export type InspectTarget = { example: number; encoder?: 'audio' } | { text: string; imageExample: number | null; encoder?: 'audio' };

export interface Inspection {
  /** Token strings of the text as the model saw it. */
  tokens: string[];
  /** Gate traces per layer·direction (see GateTrace). Empty for image-only models. */
  traces: GateTrace[];
  /** Class probabilities, the predicted value, or a generated caption. */
  prediction: { kind: 'classes'; classes: string[]; probabilities: number[] } | { kind: 'value'; value: number; /** Every predicted value when forecasting k steps (value is the first). */ values?: number[] } | { kind: 'caption'; text: string };
  /** |∂score/∂pixel| max over channels, [S·S] row-major, normalised to [0, 1]; null without an image. */
  saliency: Float32Array | null;
  imageSize: number;
}

/** Where chosen units fire across a split (LSTMVis-style matching). */
export interface UnitScanRequest {
  layer: number;
  direction: number;
  /** A GateTrace value name: 'h', 'c', a gate ('i', 'f', 'g', 'o', 'r', 'z', 'n') or 'pre'. */
  state: string;
  units: number[];
  split: 'train' | 'validation' | 'test';
  /** Examples scanned at most (from the start of the split). */
  limit: number;
}

export interface UnitScanResult {
  /** Per scanned example: its tokens and, per token, the mean value of the chosen units. */
  examples: { index: number; tokens: string[]; values: number[] }[];
}

export type ToWorker =
  | {
      type: 'init';
      dataset: PreparedDataset;
      model: ModelConfig;
      train: TrainConfig;
      backend: BackendChoice;
      features?: Float32Array;
      resume?: TrainingState;
      /** Steps between host copies of the state (tests); default HOST_COPY_EVERY. */
      hostCopyEvery?: number;
      /** The page's kernel-tuning entries (localStorage keys starting with TUNING_KEY_PREFIX): a worker has no localStorage. */
      tuningEntries?: Record<string, string>;
      /** Tuning's time allowance, ms (tests); default TUNING_BUDGET_MS. */
      tuningBudgetMs?: number;
      /** Train as a student of these teacher logits (knowledge distillation, see TeacherTargets). */
      teacher?: TeacherTargets;
    }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'stop' }
  | { type: 'setLearningRate'; lr: number }
  | { type: 'setSpeed'; stepDelayMs: number }
  | { type: 'setEarlyStopping'; earlyStopping: EarlyStoppingConfig }
  | { type: 'restoreLastGood'; requestId: number }
  | { type: 'evaluate'; requestId: number; split: SplitName }
  | { type: 'inspect'; requestId: number; target: InspectTarget; saliency: boolean }
  | { type: 'scanUnits'; requestId: number; request: UnitScanRequest }
  | { type: 'exportState'; requestId: number }
  | { type: 'outputs'; requestId: number; indices: number[] }
  /** Times a few training steps of the model on WebGPU and on the CPU (fallback adapters; not while training runs). */
  | { type: 'compareBackends'; requestId: number }
  /** Times the kernels again, ignoring the cached choice ("Re-run tuning"; not while training runs). */
  | { type: 'retune' }
  /** Test hook: destroys the GPU device as a driver reset would (see README, "Faults"). */
  | { type: 'loseDevice' }
  | { type: 'dispose' };

export interface ReadyInfo {
  backend: string;
  backendKind: 'webgpu' | 'cpu';
  /** Why WebGPU was not used, when the backend is the CPU. */
  fallbackReason: string | null;
  /** The weight precision in use, in words ("f16 weights"; on the CPU backend, that it ignores the setting). */
  precision?: string;
  /** Set when the CPU was chosen over a fallback adapter because it measured faster for this model (backend-race.ts). */
  chosenReason?: string | null;
  parameters: number;
  paramNames: string[];
  layerNames: string[];
  stepsPerEpoch: number;
  totalSteps: number;
  /** The WebGPU adapter (absent on the CPU backend). */
  adapter?: AdapterSummary;
  /** Adapter limits worth reporting with benchmark results (absent on the CPU backend). */
  limits?: Record<string, number>;
}

/** What the kernel tuner is doing, as the worker reports it. */
export type TuningReport =
  | { status: 'running'; done: number; total: number }
  | { status: 'done'; tuning: KernelTuning }
  | { status: 'failed'; message: string };

/** Results of requests, by request type. */
export interface ResultValues {
  restoreLastGood: { step: number };
  evaluate: EvalResult;
  inspect: Inspection;
  scanUnits: UnitScanResult;
  exportState: TrainingState;
  outputs: Float32Array;
  compareBackends: BackendComparison;
}

/** Where a session rebuilt from a saved or host-kept state stands. */
export type RestoredPosition = Pick<TrainingState, 'step' | 'epoch' | 'cursor' | 'history'>;

export type FromWorker =
  | { type: 'ready'; info: ReadyInfo }
  /** The GPU device was lost after `lostAtStep` steps; the host copy holds step `keptStep`. */
  | { type: 'deviceLost'; reason: string; lostAtStep: number; keptStep: number }
  /** Rebuilt on a new device (or the CPU, `info.fallbackReason`) at `position`; `resumed`: training went on. */
  | { type: 'recovered'; info: ReadyInfo; lostAtStep: number; position: RestoredPosition; resumed: boolean }
  | TrainerEvent
  | { type: 'tuning'; report: TuningReport }
  | { type: 'result'; requestId: number; ok: true; value: ResultValues[keyof ResultValues] }
  | { type: 'result'; requestId: number; ok: false; error: string }
  | { type: 'fatal'; message: string };

/** ArrayBuffers in a value that can be transferred instead of copied. */
export function transferables(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  collectBuffers(value, out);
  return [...out];
}

function collectBuffers(value: unknown, out: Set<ArrayBuffer>): void {
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buf.byteLength) out.add(buf);
  } else if (Array.isArray(value)) {
    for (const v of value) collectBuffers(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collectBuffers(v, out);
  }
}
