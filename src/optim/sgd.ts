// SGD with momentum, dampening, Nesterov and weight decay (torch.optim.SGD); the
// kernel is shaders/optim/sgd.wgsl. On a parameter's first update the momentum buffer
// is the gradient itself (torch: buf = clone(g)), expressed here as decay 0, weight 1.
import sgdWgsl from '../../shaders/optim/sgd.wgsl?raw';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import type { UpdateRule } from './fused.ts';

const SGD_PARAMS = uniformLayout('optim/sgd', { n: 'u32', lr: 'f32', wd: 'f32', l1: 'f32', momentum: 'f32', decay: 'f32', gradWeight: 'f32' });

export const SGD_RULE: UpdateRule = {
  shaderKey: 'optim/sgd',
  code: sgdWgsl,
  slots: ['momentum_buffer'],
  activeSlots: (c) => [c.momentum > 0],
  constants: (c) => ({ MOMENTUM: c.momentum > 0 ? 1 : 0, NESTEROV: c.nesterov ? 1 : 0 }),
  uniforms: (c, lr, t, n) =>
    SGD_PARAMS.pack({ n, lr, wd: c.weightDecay, l1: c.l1, momentum: c.momentum, decay: t === 1 ? 0 : c.momentum, gradWeight: t === 1 ? 1 : 1 - c.dampening }),
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
  wasm(engine, c, lr, t, at, scale) {
    const [buf] = at.slots;
    engine.sgdUpdate(at.param, at.grad, buf, at.n, scale, lr, c.weightDecay, c.l1, c.momentum, t === 1 ? 0 : c.momentum, t === 1 ? 1 : 1 - c.dampening, c.nesterov ? 1 : 0);
  },
};
