// timeNormsFromEnd: the per-timestep gradient profile of a ragged batch, over real tokens
// only. For x [B, T, F] and real lengths L_b (i32 [B]), position k counts back from each
// example's last real token (k = 0 is the last token, t = L_b − 1 − k):
//   out[k] = mean over { b : L_b > k } of ‖x[b, L_b − 1 − k, :]‖₂,   NaN where no b has k.
// Aligning on the last token (not the first) matches how the model reads a text: the
// classifier sees the final state, so k is the number of recurrent steps a gradient has
// travelled back from it, whatever the text's length. Padded timesteps (t ≥ L_b) are never
// read, and an example with L_b ≤ 0 (no text) takes no part. Used on the gradient of the
// recurrent layer's input for the vanishing/exploding-gradient view; it is a measurement,
// not part of a model, so it is not differentiated.
import timeNormsWgsl from '../../shaders/nn/time_norms.wgsl?raw';
import type { Tensor } from '../tensor.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const TIME_NORMS_PARAMS = uniformLayout('nn/time_norms', { B: 'u32', T: 'u32', F: 'u32', nanBits: 'u32' });

/** Bits of a quiet NaN, passed as a uniform (a NaN constant is an error in WGSL). */
const NAN_BITS = 0x7fc00000;

export const timeNormsFromEndOp: OpDef<object> = {
  outputs(inputs) {
    expectDtype('timeNormsFromEnd', inputs, 0, 'f32');
    expectDtype('timeNormsFromEnd', inputs, 1, 'i32');
    if (inputs[0].rank !== 3) shapeError('timeNormsFromEnd', inputs, 'x must be [B, T, F]');
    if (inputs[1].rank !== 1 || inputs[1].shape[0] !== inputs[0].shape[0]) shapeError('timeNormsFromEnd', inputs, 'lengths must be [B]');
    return [{ shape: [inputs[0].shape[1]], dtype: 'f32' }];
  },
  reference([x, lengths], [out], { inputShapes }) {
    const [B, T, F] = inputShapes[0];
    for (let k = 0; k < T; k++) {
      let sum = 0;
      let count = 0;
      for (let b = 0; b < B; b++) {
        const L = Math.min(lengths[b], T);
        if (L <= k) continue;
        const t = L - 1 - k;
        let sq = 0;
        for (let f = 0; f < F; f++) {
          const v = x[(b * T + t) * F + f];
          sq += v * v;
        }
        sum += Math.sqrt(sq);
        count++;
      }
      out[k] = count > 0 ? sum / count : NaN;
    }
  },
  webgpu(gpu, [x, lengths], [out]) {
    const [B, T, F] = x.shape;
    gpu.dispatch({
      label: 'timeNormsFromEnd.forward',
      shaderKey: 'nn/time_norms',
      code: timeNormsWgsl,
      reads: [gpu.buffer(x), gpu.buffer(lengths)],
      writes: [gpu.buffer(out)],
      uniforms: TIME_NORMS_PARAMS.pack({ B, T, F, nanBits: NAN_BITS }),
      workgroups: [T],
    });
  },
  backward: 'nondifferentiable',
};

/**
 * Mean per-example norm at each distance k from the last real token: [B, T, F] and
 * lengths [B] → [T], NaN at distances no example reaches. Not differentiated.
 */
export function timeNormsFromEnd(x: Tensor, lengths: Tensor): Tensor {
  return runOp('timeNormsFromEnd', timeNormsFromEndOp, [x, lengths], {})[0];
}

/** Share of the examples (with a text, L_b > 0) that have each distance k: [T] in [0, 1]. */
export function timeShareFromEnd(lengths: ArrayLike<number>, T: number): number[] {
  const share = new Array<number>(T).fill(0);
  let withText = 0;
  for (let b = 0; b < lengths.length; b++) {
    const L = Math.min(lengths[b], T);
    if (L <= 0) continue;
    withText++;
    for (let k = 0; k < L; k++) share[k]++;
  }
  return withText > 0 ? share.map((n) => n / withText) : share;
}
