// decimateMinMax: at most two rows per pixel column, every column's extremes kept in the
// order they occurred (a single spike survives), sparse lines gain no points.
import { describe, expect, it } from 'vitest';
import { decimateMinMax, type ChartRow } from './decimate.ts';

function lossRows(n: number, spikeAt = -1): ChartRow[] {
  return Array.from({ length: n }, (_, i) => ({ step: i + 1, loss: i + 1 === spikeAt ? 50 : 1 + Math.sin(i / 7) * 0.1 }));
}

describe('decimateMinMax', () => {
  it('returns the rows unchanged when they fit in two rows per column', () => {
    const rows = lossRows(400);
    expect(decimateMinMax(rows, 'step', ['loss'], 200)).toBe(rows);
  });

  it('keeps at most two rows per column and a one-step spike', () => {
    const rows = lossRows(5000, 3217);
    const out = decimateMinMax(rows, 'step', ['loss'], 300);
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out.length).toBeGreaterThan(300);
    const losses = out.map((r) => r.loss as number);
    expect(Math.max(...losses)).toBe(50);
    const min = Math.min(...rows.map((r) => r.loss as number));
    expect(Math.min(...losses)).toBe(min);
    // The first and last steps are drawn, and x never goes backwards.
    expect(out[0].step).toBe(1);
    expect(out[out.length - 1].step).toBe(5000);
    for (let i = 1; i < out.length; i++) expect(out[i].step as number).toBeGreaterThanOrEqual(out[i - 1].step as number);
  });

  it('puts each column’s extremes in the order they occurred', () => {
    // One column of 10 rows: the maximum (9, second row) comes before the minimum (1, fifth).
    const rows: ChartRow[] = [3, 9, 4, 5, 1, 6, 2, 7, 5, 4].map((v, i) => ({ step: i, v }));
    const out = decimateMinMax(rows, 'step', ['v'], 1);
    expect(out).toEqual([
      { step: 0, v: 9 },
      { step: 9, v: 1 },
    ]);
  });

  it('gives a sparse line no extra points and keeps each line’s extremes separately', () => {
    const rows: ChartRow[] = [];
    for (let s = 1; s <= 3000; s++) {
      rows.push({ step: s, loss: s === 1500 ? -2 : 1, validation: null });
      if (s % 500 === 0) rows.push({ step: s, validation: s / 1000 });
    }
    const out = decimateMinMax(rows, 'step', ['loss', 'validation'], 100);
    expect(out.map((r) => r.validation).filter((v) => v !== null && v !== undefined)).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(Math.min(...out.map((r) => r.loss as number).filter((v) => v !== null))).toBe(-2);
    expect(out.length).toBeLessThanOrEqual(200);
  });
});
