// Training settings: optimizer, schedule, batch, epochs, clipping, early stopping, the
// readback interval and the demo speed control. Serialisable (it travels to the worker
// and into the URL).
import type { OptimizerConfig } from '../optim/optimizer.ts';
import type { Schedule } from '../optim/schedule.ts';
import { PRECISIONS, type Precision } from '../ops/precision-names.ts';

/** Validation metrics early stopping can watch. */
export type MonitorMetric = 'loss' | 'accuracy' | 'macroF1' | 'auc' | 'rmse' | 'bleu';

export interface EarlyStoppingConfig {
  enabled: boolean;
  metric: MonitorMetric;
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Put back the weights of the best epoch when training ends. */
  restoreBest: boolean;
}

export interface TrainConfig {
  optimizer: OptimizerConfig;
  schedule: Schedule;
  warmupSteps: number;
  batchSize: number;
  epochs: number;
  /** Clip gradients to this global L2 norm; 0 turns clipping off (norms are still shown). */
  clipNorm: number;
  seed: number;
  earlyStopping: EarlyStoppingConfig;
  /** Steps between asynchronous readbacks of the per-step statistics. */
  readbackEvery: number;
  /** Pause between steps for demos, in ms (0 = full speed). */
  stepDelayMs: number;
  /** Validation examples decoded for BLEU after each epoch (captioning). */
  captionEvalExamples: number;
  /**
   * Weight precision on WebGPU (src/ops/precision.ts): f32 (default, also when absent),
   * f16 weights, or f16 arithmetic (needs shader-f16). A training setting, not a model
   * one: the model's weights, its exports and its CPU reference stay f32; only how a
   * step's products read the weights changes. The CPU backend ignores it.
   */
  precision?: Precision;
}

export function defaultTrainConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    optimizer: { kind: 'adam', lr: 0.003 },
    schedule: { kind: 'constant' },
    warmupSteps: 0,
    batchSize: 32,
    epochs: 10,
    clipNorm: 5,
    seed: 1,
    earlyStopping: { enabled: false, metric: 'loss', patience: 3, restoreBest: true },
    readbackEvery: 5,
    stepDelayMs: 0,
    captionEvalExamples: 64,
    ...overrides,
  };
}

/** Whether a larger value of the metric is better. */
export function higherIsBetter(metric: MonitorMetric): boolean {
  return metric !== 'loss' && metric !== 'rmse';
}

export function validateTrainConfig(c: TrainConfig): string[] {
  const problems: string[] = [];
  if (!(c.optimizer.lr > 0 && Number.isFinite(c.optimizer.lr))) problems.push(`The learning rate must be a positive number (got ${c.optimizer.lr}).`);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1 || c.batchSize > 4096) problems.push(`Batch size must be a whole number from 1 to 4096 (got ${c.batchSize}).`);
  if (!Number.isInteger(c.epochs) || c.epochs < 1) problems.push(`Epochs must be a whole number ≥ 1 (got ${c.epochs}).`);
  if (!(c.clipNorm >= 0)) problems.push(`Gradient clipping norm must be ≥ 0 (got ${c.clipNorm}).`);
  if (!Number.isInteger(c.readbackEvery) || c.readbackEvery < 1) problems.push(`Readback interval must be ≥ 1 step (got ${c.readbackEvery}).`);
  if (c.precision !== undefined && !PRECISIONS.includes(c.precision)) problems.push(`Precision must be one of ${PRECISIONS.join(', ')} (got ${String(c.precision)}).`);
  if (c.earlyStopping.enabled && (!Number.isInteger(c.earlyStopping.patience) || c.earlyStopping.patience < 1)) {
    problems.push(`Early-stopping patience must be ≥ 1 epoch (got ${c.earlyStopping.patience}).`);
  }
  return problems;
}
