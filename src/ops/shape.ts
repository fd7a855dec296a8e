// reshape: same values, new shape (a copy: tensors own their storage).
import { sizeOf, type Shape, type Tensor } from '../tensor.ts';
import { runOp, shapeError, type OpDef } from './op.ts';

export const reshapeOp: OpDef<{ shape: Shape }> = {
  outputs(inputs, { shape }) {
    if (sizeOf(shape) !== inputs[0].size) shapeError('reshape', inputs, `cannot reshape to [${shape.join(', ')}]`);
    return [{ shape, dtype: inputs[0].dtype }];
  },
  reference([x], [out]) {
    out.set(x);
  },
  webgpu(gpu, [x], [out]) {
    if (x.size > 0) gpu.recorder.copy(gpu.buffer(x), 0, gpu.buffer(out), 0, x.size * 4);
  },
  backward({ inputs: [x], grads: [g] }) {
    return [g ? reshape(g, x.shape) : null];
  },
};

export function reshape(x: Tensor, shape: Shape): Tensor {
  return runOp('reshape', reshapeOp, [x], { shape })[0];
}
