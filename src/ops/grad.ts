// backward() wired to the op library (gradients accumulate with the add op), and helpers
// to clear gradients. It lives with the ops, not in autograd/: the tape knows no op.
import { backward as tapeBackward } from '../autograd/tape.ts';
import type { Tensor } from '../tensor.ts';
import { add } from './elementwise.ts';
import { scale } from './scale.ts';

/**
 * Backpropagates from a scalar loss (or from `seed`, the gradient of a non-scalar
 * output). Call inside the step's `scope` so intermediate gradients are freed with it.
 * Tensors in `retain` keep their gradient in `.grad` (the per-timestep gradient view).
 */
export function backward(loss: Tensor, seed?: Tensor, retain?: readonly Tensor[]): void {
  tapeBackward(loss, {
    seed,
    retain,
    add,
    copy: (t) => scale(t, 1),
    ones: (like) => like.backend.full(like.shape, 1, 'f32', 'grad.seed'),
  });
}

/** Frees and clears the gradients of the given tensors. */
export function zeroGrad(params: Iterable<Tensor>): void {
  for (const p of params) {
    if (p.grad) {
      p.grad.persistent = false;
      p.grad.dispose();
      p.grad = null;
    }
  }
}
