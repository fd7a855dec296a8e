// The recurrent forward step with W_hh stored as f16 (two values per u32, packed on the
// host by packF16 in gemm-f16.ts), read with unpack2x16float (core WGSL, no `shader-f16`)
// and multiplied and summed in f32: the forward module of wgsl-modules.ts with the
// weights fragment shaders/recurrent/recurrent_weights_f16pack.wgsl instead of the f32
// one. Every per-step kernel family (blocked, subgroup-shared, workgroup-memory) and the
// sequence entry read W_hh through load_w_hh, so all of them run on f16 weights unchanged.
//
// The recurrent layer uses it when `setRecurrentWeights(gpu, 'f16')` is set for the
// backend: each forward packs W_hh on the GPU (encodePackF16, one dispatch per direction)
// into a pooled buffer; the backward step reads W_hh rounded the same way but stored as
// f32 (encodeRoundF16: the recurrent backward template reads f32 only), so forward and
// backward see the same weights; its arithmetic and the weight gradients stay f32, and
// the optimizer updates the f32 master weights. Accuracy: src/ops/recurrent-f16.browser.test.ts.
import packF16Wgsl from '../../shaders/linalg/pack_f16.wgsl?raw';
import roundF16Wgsl from '../../shaders/linalg/round_f16.wgsl?raw';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { grid1d } from '../gpu/grid.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import type { WgslFragment } from '../gpu/wgsl.ts';
import type { Tensor } from '../tensor.ts';
import { recurrentWgsl } from './wgsl-modules.ts';

const PACK_F16_PARAMS = uniformLayout('linalg/pack_f16', { n: 'u32', words: 'u32' });
const ROUND_F16_PARAMS = uniformLayout('linalg/round_f16', { n: 'u32' });

/** u32 words that hold n packed halves, rounded up to whole 16-byte quads (as packF16 in gemm-f16.ts). */
export const packedWords = (n: number): number => Math.max(4, Math.ceil(n / 8) * 4);

/**
 * Records the packing of an f32 tensor into binary16 pairs (shaders/linalg/pack_f16.wgsl)
 * and returns the packed words as an i32 tensor (the caller disposes it). The GPU may
 * round an inexact value to either neighbour: within 2^-10 relative, not 2^-11.
 */
export function encodePackF16(gpu: WebGpuBackend, x: Tensor, label: string): Tensor {
  const words = packedWords(x.size);
  const packed = gpu.empty([words], 'i32', label);
  gpu.dispatch({
    label: 'pack_f16',
    shaderKey: 'linalg/pack_f16',
    code: packF16Wgsl,
    reads: [gpu.buffer(x)],
    writes: [gpu.buffer(packed)],
    uniforms: PACK_F16_PARAMS.pack({ n: x.size, words }),
    workgroups: grid1d(words, 64),
  });
  return packed;
}

/**
 * Records x rounded to binary16 as an f32 tensor (shaders/linalg/round_f16.wgsl, the same
 * rounding as encodePackF16); the caller disposes it.
 */
export function encodeRoundF16(gpu: WebGpuBackend, x: Tensor, label: string): Tensor {
  const y = gpu.empty(x.shape, 'f32', label);
  gpu.dispatch({
    label: 'round_f16',
    shaderKey: 'linalg/round_f16',
    code: roundF16Wgsl,
    reads: [gpu.buffer(x)],
    writes: [gpu.buffer(y)],
    uniforms: ROUND_F16_PARAMS.pack({ n: x.size }),
    workgroups: grid1d(x.size, 64),
  });
  return y;
}

/** How the recurrent forward reads W_hh on a backend: f32 (default) or f16 copies. */
export type RecurrentWeights = 'f32' | 'f16';
const weightChoice = new WeakMap<WebGpuBackend, RecurrentWeights>();

/** Makes the recurrent layers of this backend read W_hh as f16 in the forward (or f32 again). */
export function setRecurrentWeights(gpu: WebGpuBackend, weights: RecurrentWeights): void {
  if (weights === 'f32') weightChoice.delete(gpu);
  else weightChoice.set(gpu, weights);
}

export function recurrentWeights(gpu: WebGpuBackend): RecurrentWeights {
  return weightChoice.get(gpu) ?? 'f32';
}

/** The forward module of a cell and step kernel, reading W_hh as packed f16. */
export function recurrentForwardF16Wgsl(cellName: string, cell: WgslFragment, step: { name: string; code: string }): { key: string; code: string } {
  return recurrentWgsl(cellName, cell, 'forward', step, 'f16pack');
}
