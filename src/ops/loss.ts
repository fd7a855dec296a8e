// Losses. softmaxCrossEntropy is fused: one pass computes the row softmax and the
// weighted row losses, a one-workgroup reduction takes their mean, and backward is a
// single elementwise kernel:
//   loss = Σ_i w_i (log Σ_c e^{z_ic} − z_{i,y_i}) / Σ_i w_i,   w_i = mask_i (default 1)
//   ∂loss/∂z_ic = w_i (softmax(z_i)_c − [c = y_i]) / Σ w
// mse is composed from differentiable ops.
import xentWgsl from '../../shaders/nn/softmax_xent.wgsl?raw';
import reduceWgsl from '../../shaders/nn/softmax_xent_reduce.wgsl?raw';
import xentBackwardWgsl from '../../shaders/nn/softmax_xent_backward.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import type { FloatArray, Tensor } from '../tensor.ts';
import { mul, sub } from './elementwise.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { mean } from './reduce.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const SOFTMAX_XENT_PARAMS = uniformLayout('nn/softmax_xent', { N: 'u32', C: 'u32' });
const SOFTMAX_XENT_BACKWARD_PARAMS = uniformLayout('nn/softmax_xent_backward', { N: 'u32', C: 'u32' });
export const SOFTMAX_XENT_REDUCE_PARAMS = uniformLayout('nn/softmax_xent_reduce', { N: 'u32' });

/** Outputs: [loss [], probabilities [N, C], stats [2] = (loss, Σ w)]. */
export const softmaxCrossEntropyOp: OpDef<object> = {
  outputs(inputs) {
    const [logits, labels, mask] = inputs;
    expectDtype('softmaxCrossEntropy', inputs, 0, 'f32');
    expectDtype('softmaxCrossEntropy', inputs, 1, 'i32');
    expectDtype('softmaxCrossEntropy', inputs, 2, 'f32');
    if (logits.rank !== 2) shapeError('softmaxCrossEntropy', inputs, 'logits must be [N, C]');
    const [N, C] = logits.shape;
    if (C === 0) shapeError('softmaxCrossEntropy', inputs, 'no classes (C = 0)');
    if (labels.size !== N || labels.rank !== 1) shapeError('softmaxCrossEntropy', inputs, `labels must be [${N}]`);
    if (mask.size !== N || mask.rank !== 1) shapeError('softmaxCrossEntropy', inputs, `mask must be [${N}]`);
    return [
      { shape: [], dtype: 'f32', role: 'loss' },
      { shape: [N, C], dtype: 'f32', role: 'probs' },
      { shape: [2], dtype: 'f32', role: 'stats' },
    ];
  },
  reference(inputs, [loss, probs, stats], { inputShapes }) {
    const z = inputs[0] as FloatArray;
    const labels = inputs[1] as Int32Array;
    const mask = inputs[2] as FloatArray;
    const [N, C] = inputShapes[0];
    let total = 0;
    let weight = 0;
    for (let i = 0; i < N; i++) {
      const y = labels[i];
      if (y < 0 || y >= C) throw new Error(`softmaxCrossEntropy: row ${i} has label ${y}, outside [0, ${C})`);
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, z[i * C + c]);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(z[i * C + c] - m);
      for (let c = 0; c < C; c++) probs[i * C + c] = Math.exp(z[i * C + c] - m) / s;
      total += mask[i] * (Math.log(s) + m - z[i * C + y]);
      weight += mask[i];
    }
    loss[0] = weight > 0 ? total / weight : 0;
    stats[0] = loss[0];
    stats[1] = weight;
  },
  webgpu(gpu, [logits, labels, mask], [loss, probs, stats]) {
    const [N, C] = logits.shape;
    const rows = gpu.empty([N, 2], 'f32', 'softmaxCrossEntropy.rows');
    gpu.dispatch({
      label: 'softmaxCrossEntropy.rows',
      shaderKey: 'nn/softmax_xent',
      code: xentWgsl,
      reads: [gpu.buffer(logits), gpu.buffer(labels), gpu.buffer(mask)],
      writes: [gpu.buffer(probs), gpu.buffer(rows)],
      uniforms: SOFTMAX_XENT_PARAMS.pack({ N, C }),
      workgroups: grid1d(N, 64),
    });
    gpu.dispatch({
      label: 'softmaxCrossEntropy.reduce',
      shaderKey: 'nn/softmax_xent_reduce',
      code: reduceWgsl,
      reads: [gpu.buffer(rows)],
      writes: [gpu.buffer(stats)],
      uniforms: SOFTMAX_XENT_REDUCE_PARAMS.pack({ N }),
      workgroups: [1],
    });
    gpu.recorder.copy(gpu.buffer(stats), 0, gpu.buffer(loss), 0, 4);
    rows.dispose();
  },
  backward({ inputs: [, labels, mask], outputs: [, probs, stats], grads: [g] }) {
    if (!g) return [null, null, null];
    return [runOp('softmaxCrossEntropyGrad', softmaxCrossEntropyGradOp, [probs, labels, mask, stats, g], {})[0], null, null];
  },
};

/** d logits from (probs, labels, mask, stats, g); a helper of the backward above. */
export const softmaxCrossEntropyGradOp: OpDef<object> = {
  outputs(inputs) {
    return [{ shape: inputs[0].shape, dtype: 'f32' }];
  },
  reference(inputs, [d], { inputShapes }) {
    const probs = inputs[0] as FloatArray;
    const labels = inputs[1] as Int32Array;
    const mask = inputs[2] as FloatArray;
    const total = inputs[3][1];
    const g = inputs[4][0];
    const [N, C] = inputShapes[0];
    for (let i = 0; i < N; i++) {
      for (let c = 0; c < C; c++) {
        d[i * C + c] = total > 0 ? (g * mask[i] * (probs[i * C + c] - (c === labels[i] ? 1 : 0))) / total : 0;
      }
    }
  },
  webgpu(gpu, inputs, [d]) {
    const [N, C] = inputs[0].shape;
    gpu.dispatch({
      label: 'softmaxCrossEntropy.backward',
      shaderKey: 'nn/softmax_xent_backward',
      code: xentBackwardWgsl,
      reads: inputs.map((t) => gpu.buffer(t)),
      writes: [gpu.buffer(d)],
      uniforms: SOFTMAX_XENT_BACKWARD_PARAMS.pack({ N, C }),
      workgroups: grid1d(N * C, 256),
    });
  },
  backward: 'nondifferentiable',
};

export interface CrossEntropyResult {
  /** Scalar mean loss over rows with mask > 0. */
  loss: Tensor;
  /** Softmax probabilities [N, C] (for metrics; not differentiable). */
  probs: Tensor;
}

/**
 * Mean softmax cross-entropy of logits [N, C] against integer labels [N], rows weighted
 * by `mask` [N] (default all 1). On the CPU a label outside [0, C) throws naming the
 * row; on WebGPU such a row is treated as masked out.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, mask?: Tensor): CrossEntropyResult {
  const m = mask ?? logits.backend.full([logits.shape[0] ?? 0], 1, 'f32', 'softmaxCrossEntropy.mask');
  const [loss, probs] = runOp('softmaxCrossEntropy', softmaxCrossEntropyOp, [logits, labels, m], {});
  return { loss, probs };
}

/** Mean squared error over all elements: mean((pred − target)²). */
export function mse(pred: Tensor, target: Tensor): Tensor {
  if (pred.size !== target.size) throw new Error(`mse: prediction [${pred.shape.join(', ')}] and target [${target.shape.join(', ')}] differ in size`);
  const d = sub(pred, target);
  return mean(mul(d, d));
}
