// gradNorms on the CPU against torch.nn.utils.clip_grad_norm_ (norms, total, factor;
// NaN and Inf gradients; a parameter without grad), and the maxNorm = 0 convention.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { TOLERANCES } from '../autograd/gradcheck.ts';
import { checkClipFixture, clipFixtures } from './clip.support.ts';
import { gradNorms } from './clip.ts';

describe('gradNorms matches clip_grad_norm_ on the CPU', () => {
  it('has the NaN, Inf and missing-grad fixtures', () => {
    expect(clipFixtures().map((f) => f.name).sort()).toEqual(
      ['clip_active', 'clip_inactive', 'clip_inf_grad', 'clip_nan_grad', 'clip_param_without_grad', 'clip_single_large'].sort(),
    );
  });
  for (const f of clipFixtures()) {
    it(`${f.name} (f64)`, async () => {
      const r = await checkClipFixture(new CpuBackend({ precision: 'f64' }), f, { atol: 1e-12, rtol: 1e-12 });
      expect(r.ok, r.message).toBe(true);
    });
    it(`${f.name} (f32)`, async () => {
      const r = await checkClipFixture(new CpuBackend(), f, TOLERANCES.gpuVsCpu);
      expect(r.ok, r.message).toBe(true);
    });
  }
  it('maxNorm 0 means no clipping: factor 1', async () => {
    const cpu = new CpuBackend();
    const p = cpu.zeros([2]).param();
    p.grad = cpu.fromArray([30, 40], [2]);
    expect(Array.from(await gradNorms([p], 0).values.read())).toEqual([50, 50, 1]);
  });
  it('rejects a negative maxNorm', () => {
    const cpu = new CpuBackend();
    expect(() => gradNorms([cpu.zeros([1]).param()], -1)).toThrow(/gradNorms: maxNorm must be a finite number ≥ 0/);
  });
});
