// The WebGPU runtime: pipeline caching, one submit per step, error and loss reporting.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { backward } from '../ops/grad.ts';
import { scope } from '../tensor.ts';
import { add, matmul, scale, softmaxCrossEntropy, sub, tanh } from '../ops/index.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

describe('WebGPU runtime', () => {
  it('requests the adapter features it has', () => {
    for (const f of ['timestamp-query', 'subgroups'] as GPUFeatureName[]) {
      expect(gpu.device.features.has(f)).toBe(gpu.gpu.adapter.features.has(f));
    }
    expect(gpu.device.limits.maxStorageBufferBindingSize).toBe(gpu.gpu.adapter.limits.maxStorageBufferBindingSize);
  });

  it('caches pipelines by shader and override constants', () => {
    const x = gpu.fromArray([1, 2, 3, 4], [2, 2]);
    scope(() => tanh(add(x, x)));
    const before = gpu.pipelines.compiled;
    scope(() => tanh(add(x, x)));
    expect(gpu.pipelines.compiled).toBe(before);
    scope(() => scale(x, 2)); // the unary shader with F = 0: a new specialisation
    expect(gpu.pipelines.compiled).toBe(before + 1);
  });

  it('a training step is one submit and allocates nothing after the first', async () => {
    const w = gpu.fromArray([0.1, -0.2, 0.3, 0.05, 0.2, -0.1], [3, 2]).param();
    const x = gpu.fromArray([1, 2, 3, -1, 0.5, 0], [2, 3]).keep();
    const y = gpu.fromArray([1, 0], [2], 'i32').keep();
    const step = () => {
      scope(() => {
        const { loss } = softmaxCrossEntropy(tanh(matmul(x, w)), y);
        backward(loss);
        const next = sub(w, scale(w.grad!, 0.5));
        gpu.recorder.copy(gpu.buffer(next), 0, gpu.buffer(w), 0, w.size * 4);
        w.grad!.persistent = false;
        w.grad!.dispose();
        w.grad = null;
      });
      gpu.flush();
    };
    step();
    await gpu.sync();
    const created = gpu.pool.created;
    const submits = gpu.recorder.submits;
    for (let i = 0; i < 4; i++) step();
    await gpu.sync();
    expect(gpu.pool.created).toBe(created);
    expect(gpu.recorder.submits - submits).toBe(4);
  });

  it('reports uncaptured WebGPU errors to listeners', async () => {
    const seen: string[] = [];
    const listener = (m: string) => seen.push(m);
    gpu.gpu.onError.add(listener);
    const x = gpu.fromArray([1, 2], [2]);
    gpu.dispatch({
      label: 'broken.forward',
      shaderKey: 'test/broken',
      code: '@compute @workgroup_size(1) fn main() { let v: u32 = undefined_name; }',
      reads: [],
      writes: [gpu.buffer(x)],
      workgroups: [1],
    });
    gpu.flush();
    await gpu.device.queue.onSubmittedWorkDone();
    await new Promise((r) => setTimeout(r, 50));
    gpu.gpu.onError.delete(listener);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join('\n')).toMatch(/WebGPU error/);
  });

  it('a lost device makes the next op throw with the reason', async () => {
    const other = await WebGpuBackend.create();
    const messages: string[] = [];
    other.gpu.onError.add((m) => messages.push(m));
    const t = other.fromArray([1, 2, 3], [3]);
    other.device.destroy();
    await other.device.lost;
    expect(messages.join('\n')).toMatch(/lost/);
    expect(() => tanh(t)).toThrow(/GPU device lost/);
  });

  it('reads back without blocking the step that follows', async () => {
    const t = gpu.fromArray([1, 2, 3], [3]);
    const pending = scope(() => scale(t, 2)).read();
    const next = scope(() => scale(t, 3).read()); // recorded and submitted before the first read resolves
    expect([...(await pending)]).toEqual([2, 4, 6]);
    expect([...(await next)]).toEqual([3, 6, 9]);
  });
});
