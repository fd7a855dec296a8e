// Test worker for wasm-pool.browser.test.ts: loads the CPU engine as the training worker
// does (loadCpuEngine: the shared build and the worker pool where the page is
// cross-origin isolated), runs split GEMMs against a float64 reference and reports what
// it found.
import { loadCpuEngine } from './cpu-engine.ts';
import type { WasmGemm } from './wasm-gemm.ts';
import type { GemmPool } from './wasm-pool.ts';
import { Random } from '../random.ts';

/** C = op(A)·op(B) in float64, the plain triple loop (the ops floor's kernel is above this one). */
function reference(a: Float32Array, b: Float32Array, M: number, N: number, K: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[transA ? k * M + i : i * K + k] * b[transB ? j * K + k : k * N + j];
      c[i * N + j] = s;
    }
  }
  return c;
}

export interface PoolCheck {
  ok: boolean;
  message?: string;
  crossOriginIsolated?: boolean;
  description?: string;
  threads?: number;
  /** Largest |C − reference| / max |reference| over the GEMMs run. */
  worstError?: number;
  /** Chunks each thread ran (index 0: this worker). */
  chunksDone?: number[];
  /** Split GEMMs run until a helper had run a chunk. */
  rounds?: number;
  /** For the record (not asserted): µs per GEMM on one thread and split, per shape. */
  timings?: { shape: string; oneUs: number; splitUs: number }[];
}

/** Median µs per call on one thread and split, in alternating 10-call batches over ~600 ms. */
function timeSplit(engine: WasmGemm, pool: GemmPool, M: number, N: number, K: number): { oneUs: number; splitUs: number } {
  const mark = engine.mark();
  const pa = engine.alloc(M * K);
  const pb = engine.alloc(K * N);
  const pc = engine.alloc(M * N);
  const saved = [pool.splitMinFlops, pool.adaptive] as const;
  pool.adaptive = false;
  const times: number[][] = [[], []];
  for (const start = performance.now(); performance.now() - start < 600; ) {
    for (const [i, minFlops] of [Infinity, 0].entries()) {
      pool.splitMinFlops = minFlops;
      const t0 = performance.now();
      for (let r = 0; r < 10; r++) engine.gemmAt(pa, pb, pc, M, N, K);
      times[i].push(((performance.now() - t0) / 10) * 1000);
    }
  }
  [pool.splitMinFlops, pool.adaptive] = saved;
  engine.release(mark);
  const [oneUs, splitUs] = times.map((t) => t.sort((x, y) => x - y)[t.length >> 1]);
  return { oneUs, splitUs };
}

const scope = self as unknown as { onmessage: (() => void) | null; postMessage(m: PoolCheck): void };

scope.onmessage = async () => {
  try {
    const { engine, problem } = await loadCpuEngine();
    if (!engine) throw new Error(`no engine: ${problem}`);
    const rng = new Random(13);
    let worstError = 0;
    let rounds = 0;
    const helperChunks = () => (engine.splitter?.chunksDone() ?? [0]).slice(1).reduce((x, y) => x + y, 0);
    const shapes = [[32, 512, 128], [200, 130, 300], [65, 127, 300], [512, 128, 256]];
    for (let i = 0; rounds < 40 && (i < shapes.length * 4 || helperChunks() === 0); i++, rounds++) {
      const [M, N, K] = shapes[(i >> 2) % shapes.length];
      const transA = (i & 1) === 1;
      const transB = (i & 2) === 2;
      const a = Float32Array.from({ length: M * K }, () => rng.uniform(-1, 1));
      const b = Float32Array.from({ length: K * N }, () => rng.uniform(-1, 1));
      const got = engine.gemm(a, b, M, N, K, transA, transB);
      const ref = reference(a, b, M, N, K, transA, transB);
      let err = 0;
      let scale = 0;
      for (let j = 0; j < M * N; j++) {
        err = Math.max(err, Math.abs(got[j] - ref[j]));
        scale = Math.max(scale, Math.abs(ref[j]));
      }
      worstError = Math.max(worstError, err / scale);
    }
    const chunksDone = engine.splitter?.chunksDone() ?? [];
    const pool = engine.splitter as GemmPool | null;
    const timings = pool ? ([[32, 512, 128], [1024, 512, 64], [512, 128, 1024]] as const).map(([M, N, K]) => ({ shape: `${M}×${N}×${K}`, ...timeSplit(engine, pool, M, N, K) })) : [];
    scope.postMessage({ ok: true, crossOriginIsolated: self.crossOriginIsolated, description: engine.describe(), threads: engine.threads, worstError, chunksDone, rounds, timings });
  } catch (e) {
    scope.postMessage({ ok: false, message: String((e as Error).stack ?? e) });
  }
};
