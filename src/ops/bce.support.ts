// Cases for the binary cross-entropy with logits: plain mean, a row mask, large logits
// (stability), and a gradient to soft targets.
import type { OpCase } from './ops.support.ts';
import { sigmoidCrossEntropy } from './bce.ts';
import { scale } from './scale.ts';

const TARGETS = [1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0];

export const cases: OpCase[] = [
  {
    ops: ['sigmoidCrossEntropy', 'sigmoidCrossEntropyGrad'],
    name: 'sigmoid cross-entropy [5, 3]',
    inputs: [{ shape: [5, 3] }, { shape: [5, 3], data: TARGETS, grad: false }],
    run: ([z, y]) => sigmoidCrossEntropy(scale(z, 3), y),
  },
  {
    ops: ['sigmoidCrossEntropy', 'sigmoidCrossEntropyGrad'],
    name: 'sigmoid cross-entropy with mask',
    inputs: [{ shape: [5, 3] }, { shape: [5, 3], data: TARGETS, grad: false }, { shape: [5], data: [1, 0, 1, 0.5, 1], grad: false }],
    run: ([z, y, m]) => sigmoidCrossEntropy(z, y, m),
  },
  {
    ops: ['sigmoidCrossEntropy', 'sigmoidCrossEntropyGrad'],
    name: 'sigmoid cross-entropy, logits up to ±40 (stable)',
    inputs: [{ shape: [2, 4], data: [40, -40, 25, -25, 0.5, -30, 35, 1e-3] }, { shape: [2, 4], data: [1, 0, 0, 1, 1, 1, 0, 0], grad: false }],
    run: ([z, y]) => sigmoidCrossEntropy(z, y),
  },
  {
    ops: ['sigmoidCrossEntropy', 'sigmoidCrossEntropyGrad'],
    name: 'sigmoid cross-entropy, gradient to soft targets',
    inputs: [{ shape: [3, 2] }, { shape: [3, 2], data: [0.2, 0.9, 0.5, 0.1, 1, 0] }],
    run: ([z, y]) => sigmoidCrossEntropy(z, y),
  },
];
