// Test cases for matmul: every transpose combination, bias and activation epilogues.
import type { OpCase } from './ops.support.ts';
import { matmul } from './matmul.ts';

export const cases: OpCase[] = [
  { ops: ['matmul'], name: 'matmul NN', inputs: [{ shape: [5, 7] }, { shape: [7, 3] }], run: ([a, b]) => matmul(a, b) },
  { ops: ['matmul'], name: 'matmul TN', inputs: [{ shape: [7, 5] }, { shape: [7, 3] }], run: ([a, b]) => matmul(a, b, { transA: true }) },
  { ops: ['matmul'], name: 'matmul NT', inputs: [{ shape: [5, 7] }, { shape: [3, 7] }], run: ([a, b]) => matmul(a, b, { transB: true }) },
  { ops: ['matmul'], name: 'matmul TT', inputs: [{ shape: [7, 5] }, { shape: [3, 7] }], run: ([a, b]) => matmul(a, b, { transA: true, transB: true }) },
  {
    ops: ['matmul'],
    name: 'matmul batched A [2,4,6] + bias',
    inputs: [{ shape: [2, 4, 6] }, { shape: [6, 5] }, { shape: [5] }],
    run: ([a, b, bias]) => matmul(a, b, { bias }),
  },
  {
    ops: ['matmul', 'activationGrad'],
    name: 'matmul + bias + tanh epilogue',
    inputs: [{ shape: [6, 4] }, { shape: [3, 4] }, { shape: [3] }],
    run: ([a, b, bias]) => matmul(a, b, { transB: true, bias, activation: 'tanh' }),
  },
  {
    ops: ['matmul', 'activationGrad'],
    name: 'matmul + sigmoid epilogue, TT',
    inputs: [{ shape: [4, 6] }, { shape: [5, 4] }],
    run: ([a, b]) => matmul(a, b, { transA: true, transB: true, activation: 'sigmoid' }),
  },
  {
    ops: ['matmul'],
    name: 'matmul 33x65x17 (odd tiles)',
    inputs: [{ shape: [33, 65] }, { shape: [65, 17] }],
    run: ([a, b]) => matmul(a, b),
    tolerance: { atol: 1e-4, rtol: 1e-4 },
  },
];
