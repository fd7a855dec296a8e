// sigmoidCrossEntropy against the textbook formula −y·log σ(z) − (1 − y)·log(1 − σ(z)),
// masked means, finiteness at large logits, and the shape errors.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { sigmoidCrossEntropy } from './bce.ts';

const naive = (z: number, y: number) => {
  const s = 1 / (1 + Math.exp(-z));
  return -y * Math.log(s) - (1 - y) * Math.log(1 - s);
};

describe('sigmoidCrossEntropy', () => {
  const cpu = new CpuBackend({ precision: 'f64' });
  it('is the mean of −y log σ(z) − (1 − y) log(1 − σ(z)) over B × C', async () => {
    const z = [2, -1, 0.3, -0.7, 1.5, 0];
    const y = [1, 0, 0, 1, 1, 0];
    const loss = sigmoidCrossEntropy(cpu.fromArray(z, [2, 3]), cpu.fromArray(y, [2, 3]));
    const expected = z.reduce((a, v, i) => a + naive(v, y[i]), 0) / 6;
    expect((await loss.read())[0]).toBeCloseTo(expected, 12);
  });
  it('with a mask: weighted mean over the masked rows × C', async () => {
    const z = [2, -1, 0.3, -0.7];
    const y = [1, 0, 0, 1];
    const loss = sigmoidCrossEntropy(cpu.fromArray(z, [2, 2]), cpu.fromArray(y, [2, 2]), cpu.fromArray([0, 1], [2]));
    expect((await loss.read())[0]).toBeCloseTo((naive(0.3, 0) + naive(-0.7, 1)) / 2, 12);
  });
  it('stays finite and exact at logits of ±100', async () => {
    const loss = sigmoidCrossEntropy(cpu.fromArray([100, -100], [1, 2]), cpu.fromArray([0, 0], [1, 2]));
    expect((await loss.read())[0]).toBeCloseTo(50, 10);
  });
  it('names the op and shapes on a mismatch', () => {
    expect(() => sigmoidCrossEntropy(cpu.zeros([2, 3]), cpu.zeros([2, 2]))).toThrow(/sigmoidCrossEntropy: targets must be \[2, 3\]/);
    expect(() => sigmoidCrossEntropy(cpu.zeros([2, 3]), cpu.zeros([2, 3]), cpu.zeros([3]))).toThrow(/mask must be \[2\]/);
  });
});
