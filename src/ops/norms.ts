// timeNorms: the L2 norm of a [B, T, F] tensor at each timestep, out[t] = √(Σ_{b,f} x[b,t,f]²).
// Used on gradients of recurrent outputs for the vanishing/exploding-gradient view;
// it is a measurement, not part of a model, so it is not differentiated.
import timeNormsWgsl from '../../shaders/nn/time_norms.wgsl?raw';
import type { Tensor } from '../tensor.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';

export const timeNormsOp: OpDef<object> = {
  outputs(inputs) {
    expectDtype('timeNorms', inputs, 0, 'f32');
    if (inputs[0].rank !== 3) shapeError('timeNorms', inputs, 'x must be [B, T, F]');
    return [{ shape: [inputs[0].shape[1]], dtype: 'f32' }];
  },
  reference([x], [out], { inputShapes }) {
    const [B, T, F] = inputShapes[0];
    for (let t = 0; t < T; t++) {
      let acc = 0;
      for (let b = 0; b < B; b++) {
        for (let f = 0; f < F; f++) {
          const v = x[(b * T + t) * F + f];
          acc += v * v;
        }
      }
      out[t] = Math.sqrt(acc);
    }
  },
  webgpu(gpu, [x], [out]) {
    const [B, T, F] = x.shape;
    gpu.dispatch({
      label: 'timeNorms.forward',
      shaderKey: 'nn/time_norms',
      code: timeNormsWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: [
        ['u32', B],
        ['u32', T],
        ['u32', F],
        ['u32', 0],
      ],
      workgroups: [T],
    });
  },
  backward: 'nondifferentiable',
};

/** √(Σ_{b,f} x[b, t, f]²) for each t: [B, T, F] → [T]. Not differentiated. */
export function timeNorms(x: Tensor): Tensor {
  return runOp('timeNorms', timeNormsOp, [x], {})[0];
}
