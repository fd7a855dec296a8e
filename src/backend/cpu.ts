// CPU backend: storage is a typed array. With precision 'f64' float tensors are
// Float64Array, which makes it the oracle for float64 gradient checks. With an `engine`
// (the WebAssembly SIMD engine, f32 only) the ops that have a `wasm` implementation run
// there and the rest run their plain reference; without one every op runs the reference.
import type { Backend } from './backend.ts';
import type { WasmGemm } from './wasm-gemm.ts';
import { Tensor, sizeOf, type DType, type HostArray, type Shape } from '../tensor.ts';

export interface CpuOptions {
  /** Storage for float tensors; 'f64' for gradient checks. Default 'f32'. */
  precision?: 'f32' | 'f64';
  /** The WebAssembly SIMD engine to run ops on (f32 only). */
  engine?: WasmGemm;
}

export class CpuBackend implements Backend {
  readonly kind = 'cpu' as const;
  readonly precision: 'f32' | 'f64';
  readonly description: string;
  readonly engine: WasmGemm | null;

  constructor(options: CpuOptions = {}) {
    this.precision = options.precision ?? 'f32';
    if (options.engine && this.precision !== 'f32') throw new Error('CpuBackend: the WebAssembly engine computes in f32; the f64 backend is the plain reference');
    this.engine = options.engine ?? null;
    this.description = this.engine ? `CPU (WebAssembly SIMD, ${this.engine.describe()})` : `CPU (${this.precision})`;
  }

  private alloc(size: number, dtype: DType): HostArray {
    if (dtype === 'i32') return new Int32Array(size);
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

  freeStorage(): void {}
  flush(): void {}
  async sync(): Promise<void> {}
}
