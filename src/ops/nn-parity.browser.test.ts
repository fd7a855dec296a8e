// conv2d, pooling, embedding, BCE and batch norm against PyTorch (float64 fixtures) on WebGPU (f32).
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { TOLERANCES } from '../autograd/gradcheck.ts';
import { checkNnFixture, nnFixtures } from './nn-parity.support.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

describe('nn ops match PyTorch (WebGPU f32)', () => {
  for (const fixture of nnFixtures()) {
    it(fixture.name, async () => {
      const reports = await checkNnFixture(gpu, fixture, TOLERANCES.gpuVsCpu);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});
