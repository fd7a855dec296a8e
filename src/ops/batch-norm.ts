// Batch normalisation over the channels of [N, C, H, W] with torch.nn.BatchNorm2d's
// conventions (momentum m = 0.1, ε = 1e-5):
//   training:   μ, σ² of the batch per channel over N·H·W (σ² biased),
//               y = γ·(x − μ)/√(σ² + ε) + β,
//               running_mean ← (1 − m)·running_mean + m·μ,
//               running_var  ← (1 − m)·running_var  + m·σ²·n/(n − 1)   (n = N·H·W, unbiased)
//   evaluation: y = γ·(x − running_mean)/√(running_var + ε) + β
// Backward in training goes through μ and σ² (they depend on x):
//   dx = γ/√(σ² + ε)·(dy − mean(dy) − x̂·mean(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy
// and in evaluation the statistics are constants: dx = γ/√(running_var + ε)·dy.
// With `relu` the op also applies ReLU (conv → BN → ReLU without a separate pass), and
// dy is first masked where the output is 0.
import trainWgsl from '../../shaders/nn/batch_norm_train.wgsl?raw';
import evalWgsl from '../../shaders/nn/batch_norm_eval.wgsl?raw';
import backwardWgsl from '../../shaders/nn/batch_norm_backward.wgsl?raw';
import channelWgsl from '../../shaders/nn/batch_norm_channel.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { composeWgsl, wgslFragment } from '../gpu/wgsl.ts';
import { noGrad } from '../autograd/tape.ts';
import type { FloatArray, Tensor } from '../tensor.ts';
import { add } from './elementwise.ts';
import { scale } from './scale.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';

/** torch.nn.BatchNorm2d's defaults. */
export const BATCH_NORM_MOMENTUM = 0.1;
export const BATCH_NORM_EPS = 1e-5;

export interface BatchNormAttrs {
  /** Batch statistics (true) or the running statistics given as inputs 3 and 4 (false). */
  training: boolean;
  eps: number;
  /** y = max(0, BN(x)) in the same pass. */
  relu: boolean;
}

export interface BatchNormGradAttrs {
  training: boolean;
  relu: boolean;
}

/** The two per-channel passes, each joined with the reduction they share. */
const CHANNEL = wgslFragment('nn/batch_norm_channel', channelWgsl);
const TRAIN_CODE = composeWgsl('nn/batch_norm_train', [CHANNEL, wgslFragment('nn/batch_norm_train', trainWgsl)]);
const BACKWARD_CODE = composeWgsl('nn/batch_norm_backward', [CHANNEL, wgslFragment('nn/batch_norm_backward', backwardWgsl)]);

/** The composed batch-norm modules, for the kernel registry. */
export function batchNormModules(): { key: string; code: string }[] {
  return [
    { key: 'nn/batch_norm_train', code: TRAIN_CODE },
    { key: 'nn/batch_norm_backward', code: BACKWARD_CODE },
  ];
}

const TRAIN_PARAMS = uniformLayout('nn/batch_norm_train', { N: 'u32', C: 'u32', HW: 'u32', eps: 'f32' });
const EVAL_PARAMS = uniformLayout('nn/batch_norm_eval', { total: 'u32', C: 'u32', HW: 'u32', eps: 'f32' });
const BACKWARD_PARAMS = uniformLayout('nn/batch_norm_backward', { N: 'u32', C: 'u32', HW: 'u32' });

function geometry(op: string, inputs: readonly Tensor[], training: boolean): { N: number; C: number; HW: number } {
  const x = inputs[0];
  if (x.rank !== 4) shapeError(op, inputs, 'x must be [N, C, H, W]');
  const [N, C, H, W] = x.shape;
  const perChannel = training ? 3 : 5;
  if (inputs.length !== perChannel) shapeError(op, inputs, `takes ${perChannel} inputs in ${training ? 'training' : 'evaluation'} mode, got ${inputs.length}`);
  for (let k = 1; k < perChannel; k++) {
    expectDtype(op, inputs, k, 'f32');
    if (inputs[k].rank !== 1 || inputs[k].shape[0] !== C) shapeError(op, inputs, `input ${k} must be [${C}] (one value per channel)`);
  }
  if (training && N * H * W < 2) shapeError(op, inputs, `training needs more than one value per channel, got N·H·W = ${N * H * W}`);
  return { N, C, HW: H * W };
}

/**
 * Training: (x, γ, β) → y [N, C, H, W], mean [C], invstd [C] (1/√(σ² + ε)), variance [C]
 * (biased, for the running statistics). Evaluation: (x, γ, β, running_mean, running_var)
 * → y, mean [C] (= running_mean), invstd [C]. Only y is differentiable.
 */
export const batchNorm2dOp: OpDef<BatchNormAttrs> = {
  outputs(inputs, attrs) {
    expectDtype('batchNorm2d', inputs, 0, 'f32');
    const { C } = geometry('batchNorm2d', inputs, attrs.training);
    const specs = [
      { shape: inputs[0].shape, dtype: 'f32' as const, role: 'y' },
      { shape: [C], dtype: 'f32' as const, role: 'mean' },
      { shape: [C], dtype: 'f32' as const, role: 'invstd' },
    ];
    if (attrs.training) specs.push({ shape: [C], dtype: 'f32', role: 'variance' });
    return specs;
  },
  reference(inputs, outputs, { attrs, inputShapes }) {
    const [x, gamma, beta] = inputs as FloatArray[];
    const [y, mean, invstd] = outputs;
    const [N, C, H, W] = inputShapes[0];
    const HW = H * W;
    const n = N * HW;
    for (let c = 0; c < C; c++) {
      let mu: number;
      let inv: number;
      if (attrs.training) {
        let s = 0;
        for (let b = 0; b < N; b++) for (let i = 0; i < HW; i++) s += x[(b * C + c) * HW + i];
        mu = s / n;
        let q = 0;
        for (let b = 0; b < N; b++) {
          for (let i = 0; i < HW; i++) {
            const d = x[(b * C + c) * HW + i] - mu;
            q += d * d;
          }
        }
        outputs[3][c] = q / n;
        inv = 1 / Math.sqrt(q / n + attrs.eps);
      } else {
        mu = inputs[3][c];
        inv = 1 / Math.sqrt(inputs[4][c] + attrs.eps);
      }
      mean[c] = mu;
      invstd[c] = inv;
      for (let b = 0; b < N; b++) {
        for (let i = 0; i < HW; i++) {
          const k = (b * C + c) * HW + i;
          const z = (x[k] - mu) * inv * gamma[c] + beta[c];
          y[k] = attrs.relu ? Math.max(z, 0) : z;
        }
      }
    }
  },
  webgpu(gpu, inputs, outputs, attrs) {
    const { N, C, HW } = geometry('batchNorm2d', inputs, attrs.training);
    if (attrs.training) {
      gpu.dispatch({
        label: 'batchNorm2d.train',
        shaderKey: 'nn/batch_norm_train',
        code: TRAIN_CODE,
        constants: { RELU: attrs.relu ? 1 : 0 },
        reads: inputs.map((t) => gpu.buffer(t)),
        writes: outputs.map((t) => gpu.buffer(t)),
        uniforms: TRAIN_PARAMS.pack({ N, C, HW, eps: attrs.eps }),
        workgroups: [C],
      });
    } else {
      gpu.dispatch({
        label: 'batchNorm2d.eval',
        shaderKey: 'nn/batch_norm_eval',
        code: evalWgsl,
        constants: { RELU: attrs.relu ? 1 : 0 },
        reads: inputs.map((t) => gpu.buffer(t)),
        writes: outputs.map((t) => gpu.buffer(t)),
        uniforms: EVAL_PARAMS.pack({ total: N * C * HW, C, HW, eps: attrs.eps }),
        workgroups: grid1d(N * C * HW, 256),
      });
    }
  },
  backward({ inputs, outputs: [y, mean, invstd], attrs, grads: [dy, ...statGrads] }) {
    if (statGrads.some((g) => g)) throw new Error('batchNorm2d: the saved statistics (mean, invstd, variance) are not differentiable');
    if (!dy) return inputs.map(() => null);
    const [x, gamma] = inputs;
    const [dx, dgamma, dbeta] = runOp('batchNorm2dGrad', batchNorm2dGradOp, [dy, x, gamma, mean, invstd, y], { training: attrs.training, relu: attrs.relu });
    return attrs.training ? [dx, dgamma, dbeta] : [dx, dgamma, dbeta, null, null];
  },
};

/** (dy, x, γ, mean, invstd, y) → dx, dγ, dβ; a helper of batchNorm2d's backward (y: its output, read for the fused ReLU). */
export const batchNorm2dGradOp: OpDef<BatchNormGradAttrs> = {
  outputs(inputs) {
    for (let k = 0; k < 6; k++) expectDtype('batchNorm2dGrad', inputs, k, 'f32');
    const [dy, x, , , , y] = inputs;
    if (x.rank !== 4 || dy.shape.some((d, i) => d !== x.shape[i]) || y.shape.some((d, i) => d !== x.shape[i])) {
      shapeError('batchNorm2dGrad', inputs, 'dy, x and y must all be [N, C, H, W]');
    }
    const C = x.shape[1];
    for (let k = 2; k < 5; k++) if (inputs[k].size !== C) shapeError('batchNorm2dGrad', inputs, `input ${k} must be [${C}]`);
    return [
      { shape: x.shape, dtype: 'f32', role: 'dx' },
      { shape: [C], dtype: 'f32', role: 'dgamma' },
      { shape: [C], dtype: 'f32', role: 'dbeta' },
    ];
  },
  reference(inputs, [dx, dgamma, dbeta], { attrs, inputShapes }) {
    const [dy, x, gamma, mean, invstd, y] = inputs as FloatArray[];
    const [N, C, H, W] = inputShapes[1];
    const HW = H * W;
    const n = N * HW;
    const d = (k: number) => (attrs.relu && !(y[k] > 0) ? 0 : dy[k]);
    for (let c = 0; c < C; c++) {
      let sd = 0;
      let sdx = 0;
      for (let b = 0; b < N; b++) {
        for (let i = 0; i < HW; i++) {
          const k = (b * C + c) * HW + i;
          sd += d(k);
          sdx += d(k) * (x[k] - mean[c]) * invstd[c];
        }
      }
      dbeta[c] = sd;
      dgamma[c] = sdx;
      const g = gamma[c] * invstd[c];
      for (let b = 0; b < N; b++) {
        for (let i = 0; i < HW; i++) {
          const k = (b * C + c) * HW + i;
          dx[k] = attrs.training ? g * (d(k) - sd / n - (x[k] - mean[c]) * invstd[c] * (sdx / n)) : g * d(k);
        }
      }
    }
  },
  webgpu(gpu, inputs, outputs, attrs) {
    const [N, C, H, W] = inputs[1].shape;
    gpu.dispatch({
      label: 'batchNorm2d.backward',
      shaderKey: 'nn/batch_norm_backward',
      code: BACKWARD_CODE,
      constants: { TRAINING: attrs.training ? 1 : 0, RELU: attrs.relu ? 1 : 0 },
      reads: inputs.map((t) => gpu.buffer(t)),
      writes: outputs.map((t) => gpu.buffer(t)),
      uniforms: BACKWARD_PARAMS.pack({ N, C, HW: H * W }),
      workgroups: [C],
    });
  },
  backward: 'nondifferentiable',
};

/** A BatchNorm2d layer's buffers (torch names: running_mean, running_var, num_batches_tracked). */
export interface BatchNormBuffers {
  runningMean: Tensor;
  runningVar: Tensor;
  /** Training steps seen (a float holding an integer); optional. */
  numBatchesTracked?: Tensor;
}

export interface BatchNormOptions {
  training: boolean;
  /** Apply ReLU in the same pass (default false). */
  relu?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * torch.nn.BatchNorm2d: x [N, C, H, W], weight γ [C], bias β [C]. In training mode the
 * buffers are updated in place (as torch does); in evaluation mode they are read.
 */
export function batchNorm2d(x: Tensor, weight: Tensor, bias: Tensor, buffers: BatchNormBuffers, options: BatchNormOptions): Tensor {
  const eps = options.eps ?? BATCH_NORM_EPS;
  const relu = options.relu ?? false;
  if (!options.training) {
    return runOp('batchNorm2d', batchNorm2dOp, [x, weight, bias, buffers.runningMean, buffers.runningVar], { training: false, eps, relu })[0];
  }
  const [y, mean, , variance] = runOp('batchNorm2d', batchNorm2dOp, [x, weight, bias], { training: true, eps, relu });
  const m = options.momentum ?? BATCH_NORM_MOMENTUM;
  const n = x.size / x.shape[1];
  noGrad(() => {
    const backend = x.backend;
    backend.copy(add(scale(buffers.runningMean, 1 - m), scale(mean, m)), buffers.runningMean);
    backend.copy(add(scale(buffers.runningVar, 1 - m), scale(variance, (m * n) / (n - 1))), buffers.runningVar);
    if (buffers.numBatchesTracked) backend.copy(scale(buffers.numBatchesTracked, 1, 1), buffers.numBatchesTracked);
  });
  return y;
}
