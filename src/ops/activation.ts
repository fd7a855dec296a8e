// tanh, sigmoid, relu, and the fused gradient kernel dx = dy · f'(y) used by their backward.
import { UNARY_PARAMS, UNARY_WGSL } from './wgsl-modules.ts';
import gradWgsl from '../../shaders/nn/activation_grad.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import type { FloatArray, Tensor } from '../tensor.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const ACTIVATION_GRAD_PARAMS = uniformLayout('nn/activation_grad', { n: 'u32' });

export type Activation = 'tanh' | 'sigmoid' | 'relu';
const CODE: Record<Activation, number> = { tanh: 1, sigmoid: 2, relu: 3 };

/** Numerically stable scalar activations shared by every CPU reference. */
export function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

export function activate(kind: Activation, v: number): number {
  return kind === 'tanh' ? Math.tanh(v) : kind === 'sigmoid' ? sigmoidScalar(v) : v > 0 ? v : 0;
}

/** f'(x) expressed through y = f(x). */
export function activationDerivative(kind: Activation, y: number): number {
  return kind === 'tanh' ? 1 - y * y : kind === 'sigmoid' ? y * (1 - y) : y > 0 ? 1 : 0;
}

function activationOp(kind: Activation): OpDef<object> {
  return {
    outputs(inputs) {
      expectDtype(kind, inputs, 0, 'f32');
      return [{ shape: inputs[0].shape, dtype: 'f32' }];
    },
    reference([x], [out]) {
      const xs = x as FloatArray;
      for (let i = 0; i < out.length; i++) out[i] = activate(kind, xs[i]);
    },
    webgpu(gpu, [x], [out]) {
      gpu.dispatch({
        label: `${kind}.forward`,
        shaderKey: 'nn/unary',
        code: UNARY_WGSL,
        constants: { F: CODE[kind] },
        reads: [gpu.buffer(x)],
        writes: [gpu.buffer(out)],
        uniforms: UNARY_PARAMS.pack({ n: out.size, alpha: 1, beta: 0 }),
        workgroups: grid1d(out.size, 256),
      });
    },
    backward({ outputs: [y], grads: [g] }) {
      return [g ? activationGrad(kind, g, y) : null];
    },
  };
}

export const tanhOp = activationOp('tanh');
export const sigmoidOp = activationOp('sigmoid');
export const reluOp = activationOp('relu');

/** dx = dy · f'(y); a helper kernel for backward passes, not differentiated itself. */
export const activationGradOp: OpDef<{ kind: Activation }> = {
  outputs(inputs) {
    if (inputs[0].size !== inputs[1].size) shapeError('activationGrad', inputs, 'dy and y differ in size');
    return [{ shape: inputs[0].shape, dtype: 'f32' }];
  },
  reference([dy, y], [dx], { attrs }) {
    for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * activationDerivative(attrs.kind, y[i]);
  },
  webgpu(gpu, [dy, y], [dx], attrs) {
    gpu.dispatch({
      label: 'activationGrad.backward',
      shaderKey: 'nn/activation_grad',
      code: gradWgsl,
      constants: { F: CODE[attrs.kind] },
      reads: [gpu.buffer(dy), gpu.buffer(y)],
      writes: [gpu.buffer(dx)],
      uniforms: ACTIVATION_GRAD_PARAMS.pack({ n: dx.size }),
      workgroups: grid1d(dx.size, 256),
    });
  },
  backward: 'nondifferentiable',
};

export function tanh(x: Tensor): Tensor {
  return runOp('tanh', tanhOp, [x], {})[0];
}

export function sigmoid(x: Tensor): Tensor {
  return runOp('sigmoid', sigmoidOp, [x], {})[0];
}

export function relu(x: Tensor): Tensor {
  return runOp('relu', reluOp, [x], {})[0];
}

export function activationGrad(kind: Activation, dy: Tensor, y: Tensor): Tensor {
  return runOp('activationGrad', activationGradOp, [dy, y], { kind })[0];
}

/** Applies the named activation. */
export function activation(kind: Activation, x: Tensor): Tensor {
  return kind === 'tanh' ? tanh(x) : kind === 'sigmoid' ? sigmoid(x) : relu(x);
}
