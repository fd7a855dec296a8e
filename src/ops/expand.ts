// expand inserts a new axis of size n and repeats x along it; sumAxis sums one axis
// away. Each is the other's backward:
//   expand:  out[o, j, i] = x[o, i]           → dx[o, i] = Σ_j dOut[o, j, i]
//   sumAxis: out[o, i] = Σ_j x[o, j, i]       → dx[o, j, i] = dOut[o, i]
// (o runs over the dims before the axis, i over the dims after it).
import expandWgsl from '../../shaders/nn/expand.wgsl?raw';
import sumAxisWgsl from '../../shaders/nn/sum_axis.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const EXPAND_PARAMS = uniformLayout('nn/expand', { outer: 'u32', n: 'u32', inner: 'u32' });
const SUM_AXIS_PARAMS = uniformLayout('nn/sum_axis', { outer: 'u32', n: 'u32', inner: 'u32' });

export interface ExpandAttrs {
  /** Position of the new axis in the output, 0..rank(x). */
  axis: number;
  n: number;
}

export interface SumAxisAttrs {
  /** Axis of the input to sum over, 0..rank(x) − 1. */
  axis: number;
}

/** outer = Π dims before `axis`, inner = Π dims from `axis` on (of the un-expanded shape). */
function aroundAxis(shape: readonly number[], axis: number): { outer: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), inner: sizeOf(shape.slice(axis)) };
}

export const expandOp: OpDef<ExpandAttrs> = {
  outputs(inputs, { axis, n }) {
    expectDtype('expand', inputs, 0, 'f32');
    const x = inputs[0];
    if (!Number.isInteger(axis) || axis < 0 || axis > x.rank) shapeError('expand', inputs, `axis ${axis} is outside [0, ${x.rank}]`);
    if (!Number.isInteger(n) || n < 0) shapeError('expand', inputs, `size ${n} is not a non-negative integer`);
    return [{ shape: [...x.shape.slice(0, axis), n, ...x.shape.slice(axis)], dtype: 'f32' }];
  },
  reference([x], [out], { attrs, inputShapes }) {
    const { outer, inner } = aroundAxis(inputShapes[0], attrs.axis);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < attrs.n; j++) {
        const dst = (o * attrs.n + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] = x[o * inner + i];
      }
    }
  },
  webgpu(gpu, [x], [out], attrs) {
    const { outer, inner } = aroundAxis(x.shape, attrs.axis);
    gpu.dispatch({
      label: 'expand.forward',
      shaderKey: 'nn/expand',
      code: expandWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: EXPAND_PARAMS.pack({ outer, n: attrs.n, inner }),
      workgroups: grid1d(out.size, 256),
    });
  },
  backward({ attrs, grads: [g] }) {
    return [g ? sumAxis(g, attrs.axis) : null];
  },
};

export const sumAxisOp: OpDef<SumAxisAttrs> = {
  outputs(inputs, { axis }) {
    expectDtype('sumAxis', inputs, 0, 'f32');
    const x = inputs[0];
    if (!Number.isInteger(axis) || axis < 0 || axis >= x.rank) shapeError('sumAxis', inputs, `axis ${axis} is outside [0, ${x.rank})`);
    return [{ shape: x.shape.filter((_, d) => d !== axis), dtype: 'f32' }];
  },
  reference([x], [out], { attrs, inputShapes }) {
    const shape = inputShapes[0];
    const n = shape[attrs.axis];
    const outer = sizeOf(shape.slice(0, attrs.axis));
    const inner = sizeOf(shape.slice(attrs.axis + 1));
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += x[(o * n + j) * inner + i];
        out[o * inner + i] = acc;
      }
    }
  },
  webgpu(gpu, [x], [out], attrs) {
    const n = x.shape[attrs.axis];
    const outer = sizeOf(x.shape.slice(0, attrs.axis));
    const inner = sizeOf(x.shape.slice(attrs.axis + 1));
    gpu.dispatch({
      label: 'sumAxis.forward',
      shaderKey: 'nn/sum_axis',
      code: sumAxisWgsl,
      reads: [gpu.buffer(x)],
      writes: [gpu.buffer(out)],
      uniforms: SUM_AXIS_PARAMS.pack({ outer, n, inner }),
      workgroups: grid1d(outer * inner, 64),
    });
  },
  backward({ inputs: [x], attrs, grads: [g] }) {
    return [g ? expand(g, attrs.axis, x.shape[attrs.axis]) : null];
  },
};

/**
 * Inserts a new axis of size n at `axis` (negative counts from the end of the output
 * shape, as torch.unsqueeze) and repeats x along it: [B, F], axis 1, n T → [B, T, F].
 */
export function expand(x: Tensor, axis: number, n: number): Tensor {
  const a = axis < 0 ? axis + x.rank + 1 : axis;
  return runOp('expand', expandOp, [x], { axis: a, n })[0];
}

/** Sums over one axis (negative counts from the end), removing it: [B, T, F], axis 1 → [B, F]. */
export function sumAxis(x: Tensor, axis: number): Tensor {
  const a = axis < 0 ? axis + x.rank : axis;
  return runOp('sumAxis', sumAxisOp, [x], { axis: a })[0];
}
