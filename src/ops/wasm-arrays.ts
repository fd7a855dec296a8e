// Moving host arrays in and out of the WebAssembly engine's memory, for the `wasm`
// implementations of ops and optimizer rules: copy in, run kernels on byte offsets, copy
// the outputs back, and free everything allocated in between.
import type { WasmGemm } from '../backend/wasm-gemm.ts';

/** Copies `data` into the engine's memory (padded to a multiple of 4 values); returns its byte offset. */
export function copyIn(engine: WasmGemm, data: Float32Array | Int32Array): number {
  const ptr = engine.alloc(data.length);
  if (data instanceof Int32Array) new Int32Array(engine.memory.buffer, ptr, data.length).set(data);
  else engine.f32(ptr, data.length).set(data);
  return ptr;
}

/** Copies `out.length` values at byte offset ptr of the engine's memory into `out`. */
export function copyOut(engine: WasmGemm, ptr: number, out: Float32Array | Int32Array): void {
  if (out instanceof Int32Array) out.set(new Int32Array(engine.memory.buffer, ptr, out.length));
  else out.set(engine.f32(ptr, out.length));
}

/** Runs `body` and frees everything it allocated in the engine's memory. */
export function scoped<T>(engine: WasmGemm, body: () => T): T {
  const mark = engine.mark();
  try {
    return body();
  } finally {
    engine.release(mark);
  }
}
