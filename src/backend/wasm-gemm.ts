// Loader of the WebAssembly SIMD GEMM (wasm/gemm.ts, built by scripts/build-wasm.mjs into
// wasm/build/*.wasm). Not wired into any backend yet: the first piece of the SIMD engine
// (issue 17). Takes the module's bytes, so that Node tests (fs) and a browser worker (fetch)
// load it alike.
//
// Memory: the module imports env.memory. Pass `memory` to share one WebAssembly.Memory
// between instances (the shared builds need a shared one: `new WebAssembly.Memory({
// initial, maximum: 16384, shared: true })`); without it the loader creates a plain one.
// Layout of the simple `gemm` call: [heapBase | A | B | C | workspace], each 16-byte
// aligned, grown on demand and reused by the next call.

/** The module's exports (wasm/gemm.ts). Pointers and sizes are byte offsets / counts. */
export interface GemmExports {
  heapBase(): number;
  workspaceBytes(M: number, N: number, K: number): number;
  gemm(a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number, work: number): void;
}

export interface WasmGemmOptions {
  /** Memory to import (must be shared for the shared builds). Default: a new plain one. */
  memory?: WebAssembly.Memory;
}

const PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;

export class WasmGemm {
  constructor(
    readonly exports: GemmExports,
    readonly memory: WebAssembly.Memory,
  ) {}

  /** Grows the memory so that bytes [0, end) exist. */
  ensureBytes(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /**
   * C[M, N] = op(A)·op(B) in f32 (row-major; A stored [M, K] or, with transA, [K, M]; B
   * stored [K, N] or, with transB, [N, K]). Copies A and B into the module's memory and C
   * out; returns `out` (or a new array).
   */
  gemm(a: Float32Array, b: Float32Array, M: number, N: number, K: number, transA = false, transB = false, out = new Float32Array(M * N)): Float32Array {
    if (a.length !== M * K) throw new Error(`WasmGemm.gemm: A has ${a.length} values, M·K = ${M}·${K} = ${M * K}`);
    if (b.length !== K * N) throw new Error(`WasmGemm.gemm: B has ${b.length} values, K·N = ${K}·${N} = ${K * N}`);
    if (out.length !== M * N) throw new Error(`WasmGemm.gemm: C has ${out.length} values, M·N = ${M}·${N} = ${M * N}`);
    const x = this.exports;
    const pa = align16(x.heapBase());
    const pb = align16(pa + a.length * 4);
    const pc = align16(pb + b.length * 4);
    const pw = align16(pc + out.length * 4);
    this.ensureBytes(pw + x.workspaceBytes(M, N, K));
    const heap = new Float32Array(this.memory.buffer);
    heap.set(a, pa >> 2);
    heap.set(b, pb >> 2);
    x.gemm(pa, pb, pc, M, N, K, transA ? 1 : 0, transB ? 1 : 0, 0, pw);
    // Re-read the buffer: a plain memory's ArrayBuffer is replaced when it grows.
    out.set(new Float32Array(this.memory.buffer, pc, M * N));
    return out;
  }
}

/** Instantiates a GEMM module (the bytes of one of wasm/build/gemm*.wasm). */
export async function loadWasmGemm(bytes: BufferSource, options: WasmGemmOptions = {}): Promise<WasmGemm> {
  const memory = options.memory ?? new WebAssembly.Memory({ initial: 1 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  return new WasmGemm(instance.exports as unknown as GemmExports, memory);
}
