import { describe, expect, it } from 'vitest';
import type { StepStats } from '../train/trainer.ts';
import { packSteps, unpackSteps, validStoredSteps } from './step-columns.ts';

const steps: StepStats[] = [
  { step: 1, epoch: 0, loss: 2.5, lr: 0.001, gradNorm: 0.75, layerNorms: [0.1, 0.2, 0.3], timeNorms: [1, NaN, 3], timeShare: [1, 0.5, 0.25] },
  { step: 2, epoch: 0, loss: NaN, lr: 1 / 3, gradNorm: Infinity, layerNorms: [], timeNorms: [] },
  { step: 3, epoch: 1, loss: 1e-30, lr: 0.1, gradNorm: 0, layerNorms: [7], timeNorms: [4, 5], timeShare: [] },
];

describe('step statistics as columns', () => {
  it('round-trip every record exactly: NaN, ragged and empty arrays, a missing timeShare', () => {
    const c = packSteps(steps);
    expect(c.count).toBe(3);
    expect(Array.from(c.timeNorms.offsets)).toEqual([0, 3, 3, 5]);
    expect(unpackSteps(c)).toEqual(steps);
    expect('timeShare' in unpackSteps(c)[1]).toBe(false);
    expect(unpackSteps(packSteps([]))).toEqual([]);
  });

  it('pass records through and check columns', () => {
    expect(unpackSteps(steps)).toBe(steps);
    expect(validStoredSteps(steps)).toBe(true);
    expect(validStoredSteps(packSteps(steps))).toBe(true);
    expect(validStoredSteps({ ...packSteps(steps), count: 4 })).toBe(false);
    const c = packSteps(steps);
    expect(validStoredSteps({ ...c, layerNorms: { offsets: Uint32Array.from([0, 3, 1, 4]), values: new Float64Array(4) } })).toBe(false);
    expect(validStoredSteps({ ...c, timeNorms: { offsets: c.timeNorms.offsets, values: new Float64Array(2) } })).toBe(false);
    expect(validStoredSteps(null)).toBe(false);
  });
});
