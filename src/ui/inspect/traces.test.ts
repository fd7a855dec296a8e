// Inspector helpers: span ranking finds a planted unit, matching keeps examples whose
// units reach the threshold, the previous step follows the direction of the recurrence,
// colour scales fit their states, and numbers print and parse back.
import { describe, expect, it } from 'vitest';
import { Random } from '../../random.ts';
import { formatValue, matchExamples, meanOfUnits, previousStep, rankUnits, scaleFor, statesFor } from './traces.ts';

describe('inspector helpers', () => {
  it('ranks the unit planted on a span first, with its means', () => {
    const H = 12;
    const L = 7;
    const rng = new Random(3);
    const values = new Float32Array(10 * H);
    for (let k = 0; k < values.length; k++) values[k] = rng.uniform(-0.3, 0.3);
    for (let t = 0; t < L; t++) values[t * H + 7] = t >= 2 && t <= 4 ? 0.9 : -0.4;
    // Steps past L are padding and must not count.
    for (let t = L; t < 10; t++) values[t * H + 5] = 100;
    const ranks = rankUnits(values, H, L, 4, 2);
    expect(ranks).toHaveLength(H);
    expect(ranks[0].unit).toBe(7);
    expect(ranks[0].spanMean).toBeCloseTo(0.9, 6);
    expect(ranks[0].restMean).toBeCloseTo(-0.4, 6);
    expect(ranks[0].score).toBeCloseTo(1.3, 6);
    for (let k = 1; k < H; k++) expect(ranks[k].score).toBeLessThanOrEqual(ranks[k - 1].score);
    // By hand for another unit.
    const u = ranks[3].unit;
    const inside = [2, 3, 4].map((t) => values[t * H + u]);
    const outside = [0, 1, 5, 6].map((t) => values[t * H + u]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(ranks[3].score).toBeCloseTo(mean(inside) - mean(outside), 6);
    // The whole text as the span: nothing elsewhere.
    expect(rankUnits(values, H, L, 0, L - 1)[0].restMean).toBe(0);
  });

  it('averages chosen units per step and matches scanned examples at a threshold', () => {
    const values = Float32Array.from([1, 2, 3, 4, 5, 6]); // T = 2, H = 3
    expect(meanOfUnits(values, 3, 2, [0, 2])).toEqual([2, 5]);
    const scan = {
      examples: [
        { index: 4, tokens: ['a', 'b', 'c'], values: [0.1, 0.8, 0.9] },
        { index: 9, tokens: ['d', 'e'], values: [0.2, 0.3] },
        { index: 2, tokens: ['f', 'g', 'h'], values: [0.95, 0.1, 0.1] },
        { index: 7, tokens: ['x'], values: [0.99] },
      ],
    };
    const m = matchExamples(scan, 0.5, 7);
    expect(m.map((x) => x.index)).toEqual([4, 2]);
    expect(m[0].firing).toEqual([false, true, true]);
    expect(m[1].count).toBe(1);
  });

  it('steps back along the direction of the recurrence', () => {
    expect(previousStep(3, 0, 5)).toBe(2);
    expect(previousStep(0, 0, 5)).toBeNull();
    expect(previousStep(3, 1, 5)).toBe(4);
    expect(previousStep(4, 1, 5)).toBeNull();
  });

  it('shows every gate and state of each cell on a scale that fits it', () => {
    expect(statesFor('lstm').map((s) => s.name)).toEqual(['i', 'f', 'g', 'o', 'c', 'h']);
    expect(statesFor('gru').map((s) => s.name)).toEqual(['r', 'z', 'n', 'h']);
    expect(statesFor('rnn_tanh').map((s) => s.name)).toEqual(['pre', 'h']);
    const v = Float32Array.from([0.5, -3, 2, 9]); // only the first 3 values are real (L = 3, H = 1)
    expect(scaleFor('gate', v, 1, 3, 'cividis')).toEqual({ map: 'cividis', min: 0, max: 1 });
    expect(scaleFor('signed', v, 1, 3, 'viridis')).toEqual({ map: 'coolwarm', min: -1, max: 1 });
    expect(scaleFor('unbounded', v, 1, 3, 'viridis')).toEqual({ map: 'coolwarm', min: -3, max: 3 });
    expect(scaleFor('relu', v, 1, 3, 'viridis')).toEqual({ map: 'viridis', min: 0, max: 3 });
  });

  it('formats numbers with a true minus sign', () => {
    expect(formatValue(-0.123456)).toBe('−0.1235');
    expect(formatValue(-0.00001)).toBe('0.0000');
    expect(formatValue(Infinity)).toBe('+∞');
    expect(formatValue(NaN)).toBe('—');
  });
});
