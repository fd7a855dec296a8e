// The benchmark's `gatescope-wasm` engine in a worker, as the app trains on it: the app's
// CPU backend (src/backend/cpu-engine.ts) splits GEMMs between threads only off the page's
// main thread (Atomics.wait is not allowed there). The page sends one request per step and
// times the round trip, so every timed step includes one message each way (~0.1 ms).
import { createCpuBackend } from '../src/backend/cpu-engine.ts';
import type { CpuBackend } from '../src/backend/cpu.ts';
import { GemmPool, type ShapeTimes } from '../src/backend/wasm-pool.ts';
import { benchStep, type BenchConfig, type BenchStep } from '../src/train/benchmark.ts';

export type ToEngineWorker = { type: 'init' } | { type: 'model'; config: BenchConfig } | { type: 'train' } | { type: 'forward' } | { type: 'dispose' } | { type: 'pool' };
/** One GEMM shape the worker pool timed (its key "M,N,K,flags") and its times. */
export interface PoolShape extends ShapeTimes {
  shape: string;
}
export type FromEngineWorker =
  | { type: 'ready'; description: string; hasEngine: boolean }
  | { type: 'done' }
  | { type: 'pool'; shapes: PoolShape[] }
  | { type: 'failed'; message: string };

let backend: CpuBackend | null = null;
let step: BenchStep | null = null;

async function handle(m: ToEngineWorker): Promise<FromEngineWorker> {
  switch (m.type) {
    case 'init':
      backend = await createCpuBackend();
      return { type: 'ready', description: backend.description, hasEngine: backend.engine !== null };
    case 'model':
      step?.dispose();
      step = benchStep(backend!, m.config);
      return { type: 'done' };
    case 'train':
      await step!.train();
      return { type: 'done' };
    case 'forward':
      await step!.forward();
      return { type: 'done' };
    case 'pool': {
      // The pool's per-shape times since the last request (then cleared): which GEMMs it split.
      const pool = backend?.engine?.splitter;
      if (!(pool instanceof GemmPool)) return { type: 'pool', shapes: [] };
      const shapes = [...pool.shapeTimes].map(([shape, t]) => ({ shape, ...t }));
      pool.shapeTimes.clear();
      return { type: 'pool', shapes };
    }
    case 'dispose':
      step?.dispose();
      step = null;
      return { type: 'done' };
  }
}

self.onmessage = (event: MessageEvent<ToEngineWorker>) => {
  handle(event.data).then(
    (r) => self.postMessage(r),
    (e: unknown) => self.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies FromEngineWorker),
  );
};
