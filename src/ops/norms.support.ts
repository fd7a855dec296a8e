// Case for timeNormsFromEnd. It is not differentiable, so the case also returns a copy of
// x (giving the suite's loss a gradient path) and skips the finite-difference check; the
// backends are still compared on the profile itself. One example has the full length so
// every position is present (the suite's comparison treats NaN as a mismatch; absent
// positions are compared in norms.browser.test.ts).
import type { OpCase } from './ops.support.ts';
import { timeNormsFromEnd } from './norms.ts';
import { scale } from './scale.ts';

export const cases: OpCase[] = [
  {
    ops: ['timeNormsFromEnd'],
    name: 'timeNormsFromEnd [5, 7, 70], ragged lengths',
    inputs: [{ shape: [5, 7, 70] }, { shape: [5], dtype: 'i32', data: [7, 3, 1, 0, 5] }],
    run: ([x, lengths]) => [timeNormsFromEnd(x, lengths), scale(x, 1)],
    skipGradcheck: true,
  },
  {
    ops: ['timeNormsFromEnd'],
    name: 'timeNormsFromEnd [70, 4, 3] (more examples than one workgroup)',
    inputs: [{ shape: [70, 4, 3] }, { shape: [70], dtype: 'i32', data: Array.from({ length: 70 }, (_, b) => 1 + (b % 4)) }],
    run: ([x, lengths]) => [timeNormsFromEnd(x, lengths), scale(x, 1)],
    skipGradcheck: true,
  },
];
