// Batch norm on WebGPU is deterministic: the per-channel sums are added in a fixed order,
// so two runs on the same input give bit-identical outputs, gradients and statistics.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { backward } from './grad.ts';
import { scope } from '../tensor.ts';
import { batchNorm2d } from './batch-norm.ts';
import { mul } from './elementwise.ts';
import { sum } from './reduce.ts';
import { seededValues } from './ops.support.ts';

describe('batchNorm2d on WebGPU', () => {
  it('gives bit-identical results on repeated runs', async () => {
    const gpu = await WebGpuBackend.create();
    const shape = [16, 6, 13, 11];
    const size = shape.reduce((a, b) => a * b, 1);
    const xData = seededValues(size, 5, -3, 5);
    const wData = seededValues(size, 6, 0.5, 1.5);
    const run = async () => {
      const x = gpu.fromArray(xData, shape, 'f32', 'x').param();
      const g = gpu.fromArray(seededValues(6, 7, 0.5, 1.5), [6], 'f32', 'gamma').param();
      const b = gpu.fromArray(seededValues(6, 8), [6], 'f32', 'beta').param();
      const buffers = { runningMean: gpu.zeros([6], 'f32', 'rm').keep(), runningVar: gpu.full([6], 1, 'f32', 'rv').keep() };
      const y = scope(() => {
        const out = batchNorm2d(x, g, b, buffers, { training: true });
        backward(sum(mul(out, gpu.fromArray(wData, shape, 'f32', 'w'))));
        return out;
      });
      return Promise.all([y, x.grad!, g.grad!, b.grad!, buffers.runningMean, buffers.runningVar].map((t) => t.read()));
    };
    const first = await run();
    const second = await run();
    first.forEach((a, k) => expect(Array.from(second[k]), `output ${k}`).toEqual(Array.from(a)));
  });
});
