// The composed WGSL modules of the ops (see src/gpu/wgsl.ts): the .wgsl files that use
// the shared activations, and the recurrent modules, which join a cell's fragment, the
// forward or backward template and a generated per-step entry point. Ops take their
// module code from here; src/ops/kernel-registry.ts lists every module for the
// compilation test and scripts/write-wgsl.mjs.
import cellIoWgsl from '../../shaders/recurrent/cell_io.wgsl?raw';
import forwardWgsl from '../../shaders/recurrent/recurrent_forward.wgsl?raw';
import backwardWgsl from '../../shaders/recurrent/recurrent_backward.wgsl?raw';
import weightsF32Wgsl from '../../shaders/recurrent/recurrent_weights_f32.wgsl?raw';
import weightsF16PackWgsl from '../../shaders/recurrent/recurrent_weights_f16pack.wgsl?raw';
import naiveWgsl from '../../shaders/linalg/matmul_naive.wgsl?raw';
import matmulSharedWgsl from '../../shaders/linalg/matmul_shared.wgsl?raw';
import splitkReduceWgsl from '../../shaders/linalg/matmul_splitk_reduce.wgsl?raw';
import unaryWgsl from '../../shaders/nn/unary.wgsl?raw';
import bceBackwardWgsl from '../../shaders/nn/bce_backward.wgsl?raw';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { ACTIVATIONS, composeWgsl, wgslFragment, type WgslFragment } from '../gpu/wgsl.ts';

const withActivations = (name: string, code: string) => composeWgsl(name, [ACTIVATIONS, wgslFragment(name, code)]);

/** shaders/nn/unary.wgsl with the activations. */
export const UNARY_WGSL = withActivations('nn/unary', unaryWgsl);
/** Uniforms of shaders/nn/unary.wgsl (scale and the activations). */
export const UNARY_PARAMS = uniformLayout('nn/unary', { n: 'u32', alpha: 'f32', beta: 'f32' });
/** Uniforms of shaders/nn/binary.wgsl (elementwise and reduce). */
export const BINARY_PARAMS = uniformLayout('nn/binary', { n: 'u32', na: 'u32', nb: 'u32' });
/** Uniforms of the recurrent templates (one dispatch per step s, or one for all `steps`). */
export const RECURRENT_FORWARD_PARAMS = uniformLayout('recurrent/recurrent_forward', { B: 'u32', T: 'u32', DH: 'u32', d_off: 'u32', reverse: 'u32', s: 'u32', steps: 'u32' });
export const RECURRENT_BACKWARD_PARAMS = uniformLayout('recurrent/recurrent_backward', { B: 'u32', T: 'u32', DH: 'u32', d_off: 'u32', reverse: 'u32', s: 'u32', final_step: 'u32' });
/** shaders/nn/bce_backward.wgsl with the activations. */
export const BCE_BACKWARD_WGSL = withActivations('nn/bce_backward', bceBackwardWgsl);
/**
 * shaders/linalg/matmul_shared.wgsl: the bias and C bindings, uniforms, override
 * constants, split-K range and epilogue of every GEMM variant (joined with an operand
 * fragment and a `main` in gemm-kernels.ts and gemm-tiled.ts).
 */
export const MATMUL_SHARED = wgslFragment('linalg/matmul_shared', matmulSharedWgsl);
/** Uniforms of every GEMM variant (shaders/linalg/matmul_shared.wgsl): kChunk > 0 splits K. */
export const MATMUL_PARAMS = uniformLayout('linalg/matmul_shared', { M: 'u32', N: 'u32', K: 'u32', kChunk: 'u32' });
/** shaders/linalg/matmul_naive.wgsl with the activations and matmul_shared.wgsl. */
export const MATMUL_NAIVE_WGSL = composeWgsl('linalg/matmul_naive', [ACTIVATIONS, MATMUL_SHARED, wgslFragment('linalg/matmul_naive', naiveWgsl)]);
/** shaders/linalg/matmul_splitk_reduce.wgsl with the activations. */
export const SPLITK_REDUCE_WGSL = withActivations('linalg/matmul_splitk_reduce', splitkReduceWgsl);

/** The composed modules above by shader key (for the registry). */
export const ACTIVATION_MODULES: Record<string, string> = {
  'nn/unary': UNARY_WGSL,
  'nn/bce_backward': BCE_BACKWARD_WGSL,
  'linalg/matmul_naive': MATMUL_NAIVE_WGSL,
  'linalg/matmul_splitk_reduce': SPLITK_REDUCE_WGSL,
};

const CELL_IO = wgslFragment('recurrent/cell_io', cellIoWgsl);
const TEMPLATES = {
  forward: wgslFragment('recurrent/recurrent_forward', forwardWgsl),
  backward: wgslFragment('recurrent/recurrent_backward', backwardWgsl),
};

/** How the forward template reads W_hh: f32, or f16 pairs packed in u32 (src/ops/recurrent-f16.ts). */
const FORWARD_WEIGHTS = {
  f32: wgslFragment('recurrent/recurrent_weights_f32', weightsF32Wgsl),
  f16pack: wgslFragment('recurrent/recurrent_weights_f16pack', weightsF16PackWgsl),
};

/**
 * A recurrent module: activations, cell I/O structs, the cell, the template (the forward
 * one with its W_hh fragment) and a generated `step_blocked`.
 */
export function recurrentWgsl(
  cellName: string,
  cell: WgslFragment,
  direction: 'forward' | 'backward',
  step: { name: string; code: string },
  weights: 'f32' | 'f16pack' = 'f32',
): { key: string; code: string } {
  if (direction === 'backward' && weights !== 'f32') throw new Error('recurrentWgsl: the backward template reads f32 W_hh only');
  const key = `recurrent/${cellName}_${direction}_${step.name}${weights === 'f32' ? '' : `_w${weights}`}`;
  const entry = wgslFragment(`recurrent/step_${direction}_${step.name}`, step.code);
  const parts = direction === 'forward' ? [TEMPLATES.forward, FORWARD_WEIGHTS[weights]] : [TEMPLATES.backward];
  return { key, code: composeWgsl(key, [ACTIVATIONS, CELL_IO, cell, ...parts, entry]) };
}
