// SGD with momentum, dampening, Nesterov and weight decay (torch.optim.SGD); the
// kernel is shaders/optim/sgd.wgsl. On a parameter's first update the momentum buffer
// is the gradient itself (torch: buf = clone(g)), expressed here as decay 0, weight 1.
import sgdWgsl from '../../shaders/optim/sgd.wgsl?raw';
import type { UpdateRule } from './fused.ts';

export const SGD_RULE: UpdateRule = {
  shaderKey: 'optim/sgd',
  code: sgdWgsl,
  slots: ['momentum_buffer'],
  activeSlots: (c) => [c.momentum > 0],
  constants: (c) => ({ MOMENTUM: c.momentum > 0 ? 1 : 0, NESTEROV: c.nesterov ? 1 : 0 }),
  uniforms(c, lr, t) {
    return [
      ['f32', lr],
      ['f32', c.weightDecay],
      ['f32', c.l1],
      ['f32', c.momentum],
      ['f32', t === 1 ? 0 : c.momentum],
      ['f32', t === 1 ? 1 : 1 - c.dampening],
      ['u32', 0],
    ];
  },
  reference(c, lr, t, param, grad, scale, [buf]) {
    const decay = t === 1 ? 0 : c.momentum;
    const gradWeight = t === 1 ? 1 : 1 - c.dampening;
    for (let i = 0; i < param.length; i++) {
      const theta = param[i];
      let g = grad[i] * scale + c.l1 * Math.sign(theta) + c.weightDecay * theta;
      if (buf) {
        const b = decay * buf[i] + gradWeight * g;
        buf[i] = b;
        g = c.nesterov ? g + c.momentum * b : b;
      }
      param[i] = theta - lr * g;
    }
  },
};
