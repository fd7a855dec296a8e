// timeNorms: exact values, no tape node, shape errors.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { timeNorms } from './norms.ts';

describe('timeNorms', () => {
  const cpu = new CpuBackend({ precision: 'f64' });
  it('is √(Σ_{b,f} x²) per timestep and records nothing on the tape', async () => {
    // x[b, t, f], B 2, T 3, F 2.
    const x = cpu.fromArray([3, 0, 1, 1, 0, 0, 0, 4, 1, 1, 0, 0], [2, 3, 2]).param();
    const n = timeNorms(x);
    expect(Array.from(await n.read())).toEqual([5, 2, 0]);
    expect(n.node).toBeNull();
  });
  it('wants [B, T, F]', () => {
    expect(() => timeNorms(cpu.zeros([3, 4]))).toThrow(/timeNorms: x must be \[B, T, F\]/);
  });
});
