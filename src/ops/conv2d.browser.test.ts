// conv2d's plain register-blocked kernels, the ones adapters without 4-wide subgroups
// run: on SwiftShader the op suite (ops.browser.test.ts) exercises the subgroup-shared
// tiles, so here every conv2d case runs again with the plain tiles against the CPU reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { cases } from './conv2d.support.ts';
import { setPlainConvTiles } from './conv2d.ts';
import { compareWithReference } from './ops.support.ts';

let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setPlainConvTiles(gpu, true);
});

afterAll(() => setPlainConvTiles(gpu, false));

describe('conv2d with plain tiles vs CPU reference', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const reports = await compareWithReference(c, gpu);
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});
