// Live buffers: bounded memory at any run length, averages that keep the whole run, the
// newest value always shown as it is, and a ring of the last rows.
import { describe, expect, it } from 'vitest';
import { compareLive, History, LiveRun, PROFILE_STEPS, RowRing } from './live.ts';

describe('History', () => {
  it('keeps every row until full, then averages neighbours and doubles its stride', () => {
    const h = new History(1, 8);
    for (let s = 0; s < 8; s++) h.push(s, [s * 10]);
    expect(h.length).toBe(8);
    expect(h.stride).toBe(1);
    h.push(8, [80]); // full: compacts to 4 rows of 2 steps, the new step waits for its pair
    expect(h.stride).toBe(2);
    expect([0, 1, 2, 3].map((r) => h.row(r))).toEqual([
      [0.5, 5],
      [2.5, 25],
      [4.5, 45],
      [6.5, 65],
    ]);
    expect(h.row(4)).toEqual([8, 80]); // the pending half-filled row, as it is
    h.push(9, [90]);
    expect(h.row(4)).toEqual([8.5, 85]);
    expect(h.length).toBe(5);
  });

  it('stays bounded over a long run and still spans it', () => {
    const h = new History(2, 64);
    for (let s = 0; s < 100_000; s++) h.push(s, [Math.sin(s), s]);
    expect(h.length).toBeLessThanOrEqual(65);
    expect(h.row(0)[0]).toBeLessThan(h.stride);
    expect(h.row(h.length - 1)[0]).toBeGreaterThan(99_000);
    // Column 2 is the step itself: averages of steps equal the averaged x.
    for (let r = 0; r < h.length; r++) expect(h.row(r)[2]).toBeCloseTo(h.row(r)[0], 6);
  });

  it('decimates to at most maxPoints with bucket means and the newest row last', () => {
    const h = new History(1, 1024);
    for (let s = 0; s < 1000; s++) h.push(s, [s % 2]); // alternating 0, 1
    const d = h.decimated(100);
    expect(d).toHaveLength(100);
    expect(d[d.length - 1]).toEqual([999, 1]);
    for (const [, v] of d.slice(0, -1)) expect(v).toBeGreaterThan(0.3); // buckets average the alternation
    expect(h.decimated(5000)).toHaveLength(1000);
  });

  it('gives every stored row for the charts to reduce, the pending one last', () => {
    const h = new History(1, 8);
    for (let s = 0; s < 9; s++) h.push(s, [s * 10]);
    expect(h.all()).toEqual([
      [0.5, 5],
      [2.5, 25],
      [4.5, 45],
      [6.5, 65],
      [8, 80],
    ]);
  });
});

describe('RowRing', () => {
  it('keeps the last rows, oldest first', () => {
    const r = new RowRing(2, 3);
    for (let s = 0; s < 5; s++) r.push(s, [s, -s]);
    expect(r.rows().map((x) => [x.step, ...x.values])).toEqual([
      [2, 2, -2],
      [3, 3, -3],
      [4, 4, -4],
    ]);
  });
});

describe('LiveRun', () => {
  it('takes streamed steps, ignores repeats, and bumps its version', () => {
    const live = new LiveRun();
    live.reset(['a', 'b']);
    const v = live.version;
    const stat = (step: number) => ({ step, epoch: 0, loss: 1 / (step + 1), lr: 0.01, gradNorm: 2, layerNorms: [1, 3], timeNorms: [0.1, 0.2, 0.3] });
    live.push([stat(0), stat(1)]);
    live.push([stat(1), stat(2)]);
    expect(live.version).toBe(v + 2);
    expect(live.steps.length).toBe(3);
    expect(live.layers.row(2)).toEqual([2, 1, 3]);
    expect(live.time.rows().map((r) => r.step)).toEqual([0, 1, 2]);
    expect(Array.from(live.time.rows()[0].values)).toEqual([0.1, 0.2, 0.3]);
  });
});

describe('gradient over time in the live buffers', () => {
  it('keeps shares beside the profiles, and counts old saved steps without shares as full', () => {
    const live = new LiveRun();
    live.reset(['a']);
    const stat = (step: number, timeShare?: number[]) => ({ step, epoch: 0, loss: 1, lr: 0.01, gradNorm: 1, layerNorms: [1], timeNorms: [0.2, NaN], timeShare });
    live.push([stat(0), stat(1, [1, 0])]);
    expect(live.timeShare.rows().map((r) => Array.from(r.values))).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('keeps each compare run\'s last profile', () => {
    compareLive.clear();
    const stat = (step: number, v: number) => ({ step, epoch: 0, loss: 1, lr: 0.01, gradNorm: 1, layerNorms: [1], timeNorms: [v, v / 1e6], timeShare: [1, 1] });
    compareLive.push('rnn', Array.from({ length: 40 }, (_, k) => stat(k, k < 30 ? 100 : 1)));
    compareLive.push('lstm', [stat(0, 1)]);
    const rnn = compareLive.profile('rnn')!;
    // Only the last PROFILE_STEPS steps: the early large values are gone.
    expect(rnn.steps).toBe(PROFILE_STEPS);
    expect(rnn.mean[0]).toBeCloseTo((10 * 1 + (PROFILE_STEPS - 10) * 100) / PROFILE_STEPS, 9);
    expect(rnn.verdict).toBe('vanishing');
    expect(compareLive.profile('lstm')!.steps).toBe(1);
    expect(compareLive.profile('gru')).toBeNull();
    compareLive.clear();
    expect(compareLive.profile('rnn')).toBeNull();
  });
});

