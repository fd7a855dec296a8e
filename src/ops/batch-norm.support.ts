// Cases for batch normalisation: training mode (gradients through the batch statistics),
// evaluation mode (running statistics as constants), the fused ReLU in both, odd sizes
// that fill no workgroup or several lanes' slices unevenly, and the running statistics
// after one update.
import type { CaseInput, OpCase } from './ops.support.ts';
import { batchNorm2d } from './batch-norm.ts';

const ops: OpCase['ops'] = ['batchNorm2d', 'batchNorm2dGrad'];

/** x, γ (around 1), β, running_mean, running_var (> 0) for C channels. */
function inputs(shape: number[]): CaseInput[] {
  const C = shape[1];
  const around = (lo: number, hi: number) => Array.from({ length: C }, (_, c) => lo + ((hi - lo) * (c + 0.5)) / C);
  return [
    { shape },
    { shape: [C], data: around(0.5, 1.5) },
    { shape: [C] },
    { shape: [C], data: around(-0.3, 0.3), grad: false },
    { shape: [C], data: around(0.4, 2), grad: false },
  ];
}

export const cases: OpCase[] = [
  {
    ops,
    name: 'batchNorm2d training [4, 3, 5, 6]',
    inputs: inputs([4, 3, 5, 6]),
    run: ([x, g, b, rm, rv]) => batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: true }),
  },
  {
    ops,
    name: 'batchNorm2d training, odd sizes [3, 5, 7, 9] (945 values over 256 lanes)',
    inputs: inputs([3, 5, 7, 9]),
    run: ([x, g, b, rm, rv]) => batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: true }),
  },
  {
    ops,
    name: 'batchNorm2d training, two values per channel [1, 7, 1, 2]',
    inputs: inputs([1, 7, 1, 2]),
    run: ([x, g, b, rm, rv]) => batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: true }),
  },
  {
    ops,
    // Tests the lanes' walk over planes longer than a workgroup on WebGPU against the
    // reference. No finite differences: over 1,292 values the float64 rounding of the
    // loss divided by the step exceeds the check's 1e-7 (the smaller cases check the maths).
    name: 'batchNorm2d training + ReLU, planes larger than a workgroup [2, 2, 17, 19] (323 values per plane)',
    skipGradcheck: true,
    inputs: inputs([2, 2, 17, 19]),
    run: ([x, g, b, rm, rv]) => batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: true, relu: true }),
  },
  {
    ops,
    name: 'batchNorm2d evaluation [3, 4, 5, 5]',
    inputs: inputs([3, 4, 5, 5]),
    run: ([x, g, b, rm, rv]) => batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: false }),
  },
  {
    ops,
    name: 'batchNorm2d + fused ReLU, training [3, 4, 5, 7]',
    inputs: inputs([3, 4, 5, 7]),
    run: ([x, g, b, rm, rv]) => batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: true, relu: true }),
  },
  {
    ops,
    name: 'batchNorm2d + fused ReLU, evaluation [2, 3, 4, 5]',
    inputs: inputs([2, 3, 4, 5]),
    run: ([x, g, b, rm, rv]) => batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: false, relu: true }),
  },
  {
    ops,
    name: 'batchNorm2d running statistics after one training step [5, 3, 4, 3]',
    // The updated buffers depend on x outside the tape (as in torch): compared across
    // backends, not differentiated.
    skipGradcheck: true,
    inputs: inputs([5, 3, 4, 3]),
    run: ([x, g, b, rm, rv]) => {
      const y = batchNorm2d(x, g, b, { runningMean: rm, runningVar: rv }, { training: true });
      return [y, rm, rv];
    },
  },
];
