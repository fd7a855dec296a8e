// Axis ticks: distinct labels, whole numbers on integer axes, decades on log axes.
import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks } from './ticks.ts';

const labels = (t: { ticks: number[]; format: (v: number) => string }) => t.ticks.map(t.format);

describe('linearTicks', () => {
  it('keeps an integer axis whole, however short (no repeated "1" labels)', () => {
    const t = linearTicks(1, 2, { integer: true });
    expect(t.ticks).toEqual([1, 2]);
    expect(labels(t)).toEqual(['1', '2']);
    expect(linearTicks(0, 3, { integer: true }).ticks.every(Number.isInteger)).toBe(true);
  });
  it('gives one tick for one value, inside a wider domain', () => {
    const t = linearTicks(1, 1, { integer: true });
    expect(t.ticks).toEqual([1]);
    expect(t.domain[0]).toBeLessThan(1);
    expect(t.domain[1]).toBeGreaterThan(1);
  });
  it('labels long step numbers distinctly', () => {
    for (const [lo, hi] of [
      [10000, 10400],
      [123456, 123999],
      [0, 1],
      [0.0001, 0.00013],
      [-3.2, 7.9],
    ]) {
      const t = linearTicks(lo, hi);
      const l = labels(t);
      expect(new Set(l).size, l.join(' ')).toBe(l.length);
      expect(t.ticks.length).toBeGreaterThanOrEqual(2);
      expect(t.domain[0]).toBeLessThanOrEqual(lo);
      expect(t.domain[1]).toBeGreaterThanOrEqual(hi);
    }
    expect(labels(linearTicks(0, 1))).toEqual(['0', '0.25', '0.5', '0.75', '1']);
  });
});

describe('logTicks', () => {
  it('uses decades, thinned over a wide range, with distinct labels', () => {
    const t = logTicks(3e-18, 2e-3);
    const l = labels(t);
    expect(new Set(l).size).toBe(l.length);
    expect(t.ticks.length).toBeLessThanOrEqual(7);
    expect(t.domain[0]).toBeLessThanOrEqual(3e-18);
    expect(t.domain[1]).toBeGreaterThanOrEqual(2e-3);
    for (const v of t.ticks) expect(Math.log10(v) % 1).toBeCloseTo(0, 9);
  });
  it('adds 2 and 5 within one decade', () => {
    expect(labels(logTicks(0.3, 0.9))).toEqual(['0.1', '0.2', '0.5', '1']);
  });
});
