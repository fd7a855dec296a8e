// Loader of the WebAssembly SIMD engine (wasm/engine.ts, built by scripts/build-wasm.mjs into
// wasm/build/*.wasm) and its handle, WasmGemm, which the CPU backend's wasm ops use. Takes
// the module's bytes, so that Node tests (fs) and a browser worker (fetch) load it alike.
// With a worker pool attached (src/backend/wasm-pool.ts, shared builds only), gemmAt and
// gemm split large GEMMs between threads; callers see the same methods either way.
//
// Memory: the module imports env.memory. Pass `memory` to share one WebAssembly.Memory
// between instances (the shared builds need a shared one: `new WebAssembly.Memory({
// initial, maximum: 16384, shared: true })`); without it the loader creates a plain one.
// Arrays live in the module's memory from heapBase() on, placed by a bump allocator
// (alloc, mark/release; the memory grows on demand and never shrinks). `gemm` copies JS
// arrays in and out; `gemmAt` works on arrays already there.

/** The module's exports (wasm/gemm.ts). Pointers and sizes are byte offsets / counts. */
export interface GemmExports {
  heapBase(): number;
  workspaceBytes(M: number, N: number, K: number): number;
  gemm(a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number, work: number): void;
  /** The block C[i0 .. i1, j0 .. j1] of the same GEMM (one thread's part). */
  gemmPart(a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number, work: number, i0: number, i1: number, j0: number, j1: number): void;
  /** Bytes of op(B) [K, N] packed whole; packs it (gemm then takes transB = 2: packed). */
  packedBBytes(N: number, K: number): number;
  packBAll(b: number, N: number, K: number, transB: number, dst: number): void;
  // Convolution and max-pooling helpers (wasm/conv.ts).
  im2col(x: number, C: number, H: number, W: number, K: number, S: number, P: number, OH: number, OW: number, col: number, ld: number): void;
  col2im(col: number, C: number, H: number, W: number, K: number, S: number, P: number, OH: number, OW: number, dx: number, ld: number): void;
  swapLeadingDims(src: number, A: number, B: number, R: number, dst: number): void;
  biasRelu(y: number, N: number, O: number, R: number, b: number, hasBias: number, relu: number): void;
  reluMask(dz: number, dy: number, y: number, n: number): void;
  channelSums(dz: number, N: number, O: number, R: number, db: number): void;
  maxPool2d(x: number, planes: number, H: number, W: number, OH: number, OW: number, size: number, S: number, y: number, arg: number): void;
  maxPool2dGrad(dy: number, arg: number, planes: number, H: number, W: number, OH: number, OW: number, dx: number): void;
  // Optimizer updates (wasm/optim.ts); every array padded to a multiple of 4 values.
  adamUpdate(
    param: number, grad: number, m: number, v: number, n: number,
    scale: number, lr: number, wd: number, l1: number, beta1: number, beta2: number, eps: number, stepSize: number, bc2Sqrt: number, decoupled: number,
  ): void;
  sgdUpdate(param: number, grad: number, buf: number, n: number, scale: number, lr: number, wd: number, l1: number, momentum: number, decay: number, gradWeight: number, nesterov: number): void;
  rmspropUpdate(param: number, grad: number, square: number, avg: number, buf: number, n: number, scale: number, lr: number, wd: number, l1: number, alpha: number, eps: number, momentum: number): void;
}

/**
 * How op(B) [K, N] is stored: B [K, N] (false), B [N, K] (true), or packed whole by
 * WasmGemm.packB ('packed'), for a B that several GEMMs multiply by.
 */
export type BLayout = boolean | 'packed';

/** The engine's transB argument for a layout. */
export function transBCode(transB: BLayout): number {
  return transB === 'packed' ? 2 : transB ? 1 : 0;
}

/** Splits GEMMs between threads (src/backend/wasm-pool.ts implements it). */
export interface GemmSplitter {
  /** Threads that share a split GEMM, the calling one included. */
  readonly threads: number;
  /**
   * Runs C (+)= op(A)·op(B) (gemmAt's arguments), split between the threads or alone as
   * the pool chooses, and returns true; or returns false without touching anything when
   * the GEMM is too small to split (the caller then runs it alone).
   */
  tryGemm(pa: number, pb: number, pc: number, M: number, N: number, K: number, transA: boolean, transB: BLayout, accumulate: boolean): boolean;
  /** Chunks of split GEMMs each thread has run (index 0: the calling thread). */
  chunksDone(): number[];
}

export interface WasmGemmOptions {
  /** Memory to import (must be shared for the shared builds). Default: a new plain one. */
  memory?: WebAssembly.Memory;
  /** Whether the bytes are a relaxed-SIMD build (for describe()). */
  relaxed?: boolean;
}

const PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;

export class WasmGemm {
  /** Next free byte of the bump allocator (16-byte aligned). */
  private top: number;
  private pool: GemmSplitter | null = null;
  /** Why the engine runs on one thread, for describe(); null when that is not worth saying. */
  singleThreadReason: string | null = null;

  constructor(
    readonly exports: GemmExports,
    readonly memory: WebAssembly.Memory,
    readonly relaxed = false,
  ) {
    this.top = align16(exports.heapBase());
  }

  /** Threads that run the engine's kernels. */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** The attached worker pool, if any. */
  get splitter(): GemmSplitter | null {
    return this.pool;
  }

  /** Attaches the worker pool that gemmAt and gemm split large GEMMs with (null: detach). */
  setSplitter(splitter: GemmSplitter | null): void {
    this.pool = splitter;
  }

  /** For the backend badge: "relaxed FMA, 2 threads", "1 thread: the page is not cross-origin isolated". */
  describe(): string {
    const t = this.threads;
    const why = t === 1 && this.singleThreadReason ? `: ${this.singleThreadReason}` : '';
    return `${this.relaxed ? 'relaxed FMA, ' : ''}${t} thread${t === 1 ? '' : 's'}${why}`;
  }

  /** Grows the memory so that bytes [0, end) exist. */
  ensureBytes(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /** Reserves `floats` f32 values in the module's memory; returns their byte offset. */
  alloc(floats: number): number {
    const ptr = this.top;
    this.top = align16(ptr + floats * 4);
    this.ensureBytes(this.top);
    return ptr;
  }

  /** The allocator's position, to free everything allocated after it with release(). */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /**
   * A view of `length` f32 values at byte offset ptr. Take a new view after any alloc: a
   * plain memory's ArrayBuffer is replaced when it grows.
   */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /**
   * C (+)= op(A)·op(B) on arrays already in the module's memory (byte offsets from
   * alloc); C is overwritten unless `accumulate`. The workspace is allocated and released
   * here. Split between the pool's threads when one is attached and the GEMM is large.
   */
  gemmAt(pa: number, pb: number, pc: number, M: number, N: number, K: number, transA = false, transB: BLayout = false, accumulate = false): void {
    if (this.pool?.tryGemm(pa, pb, pc, M, N, K, transA, transB, accumulate)) return;
    this.gemmAlone(pa, pb, pc, M, N, K, transA, transB, accumulate);
  }

  /** gemmAt on the calling thread alone, whatever pool is attached. */
  gemmAlone(pa: number, pb: number, pc: number, M: number, N: number, K: number, transA = false, transB: BLayout = false, accumulate = false): void {
    const mark = this.top;
    const pw = this.alloc(this.exports.workspaceBytes(M, N, K) / 4);
    this.exports.gemm(pa, pb, pc, M, N, K, transA ? 1 : 0, transBCode(transB), accumulate ? 1 : 0, pw);
    this.release(mark);
  }

  /**
   * Packs op(B) [K, N] (B at pb, stored [K, N] or, with transB, [N, K]) whole into a new
   * allocation, as every GEMM would pack it; returns its byte offset, for gemmAt with
   * transB = 'packed'. Worth it for a B that many GEMMs share (W_hh at every timestep).
   */
  packB(pb: number, N: number, K: number, transB = false): number {
    const dst = this.alloc(this.exports.packedBBytes(N, K) / 4);
    this.exports.packBAll(pb, N, K, transB ? 1 : 0, dst);
    return dst;
  }

  /**
   * C[M, N] = op(A)·op(B) in f32 (row-major; A stored [M, K] or, with transA, [K, M]; B
   * stored [K, N] or, with transB, [N, K]). Copies A and B into the module's memory and C
   * out (all released after); returns `out` (or a new array).
   */
  gemm(a: Float32Array, b: Float32Array, M: number, N: number, K: number, transA = false, transB = false, out: Float32Array = new Float32Array(M * N)): Float32Array {
    if (a.length !== M * K) throw new Error(`WasmGemm.gemm: A has ${a.length} values, M·K = ${M}·${K} = ${M * K}`);
    if (b.length !== K * N) throw new Error(`WasmGemm.gemm: B has ${b.length} values, K·N = ${K}·${N} = ${K * N}`);
    if (out.length !== M * N) throw new Error(`WasmGemm.gemm: C has ${out.length} values, M·N = ${M}·${N} = ${M * N}`);
    const mark = this.top;
    const pa = this.alloc(a.length);
    const pb = this.alloc(b.length);
    const pc = this.alloc(out.length);
    this.f32(pa, a.length).set(a);
    this.f32(pb, b.length).set(b);
    this.gemmAt(pa, pb, pc, M, N, K, transA, transB);
    out.set(this.f32(pc, out.length));
    this.release(mark);
    return out;
  }
}

/** Instantiates the engine (the bytes of one of wasm/build/engine*.wasm, or that module compiled). */
export async function loadWasmGemm(source: BufferSource | WebAssembly.Module, options: WasmGemmOptions = {}): Promise<WasmGemm> {
  const memory = options.memory ?? new WebAssembly.Memory({ initial: 1 });
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return new WasmGemm(instance.exports as unknown as GemmExports, memory, options.relaxed ?? false);
}
