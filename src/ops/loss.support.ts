// Cases for concat/split, softmax cross-entropy, mse and dropout.
import type { OpCase } from './ops.support.ts';
import { concat, split } from './concat.ts';
import { mse, softmaxCrossEntropy } from './loss.ts';
import { dropout } from './dropout.ts';
import { mul } from './elementwise.ts';

export const cases: OpCase[] = [
  { ops: ['concat'], name: 'concat three along last axis', inputs: [{ shape: [2, 3, 2] }, { shape: [2, 3, 1] }, { shape: [2, 3, 4] }], run: (ts) => concat(ts) },
  { ops: ['split'], name: 'split into [1, 3, 2]', inputs: [{ shape: [4, 6] }], run: ([x]) => split(x, [1, 3, 2]) },
  { ops: ['split'], name: 'split with an unused part', inputs: [{ shape: [3, 5] }], run: ([x]) => split(x, [2, 3])[1] },
  {
    ops: ['softmaxCrossEntropy', 'softmaxCrossEntropyGrad'],
    name: 'softmax cross-entropy',
    inputs: [{ shape: [5, 4] }, { shape: [5], dtype: 'i32', data: [0, 3, 1, 1, 2] }],
    run: ([z, y]) => softmaxCrossEntropy(mul(z, z.backend.full(z.shape, 3)), y).loss,
  },
  {
    ops: ['softmaxCrossEntropy', 'softmaxCrossEntropyGrad'],
    name: 'softmax cross-entropy with mask',
    inputs: [{ shape: [4, 3] }, { shape: [4], dtype: 'i32', data: [2, 0, 1, 2] }, { shape: [4], data: [1, 0, 1, 0.5], grad: false }],
    run: ([z, y, m]) => softmaxCrossEntropy(z, y, m).loss,
  },
  { ops: ['sub', 'mul', 'sum'], name: 'mse', inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], run: ([a, b]) => mse(a, b) },
  { ops: ['dropout'], name: 'dropout p=0.4', inputs: [{ shape: [6, 7] }], run: ([x]) => dropout(x, 0.4, 1234, true) },
];
