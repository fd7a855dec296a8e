// Inverted dropout: y = x · m / (1 − p), m_i = [hash(seed ⊕ hash(i)) ≥ p·2³²]. The mask
// is a pure function of (seed, index), computed identically on the CPU and in WGSL, so
// no mask is stored or uploaded; backward applies the same mask to the gradient.
import dropoutWgsl from '../../shaders/nn/dropout.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import type { FloatArray, Tensor } from '../tensor.ts';
import { expectDtype, runOp, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const DROPOUT_PARAMS = uniformLayout('nn/dropout', { n: 'u32', seed: 'u32', threshold: 'u32', scale: 'f32' });

export interface DropoutAttrs {
  p: number;
  seed: number;
}

/** The PCG-style integer hash used by the dropout mask (u32 arithmetic). */
export function dropoutHash(v: number): number {
  let h = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  h = Math.imul(((h >>> ((h >>> 28) + 4)) ^ h) >>> 0, 277803737) >>> 0;
  return ((h >>> 22) ^ h) >>> 0;
}

function threshold(p: number): number {
  return Math.min(4294967295, Math.floor(p * 4294967296));
}

export const dropoutOp: OpDef<DropoutAttrs> = {
  outputs(inputs) {
    expectDtype('dropout', inputs, 0, 'f32');
    return [{ shape: inputs[0].shape, dtype: 'f32' }];
  },
  reference([x], [out], { attrs }) {
    const xs = x as FloatArray;
    const th = threshold(attrs.p);
    const scale = 1 / (1 - attrs.p);
    const seed = attrs.seed >>> 0;
    for (let i = 0; i < out.length; i++) out[i] = dropoutHash((seed ^ dropoutHash(i)) >>> 0) >= th ? xs[i] * scale : 0;
  },
  webgpu(gpu, [x], [out], attrs) {
    gpu.dispatch({
      label: 'dropout.forward',
      shaderKey: 'nn/dropout',
      code: dropoutWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: DROPOUT_PARAMS.pack({ n: x.size, seed: attrs.seed >>> 0, threshold: threshold(attrs.p), scale: 1 / (1 - attrs.p) }),
      workgroups: grid1d(x.size, 256),
    });
  },
  backward({ attrs, grads: [g] }) {
    return [g ? runOp('dropout', dropoutOp, [g], attrs)[0] : null];
  },
};

/** Inverted dropout; the identity when not training or p = 0. */
export function dropout(x: Tensor, p: number, seed: number, training: boolean): Tensor {
  if (!training || p <= 0) return x;
  if (p >= 1) throw new Error(`dropout: p must be below 1, got ${p}`);
  return runOp('dropout', dropoutOp, [x], { p, seed })[0];
}
