// timeNormsFromEnd: exact values, padding never counts, no tape node, shape errors.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { timeNormsFromEnd, timeShareFromEnd } from './norms.ts';
import { seededValues } from './ops.support.ts';

/** Writes examples (each [L_b, F] rows) into a [B, T, F] batch, filling padding with `pad`. */
function padded(examples: number[][][], T: number, F: number, pad: (b: number, t: number, f: number) => number): number[] {
  const out: number[] = [];
  examples.forEach((rows, b) => {
    for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) out.push(t < rows.length ? rows[t][f] : pad(b, t, f));
  });
  return out;
}

describe('timeNormsFromEnd', () => {
  const cpu = new CpuBackend({ precision: 'f64' });
  it('averages per-example norms by distance from the last real token, NaN where no example reaches', async () => {
    // B 2, T 3, F 2. Example 0 has 3 tokens with norms 5, 1, 2; example 1 has 1 token with norm 4 (then padding).
    const x = cpu.fromArray([3, 4, 1, 0, 0, 2, 0, 4, 9, 9, 9, 9], [2, 3, 2]).param();
    const n = timeNormsFromEnd(x, cpu.fromArray([3, 1], [2], 'i32'));
    // k 0: (‖x[0,2]‖ + ‖x[1,0]‖) / 2 = (2 + 4) / 2; k 1: ‖x[0,1]‖ = 1; k 2: ‖x[0,0]‖ = 5.
    expect(Array.from(await n.read())).toEqual([3, 1, 5]);
    expect(n.node).toBeNull();
    const none = timeNormsFromEnd(x, cpu.fromArray([1, 0], [2], 'i32'));
    const values = Array.from(await none.read());
    expect(values[0]).toBe(5);
    expect(values.slice(1).every(Number.isNaN)).toBe(true);
  });

  it('gives the same profile for a padded batch, the same examples unpadded, and other padding', async () => {
    const F = 4;
    const lengths = [5, 2, 7, 1, 4];
    const examples = lengths.map((L, b) => Array.from({ length: L }, (_, t) => seededValues(F, 100 * b + t + 1)));
    const profile = async (T: number, pad: (b: number, t: number, f: number) => number) =>
      Array.from(await timeNormsFromEnd(cpu.fromArray(padded(examples, T, F, pad), [lengths.length, T, F]), cpu.fromArray(lengths, [lengths.length], 'i32')).read());
    const zeros = await profile(7, () => 0);
    const noise = await profile(7, (b, t, f) => 1000 * (b + t + f + 1));
    const wider = await profile(12, () => -3);
    expect(noise).toEqual(zeros);
    expect(wider.slice(0, 7)).toEqual(zeros);
    expect(wider.slice(7).every(Number.isNaN)).toBe(true);
    // Each example alone, unpadded (T = L_b): the batch profile is the mean over those that have k.
    const alone = await Promise.all(
      examples.map(async (rows, b) => Array.from(await timeNormsFromEnd(cpu.fromArray(rows.flat(), [1, rows.length, F]), cpu.fromArray([lengths[b]], [1], 'i32')).read())),
    );
    for (let k = 0; k < 7; k++) {
      const have = alone.filter((p) => p.length > k).map((p) => p[k]);
      expect(zeros[k]).toBeCloseTo(have.reduce((a, v) => a + v, 0) / have.length, 12);
    }
  });

  it('wants [B, T, F] and lengths [B]', () => {
    expect(() => timeNormsFromEnd(cpu.zeros([3, 4]), cpu.zeros([3], 'i32'))).toThrow(/timeNormsFromEnd: x must be \[B, T, F\]/);
    expect(() => timeNormsFromEnd(cpu.zeros([3, 4, 2]), cpu.zeros([2], 'i32'))).toThrow(/timeNormsFromEnd: lengths must be \[B\]/);
  });
});

describe('timeShareFromEnd', () => {
  it('is the share of the examples with a text that reach each distance', () => {
    expect(timeShareFromEnd([3, 1, 0, 2], 4)).toEqual([1, 2 / 3, 1 / 3, 0]);
    expect(timeShareFromEnd([0, 0], 2)).toEqual([0, 0]);
  });
});
