// concat and split along the last axis. All tensors share the leading dims; the
// backward of one is the other (missing output gradients count as zeros).
import concatWgsl from '../../shaders/nn/concat.wgsl?raw';
import { grid1d } from '../gpu/grid.ts';
import type { Tensor } from '../tensor.ts';
import { runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const CONCAT_PARAMS = uniformLayout('nn/concat', { rows: 'u32', cols: 'u32', wide: 'u32', off: 'u32' });

function leading(t: Tensor): number[] {
  return t.shape.slice(0, -1) as number[];
}

export const concatOp: OpDef<object> = {
  outputs(inputs) {
    if (inputs.length === 0) throw new Error('concat: no inputs');
    const lead = leading(inputs[0]);
    let width = 0;
    for (const t of inputs) {
      if (t.rank === 0) shapeError('concat', inputs, 'scalars cannot be concatenated');
      const l = leading(t);
      if (l.length !== lead.length || l.some((d, i) => d !== lead[i])) shapeError('concat', inputs, 'leading dimensions differ');
      if (t.dtype !== inputs[0].dtype) shapeError('concat', inputs, 'dtypes differ');
      width += t.shape[t.rank - 1];
    }
    return [{ shape: [...lead, width], dtype: inputs[0].dtype }];
  },
  reference(inputs, [out], { inputShapes, outputShapes }) {
    const wide = outputShapes[0][outputShapes[0].length - 1];
    const rows = wide === 0 ? 0 : out.length / wide;
    let off = 0;
    inputs.forEach((x, k) => {
      const cols = inputShapes[k][inputShapes[k].length - 1];
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * wide + off + c] = x[r * cols + c];
      off += cols;
    });
  },
  webgpu(gpu, inputs, [out]) {
    const wide = out.shape[out.rank - 1];
    const rows = wide === 0 ? 0 : out.size / wide;
    let off = 0;
    for (const x of inputs) {
      const cols = x.shape[x.rank - 1];
      gpu.dispatch({
        label: 'concat.forward',
        shaderKey: 'nn/concat',
        code: concatWgsl,
        constants: { PACK: 1 },
        reads: [gpu.buffer(x)],
        writes: [gpu.buffer(out)],
        uniforms: CONCAT_PARAMS.pack({ rows, cols, wide, off }),
        workgroups: grid1d(rows * cols, 256),
      });
      off += cols;
    }
  },
  backward({ inputs, grads: [g] }) {
    if (!g) return inputs.map(() => null);
    return split(g, inputs.map((t) => t.shape[t.rank - 1]));
  },
};

export const splitOp: OpDef<{ sizes: number[] }> = {
  outputs(inputs, { sizes }) {
    const x = inputs[0];
    const width = x.shape[x.rank - 1];
    if (x.rank === 0) shapeError('split', inputs, 'cannot split a scalar');
    if (sizes.reduce((a, b) => a + b, 0) !== width) shapeError('split', inputs, `sizes [${sizes.join(', ')}] do not add up to ${width}`);
    return sizes.map((s, k) => ({ shape: [...leading(x), s], dtype: x.dtype, role: `part${k}` }));
  },
  reference([x], outs, { attrs, inputShapes }) {
    const wide = inputShapes[0][inputShapes[0].length - 1];
    const rows = wide === 0 ? 0 : x.length / wide;
    let off = 0;
    attrs.sizes.forEach((cols, k) => {
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) outs[k][r * cols + c] = x[r * wide + off + c];
      off += cols;
    });
  },
  webgpu(gpu, [x], outs, attrs) {
    const wide = x.shape[x.rank - 1];
    const rows = wide === 0 ? 0 : x.size / wide;
    let off = 0;
    attrs.sizes.forEach((cols, k) => {
      gpu.dispatch({
        label: 'split.forward',
        shaderKey: 'nn/concat',
        code: concatWgsl,
        constants: { PACK: 0 },
        reads: [gpu.buffer(x)],
        writes: [gpu.buffer(outs[k])],
        uniforms: CONCAT_PARAMS.pack({ rows, cols, wide, off }),
        workgroups: grid1d(rows * cols, 256),
      });
      off += cols;
    });
  },
  backward({ outputs, grads }) {
    if (grads.every((g) => !g)) return [null];
    const parts = grads.map((g, k) => g ?? outputs[k].backend.zeros(outputs[k].shape, 'f32', 'split.zero_grad'));
    return [concat(parts)];
  },
};

/** Concatenates along the last axis. */
export function concat(tensors: Tensor[]): Tensor {
  if (tensors.length === 1) return tensors[0];
  return runOp('concat', concatOp, tensors, {})[0];
}

/** Splits the last axis into parts of the given sizes. */
export function split(x: Tensor, sizes: number[]): Tensor[] {
  return runOp('split', splitOp, [x], { sizes });
}
