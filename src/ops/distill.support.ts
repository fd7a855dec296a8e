// Cases for the distillation loss: the T²·KL term at two temperatures (the teacher
// logits are a constant) and the full α-mix with the hard-label cross-entropy.
import type { OpCase } from './ops.support.ts';
import { distillationLoss, distillKl } from './distill.ts';
import { mul } from './elementwise.ts';

export const cases: OpCase[] = [
  {
    ops: ['distillKl', 'distillKlGrad'],
    name: 'distillation KL, T = 1',
    inputs: [{ shape: [5, 4] }, { shape: [5, 4], grad: false }],
    run: ([s, t]) => distillKl(mul(s, s.backend.full(s.shape, 2)), t, 1),
  },
  {
    ops: ['distillKl', 'distillKlGrad'],
    name: 'distillation KL, T = 3.5',
    inputs: [{ shape: [6, 3] }, { shape: [6, 3], grad: false }],
    run: ([s, t]) => distillKl(mul(s, s.backend.full(s.shape, 4)), mul(t, t.backend.full(t.shape, 5)), 3.5),
  },
  {
    ops: ['distillKl', 'distillKlGrad', 'softmaxCrossEntropy', 'scale', 'add'],
    name: 'distillation loss α = 0.7, T = 2',
    inputs: [{ shape: [4, 5] }, { shape: [4, 5], grad: false }, { shape: [4], dtype: 'i32', data: [0, 4, 2, 2] }],
    run: ([s, t, y]) => distillationLoss(mul(s, s.backend.full(s.shape, 3)), t, y, 2, 0.7),
  },
];
