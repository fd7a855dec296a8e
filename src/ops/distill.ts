// Knowledge distillation loss (Hinton et al.'s softened targets):
//   distillKl(z_s, z_t; T) = T² · mean_i KL(softmax(z_t,i / T) ‖ softmax(z_s,i / T))
//   ∂/∂z_s,ic = T · (softmax(z_s,i / T)_c − softmax(z_t,i / T)_c) / N
// The teacher's logits are a constant (no gradient). `distillationLoss` mixes it with the
// hard-label cross-entropy: α · distillKl + (1 − α) · CE(z_s, y). The T² factor keeps the
// soft term's gradient on the scale of the hard term's as T grows.
import klWgsl from '../../shaders/nn/distill_kl.wgsl?raw';
import klBackwardWgsl from '../../shaders/nn/distill_kl_backward.wgsl?raw';
import reduceWgsl from '../../shaders/nn/softmax_xent_reduce.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import type { FloatArray, Tensor } from '../tensor.ts';
import { add } from './elementwise.ts';
import { SOFTMAX_XENT_REDUCE_PARAMS as REDUCE_PARAMS, softmaxCrossEntropy } from './loss.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { scale } from './scale.ts';

export interface DistillAttrs {
  /** Temperature T > 0. */
  temperature: number;
}

const KL_PARAMS = uniformLayout('nn/distill_kl', { N: 'u32', C: 'u32', T: 'f32' });
const KL_BACKWARD_PARAMS = uniformLayout('nn/distill_kl_backward', { N: 'u32', C: 'u32', T: 'f32' });

/** Softmax of row `i` of z / T into `out` (log-sum-exp stabilised); returns log Σ e^{z/T}. */
function softmaxRow(z: FloatArray, i: number, C: number, T: number, out: FloatArray): number {
  let m = -Infinity;
  for (let c = 0; c < C; c++) m = Math.max(m, z[i * C + c] / T);
  let s = 0;
  for (let c = 0; c < C; c++) s += Math.exp(z[i * C + c] / T - m);
  const lse = Math.log(s) + m;
  for (let c = 0; c < C; c++) out[i * C + c] = Math.exp(z[i * C + c] / T - lse);
  return lse;
}

/** Outputs: [loss [], ps [N, C], pt [N, C], stats [2] = (loss, N)]. */
export const distillKlOp: OpDef<DistillAttrs> = {
  outputs(inputs, { temperature }) {
    const [s, t] = inputs;
    expectDtype('distillKl', inputs, 0, 'f32');
    expectDtype('distillKl', inputs, 1, 'f32');
    if (s.rank !== 2) shapeError('distillKl', inputs, 'student logits must be [N, C]');
    if (t.rank !== 2 || t.shape[0] !== s.shape[0] || t.shape[1] !== s.shape[1]) shapeError('distillKl', inputs, 'teacher logits must have the student logits’ shape');
    if (!(temperature > 0)) shapeError('distillKl', inputs, `temperature ${temperature} must be above 0`);
    const [N, C] = s.shape;
    return [
      { shape: [], dtype: 'f32', role: 'loss' },
      { shape: [N, C], dtype: 'f32', role: 'ps' },
      { shape: [N, C], dtype: 'f32', role: 'pt' },
      { shape: [2], dtype: 'f32', role: 'stats' },
    ];
  },
  reference(inputs, [loss, ps, pt, stats], { inputShapes, attrs }) {
    const zs = inputs[0] as FloatArray;
    const zt = inputs[1] as FloatArray;
    const [N, C] = inputShapes[0];
    const T = attrs.temperature;
    let total = 0;
    for (let i = 0; i < N; i++) {
      const lss = softmaxRow(zs, i, C, T, ps as FloatArray);
      const lst = softmaxRow(zt, i, C, T, pt as FloatArray);
      let kl = 0;
      for (let c = 0; c < C; c++) {
        const t = pt[i * C + c];
        if (t > 0) kl += t * (zt[i * C + c] / T - lst - (zs[i * C + c] / T - lss));
      }
      total += T * T * kl;
    }
    loss[0] = N > 0 ? total / N : 0;
    stats[0] = loss[0];
    stats[1] = N;
  },
  webgpu(gpu, [s, t], [loss, ps, pt, stats], attrs) {
    const [N, C] = s.shape;
    const rows = gpu.empty([N, 2], 'f32', 'distillKl.rows');
    gpu.dispatch({
      label: 'distillKl.rows',
      shaderKey: 'nn/distill_kl',
      code: klWgsl,
      reads: [gpu.buffer(s), gpu.buffer(t)],
      writes: [gpu.buffer(ps), gpu.buffer(pt), gpu.buffer(rows)],
      uniforms: KL_PARAMS.pack({ N, C, T: attrs.temperature }),
      workgroups: grid1d(N, 64),
    });
    gpu.dispatch({
      label: 'distillKl.reduce',
      shaderKey: 'nn/softmax_xent_reduce',
      code: reduceWgsl,
      reads: [gpu.buffer(rows)],
      writes: [gpu.buffer(stats)],
      uniforms: REDUCE_PARAMS.pack({ N }),
      workgroups: [1],
    });
    gpu.recorder.copy(gpu.buffer(stats), 0, gpu.buffer(loss), 0, 4);
    rows.dispose();
  },
  backward({ outputs: [, ps, pt], grads: [g], attrs }) {
    if (!g) return [null, null];
    return [runOp('distillKlGrad', distillKlGradOp, [ps, pt, g], attrs)[0], null];
  },
};

/** d student logits from (ps, pt, g); a helper of the backward above. */
export const distillKlGradOp: OpDef<DistillAttrs> = {
  outputs(inputs) {
    return [{ shape: inputs[0].shape, dtype: 'f32' }];
  },
  reference(inputs, [d], { inputShapes, attrs }) {
    const ps = inputs[0] as FloatArray;
    const pt = inputs[1] as FloatArray;
    const g = inputs[2][0];
    const [N] = inputShapes[0];
    for (let i = 0; i < d.length; i++) d[i] = (g * attrs.temperature * (ps[i] - pt[i])) / N;
  },
  webgpu(gpu, inputs, [d], attrs) {
    const [N, C] = inputs[0].shape;
    gpu.dispatch({
      label: 'distillKl.backward',
      shaderKey: 'nn/distill_kl_backward',
      code: klBackwardWgsl,
      reads: inputs.map((x) => gpu.buffer(x)),
      writes: [gpu.buffer(d)],
      uniforms: KL_BACKWARD_PARAMS.pack({ N, C, T: attrs.temperature }),
      workgroups: grid1d(N * C, 256),
    });
  },
  backward: 'nondifferentiable',
};

/** T² · mean KL(softmax(teacher / T) ‖ softmax(student / T)) over rows; no gradient to the teacher. */
export function distillKl(student: Tensor, teacher: Tensor, temperature: number): Tensor {
  return runOp('distillKl', distillKlOp, [student, teacher], { temperature })[0];
}

/** α · distillKl(student, teacher; T) + (1 − α) · mean cross-entropy(student, labels). */
export function distillationLoss(student: Tensor, teacher: Tensor, labels: Tensor, temperature: number, alpha: number): Tensor {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`distillationLoss: α = ${alpha} must be from 0 to 1`);
  const soft = scale(distillKl(student, teacher, temperature), alpha);
  const hard = scale(softmaxCrossEntropy(student, labels).loss, 1 - alpha);
  return add(soft, hard);
}
