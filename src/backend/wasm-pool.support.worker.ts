// Test worker for wasm-pool.browser.test.ts: loads the CPU engine as the training worker
// does (loadCpuEngine: the shared build and the worker pool where the page is
// cross-origin isolated), runs split GEMMs against a float64 reference and reports what
// it found.
import { loadCpuEngine } from './cpu-engine.ts';
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
    scope.postMessage({ ok: true, crossOriginIsolated: self.crossOriginIsolated, description: engine.describe(), threads: engine.threads, worstError, chunksDone: engine.splitter?.chunksDone() ?? [], rounds });
  } catch (e) {
    scope.postMessage({ ok: false, message: String((e as Error).stack ?? e) });
  }
};
