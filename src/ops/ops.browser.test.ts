// Op suite on WebGPU in headless Chromium: every case's forward outputs and input
// gradients against the float64 CPU reference, with the f32 tolerances in TOLERANCES.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { allCases, compareWithReference } from './ops.support.ts';

let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

describe('webgpu vs CPU reference', () => {
  it('has an adapter', () => {
    expect(gpu.description).toMatch(/WebGPU/);
  });
  for (const c of allCases()) {
    it(c.name, async () => {
      const reports = await compareWithReference(c, gpu);
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});
