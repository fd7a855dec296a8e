// Every WGSL module the app can create, for the compilation test
// (src/ops/kernels.browser.test.ts) and scripts/write-wgsl.mjs: each .wgsl file that
// compiles alone, each composed module of src/ops/wgsl-modules.ts, every GEMM variant
// (and the half-precision ones of src/ops/gemm-f16.ts), every implicit-GEMM convolution
// kernel (src/ops/conv2d-kernels.ts), the batch-norm passes (src/ops/batch-norm.ts), and every recurrent module (cell × forward/backward
// × every per-step kernel that recurrent-selection.ts can choose, and the forward with
// f16 W_hh of src/ops/recurrent-f16.ts). Built from the same lists the ops use, so a new
// variant is listed without editing this file; a new .wgsl file is found by the glob.
import { isWgslFragment } from '../gpu/wgsl.ts';
import { convKernelModules } from './conv2d-kernels.ts';
import { batchNormModules } from './batch-norm.ts';
import { GEMM_VARIANTS } from './gemm-kernels.ts';
import { F16_ARITHMETIC_GEMM_VARIANTS, F16_STORAGE_GEMM_VARIANTS, F16_WEIGHT_ARITHMETIC_GEMM_VARIANTS, F16_WEIGHT_GEMM_VARIANTS } from './gemm-f16.ts';
import { recurrentForwardF16Wgsl } from './recurrent-f16.ts';
import { CELLS, type CellKind } from './recurrent.ts';
import { stepKernelChoices } from './recurrent-selection.ts';
import { ACTIVATION_MODULES, recurrentWgsl } from './wgsl-modules.ts';

/** Every .wgsl file: under shaders/ by path (e.g. "nn/unary"), the cells' fragments as "cells/lstm/lstm_cell". */
export const WGSL_FILES: Record<string, string> = Object.fromEntries(
  Object.entries({
    ...import.meta.glob<string>('../../shaders/**/*.wgsl', { query: '?raw', import: 'default', eager: true }),
    ...import.meta.glob<string>('./cells/*/*.wgsl', { query: '?raw', import: 'default', eager: true }),
  }).map(([path, code]) => [path.replace(/^.*\/shaders\//, '').replace(/^\.\//, '').replace(/\.wgsl$/, ''), code]),
);

export interface KernelModule {
  /** Shader key, e.g. "recurrent/lstm_forward_fwd4x2" or "nn/fill". */
  key: string;
  code: string;
}

/** Every module, each code once (the first key that builds it). */
export function kernelModules(): KernelModule[] {
  const modules: KernelModule[] = [];
  const seen = new Set<string>();
  const add = (key: string, code: string) => {
    if (seen.has(code)) return;
    seen.add(code);
    modules.push({ key, code });
  };
  for (const [path, code] of Object.entries(WGSL_FILES)) if (!isWgslFragment(code)) add(path, code);
  for (const [key, code] of Object.entries(ACTIVATION_MODULES)) add(key, code);
  for (const v of GEMM_VARIANTS) add(`linalg/gemm_${v.name}`, v.code);
  for (const v of [...F16_STORAGE_GEMM_VARIANTS, ...F16_ARITHMETIC_GEMM_VARIANTS, ...F16_WEIGHT_GEMM_VARIANTS, ...F16_WEIGHT_ARITHMETIC_GEMM_VARIANTS]) add(`linalg/gemm_${v.name}`, v.code);
  for (const k of convKernelModules()) add(k.key, k.code);
  for (const k of batchNormModules()) add(k.key, k.code);
  for (const kind of Object.keys(CELLS) as CellKind[]) {
    const cell = CELLS[kind];
    for (const pair of stepKernelChoices(cell.gates)) {
      for (const direction of ['forward', 'backward'] as const) {
        const m = recurrentWgsl(kind, cell.wgsl, direction, pair[direction]);
        add(m.key, m.code);
      }
      const f16 = recurrentForwardF16Wgsl(kind, cell.wgsl, pair.forward);
      add(f16.key, f16.code);
    }
  }
  return modules;
}
