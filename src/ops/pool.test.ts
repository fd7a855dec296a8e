// Pooling: ties go to the first maximum (row-major window order), like torch; floor
// mode; argmax indices; errors.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { backward } from './grad.ts';
import { scope } from '../tensor.ts';
import { globalAvgPool, maxPool2d } from './pool.ts';
import { sum } from './reduce.ts';

describe('maxPool2d', () => {
  const cpu = new CpuBackend();
  it('routes the gradient of a tied window to its first maximum', async () => {
    // One 4×4 plane; windows 2×2: [1 1; 1 1] (all tied), [0 2; 2 0], [3 0; 0 3], [5 4; 5 5].
    const x = cpu.fromArray([1, 1, 0, 2, 1, 1, 2, 0, 3, 0, 5, 4, 0, 3, 5, 5], [1, 1, 4, 4]).param();
    const grad = await scope(() => {
      const y = maxPool2d(x, { size: 2 });
      backward(sum(y));
      return y.read();
    });
    expect(Array.from(grad)).toEqual([1, 2, 3, 5]);
    expect(Array.from(await x.grad!.read())).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
  });
  it('floor mode drops the last row and column that do not fill a window', () => {
    expect(maxPool2d(cpu.zeros([2, 3, 5, 7]), { size: 2 }).shape).toEqual([2, 3, 2, 3]);
    expect(maxPool2d(cpu.zeros([1, 1, 7, 9]), { size: 3, stride: 2 }).shape).toEqual([1, 1, 3, 4]);
  });
  it('names the op and shape when the window does not fit', () => {
    expect(() => maxPool2d(cpu.zeros([1, 1, 1, 4]), { size: 2 })).toThrow(/maxPool2d: window 2 does not fit the 1×4 input/);
    expect(() => maxPool2d(cpu.zeros([4, 4]), { size: 2 })).toThrow(/maxPool2d: x must be \[N, C, H, W\]/);
  });
});

describe('globalAvgPool', () => {
  it('means each plane', async () => {
    const cpu = new CpuBackend();
    const y = globalAvgPool(cpu.fromArray([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]));
    expect(y.shape).toEqual([1, 2]);
    expect(Array.from(await y.read())).toEqual([2.5, 25]);
  });
});
