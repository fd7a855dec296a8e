// Tensor: a shape, a dtype and storage owned by a Backend. Tensors created inside a
// `scope` are freed when it ends unless they are returned from it or persistent.
import type { Backend } from './backend/backend.ts';
import type { TapeNode } from './autograd/tape.ts';

export type DType = 'f32' | 'i32';
export type FloatArray = Float32Array | Float64Array;
export type HostArray = FloatArray | Int32Array;
export type Shape = readonly number[];

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
