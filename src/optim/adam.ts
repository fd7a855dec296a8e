// Adam and AdamW (torch.optim semantics) as one fused kernel per parameter tensor,
// updating the parameter and its moment estimates in place. The CPU path runs the same
// arithmetic on the typed arrays.
import adamWgsl from '../../shaders/optim/adam.wgsl?raw';
import type { CpuBackend } from '../backend/cpu.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { grid1d } from '../gpu/grid.ts';
import type { FloatArray, Tensor } from '../tensor.ts';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** AdamW: decay the weights directly instead of adding wd·θ to the gradient. */
  decoupled?: boolean;
}

interface Moments {
  m: Tensor;
  v: Tensor;
}

export class Adam {
  /** Number of updates done (t in the bias corrections). */
  step = 0;
  private moments = new Map<Tensor, Moments>();

  constructor(
    readonly params: Tensor[],
    public options: AdamOptions,
  ) {}

  private momentsOf(p: Tensor): Moments {
    let s = this.moments.get(p);
    if (!s) {
      s = { m: p.backend.zeros(p.shape, 'f32', `adam.m.${p.label}`).keep(), v: p.backend.zeros(p.shape, 'f32', `adam.v.${p.label}`).keep() };
      this.moments.set(p, s);
    }
    return s;
  }

  /** Applies one update to every parameter that has a gradient; `lr` overrides options.lr. */
  update(lr = this.options.lr): void {
    this.step++;
    const beta1 = this.options.beta1 ?? 0.9;
    const beta2 = this.options.beta2 ?? 0.999;
    const eps = this.options.eps ?? 1e-8;
    const wd = this.options.weightDecay ?? 0;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    for (const p of this.params) {
      if (!p.grad) continue;
      const { m, v } = this.momentsOf(p);
      if (p.backend.kind === 'webgpu') {
        const gpu = p.backend as WebGpuBackend;
        gpu.dispatch({
          label: 'adam.update',
          shaderKey: 'optim/adam',
          code: adamWgsl,
          constants: { DECOUPLED: this.options.decoupled ? 1 : 0 },
          reads: [gpu.buffer(p.grad)],
          writes: [gpu.buffer(p), gpu.buffer(m), gpu.buffer(v)],
          uniforms: [
            ['u32', p.size],
            ['f32', lr],
            ['f32', beta1],
            ['f32', beta2],
            ['f32', eps],
            ['f32', wd],
            ['f32', bc1],
            ['f32', bc2],
          ],
          workgroups: grid1d(p.size, 256),
        });
      } else {
        const cpu = p.backend as CpuBackend;
        adamReference(cpu.data(p) as FloatArray, cpu.data(p.grad) as FloatArray, cpu.data(m) as FloatArray, cpu.data(v) as FloatArray, {
          lr,
          beta1,
          beta2,
          eps,
          wd,
          bc1,
          bc2,
          decoupled: !!this.options.decoupled,
        });
      }
    }
  }

  /** Moment tensors (for checkpoints). */
  state(): Map<Tensor, Moments> {
    return this.moments;
  }
}

export function adamReference(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  h: { lr: number; beta1: number; beta2: number; eps: number; wd: number; bc1: number; bc2: number; decoupled: boolean },
): void {
  for (let i = 0; i < param.length; i++) {
    let theta = param[i];
    let g = grad[i];
    if (h.decoupled) theta *= 1 - h.lr * h.wd;
    else g += h.wd * theta;
    const mi = h.beta1 * m[i] + (1 - h.beta1) * g;
    const vi = h.beta2 * v[i] + (1 - h.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = theta - (h.lr * (mi / h.bc1)) / (Math.sqrt(vi / h.bc2) + h.eps);
  }
}
