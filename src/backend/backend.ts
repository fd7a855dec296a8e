// Backend: where tensor storage lives and kernels run. Ops (src/ops) hold the math;
// a backend only allocates, moves data and (for WebGPU) records dispatches.
import type { DType, HostArray, Shape, Tensor } from '../tensor.ts';

export type BackendKind = 'cpu' | 'webgpu';

export interface Backend {
  readonly kind: BackendKind;
  /** One line for the UI, e.g. "WebGPU · google / swiftshader" or "CPU (f64)". */
  readonly description: string;
  /** Creates a tensor holding a copy of data (f32 values are rounded on f32 storage). */
  fromArray(data: ArrayLike<number>, shape: Shape, dtype?: DType, label?: string): Tensor;
  /** A tensor filled with zeros. */
  zeros(shape: Shape, dtype?: DType, label?: string): Tensor;
  /** A tensor filled with one value, made on the device (no upload, no flush). */
  full(shape: Shape, value: number, dtype?: DType, label?: string): Tensor;
  /** A tensor with uninitialised contents, for op outputs that a kernel fully writes. */
  empty(shape: Shape, dtype: DType, label: string): Tensor;
  /** Overwrites a tensor's values from the host. */
  write(t: Tensor, data: ArrayLike<number>): void;
  /** Copies src's values into dst starting at element `dstOffset`, in stream order with recorded work. */
  copy(src: Tensor, dst: Tensor, dstOffset?: number): void;
  /** Reads a tensor back. Never blocks: resolves once the device has produced it. */
  read(t: Tensor): Promise<HostArray>;
  /** Releases storage (called by Tensor.dispose). */
  freeStorage(storage: unknown, t: Tensor): void;
  /** Submits recorded work (no-op on CPU). */
  flush(): void;
  /** Resolves when all submitted work has finished. */
  sync(): Promise<void>;
}

/** Thrown for shape/dtype problems; the message names the op and the shapes. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}
