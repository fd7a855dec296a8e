// Cases for conv2d (implicit-GEMM kernels on WebGPU): padding, stride, non-square
// inputs, channel counts that are not multiples of the 4- and 8-wide register blocks,
// batch 1, kernel sizes 1, 3 and 5, an input 1 wide (kernel columns wholly in the padding), with and without bias, with and without the fused
// ReLU (its gradient is applied inside conv2dInputGrad / conv2dWeightGrad), an input that
// needs no gradient (images); the suite checks each output and gradient against the CPU
// reference and float64 finite differences. Also the encoder's first convolution at
// full size (enough pixels for several split-K chunks of the weight gradient) and a
// 32 → 32 channel layer (wider tiles); these two only against the reference.
import type { OpCase } from './ops.support.ts';
import { conv2d } from './conv2d.ts';

const OPS: OpCase['ops'] = ['conv2d', 'conv2dInputGrad', 'conv2dWeightGrad'];

function reluCases(relu: boolean): OpCase[] {
  const tag = relu ? ' + ReLU' : '';
  return [
    {
      ops: OPS,
      name: `conv2d${tag}: [2,3,5,6] * [5,3,3,3] + bias, pad 1`,
      inputs: [{ shape: [2, 3, 5, 6] }, { shape: [5, 3, 3, 3] }, { shape: [5] }],
      run: ([x, w, b]) => conv2d(x, w, b, { padding: 1, relu }),
    },
    {
      ops: OPS,
      name: `conv2d${tag}: [2,2,7,7] * [3,2,3,3], stride 2, pad 1, no bias`,
      inputs: [{ shape: [2, 2, 7, 7] }, { shape: [3, 2, 3, 3] }],
      run: ([x, w]) => conv2d(x, w, null, { stride: 2, padding: 1, relu }),
    },
    {
      ops: OPS,
      name: `conv2d${tag}: [1,5,9,8] * [6,5,5,5] + bias, stride 3, pad 2`,
      inputs: [{ shape: [1, 5, 9, 8] }, { shape: [6, 5, 5, 5] }, { shape: [6] }],
      run: ([x, w, b]) => conv2d(x, w, b, { stride: 3, padding: 2, relu }),
    },
    {
      ops: OPS,
      name: `conv2d${tag}: 1×1 kernel, no padding, input without gradient`,
      inputs: [{ shape: [3, 4, 3, 5], grad: false }, { shape: [2, 4, 1, 1] }, { shape: [2] }],
      run: ([x, w, b]) => conv2d(x, w, b, { relu }),
    },
    {
      ops: OPS,
      name: `conv2d${tag}: batch 1, [1,7,6,11] * [13,7,3,3] + bias, stride 2, pad 1 (odd channels, non-square)`,
      inputs: [{ shape: [1, 7, 6, 11] }, { shape: [13, 7, 3, 3] }, { shape: [13] }],
      run: ([x, w, b]) => conv2d(x, w, b, { stride: 2, padding: 1, relu }),
    },
    {
      ops: OPS,
      name: `conv2d${tag}: [2,9,5,4] * [10,9,3,3] + bias, pad 2 (output larger than the input)`,
      inputs: [{ shape: [2, 9, 5, 4] }, { shape: [10, 9, 3, 3] }, { shape: [10] }],
      run: ([x, w, b]) => conv2d(x, w, b, { padding: 2, relu }),
    },
  ];
}

export const cases: OpCase[] = [
  ...reluCases(false),
  ...reluCases(true),
  {
    ops: OPS,
    name: 'conv2d: [2,3,4,1] * [4,3,3,3] + bias, stride 2, pad 1 (width 1: kernel columns that read only padding)',
    inputs: [{ shape: [2, 3, 4, 1] }, { shape: [4, 3, 3, 3] }, { shape: [4] }],
    run: ([x, w, b]) => conv2d(x, w, b, { stride: 2, padding: 1 }),
  },
  {
    ops: OPS,
    name: 'conv2d + ReLU: 1×1 kernel, no padding, input with gradient [2,5,3,4] * [3,5,1,1]',
    inputs: [{ shape: [2, 5, 3, 4] }, { shape: [3, 5, 1, 1] }, { shape: [3] }],
    run: ([x, w, b]) => conv2d(x, w, b, { relu: true }),
  },
  {
    ops: OPS,
    name: 'conv2d + ReLU: [2,3,32,32] * [16,3,3,3] + bias, pad 1 (the encoder’s first layer, 8 split-K chunks)',
    inputs: [{ shape: [2, 3, 32, 32] }, { shape: [16, 3, 3, 3] }, { shape: [16] }],
    run: ([x, w, b]) => conv2d(x, w, b, { padding: 1, relu: true }),
    skipGradcheck: true,
  },
  {
    ops: OPS,
    name: 'conv2d + ReLU: [2,32,5,7] * [32,32,3,3] + bias, pad 1 (32 channels in and out: the subgroup tiles 8 columns wide)',
    inputs: [{ shape: [2, 32, 5, 7] }, { shape: [32, 32, 3, 3] }, { shape: [32] }],
    run: ([x, w, b]) => conv2d(x, w, b, { padding: 1, relu: true }),
    skipGradcheck: true,
  },
];
