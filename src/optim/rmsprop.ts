// RMSprop with alpha, eps, momentum, centering and weight decay (torch.optim.RMSprop);
// the kernel is shaders/optim/rmsprop.wgsl.
import rmspropWgsl from '../../shaders/optim/rmsprop.wgsl?raw';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import type { UpdateRule } from './fused.ts';

const RMSPROP_PARAMS = uniformLayout('optim/rmsprop', { n: 'u32', lr: 'f32', wd: 'f32', l1: 'f32', alpha: 'f32', eps: 'f32', momentum: 'f32' });

export const RMSPROP_RULE: UpdateRule = {
  shaderKey: 'optim/rmsprop',
  code: rmspropWgsl,
  slots: ['square_avg', 'grad_avg', 'momentum_buffer'],
  activeSlots: (c) => [true, c.centered, c.momentum > 0],
  constants: (c) => ({ CENTERED: c.centered ? 1 : 0, MOMENTUM: c.momentum > 0 ? 1 : 0 }),
  uniforms: (c, lr, _t, n) => RMSPROP_PARAMS.pack({ n, lr, wd: c.weightDecay, l1: c.l1, alpha: c.alpha, eps: c.eps, momentum: c.momentum }),
  reference(c, lr, _t, param, grad, scale, [square, gradAvg, buf]) {
    const sq = square!;
    for (let i = 0; i < param.length; i++) {
      const theta = param[i];
      const g = grad[i] * scale + c.l1 * Math.sign(theta) + c.weightDecay * theta;
      const s = c.alpha * sq[i] + (1 - c.alpha) * g * g;
      sq[i] = s;
      let d: number;
      if (gradAvg) {
        const a = c.alpha * gradAvg[i] + (1 - c.alpha) * g;
        gradAvg[i] = a;
        d = Math.sqrt(s - a * a) + c.eps;
      } else {
        d = Math.sqrt(s) + c.eps;
      }
      if (buf) {
        const b = c.momentum * buf[i] + g / d;
        buf[i] = b;
        param[i] = theta - lr * b;
      } else {
        param[i] = theta - (lr * g) / d;
      }
    }
  },
  wasm(engine, c, lr, _t, at, scale) {
    const [square, avg, buf] = at.slots;
    engine.rmspropUpdate(at.param, at.grad, square, avg, buf, at.n, scale, lr, c.weightDecay, c.l1, c.alpha, c.eps, c.momentum);
  },
};
