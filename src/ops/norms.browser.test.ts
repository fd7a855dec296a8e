// timeNormsFromEnd on WebGPU against the CPU reference, with absent positions (NaN) and
// examples without text; the ops suite covers the fully present case.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { timeNormsFromEnd } from './norms.ts';
import { seededValues } from './ops.support.ts';

let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

describe('timeNormsFromEnd on WebGPU', () => {
  it('equals the CPU reference, NaN where no example reaches', async () => {
    const [B, T, F] = [67, 9, 5];
    const x = seededValues(B * T * F, 31);
    // Lengths 0–6: positions 6–8 are absent; length 0 (no text) is skipped.
    const lengths = Array.from({ length: B }, (_, b) => b % 7);
    const run = async (backend: CpuBackend | WebGpuBackend) => Array.from(await timeNormsFromEnd(backend.fromArray(x, [B, T, F]), backend.fromArray(lengths, [B], 'i32')).read());
    const cpu = await run(new CpuBackend({ precision: 'f64' }));
    const web = await run(gpu);
    expect(cpu.slice(0, 6).every(Number.isFinite)).toBe(true);
    expect(cpu.slice(6).every(Number.isNaN)).toBe(true);
    web.forEach((v, k) => {
      if (Number.isNaN(cpu[k])) expect(v).toBeNaN();
      else expect(Math.abs(v - cpu[k])).toBeLessThan(1e-5 * cpu[k] + 1e-6);
    });
  });
});
