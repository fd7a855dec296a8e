// add / sub / mul with suffix broadcasting (a [B, N] with b [N], or equal shapes), and
// neg. Broadcast gradients are summed back over the leading dims.
import binaryWgsl from '../../shaders/nn/binary.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import type { Shape, Tensor } from '../tensor.ts';
import { shapeError, expectDtype, runOp, type OpDef } from './op.ts';
import { sumTo } from './reduce.ts';
import { scale } from './scale.ts';
import { BINARY_PARAMS } from './wgsl-modules.ts';

export type BinaryKind = 'add' | 'sub' | 'mul';
const BINARY_CODE: Record<BinaryKind, number> = { add: 0, sub: 1, mul: 2 };

/** Shape of a (op) b: the longer shape, which must end with the shorter one. */
export function broadcastShape(op: string, inputs: readonly Tensor[]): Shape {
  const [a, b] = inputs;
  const [long, short] = a.rank >= b.rank ? [a.shape, b.shape] : [b.shape, a.shape];
  const offset = long.length - short.length;
  for (let i = 0; i < short.length; i++) {
    if (short[i] !== long[offset + i]) {
      shapeError(op, inputs, 'shapes do not broadcast (the shorter shape must equal the trailing dims of the longer)');
    }
  }
  return long;
}

function binary(kind: BinaryKind): OpDef<object> {
  return {
    outputs(inputs) {
      expectDtype(kind, inputs, 0, 'f32');
      expectDtype(kind, inputs, 1, 'f32');
      return [{ shape: broadcastShape(kind, inputs), dtype: 'f32' }];
    },
    reference([a, b], [out]) {
      const na = a.length;
      const nb = b.length;
      for (let i = 0; i < out.length; i++) {
        const x = a[i % na];
        const y = b[i % nb];
        out[i] = kind === 'add' ? x + y : kind === 'sub' ? x - y : x * y;
      }
    },
    webgpu(gpu, [a, b], [out]) {
      gpu.dispatch({
        label: `${kind}.forward`,
        shaderKey: 'nn/binary',
        code: binaryWgsl,
        constants: { OP: BINARY_CODE[kind] },
        reads: [gpu.buffer(a), gpu.buffer(b)],
        writes: [gpu.buffer(out)],
        uniforms: BINARY_PARAMS.pack({ n: out.size, na: a.size, nb: b.size }),
        workgroups: grid1d(out.size, 256),
      });
    },
    backward({ inputs: [a, b], grads: [g] }) {
      if (!g) return [null, null];
      if (kind === 'add') return [sumTo(g, a.shape), sumTo(g, b.shape)];
      if (kind === 'sub') return [sumTo(g, a.shape), sumTo(neg(g), b.shape)];
      return [sumTo(mul(g, b), a.shape), sumTo(mul(g, a), b.shape)];
    },
  };
}

export const addOp = binary('add');
export const subOp = binary('sub');
export const mulOp = binary('mul');

/** a + b (b may broadcast over a's leading dims, or the other way round). */
export function add(a: Tensor, b: Tensor): Tensor {
  return runOp('add', addOp, [a, b], {})[0];
}

/** a − b with suffix broadcasting. */
export function sub(a: Tensor, b: Tensor): Tensor {
  return runOp('sub', subOp, [a, b], {})[0];
}

/** a ⊙ b with suffix broadcasting. */
export function mul(a: Tensor, b: Tensor): Tensor {
  return runOp('mul', mulOp, [a, b], {})[0];
}

export function neg(x: Tensor): Tensor {
  return scale(x, -1);
}
