// Batch norm on the CPU: the running statistics follow torch's update (unbiased variance,
// momentum 0.1), evaluation mode reads them, and bad shapes name the op.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { batchNorm2d } from './batch-norm.ts';

describe('batchNorm2d', () => {
  const cpu = new CpuBackend({ precision: 'f64' });
  it('updates the running statistics like torch (unbiased variance, momentum 0.1) and counts the batch', async () => {
    // One channel, values 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14/3.
    const x = cpu.fromArray([1, 2, 3, 6], [2, 1, 1, 2]);
    const buffers = { runningMean: cpu.fromArray([0], [1]), runningVar: cpu.fromArray([1], [1]), numBatchesTracked: cpu.fromArray([4], [1]) };
    const y = batchNorm2d(x, cpu.fromArray([2], [1]), cpu.fromArray([0.5], [1]), buffers, { training: true });
    const inv = 1 / Math.sqrt(3.5 + 1e-5);
    const expected = [1, 2, 3, 6].map((v) => 2 * (v - 3) * inv + 0.5);
    Array.from(await y.read()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    expect((await buffers.runningMean.read())[0]).toBeCloseTo(0.3, 12);
    expect((await buffers.runningVar.read())[0]).toBeCloseTo(0.9 + 0.1 * (14 / 3), 12);
    expect((await buffers.numBatchesTracked.read())[0]).toBe(5);
  });
  it('evaluation mode uses the running statistics and leaves them unchanged', async () => {
    const x = cpu.fromArray([1, 2, 3, 6], [1, 2, 1, 2]);
    const buffers = { runningMean: cpu.fromArray([1, -1], [2]), runningVar: cpu.fromArray([4, 0.25], [2]) };
    const y = batchNorm2d(x, cpu.fromArray([1, 1], [2]), cpu.fromArray([0, 0], [2]), buffers, { training: false });
    const e = 1e-5;
    const expected = [0, 1 / Math.sqrt(4 + e), 4 / Math.sqrt(0.25 + e), 7 / Math.sqrt(0.25 + e)];
    Array.from(await y.read()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    expect(Array.from(await buffers.runningMean.read())).toEqual([1, -1]);
  });
  it('names the op and the shapes', () => {
    const one = cpu.fromArray([1], [1]);
    const buffers = { runningMean: cpu.fromArray([0], [1]), runningVar: cpu.fromArray([1], [1]) };
    expect(() => batchNorm2d(cpu.zeros([1, 1, 1, 1]), one, one, buffers, { training: true })).toThrow(/batchNorm2d: training needs more than one value per channel/);
    expect(() => batchNorm2d(cpu.zeros([2, 3, 2, 2]), one, one, buffers, { training: true })).toThrow(/batchNorm2d: input 1 must be \[3\]/);
    expect(() => batchNorm2d(cpu.zeros([4, 3]), one, one, buffers, { training: false })).toThrow(/batchNorm2d: x must be \[N, C, H, W\]/);
  });
});
