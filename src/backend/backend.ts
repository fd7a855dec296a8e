// Backend: where tensor storage lives and kernels run. Ops (src/ops) hold the math;
// a backend only allocates, moves data and (for WebGPU) records dispatches.
// The interface itself is declared in src/tensor.ts, beside the Tensor that holds one
// (the two types refer to each other; one file keeps that from being an import cycle).
export type { Backend, BackendKind } from '../tensor.ts';

/** Thrown for shape/dtype problems; the message names the op and the shapes. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}
