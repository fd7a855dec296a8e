// Embedding on WebGPU inside a recorded step: the inverted index is uploaded without
// submitting the commands recorded before it, and the result is still right.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { scope } from '../tensor.ts';
import { embedding } from './embedding.ts';
import { scale } from './scale.ts';

describe('embedding on WebGPU', () => {
  it('uploads its index mid-step without an extra submit', async () => {
    const gpu = await WebGpuBackend.create();
    const table = gpu.fromArray([0, 1, 10, 11, 20, 21], [3, 2], 'f32', 'table');
    const ids = gpu.fromArray([2, 0, 2, 1], [2, 2], 'i32', 'ids');
    await gpu.sync();
    const submits = gpu.recorder.submits;
    const out = scope(() => embedding(scale(table, 2), ids, Int32Array.from([2, 0, 2, 1])));
    expect(gpu.recorder.submits).toBe(submits);
    expect(Array.from(await out.read())).toEqual([40, 42, 0, 2, 40, 42, 20, 22]);
    expect(gpu.recorder.submits).toBe(submits + 1);
  });
});
