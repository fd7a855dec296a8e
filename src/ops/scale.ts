// scale: y = alpha·x + beta, elementwise. Its own file because both the broadcasting
// ops (elementwise.ts) and the reductions (reduce.ts) use it in their backward passes.
import { UNARY_PARAMS, UNARY_WGSL } from './wgsl-modules.ts';
import { grid1d } from '../gpu/grid.ts';
import type { FloatArray, Tensor } from '../tensor.ts';
import { expectDtype, runOp, type OpDef } from './op.ts';

export interface ScaleAttrs {
  alpha: number;
  beta: number;
}

/** y = alpha·x + beta. */
export const scaleOp: OpDef<ScaleAttrs> = {
  outputs(inputs) {
    expectDtype('scale', inputs, 0, 'f32');
    return [{ shape: inputs[0].shape, dtype: 'f32' }];
  },
  reference([x], [out], { attrs }) {
    const xs = x as FloatArray;
    for (let i = 0; i < out.length; i++) out[i] = xs[i] * attrs.alpha + attrs.beta;
  },
  webgpu(gpu, [x], [out], attrs) {
    gpu.dispatch({
      label: 'scale.forward',
      shaderKey: 'nn/unary',
      code: UNARY_WGSL,
      constants: { F: 0 },
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: UNARY_PARAMS.pack({ n: out.size, alpha: attrs.alpha, beta: attrs.beta }),
      workgroups: grid1d(out.size, 256),
    });
  },
  backward({ attrs, grads: [g] }) {
    return [g ? scale(g, attrs.alpha) : null];
  },
};

/** alpha·x + beta. */
export function scale(x: Tensor, alpha: number, beta = 0): Tensor {
  return runOp('scale', scaleOp, [x], { alpha, beta })[0];
}
