// Gradient-over-time profiles: NaN-aware averaging, judging only positions enough texts
// reach, and the verdict from the median change per step.
import { describe, expect, it } from 'vitest';
import { JUDGE_FACTOR, MIN_JUDGED_SHARE, timeProfile } from './time-profile.ts';

const row = (values: number[]) => ({ values });

describe('timeProfile', () => {
  it('averages each position over the steps that reached it', () => {
    const p = timeProfile([row([1, 2, NaN]), row([3, NaN, NaN])], [row([1, 0.5, 0]), row([1, 0, 0])]);
    expect(Array.from(p.mean.slice(0, 2))).toEqual([2, 2]);
    expect(p.mean[2]).toBeNaN();
    expect(Array.from(p.share)).toEqual([1, 0.25, 0]);
  });

  it('calls a steady geometric fall vanishing and a flat profile with a bump at the end nothing', () => {
    const K = 60;
    const ones = row(new Array(K).fill(1));
    const falling = timeProfile([row(Array.from({ length: K }, (_, k) => 0.5 ** k))], [ones]);
    expect(falling.verdict).toBe('vanishing');
    expect(falling.perStep).toBeCloseTo(0.5, 12);
    expect(falling.judgedUpTo).toBe(K - 1);
    // A trained gated cell: large at the last few tokens, flat beyond them.
    const bump = timeProfile([row(Array.from({ length: K }, (_, k) => (k < 4 ? 10 ** (-5 - k) : 1e-9)))], [ones]);
    expect(bump.ratio!).toBeLessThan(1e-3);
    expect(bump.verdict).toBeNull();
    // Underflow to exactly 0 far back is judged too (vanished), not dropped.
    const underflow = timeProfile([row(Array.from({ length: K }, (_, k) => (k < 50 ? 0.5 ** k : 0)))], [ones]);
    expect(underflow.judgedUpTo).toBe(K - 1);
    expect(underflow.ratio).toBe(0);
    expect(underflow.verdict).toBe('vanishing');
    const rising = timeProfile([row(Array.from({ length: K }, (_, k) => 1.2 ** k))], [ones]);
    expect(rising.verdict).toBe('exploding');
    expect(rising.trend!).toBeGreaterThan(JUDGE_FACTOR);
  });

  it('judges only positions that enough texts reach', () => {
    // Few long texts with tiny gradients far back must not turn a flat profile into "vanishing".
    const values = [1, 1, 1, 1, 1e-9, 1e-12];
    const share = [1, 1, 0.8, 0.5, MIN_JUDGED_SHARE / 2, 0.05];
    const p = timeProfile([row(values)], [row(share)]);
    expect(p.judgedUpTo).toBe(3);
    expect(p.ratio).toBe(1);
    expect(p.verdict).toBeNull();
  });

  it('has no verdict without a second judged position', () => {
    const p = timeProfile([row([2, NaN])], [row([1, 0])]);
    expect(p.judgedUpTo).toBeNull();
    expect(p.verdict).toBeNull();
  });
});
