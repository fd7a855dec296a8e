// k-fold cross-validation: one fresh model per fold, trained on the other folds and
// scored on its own; reports every fold and the mean ± standard deviation of each metric.
// The app's k-fold control runs the folds through the compare queue instead (one worker
// per fold, state/compare-runner.ts) and summarises them with `summarizeFolds`.
import type { Backend } from '../backend/backend.ts';
import type { PreparedDataset, Splits } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { TrainConfig } from './config.ts';
import { Trainer, summarize, type EvalSummary, type TrainerEvent } from './trainer.ts';

export interface CrossValidationResult {
  folds: EvalSummary[];
  /** Per metric: mean and sample standard deviation over the folds that report it. */
  summary: Record<string, { mean: number; std: number }>;
}

export function meanStd(values: number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

/** Per metric: mean and sample standard deviation over the folds that report a finite value. */
export function summarizeFolds(folds: EvalSummary[]): CrossValidationResult['summary'] {
  const summary: CrossValidationResult['summary'] = {};
  const keys = new Set(folds.flatMap((f) => Object.keys(f) as (keyof EvalSummary)[]));
  for (const key of keys) {
    const values = folds.map((r) => r[key as keyof EvalSummary]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length) summary[key] = meanStd(values);
  }
  return summary;
}

/**
 * Trains and evaluates one model per fold. Each fold's `validation` indices are its
 * held-out part (scored after training); its `train` indices train the model.
 */
export async function crossValidate(
  backend: Backend,
  data: PreparedDataset,
  model: ModelConfig,
  train: TrainConfig,
  folds: Splits[],
  onEvent: (fold: number, e: TrainerEvent) => void = () => {},
): Promise<CrossValidationResult> {
  if (folds.length < 2) throw new Error(`cross-validation needs at least 2 folds, got ${folds.length}`);
  const results: EvalSummary[] = [];
  for (let k = 0; k < folds.length; k++) {
    const foldData: PreparedDataset = { ...data, splits: { train: folds[k].train, validation: folds[k].validation, test: new Int32Array(0) } };
    const trainer = new Trainer(backend, foldData, model, { ...train, seed: train.seed + k }, (e) => onEvent(k, e));
    try {
      await trainer.start();
      results.push(summarize(await trainer.evaluate('validation')));
    } finally {
      trainer.dispose();
      trainer.model.dispose();
    }
  }
  return { folds: results, summary: summarizeFolds(results) };
}
