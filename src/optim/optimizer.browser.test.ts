// Fused optimizer kernels on WebGPU against torch.optim golden values (every kind and
// option, gradient scales, skipped parameters), checkpoint resume, and the cost of an
// update: one dispatch per parameter with a gradient, no submit, no new buffers.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { TOLERANCES } from '../autograd/gradcheck.ts';
import { checkOptimFixture, checkOptimResume, optimFixtures } from './optim.support.ts';
import { createOptimizer } from './optimizer.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

describe('optimizers match torch.optim on WebGPU (f32)', () => {
  for (const f of optimFixtures()) {
    it(f.name, async () => {
      const reports = await checkOptimFixture(gpu, f, TOLERANCES.gpuVsCpu);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
  for (const f of optimFixtures().filter((x) => ['sgd_nesterov_weight_decay', 'rmsprop_centered_momentum_weight_decay', 'adamw_weight_decay'].includes(x.name))) {
    it(`${f.name}: checkpoint and resume`, async () => {
      const reports = await checkOptimResume(gpu, f, TOLERANCES.gpuVsCpu);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('update cost', () => {
  it('one dispatch per parameter with a gradient; no submit; no new buffers after the first update', async () => {
    const params = [gpu.full([300], 0.5).param(), gpu.full([4, 5], -0.5).param(), gpu.full([7], 1).param()];
    params[0].grad = gpu.full([300], 0.1).keep();
    params[1].grad = gpu.full([4, 5], 0.2).keep();
    for (const kind of ['sgd', 'rmsprop', 'adam', 'adamw'] as const) {
      const opt = createOptimizer(params, { kind, lr: 0.01, momentum: kind === 'adam' || kind === 'adamw' ? undefined : 0.9, centered: kind === 'rmsprop' });
      opt.update(0.01);
      await gpu.sync();
      const dispatches = gpu.recorder.dispatches;
      const submits = gpu.recorder.submits;
      const created = gpu.pool.created;
      opt.update(0.01);
      expect(gpu.recorder.dispatches - dispatches).toBe(2);
      expect(gpu.recorder.submits).toBe(submits);
      expect(gpu.pool.created).toBe(created);
      await gpu.sync();
    }
  });
});
