// The recurrent forward step with W_hh stored as f16 (two values per u32, packed on the
// host by packF16 in gemm-f16.ts), read with unpack2x16float (core WGSL, no `shader-f16`)
// and multiplied and summed in f32: the forward module of wgsl-modules.ts with the
// weights fragment shaders/recurrent/recurrent_weights_f16pack.wgsl instead of the f32
// one. Every per-step kernel family (blocked, subgroup-shared, workgroup-memory) and the
// sequence entry read W_hh through load_w_hh, so all of them run on f16 weights unchanged.
//
// Not wired into the recurrent op yet (no `precision` option): a caller dispatches the
// module itself (src/ops/recurrent-f16.browser.test.ts, which also states the accuracy).
import type { WgslFragment } from '../gpu/wgsl.ts';
import { recurrentWgsl } from './wgsl-modules.ts';

/** The forward module of a cell and step kernel, reading W_hh as packed f16. */
export function recurrentForwardF16Wgsl(cellName: string, cell: WgslFragment, step: { name: string; code: string }): { key: string; code: string } {
  return recurrentWgsl(cellName, cell, 'forward', step, 'f16pack');
}
