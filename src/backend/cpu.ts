// CPU backend: storage is a typed array. With precision 'f64' float tensors are
// Float64Array, which makes it the oracle for float64 gradient checks. With an `engine`
// (the WebAssembly SIMD engine, f32 only) the ops that have a `wasm` implementation run
// there and the rest run their plain reference; without one every op runs the reference.
//
// With the engine, the f32 arrays of disposed tensors are kept and handed out again
// (zeroed) for tensors of the same size (SpareArrays). A training step allocates tens of
// MB of activations and gradients and frees them by the end. In Chrome allocating them
// anew cost the canonical LSTM step ~5 ms of its ~25 (measured: reuse took it to ~20 ms);
// large new ArrayBuffers there appear to be fresh pages from the OS, zeroed on first
// touch, where Node's allocator reuses freed blocks and shows no such cost (README, "The
// CPU engine").
import type { Backend } from './backend.ts';
import type { WasmGemm } from './wasm-gemm.ts';
import { Tensor, sizeOf, type DType, type HostArray, type Shape } from '../tensor.ts';

export interface CpuOptions {
  /** Storage for float tensors; 'f64' for gradient checks. Default 'f32'. */
  precision?: 'f32' | 'f64';
  /** The WebAssembly SIMD engine to run ops on (f32 only). */
  engine?: WasmGemm;
}

/** Arrays smaller than this (values) are not kept: the allocator serves them cheaply. */
const SPARE_MIN_VALUES = 4096;
/** Most bytes of spare arrays kept; beyond it the sizes kept longest are let go. */
const SPARE_MAX_BYTES = 256 * 2 ** 20;

/**
 * Disposed f32 arrays by length, to be reused by the next tensor of that length. Only
 * disposed storage enters, so a tensor never shares its array with another live one.
 */
class SpareArrays {
  private readonly bySize = new Map<number, Float32Array[]>();
  private bytes = 0;

  /** A zeroed array of `length` values from the spares, or null. */
  take(length: number): Float32Array | null {
    const a = length >= SPARE_MIN_VALUES ? this.bySize.get(length)?.pop() : undefined;
    if (!a) return null;
    this.bytes -= a.byteLength;
    return a.fill(0);
  }

  keep(a: Float32Array): void {
    if (a.length < SPARE_MIN_VALUES || a.byteLength > SPARE_MAX_BYTES) return;
    let list = this.bySize.get(a.length);
    if (!list) this.bySize.set(a.length, (list = []));
    list.push(a);
    this.bytes += a.byteLength;
    // Let go of the sizes kept longest (a model that is no longer trained) first.
    for (const [size, arrays] of this.bySize) {
      if (this.bytes <= SPARE_MAX_BYTES) break;
      while (arrays.length > 0 && this.bytes > SPARE_MAX_BYTES) this.bytes -= arrays.pop()!.byteLength;
      if (arrays.length === 0) this.bySize.delete(size);
    }
  }

  /** Bytes held. */
  get held(): number {
    return this.bytes;
  }
}

export class CpuBackend implements Backend {
  readonly kind = 'cpu' as const;
  readonly precision: 'f32' | 'f64';
  readonly description: string;
  readonly engine: WasmGemm | null;
  /** Storage of disposed f32 tensors for reuse (engine only: the plain backend stays the simple reference). */
  private readonly spares: SpareArrays | null;

  constructor(options: CpuOptions = {}) {
    this.precision = options.precision ?? 'f32';
    if (options.engine && this.precision !== 'f32') throw new Error('CpuBackend: the WebAssembly engine computes in f32; the f64 backend is the plain reference');
    this.engine = options.engine ?? null;
    this.spares = this.engine ? new SpareArrays() : null;
    this.description = this.engine ? `CPU (WebAssembly SIMD, ${this.engine.describe()})` : `CPU (${this.precision})`;
  }

  private alloc(size: number, dtype: DType): HostArray {
    if (dtype === 'i32') return new Int32Array(size);
    const spare = this.spares?.take(size);
    if (spare) return spare;
    return this.precision === 'f64' ? new Float64Array(size) : new Float32Array(size);
  }

  fromArray(data: ArrayLike<number>, shape: Shape, dtype: DType = 'f32', label = 'tensor'): Tensor {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new Error(`${label}: ${data.length} values do not fill shape [${shape.join(', ')}] (${size})`);
    }
    const a = this.alloc(size, dtype);
    a.set(data as ArrayLike<number>);
    return new Tensor(this, shape, dtype, a, label);
  }

  zeros(shape: Shape, dtype: DType = 'f32', label = 'zeros'): Tensor {
    return new Tensor(this, shape, dtype, this.alloc(sizeOf(shape), dtype), label);
  }

  full(shape: Shape, value: number, dtype: DType = 'f32', label = 'full'): Tensor {
    const t = this.zeros(shape, dtype, label);
    (t.storage as HostArray).fill(value);
    return t;
  }

  empty(shape: Shape, dtype: DType, label: string): Tensor {
    return this.zeros(shape, dtype, label);
  }

  write(t: Tensor, data: ArrayLike<number>): void {
    if (data.length !== t.size) throw new Error(`${t.label}: write of ${data.length} values into ${t.size}`);
    (t.storage as HostArray).set(data);
  }

  copy(src: Tensor, dst: Tensor, dstOffset = 0): void {
    if (dstOffset + src.size > dst.size) throw new Error(`copy: ${src.label} (${src.size} values) does not fit ${dst.label} (${dst.size}) at ${dstOffset}`);
    (dst.storage as HostArray).set(src.storage as HostArray, dstOffset);
  }

  async read(t: Tensor): Promise<HostArray> {
    return (t.storage as HostArray).slice();
  }

  /** Synchronous access for references and tests on the CPU backend. */
  data(t: Tensor): HostArray {
    return t.storage as HostArray;
  }

  freeStorage(storage: unknown): void {
    if (this.spares && storage instanceof Float32Array) this.spares.keep(storage);
  }

  /** Bytes of disposed tensors' storage kept for reuse. */
  get spareBytes(): number {
    return this.spares?.held ?? 0;
  }
  flush(): void {}
  async sync(): Promise<void> {}
}
