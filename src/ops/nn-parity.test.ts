// conv2d, pooling, embedding, BCE and batch norm against PyTorch (float64 fixtures) on the f64 CPU backend.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { checkNnFixture, nnFixtures } from './nn-parity.support.ts';

describe('nn ops match PyTorch (CPU f64)', () => {
  const cpu = new CpuBackend({ precision: 'f64' });
  for (const fixture of nnFixtures()) {
    it(fixture.name, async () => {
      const reports = await checkNnFixture(cpu, fixture, { atol: 1e-10, rtol: 1e-10 });
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});
