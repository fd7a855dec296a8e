// Adam and AdamW (torch.optim.Adam / AdamW); the kernel is shaders/optim/adam.wgsl.
// `Adam` is kept as a class for code that builds it directly (new Adam(params, { lr })).
import adamWgsl from '../../shaders/optim/adam.wgsl?raw';
import type { Tensor } from '../tensor.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { FusedOptimizer, resolveConfig, type UpdateRule } from './fused.ts';

const ADAM_PARAMS = uniformLayout('optim/adam', { n: 'u32', lr: 'f32', wd: 'f32', l1: 'f32', beta1: 'f32', beta2: 'f32', eps: 'f32', stepSize: 'f32', bc2Sqrt: 'f32' });

export const ADAM_RULE: UpdateRule = {
  shaderKey: 'optim/adam',
  code: adamWgsl,
  slots: ['exp_avg', 'exp_avg_sq'],
  activeSlots: () => [true, true],
  constants: (c) => ({ DECOUPLED: c.kind === 'adamw' ? 1 : 0 }),
  uniforms: (c, lr, t, n) =>
    ADAM_PARAMS.pack({ n, lr, wd: c.weightDecay, l1: c.l1, beta1: c.beta1, beta2: c.beta2, eps: c.eps, stepSize: lr / (1 - c.beta1 ** t), bc2Sqrt: Math.sqrt(1 - c.beta2 ** t) }),
  reference(c, lr, t, param, grad, scale, [m, v]) {
    const stepSize = lr / (1 - c.beta1 ** t);
    const bc2Sqrt = Math.sqrt(1 - c.beta2 ** t);
    const decoupled = c.kind === 'adamw';
    for (let i = 0; i < param.length; i++) {
      let theta = param[i];
      let g = grad[i] * scale + c.l1 * Math.sign(theta);
      if (decoupled) theta *= 1 - lr * c.weightDecay;
      else g += c.weightDecay * theta;
      const mi = c.beta1 * m![i] + (1 - c.beta1) * g;
      const vi = c.beta2 * v![i] + (1 - c.beta2) * g * g;
      m![i] = mi;
      v![i] = vi;
      param[i] = theta - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + c.eps);
    }
  },
  wasm(engine, c, lr, t, at, scale) {
    const [m, v] = at.slots;
    const decoupled = c.kind === 'adamw' ? 1 : 0;
    engine.adamUpdate(at.param, at.grad, m, v, at.n, scale, lr, c.weightDecay, c.l1, c.beta1, c.beta2, c.eps, lr / (1 - c.beta1 ** t), Math.sqrt(1 - c.beta2 ** t), decoupled);
  },
};

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** L2 (Adam) or decoupled (AdamW) weight decay; torch's defaults: 0 for Adam, 0.01 for AdamW. */
  weightDecay?: number;
  /** AdamW: decay the weights directly instead of adding wd·θ to the gradient. */
  decoupled?: boolean;
  l1?: number;
}

/** Adam / AdamW as a class; the same optimizer as createOptimizer({ kind: 'adam' | 'adamw', … }). */
export class Adam extends FusedOptimizer {
  constructor(params: Tensor[], options: AdamOptions) {
    const { decoupled, ...rest } = options;
    const config = { ...rest, kind: decoupled ? ('adamw' as const) : ('adam' as const) };
    super(params, config, resolveConfig(config), ADAM_RULE);
  }
}
