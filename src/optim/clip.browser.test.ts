// gradNorms on WebGPU: clip_grad_norm_ fixtures (NaN, Inf, missing grads), a gradient
// large enough for several workgroups against a float64 host sum, maxNorm 0, and that
// it records work without a submit, a readback or new buffers after the first call;
// its factor drives optimizer.update as the gradient scale.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { TOLERANCES } from '../autograd/gradcheck.ts';
import { scope } from '../tensor.ts';
import { seededValues } from '../ops/ops.support.ts';
import { checkClipFixture, clipFixtures } from './clip.support.ts';
import { gradNorms } from './clip.ts';
import { createOptimizer } from './optimizer.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

describe('gradNorms on WebGPU', () => {
  for (const f of clipFixtures()) {
    it(f.name, async () => {
      const r = await checkClipFixture(gpu, f, TOLERANCES.gpuVsCpu);
      expect(r.ok, r.message).toBe(true);
    });
  }

  it('a 300 000-element gradient (32 workgroups) and small ones, against a float64 host sum', async () => {
    const sizes = [300_000, 70_000, 10];
    const data = sizes.map((n, k) => seededValues(n, 17 + k));
    const params = sizes.map((n, k) => {
      const p = gpu.zeros([n]).param();
      p.grad = gpu.fromArray(data[k], [n]);
      return p;
    });
    const norms = data.map((d) => Math.sqrt(d.reduce((a, v) => a + Math.fround(v) ** 2, 0)));
    const total = Math.sqrt(norms.reduce((a, v) => a + v * v, 0));
    const got = await gradNorms(params, 10).values.read();
    const expected = [...norms, total, Math.min(1, 10 / (total + 1e-6))];
    expected.forEach((e, i) => expect(Math.abs(got[i] - e)).toBeLessThanOrEqual(1e-5 * Math.abs(e)));
  });

  it('maxNorm 0 gives factor 1', async () => {
    const p = gpu.zeros([2]).param();
    p.grad = gpu.fromArray([30, 40], [2]);
    expect(Array.from(await gradNorms([p], 0).values.read())).toEqual([50, 50, 1]);
  });

  it('records without submitting and allocates nothing new after the first call; the factor scales the update', async () => {
    const p = gpu.fromArray([1, 1], [2]).param();
    p.grad = gpu.fromArray([3, 4], [2]).keep();
    const opt = createOptimizer([p], { kind: 'sgd', lr: 1 });
    const step = () =>
      scope(() => {
        const { factor } = gradNorms([p], 1);
        opt.update(1, factor);
      });
    step();
    await gpu.sync();
    const submits = gpu.recorder.submits;
    const created = gpu.pool.created;
    step();
    expect(gpu.recorder.submits).toBe(submits);
    expect(gpu.pool.created).toBe(created);
    // θ = 1 − 2·(3, 4)·(1 / (5 + 1e-6)) after two steps.
    const got = await p.read();
    expect(got[0]).toBeCloseTo(1 - (2 * 3) / (5 + 1e-6), 5);
    expect(got[1]).toBeCloseTo(1 - (2 * 4) / (5 + 1e-6), 5);
  });
});
