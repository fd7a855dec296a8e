// Tensor: a shape, a dtype and storage owned by a Backend. Tensors created inside a
// `scope` are freed when it ends unless they are returned from it or persistent. The
// Backend interface and the tape's node type are declared here too, because a Tensor
// holds both (backend/backend.ts and autograd/tape.ts re-export them).

export type DType = 'f32' | 'i32';
export type FloatArray = Float32Array | Float64Array;
export type HostArray = FloatArray | Int32Array;
export type Shape = readonly number[];

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

/** A recorded op application (autograd/tape.ts records them and walks them backward). */
export interface TapeNode {
  /** Creation order; larger ids were recorded later. */
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** Computes input gradients from output gradients (null: no gradient flows). */
  readonly backward: (outputGrads: readonly (Tensor | null)[]) => readonly (Tensor | null)[];
}

let nextId = 1;

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeString(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export class Tensor {
  readonly id = nextId++;
  readonly size: number;
  /** Gradient of the last backward pass (accumulated for leaves that require grad). */
  grad: Tensor | null = null;
  /** Tape node that produced this tensor, when it was recorded. */
  node: TapeNode | null = null;
  /** Leaves with requiresGrad receive `.grad` in backward. */
  requiresGrad = false;
  /** Persistent tensors (parameters, optimizer state) survive the end of a scope. */
  persistent = false;
  private storageRef: unknown;

  constructor(
    readonly backend: Backend,
    readonly shape: Shape,
    readonly dtype: DType,
    storage: unknown,
    readonly label: string,
  ) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`${label}: invalid shape ${shapeString(shape)}`);
    }
    this.size = sizeOf(shape);
    this.storageRef = storage;
    registerInScope(this);
  }

  /** Backend storage; throws when the tensor was freed. */
  get storage(): unknown {
    if (this.storageRef === null) {
      throw new Error(`tensor "${this.label}" ${shapeString(this.shape)} used after it was freed`);
    }
    return this.storageRef;
  }

  get disposed(): boolean {
    return this.storageRef === null;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Marks this tensor as a trainable leaf. */
  param(): this {
    this.requiresGrad = true;
    this.persistent = true;
    return this;
  }

  keep(): this {
    this.persistent = true;
    return this;
  }

  /** Reads the values back to the host (f32 → Float32Array, or Float64Array on an f64 CPU backend). */
  read(): Promise<HostArray> {
    return this.backend.read(this);
  }

  dispose(): void {
    if (this.storageRef === null) return;
    this.backend.freeStorage(this.storageRef, this);
    this.storageRef = null;
    this.node = null;
    if (this.grad && !this.grad.persistent) this.grad.dispose();
  }

  toString(): string {
    return `Tensor(${this.label}, ${shapeString(this.shape)}, ${this.dtype}, ${this.backend.kind})`;
  }
}

// ---- scopes -------------------------------------------------------------------

const scopes: Set<Tensor>[] = [];

function registerInScope(t: Tensor): void {
  const top = scopes[scopes.length - 1];
  if (top) top.add(t);
}

function collect(value: unknown, out: Set<Tensor>): void {
  if (value instanceof Tensor) out.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, out);
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out);
  }
}

/**
 * Runs fn and frees every tensor created inside it, except persistent ones and the
 * tensors found in its return value (arrays and plain objects are searched). Kept
 * tensors move to the enclosing scope.
 */
export function scope<T>(fn: () => T): T {
  const created = new Set<Tensor>();
  scopes.push(created);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of created) if (!t.persistent) t.dispose();
    throw e;
  }
  scopes.pop();
  const kept = new Set<Tensor>();
  collect(result, kept);
  for (const t of created) {
    if (t.persistent) continue;
    if (kept.has(t)) registerInScope(t);
    else t.dispose();
  }
  return result;
}
