// Reductions: sum and mean over all elements (→ shape []), sumRows over the leading
// dims (→ a trailing shape, used to reduce broadcast gradients), and broadcastTo.
import sumAllWgsl from '../../shaders/nn/sum_all.wgsl?raw';
import sumRowsWgsl from '../../shaders/nn/sum_rows.wgsl?raw';
import binaryWgsl from '../../shaders/nn/binary.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import { sizeOf, type Shape, type Tensor } from '../tensor.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { scale } from './scale.ts';
import { reshape } from './shape.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { BINARY_PARAMS } from './wgsl-modules.ts';

const SUM_ALL_PARAMS = uniformLayout('nn/sum_all', { n: 'u32', scale: 'f32' });
const SUM_ROWS_PARAMS = uniformLayout('nn/sum_rows', { rows: 'u32', cols: 'u32', scale: 'f32' });

function isSuffix(short: Shape, long: Shape): boolean {
  if (short.length > long.length) return false;
  const o = long.length - short.length;
  return short.every((d, i) => d === long[o + i]);
}

/** scale · Σ x over every element; output shape []. */
export const sumOp: OpDef<{ scale: number }> = {
  outputs(inputs) {
    expectDtype('sum', inputs, 0, 'f32');
    return [{ shape: [], dtype: 'f32' }];
  },
  reference([x], [out], { attrs }) {
    let acc = 0;
    for (let i = 0; i < x.length; i++) acc += x[i];
    out[0] = acc * attrs.scale;
  },
  webgpu(gpu, [x], [out], attrs) {
    gpu.dispatch({
      label: 'sum.forward',
      shaderKey: 'nn/sum_all',
      code: sumAllWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: SUM_ALL_PARAMS.pack({ n: x.size, scale: attrs.scale }),
      workgroups: [1],
    });
  },
  backward({ inputs: [x], attrs, grads: [g] }) {
    if (!g) return [null];
    const expanded = broadcastTo(g, x.shape);
    return [attrs.scale === 1 ? expanded : scale(expanded, attrs.scale)];
  },
};

/** Sums over leading dims so the result has the trailing shape `shape`. */
export const sumRowsOp: OpDef<{ shape: Shape }> = {
  outputs(inputs, { shape }) {
    expectDtype('sumRows', inputs, 0, 'f32');
    if (!isSuffix(shape, inputs[0].shape)) {
      shapeError('sumRows', inputs, `target [${shape.join(', ')}] is not a trailing shape of the input`);
    }
    return [{ shape, dtype: 'f32' }];
  },
  reference([x], [out]) {
    const cols = out.length;
    out.fill(0);
    for (let i = 0; i < x.length; i++) out[i % cols] += x[i];
  },
  webgpu(gpu, [x], [out]) {
    const cols = out.size;
    gpu.dispatch({
      label: 'sumRows.forward',
      shaderKey: 'nn/sum_rows',
      code: sumRowsWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: SUM_ROWS_PARAMS.pack({ rows: cols === 0 ? 0 : x.size / cols, cols, scale: 1 }),
      workgroups: grid1d(cols, 64),
    });
  },
  backward({ inputs: [x], grads: [g] }) {
    return [g ? broadcastTo(g, x.shape) : null];
  },
};

/** Repeats x over new leading dims: out[i] = x[i mod size(x)]. */
export const broadcastToOp: OpDef<{ shape: Shape }> = {
  outputs(inputs, { shape }) {
    if (!isSuffix(inputs[0].shape, shape) && !(inputs[0].size === 1 && inputs[0].rank === 0)) {
      shapeError('broadcastTo', inputs, `cannot broadcast to [${shape.join(', ')}]`);
    }
    return [{ shape, dtype: inputs[0].dtype }];
  },
  reference([x], [out]) {
    for (let i = 0; i < out.length; i++) out[i] = x[i % x.length];
  },
  webgpu(gpu, [x], [out]) {
    gpu.dispatch({
      label: 'broadcastTo.forward',
      shaderKey: 'nn/binary',
      code: binaryWgsl,
      constants: { OP: 3 },
      reads: [gpu.buffer(x), gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: BINARY_PARAMS.pack({ n: out.size, na: x.size, nb: x.size }),
      workgroups: grid1d(out.size, 256),
    });
  },
  backward({ inputs: [x], grads: [g] }) {
    if (!g) return [null];
    return [x.rank === 0 ? reshape(sum(g), x.shape) : sumRows(g, x.shape)];
  },
};

export function sum(x: Tensor): Tensor {
  return runOp('sum', sumOp, [x], { scale: 1 })[0];
}

export function mean(x: Tensor): Tensor {
  return runOp('sum', sumOp, [x], { scale: x.size === 0 ? 0 : 1 / x.size })[0];
}

export function sumRows(x: Tensor, shape: Shape): Tensor {
  return runOp('sumRows', sumRowsOp, [x], { shape })[0];
}

export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  return runOp('broadcastTo', broadcastToOp, [x], { shape })[0];
}

/** Reduces a broadcast gradient back to `shape` (returns g itself when shapes match). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (g.rank === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  if (sizeOf(shape) === 1 && shape.length === 0) return sum(g);
  return sumRows(g, shape);
}

