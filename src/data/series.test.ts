// The built-in series generators and the series dataset builder: seeded, shaped as
// documented, the regime change and the spike are where they are said to be, and the
// naive forecast repeats the last input value.
import { describe, expect, it } from 'vitest';
import { generateSeries, naiveForecast, seriesDataset } from './series.ts';

describe('series generators', () => {
  it('Sines: same seed same data, T × F frames, k targets, 70/15/15 split', () => {
    const a = generateSeries({ count: 100, length: 20, horizon: 4, seed: 3 });
    const b = generateSeries({ count: 100, length: 20, horizon: 4, seed: 3 });
    const c = generateSeries({ count: 100, length: 20, horizon: 4, seed: 4 });
    expect(a.series!.frames).toEqual(b.series!.frames);
    expect(a.series!.frames).not.toEqual(c.series!.frames);
    expect(a.series!.frames).toHaveLength(100 * 20);
    expect(a.targets.kind).toBe('regression');
    const t = a.targets as { values: Float32Array; width?: number };
    expect(t.width).toBe(4);
    expect(t.values).toHaveLength(400);
    expect([a.splits.train.length, a.splits.validation.length, a.splits.test.length]).toEqual([70, 15, 15]);
    expect(Array.from(a.lengths).every((l) => l === 20)).toBe(true);
    expect(a.maxLength).toBe(20);
  });

  it('Sines: without noise, the first and last quarter of a window follow different sums of sines', () => {
    const d = generateSeries({ count: 50, length: 64, horizon: 8, noise: 0, seed: 1 });
    const f = d.series!.frames;
    // A pure sum of two sines has a bounded second difference; a switch breaks the pattern.
    // Compare the mean absolute value before the earliest switch (t < 16) and after the latest (t ≥ 48).
    let differ = 0;
    for (let i = 0; i < 50; i++) {
      const early = f.subarray(i * 64, i * 64 + 16).reduce((s, v) => s + Math.abs(v), 0) / 16;
      const late = f.subarray(i * 64 + 48, i * 64 + 64).reduce((s, v) => s + Math.abs(v), 0) / 16;
      if (Math.abs(early - late) > 0.05) differ++;
    }
    expect(differ).toBeGreaterThan(25);
  });

  it('Spike: one spike in the first 4 steps, the targets sit at half its height', () => {
    const d = generateSeries({ generator: 'spike', count: 40, length: 30, horizon: 5, noise: 0, seed: 2 });
    const f = d.series!.frames;
    const y = (d.targets as { values: Float32Array }).values;
    for (let i = 0; i < 40; i++) {
      const w = Array.from(f.subarray(i * 30, (i + 1) * 30));
      const at = w.findIndex((v) => v !== 0);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(4);
      expect(w.filter((v) => v !== 0)).toHaveLength(1);
      expect(Math.abs(w[at])).toBeGreaterThanOrEqual(2);
      for (let j = 0; j < 5; j++) expect(y[i * 5 + j]).toBeCloseTo(w[at] / 2, 5);
    }
  });

  it('the naive forecast repeats the last real frame', () => {
    const d = seriesDataset(
      [
        { id: 'a', frames: Float32Array.of(1, 2, 3), length: 3, target: Float32Array.of(4, 5) },
        { id: 'b', frames: Float32Array.of(7, 8), length: 2, target: Float32Array.of(9, 10) },
      ],
      { name: 't', frameSize: 1, split: { train: 0.5, validation: 0.5, seed: 1, stratify: false }, report: { issues: [], rowsSeen: 2, rowsKept: 2, rowsSkipped: 0 } },
    );
    expect(d.maxLength).toBe(3);
    expect(Array.from(d.lengths)).toEqual([3, 2]);
    expect(Array.from(naiveForecast(d, [0, 1]))).toEqual([3, 3, 8, 8]);
  });

  it('rejects settings it cannot generate', () => {
    expect(() => generateSeries({ length: 1 })).toThrow(/at least 2 steps/);
    expect(() => generateSeries({ horizon: 0 })).toThrow(/horizon/);
  });
});
