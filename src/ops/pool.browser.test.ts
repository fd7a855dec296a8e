// maxPool2d on WebGPU: tied windows route the gradient to the first maximum, as on the
// CPU and in torch; overlapping windows that share a maximum add their gradients.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { backward } from './grad.ts';
import { scope } from '../tensor.ts';
import { maxPool2d } from './pool.ts';
import { sum } from './reduce.ts';

describe('maxPool2d on WebGPU', () => {
  it('ties go to the first maximum; shared maxima of overlapping windows accumulate', async () => {
    const gpu = await WebGpuBackend.create();
    const x = gpu.fromArray([1, 1, 0, 2, 1, 1, 2, 0, 3, 0, 5, 4, 0, 3, 5, 5], [1, 1, 4, 4], 'f32', 'x').param();
    const y = scope(() => {
      const out = maxPool2d(x, { size: 2 });
      backward(sum(out));
      return out;
    });
    expect(Array.from(await y.read())).toEqual([1, 2, 3, 5]);
    expect(Array.from(await x.grad!.read())).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);

    // 3×3 windows, stride 1, on a 4×4 plane whose maximum 9 sits in all four windows.
    const z = gpu.fromArray([0, 1, 2, 3, 4, 9, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6], [1, 1, 4, 4], 'f32', 'z').param();
    scope(() => backward(sum(maxPool2d(z, { size: 3, stride: 1 }))));
    expect(Array.from(await z.grad!.read())).toEqual([0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
