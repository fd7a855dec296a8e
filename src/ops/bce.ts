// Binary cross-entropy with logits (torch.nn.BCEWithLogitsLoss, reduction 'mean'), for
// multi-label heads. Forward is one fused single-workgroup kernel, backward one
// elementwise kernel:
//   l_ic = max(z, 0) − z·y + log(1 + e^{−|z|})
//   loss = Σ_i w_i Σ_c l_ic / (C · Σ_i w_i),  w_i = mask_i (default 1: the plain mean)
//   ∂loss/∂z_ic = w_i (σ(z_ic) − y_ic) / (C Σ w),   ∂loss/∂y_ic = −w_i z_ic / (C Σ w)
// The mask is not differentiated.
import bceWgsl from '../../shaders/nn/bce.wgsl?raw';
import { BCE_BACKWARD_WGSL } from './wgsl-modules.ts';
import { needsGrad } from '../autograd/tape.ts';
import { grid1d } from '../gpu/grid.ts';
import type { FloatArray, Tensor } from '../tensor.ts';
import { sigmoidScalar } from './activation.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const BCE_PARAMS = uniformLayout('nn/bce', { N: 'u32', C: 'u32' });
const BCE_BACKWARD_PARAMS = uniformLayout('nn/bce_backward', { N: 'u32', C: 'u32' });

export interface BceGradAttrs {
  /** Also write ∂loss/∂targets (second output). */
  targetsGrad: boolean;
}

/** Outputs: [loss [], stats [2] = (loss, Σ w)]. Inputs: logits [N, C], targets [N, C], mask [N]. */
export const sigmoidCrossEntropyOp: OpDef<object> = {
  outputs(inputs) {
    const op = 'sigmoidCrossEntropy';
    for (let k = 0; k < 3; k++) expectDtype(op, inputs, k, 'f32');
    const [logits, targets, mask] = inputs;
    if (logits.rank !== 2) shapeError(op, inputs, 'logits must be [N, C]');
    const [N, C] = logits.shape;
    if (C === 0) shapeError(op, inputs, 'no classes (C = 0)');
    if (targets.rank !== 2 || targets.shape[0] !== N || targets.shape[1] !== C) shapeError(op, inputs, `targets must be [${N}, ${C}] like the logits`);
    if (mask.rank !== 1 || mask.shape[0] !== N) shapeError(op, inputs, `mask must be [${N}]`);
    return [
      { shape: [], dtype: 'f32', role: 'loss' },
      { shape: [2], dtype: 'f32', role: 'stats' },
    ];
  },
  reference(inputs, [loss, stats], { inputShapes }) {
    const [z, y, mask] = inputs as FloatArray[];
    const [N, C] = inputShapes[0];
    let total = 0;
    let weight = 0;
    for (let i = 0; i < N; i++) {
      let row = 0;
      for (let c = 0; c < C; c++) {
        const v = z[i * C + c];
        row += Math.max(v, 0) - v * y[i * C + c] + Math.log1p(Math.exp(-Math.abs(v)));
      }
      total += mask[i] * row;
      weight += mask[i];
    }
    loss[0] = weight > 0 ? total / (C * weight) : 0;
    stats[0] = loss[0];
    stats[1] = weight;
  },
  webgpu(gpu, [logits, targets, mask], [loss, stats]) {
    const [N, C] = logits.shape;
    gpu.dispatch({
      label: 'sigmoidCrossEntropy.forward',
      shaderKey: 'nn/bce',
      code: bceWgsl,
      reads: [gpu.buffer(logits), gpu.buffer(targets), gpu.buffer(mask)],
      writes: [gpu.buffer(loss), gpu.buffer(stats)],
      uniforms: BCE_PARAMS.pack({ N, C }),
      workgroups: [1],
    });
  },
  backward({ inputs: [logits, targets, mask], outputs: [, stats], grads: [g] }) {
    if (!g) return [null, null, null];
    const targetsGrad = needsGrad(targets);
    const d = runOp('sigmoidCrossEntropyGrad', sigmoidCrossEntropyGradOp, [logits, targets, mask, stats, g], { targetsGrad });
    return [d[0], targetsGrad ? d[1] : null, null];
  },
};

/** (logits, targets, mask, stats, g) → dlogits [N, C] (and dtargets); a helper of the backward above. */
export const sigmoidCrossEntropyGradOp: OpDef<BceGradAttrs> = {
  outputs(inputs, { targetsGrad }) {
    const spec = { shape: inputs[0].shape, dtype: 'f32' as const };
    return targetsGrad ? [{ ...spec, role: 'dlogits' }, { ...spec, role: 'dtargets' }] : [{ ...spec, role: 'dlogits' }];
  },
  reference(inputs, [dz, dy], { attrs, inputShapes }) {
    const [z, y, mask, stats, g] = inputs as FloatArray[];
    const [N, C] = inputShapes[0];
    const total = stats[1];
    for (let i = 0; i < N; i++) {
      const k = total > 0 ? (g[0] * mask[i]) / (C * total) : 0;
      for (let c = 0; c < C; c++) {
        const j = i * C + c;
        dz[j] = k * (sigmoidScalar(z[j]) - y[j]);
        if (attrs.targetsGrad) dy[j] = -k * z[j];
      }
    }
  },
  webgpu(gpu, inputs, outputs, attrs) {
    const [N, C] = inputs[0].shape;
    // Without a targets gradient the kernel writes only dlogits; a scratch buffer fills
    // the second binding (writable bindings must not alias).
    const dtargets = attrs.targetsGrad ? outputs[1] : gpu.empty([1], 'f32', 'sigmoidCrossEntropy.unused');
    gpu.dispatch({
      label: 'sigmoidCrossEntropy.backward',
      shaderKey: 'nn/bce_backward',
      code: BCE_BACKWARD_WGSL,
      constants: { TARGETS_GRAD: attrs.targetsGrad ? 1 : 0 },
      reads: inputs.map((t) => gpu.buffer(t)),
      writes: [gpu.buffer(outputs[0]), gpu.buffer(dtargets)],
      uniforms: BCE_BACKWARD_PARAMS.pack({ N, C }),
      workgroups: grid1d(N * C, 256),
    });
    if (!attrs.targetsGrad) dtargets.dispose();
  },
  backward: 'nondifferentiable',
};

/**
 * Mean binary cross-entropy of logits [B, C] against 0/1 targets [B, C] (torch
 * BCEWithLogitsLoss), over the rows with mask > 0 (mask [B], default all 1) × C.
 */
export function sigmoidCrossEntropy(logits: Tensor, targets: Tensor, mask?: Tensor): Tensor {
  const m = mask ?? logits.backend.full([logits.shape[0] ?? 0], 1, 'f32', 'sigmoidCrossEntropy.mask');
  return runOp('sigmoidCrossEntropy', sigmoidCrossEntropyOp, [logits, targets, m], {})[0];
}
