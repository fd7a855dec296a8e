// The ETA waits for settled step times: nothing during the warm-up and the first timed
// steps, nothing while step times still drift, then steps left × the mean step time.
import { describe, expect, it } from 'vitest';
import { EtaEstimator } from './eta.ts';

/** Feeds step durations (ms) after a restart at t = 0; returns the estimate after each step. */
function feed(eta: EtaEstimator, durations: number[], stepsLeft: number): (number | null)[] {
  let t = 0;
  eta.restart(t);
  return durations.map((d) => {
    t += d;
    eta.record(t);
    return eta.estimate(stepsLeft);
  });
}

describe('EtaEstimator', () => {
  it('says nothing during the slow first steps and until ten steady steps were timed', () => {
    const eta = new EtaEstimator({ warmupSteps: 2, window: 5, tolerance: 0.25, keep: 200 });
    // Two 5-second pipeline-building steps, then steady 500 ms steps.
    const out = feed(eta, [5000, 5000, ...new Array(12).fill(500)], 100);
    expect(out.slice(0, 11)).toEqual(new Array(11).fill(null));
    expect(out[11]).toBeCloseTo(50, 6); // 100 steps × 0.5 s, the warm-up not counted
  });

  it('estimates from the steps that agreed, not the slower ones before them', () => {
    const eta = new EtaEstimator({ warmupSteps: 0, window: 5, tolerance: 0.25, keep: 200 });
    const out = feed(eta, [3000, 2500, 2000, ...new Array(10).fill(1000)], 10);
    expect(out[12]).toBeCloseTo(10, 6);
  });

  it('waits while step times drift, and a restart starts over', () => {
    const eta = new EtaEstimator({ warmupSteps: 0, window: 5, tolerance: 0.25, keep: 200 });
    // Step times fall from 2 s to 0.5 s: the halves' medians disagree for a while.
    const drifting = Array.from({ length: 10 }, (_, i) => 2000 - i * 150);
    expect(feed(eta, drifting, 10).every((v) => v === null)).toBe(true);
    const steady = feed(eta, new Array(10).fill(400), 10);
    expect(steady[9]).toBeCloseTo(4, 6);
  });

  it('stays shown through one slow epoch-end evaluation, and includes it in the mean', () => {
    const eta = new EtaEstimator({ warmupSteps: 0, window: 5, tolerance: 0.25, keep: 200 });
    const out = feed(eta, [...new Array(10).fill(100), 1100], 10);
    expect(out[9]).toBeCloseTo(1, 6);
    // The mean runs over the five settled steps and the evaluation step after them.
    expect(out[10]).toBeCloseTo((10 * (5 * 100 + 1100)) / 6 / 1000, 6);
  });
});
