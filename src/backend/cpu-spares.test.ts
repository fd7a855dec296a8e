// The engine backend reuses the storage of disposed f32 tensors (SpareArrays in cpu.ts):
// a new tensor of the same size gets a disposed one's array, zeroed; live tensors never
// share one; the plain reference backend allocates every array anew. (Arrays are compared
// with ===: expect(...).not.toBe on two large arrays compares their values for its message.)
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from './cpu.ts';
import { nodeEngine } from './wasm-engine.support.ts';
import type { WasmGemm } from './wasm-gemm.ts';

describe('CpuBackend with the engine: storage of disposed tensors is reused', () => {
  let engine: WasmGemm;
  beforeAll(async () => {
    engine = await nodeEngine();
  });

  it('a disposed array comes back zeroed for the next tensor of its size, and only then', () => {
    const cpu = new CpuBackend({ engine });
    const a = cpu.full([64, 128], 3);
    const storage = cpu.data(a);
    const live = cpu.zeros([64, 128]);
    expect(cpu.data(live) === storage).toBe(false);
    a.dispose();
    expect(cpu.spareBytes).toBe(64 * 128 * 4);
    const b = cpu.zeros([128, 64]);
    expect(cpu.data(b) === storage).toBe(true);
    expect(cpu.data(b).every((v) => v === 0)).toBe(true);
    expect(cpu.spareBytes).toBe(0);
    // Another size, and small arrays, are allocated anew.
    const c = cpu.zeros([64, 129]);
    expect(cpu.data(c) === storage).toBe(false);
    const small = cpu.full([8], 1);
    const smallStorage = cpu.data(small);
    small.dispose();
    expect(cpu.data(cpu.zeros([8])) === smallStorage).toBe(false);
  });

  it('fromArray on reused storage holds exactly the given values', () => {
    const cpu = new CpuBackend({ engine });
    cpu.full([5000], 7).dispose();
    const values = Float32Array.from({ length: 5000 }, (_, i) => i);
    const t = cpu.fromArray(values, [5000]);
    expect(Array.from(cpu.data(t))).toEqual(Array.from(values));
  });

  it('keeps at most 256 MiB, letting go of the sizes kept longest', () => {
    const cpu = new CpuBackend({ engine });
    const mib = (n: number) => (n * 2 ** 20) / 4;
    const first = cpu.zeros([mib(100)]);
    const firstStorage = cpu.data(first);
    first.dispose();
    for (let i = 0; i < 3; i++) cpu.zeros([mib(60) + i * 4]).dispose();
    // 100 + 180 MiB > 256: the 100 MiB array (kept first) was let go.
    expect(cpu.spareBytes).toBe(3 * mib(60) * 4 + (0 + 4 + 8) * 4);
    expect(cpu.data(cpu.zeros([mib(100)])) === firstStorage).toBe(false);
  });
});

describe('the plain CpuBackend', () => {
  it('allocates every array anew', () => {
    const cpu = new CpuBackend();
    const a = cpu.zeros([64, 128]);
    const storage = cpu.data(a);
    a.dispose();
    expect(cpu.spareBytes).toBe(0);
    expect(cpu.data(cpu.zeros([64, 128])) === storage).toBe(false);
  });
});
