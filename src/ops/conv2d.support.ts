// Cases for conv2d on both paths (direct kernels and im2col + matmul): padding, stride,
// odd channel counts (partial register blocks), kernel sizes 1, 3 and 5, with and
// without bias, an input that needs no gradient (images); and the helper ops alone.
import type { OpCase } from './ops.support.ts';
import { batchTranspose, col2imOp, conv2d, type Conv2dPath } from './conv2d.ts';
import { runOp } from './op.ts';

const OPS_OF: Record<Conv2dPath, OpCase['ops']> = {
  direct: ['conv2d', 'conv2dInputGrad', 'conv2dWeightGrad'],
  im2col: ['im2col', 'col2im', 'matmul', 'batchTranspose', 'reshape'],
};

function pathCases(path: Conv2dPath): OpCase[] {
  return [
    {
      ops: OPS_OF[path],
      name: `conv2d ${path}: [2,3,5,6] * [5,3,3,3] + bias, pad 1`,
      inputs: [{ shape: [2, 3, 5, 6] }, { shape: [5, 3, 3, 3] }, { shape: [5] }],
      run: ([x, w, b]) => conv2d(x, w, b, { padding: 1, path }),
    },
    {
      ops: OPS_OF[path],
      name: `conv2d ${path}: [2,2,7,7] * [3,2,3,3], stride 2, pad 1, no bias`,
      inputs: [{ shape: [2, 2, 7, 7] }, { shape: [3, 2, 3, 3] }],
      run: ([x, w]) => conv2d(x, w, null, { stride: 2, padding: 1, path }),
    },
    {
      ops: OPS_OF[path],
      name: `conv2d ${path}: [1,5,9,8] * [6,5,5,5] + bias, stride 3, pad 2`,
      inputs: [{ shape: [1, 5, 9, 8] }, { shape: [6, 5, 5, 5] }, { shape: [6] }],
      run: ([x, w, b]) => conv2d(x, w, b, { stride: 3, padding: 2, path }),
    },
    {
      ops: OPS_OF[path],
      name: `conv2d ${path}: 1×1 kernel, no padding, input without gradient`,
      inputs: [{ shape: [3, 4, 3, 5], grad: false }, { shape: [2, 4, 1, 1] }, { shape: [2] }],
      run: ([x, w, b]) => conv2d(x, w, b, { path }),
    },
  ];
}

export const cases: OpCase[] = [
  ...pathCases('direct'),
  ...pathCases('im2col'),
  {
    ops: ['col2im', 'im2col'],
    name: 'col2im alone: [1, 4, 8] patches (K 2) back onto a [1, 2, 3, 3] input',
    inputs: [{ shape: [1, 4, 8] }],
    run: ([cols]) =>
      runOp('col2im', col2imOp, [cols], { stride: 1, padding: 0, inputShape: [1, 2, 3, 3], weightShape: [1, 2, 2, 2] })[0],
  },
  {
    ops: ['batchTranspose'],
    name: 'batchTranspose [2, 3, 4] → [2, 4, 3]',
    inputs: [{ shape: [2, 3, 4] }],
    run: ([x]) => batchTranspose(x, 3, 4, [2, 4, 3]),
  },
  {
    ops: ['batchTranspose'],
    name: 'batchTranspose [3, 5, 6] → [3, 6, 5] (partial 4×4 blocks on both axes)',
    inputs: [{ shape: [3, 5, 6] }],
    run: ([x]) => batchTranspose(x, 5, 6, [3, 6, 5]),
  },
];
