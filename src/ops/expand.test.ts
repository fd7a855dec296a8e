// expand / sumAxis: exact values and the shape errors.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { expand, sumAxis } from './expand.ts';

describe('expand and sumAxis', () => {
  const cpu = new CpuBackend();
  it('expand [2, 2] axis 1 n 3 repeats each row', async () => {
    const y = expand(cpu.fromArray([1, 2, 3, 4], [2, 2]), 1, 3);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(Array.from(await y.read())).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
  });
  it('sumAxis [2, 3] axis 0 and 1', async () => {
    const x = cpu.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from(await sumAxis(x, 0).read())).toEqual([5, 7, 9]);
    expect(Array.from(await sumAxis(x, 1).read())).toEqual([6, 15]);
  });
  it('bad axes name the op and shapes', () => {
    expect(() => expand(cpu.zeros([2, 3]), 3, 2)).toThrow(/expand: axis 3 is outside \[0, 2\].*\[2, 3\]/);
    expect(() => sumAxis(cpu.zeros([2, 3]), 2)).toThrow(/sumAxis: axis 2 is outside \[0, 2\)/);
  });
});
