import { describe, expect, it } from 'vitest';
import { forecastReport } from './forecast.ts';

describe('forecastReport', () => {
  it('scores all values and each horizon step', () => {
    // 2 examples × 2 steps; errors: step 1 → 1, −1; step 2 → 2, 0.
    const r = forecastReport([1, 2, 3, 4], [0, 0, 4, 4], 2);
    expect(r.overall.mse).toBeCloseTo((1 + 4 + 1 + 0) / 4);
    expect(r.overall.mae).toBeCloseTo((1 + 2 + 1 + 0) / 4);
    expect(r.perStep[0].rmse).toBeCloseTo(1);
    expect(r.perStep[1].rmse).toBeCloseTo(Math.sqrt(2));
    expect(r.perStep[1].mae).toBeCloseTo(1);
    expect(() => forecastReport([1, 2, 3], [1, 2, 3], 2)).toThrow(/rows of 2/);
  });
});
