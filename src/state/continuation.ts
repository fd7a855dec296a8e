// What Train or Step does once a run has ended (finished or stopped) with a trained model:
// go on training that model when the settings still describe it (a finished run gets
// more epochs), or ask before a new, untrained model replaces it. Pure: the controller
// (training.ts) acts on the answer.
import type { PreparedDataset } from '../data/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { TrainConfig } from '../train/config.ts';
import type { Setup } from './settings.ts';
import { setupChanges } from './url.ts';

/** The parts of a session (or of the session the settings describe) that decide. */
export interface RunShape {
  dataset: PreparedDataset;
  model: ModelConfig;
  train: TrainConfig;
  features: Float32Array | null | undefined;
}

export type NextRun =
  /** Build a fresh model (nothing trained would be lost). */
  | { kind: 'new' }
  /** Rebuild the trained model from its state and go on (see `continuedEpochs`). */
  | { kind: 'continue' }
  /** The settings describe another model: ask before replacing the trained one. */
  | { kind: 'ask'; changes: string[] };

/** The training settings with what may differ between a run and its continuation blanked. */
function fixedTraining(train: TrainConfig): unknown {
  const schedule = 'totalSteps' in train.schedule ? { ...train.schedule, totalSteps: 0 } : train.schedule;
  return { ...train, epochs: 0, schedule, optimizer: { ...train.optimizer, lr: 0 }, stepDelayMs: 0, earlyStopping: null };
}

/** True when `target` trains the same model on the same data as `session`, apart from the epochs and the live settings. */
export function sameRun(session: RunShape, target: RunShape): boolean {
  return (
    session.dataset === target.dataset &&
    (session.features ?? null) === (target.features ?? null) &&
    JSON.stringify(session.model) === JSON.stringify(target.model) &&
    JSON.stringify(fixedTraining(session.train)) === JSON.stringify(fixedTraining(target.train))
  );
}

/**
 * The decision for Train or Step. `ended`: the run finished or was stopped;
 * `trainedSteps`: its position; `before`/`after`: the settings the session was built from
 * and the current ones (for the question's list of changes).
 */
export function nextRun(o: { ended: boolean; trainedSteps: number; session: RunShape | null; target: RunShape; before: Setup | null; after: Setup }): NextRun {
  if (!o.ended || o.trainedSteps === 0 || !o.session) return { kind: 'new' };
  if (sameRun(o.session, o.target)) return { kind: 'continue' };
  return { kind: 'ask', changes: o.before ? setupChanges(o.before, o.after) : [] };
}

/**
 * The epochs a continued run trains to, from the `done` epochs of its state and the
 * `wanted` epochs of the settings: as many again once all are done, else the setting.
 */
export function continuedEpochs(done: number, wanted: number): number {
  return done >= wanted ? done + wanted : wanted;
}
