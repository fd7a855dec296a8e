// The overfitting detector: validation loss above its best for 3+ epochs while the
// training loss keeps falling; not for noise, not while validation still improves, not
// when training stalls too (that is not memorising).
import { describe, expect, it } from 'vitest';
import { detectOverfitting } from './overfitting.ts';
import type { EpochRecord } from './trainer.ts';

/** Records from per-epoch [training loss, validation loss] pairs. */
const records = (pairs: [number, number][]): EpochRecord[] => pairs.map(([trainLoss, loss], i) => ({ epoch: i + 1, step: (i + 1) * 10, trainLoss, validation: { loss } }));

describe('detectOverfitting', () => {
  it('names the best epoch once validation loss stayed above it for three epochs while training loss fell', () => {
    const h = records([
      [1.0, 0.9],
      [0.7, 0.6],
      [0.5, 0.5],
      [0.4, 0.55],
      [0.3, 0.62],
    ]);
    expect(detectOverfitting(h)).toBeNull(); // two epochs above: not yet
    h.push(...records([[0.2, 0.7]]).map((r) => ({ ...r, epoch: 6 })));
    expect(detectOverfitting(h)).toEqual({ bestEpoch: 3, bestValidationLoss: 0.5, epochsAbove: 3, lastValidationLoss: 0.7, trainLossAtBest: 0.5, lastTrainLoss: 0.2 });
  });

  it('stays quiet while validation loss still reaches new lows, and with fewer epochs than asked', () => {
    expect(detectOverfitting(records([[1, 1], [0.8, 1.1], [0.6, 1.2], [0.5, 0.9], [0.4, 0.95]]))).toBeNull();
    expect(detectOverfitting(records([[1, 0.5], [0.8, 0.6], [0.6, 0.7]]), 3)).toBeNull();
    expect(detectOverfitting(records([[1, 0.5], [0.8, 0.6], [0.6, 0.7]]), 2)).not.toBeNull();
  });

  it("stays quiet when training loss did not fall below the best epoch's (no memorising: a bad learning rate, say)", () => {
    expect(detectOverfitting(records([[0.5, 0.5], [0.6, 0.6], [0.55, 0.7], [0.52, 0.8]]))).toBeNull();
    expect(detectOverfitting(records([[0.5, 0.5], [0.3, 0.6], [0.35, 0.7], [0.5, 0.8]]))).toBeNull();
    // Near zero, training loss wobbles from epoch to epoch: still overfitting.
    expect(detectOverfitting(records([[0.5, 0.5], [1e-3, 0.6], [2e-4, 0.7], [3e-4, 0.8]]))?.epochsAbove).toBe(3);
  });

  it('ignores non-finite validation losses and needs a record', () => {
    expect(detectOverfitting([])).toBeNull();
    expect(detectOverfitting(records([[1, Number.NaN], [0.8, 0.5], [0.6, 0.6], [0.4, 0.7], [0.3, 0.8]]))?.bestEpoch).toBe(2);
  });
});
