// Every WGSL module the app can create compiles on this adapter: the list comes from
// src/ops/kernel-registry.ts, which enumerates the .wgsl files and the same composed
// variants the ops build.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { isWgslFragment } from '../gpu/wgsl.ts';
import { kernelModules, WGSL_FILES } from './kernel-registry.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

describe('WGSL modules', () => {
  const modules = kernelModules();

  it('every module compiles without errors', async () => {
    const failures: string[] = [];
    let compiled = 0;
    for (const m of modules) {
      if (m.code.includes('enable subgroups;') && !gpu.device.features.has('subgroups')) continue;
      // f16 arithmetic modules: their tests report "skipped: no shader-f16" (src/ops/gemm-f16.browser.test.ts).
      if (m.code.includes('enable f16;') && !gpu.device.features.has('shader-f16')) continue;
      const module = gpu.device.createShaderModule({ label: `test.${m.key}`, code: m.code });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((msg) => msg.type === 'error');
      for (const e of errors) failures.push(`${m.key}:${e.lineNum}:${e.linePos}: ${e.message}`);
      compiled++;
    }
    expect(failures).toEqual([]);
    expect(compiled).toBeGreaterThan(60);
  });

  it('every fragment file is part of some module', () => {
    const fragments = Object.entries(WGSL_FILES).filter(([, code]) => isWgslFragment(code));
    expect(fragments.length).toBeGreaterThan(5);
    for (const [path, code] of fragments) {
      const body = code.replace(/^enable\s+[^;]+;\s*$/gm, '');
      expect(modules.some((m) => m.code.includes(body)), path).toBe(true);
    }
  });
});
