import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.ts';

describe('learning-rate schedules', () => {
  it('constant', () => {
    expect(learningRate({ baseRate: 0.01, schedule: { kind: 'constant' } }, 1000)).toBe(0.01);
  });
  it('step decay halves every 10 steps', () => {
    const cfg = { baseRate: 1, schedule: { kind: 'step' as const, every: 10, factor: 0.5 } };
    expect(learningRate(cfg, 9)).toBe(1);
    expect(learningRate(cfg, 10)).toBe(0.5);
    expect(learningRate(cfg, 25)).toBe(0.25);
  });
  it('cosine goes from base to min over totalSteps', () => {
    const cfg = { baseRate: 1, schedule: { kind: 'cosine' as const, totalSteps: 100, minRate: 0.1 } };
    expect(learningRate(cfg, 0)).toBeCloseTo(1, 12);
    expect(learningRate(cfg, 50)).toBeCloseTo(0.55, 12);
    expect(learningRate(cfg, 100)).toBeCloseTo(0.1, 12);
    expect(learningRate(cfg, 500)).toBeCloseTo(0.1, 12);
  });
  it('linear warm-up then linear decay', () => {
    const cfg = { baseRate: 1, warmupSteps: 4, schedule: { kind: 'linear' as const, totalSteps: 14, endRate: 0 } };
    expect([0, 1, 2, 3].map((s) => learningRate(cfg, s))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(learningRate(cfg, 4)).toBe(1);
    expect(learningRate(cfg, 9)).toBeCloseTo(0.5, 12);
    expect(learningRate(cfg, 14)).toBe(0);
  });
});
