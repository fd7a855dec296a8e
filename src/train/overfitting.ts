// Telling overfitting from the epoch records: validation loss above its best for several
// epochs in a row while the training loss keeps falling — the model fits its training
// examples better and new ones worse.
import type { EpochRecord } from './trainer.ts';

/** Epochs in a row above the best validation loss that count as overfitting. */
const OVERFITTING_EPOCHS = 3;

export interface OverfittingSign {
  /** The epoch (1-based, as in the records) with the lowest validation loss. */
  bestEpoch: number;
  bestValidationLoss: number;
  /** Epochs since the best one, every one of them above its validation loss. */
  epochsAbove: number;
  lastValidationLoss: number;
  /** Mean training loss of the best epoch and of the last one. */
  trainLossAtBest: number;
  lastTrainLoss: number;
}

/**
 * Overfitting, or null: the epochs after the one with the lowest validation loss number
 * at least `minEpochs`, and each has a higher validation loss than that one and a lower
 * training loss. (Not "lower than the epoch before": once a model has memorised its
 * training set, its training loss wobbles near zero, and the notice must not flicker.)
 */
export function detectOverfitting(history: readonly EpochRecord[], minEpochs = OVERFITTING_EPOCHS): OverfittingSign | null {
  let best = -1;
  for (let i = 0; i < history.length; i++) {
    const v = history[i].validation.loss;
    if (Number.isFinite(v) && (best < 0 || v < history[best].validation.loss)) best = i;
  }
  if (best < 0) return null;
  const at = history[best];
  const after = history.slice(best + 1);
  if (after.length < minEpochs) return null;
  const risen = after.every((h) => h.validation.loss > at.validation.loss);
  const trainBelow = after.every((h) => Number.isFinite(h.trainLoss) && h.trainLoss < at.trainLoss);
  const last = after[after.length - 1];
  if (!risen || !trainBelow) return null;
  return {
    bestEpoch: at.epoch,
    bestValidationLoss: at.validation.loss,
    epochsAbove: after.length,
    lastValidationLoss: last.validation.loss,
    trainLossAtBest: at.trainLoss,
    lastTrainLoss: last.trainLoss,
  };
}
