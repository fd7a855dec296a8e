// Case for timeNorms. It is not differentiable, so the case also returns a copy of x
// (giving the suite's loss a gradient path) and skips the finite-difference check; the
// backends are still compared on the norms themselves.
import type { OpCase } from './testing.ts';
import { timeNorms } from './norms.ts';
import { scale } from './elementwise.ts';

export const cases: OpCase[] = [
  {
    ops: ['timeNorms'],
    name: 'timeNorms [5, 7, 70]',
    inputs: [{ shape: [5, 7, 70] }],
    run: ([x]) => [timeNorms(x), scale(x, 1)],
    skipGradcheck: true,
  },
];
