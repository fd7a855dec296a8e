// Op suite on the CPU backend in Node: float64 finite-difference gradient checks of
// every case, CPU f32 vs the f64 reference, and that every op in the table is tested.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { mean, OPS, runOp, type OpName } from './index.ts';
import { allCases, compareWithReference, gradcheckCase } from './ops.support.ts';

const cases = allCases();

describe('op table', () => {
  it('every op has at least one test case', () => {
    const covered = new Set(cases.flatMap((c) => c.ops));
    const missing = Object.keys(OPS).filter((name) => !covered.has(name as keyof typeof OPS));
    expect(missing).toEqual([]);
  });

  it('runs an op under its name in the table', () => {
    const backend = new CpuBackend();
    const x = backend.fromArray(new Float32Array([1, 2, 3, 4]), [4], 'f32', 'x');
    expect(mean(x).label).toBe('sum.out0');
    // Checked by the typecheck: runOp takes only names in the table.
    expectTypeOf<Parameters<typeof runOp>[0]>().toEqualTypeOf<OpName>();
    expectTypeOf<'mean'>().not.toExtend<OpName>();
  });
});

describe('gradcheck (float64 central differences, CPU reference)', () => {
  for (const c of cases) {
    if (c.skipGradcheck) continue;
    it(c.name, () => {
      const reports = gradcheckCase(c);
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('cpu f32 vs f64 reference', () => {
  const backend = new CpuBackend();
  for (const c of cases) {
    it(c.name, async () => {
      const reports = await compareWithReference(c, backend);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});
