// The benchmark page's controller (`?bench`): starts the benchmark worker, keeps its
// progress and rows in a small store of its own (the page runs without the app's store
// and session), saves the kernel choices it tunes into the app's localStorage cache, and
// builds the JSON a user downloads and sends in (README, "Benchmark your GPU").
import { create } from 'zustand';
import type { AdapterSummary } from '../gpu/device.ts';
import { saveTuningEntry, storedTuningEntries } from './tuning-storage.ts';
import type { BenchRow, FromBenchWorker, ToBenchWorker } from '../train/benchmark.ts';

export interface BenchState {
  status: 'idle' | 'running' | 'done' | 'failed';
  reduced: boolean;
  progress: { message: string; done: number; total: number } | null;
  adapter: AdapterSummary | null;
  limits: Record<string, number> | null;
  webgpuError: string | null;
  rows: BenchRow[];
  error: string | null;
  startedAt: string | null;
}

export const useBench = create<BenchState>()(() => ({
  status: 'idle',
  reduced: false,
  progress: null,
  adapter: null,
  limits: null,
  webgpuError: null,
  rows: [],
  error: null,
  startedAt: null,
}));

/** Format version of the downloaded JSON. */
export const BENCH_JSON_VERSION = 1;

let worker: Worker | null = null;

function onMessage(m: FromBenchWorker): void {
  switch (m.type) {
    case 'adapter':
      useBench.setState({ adapter: m.adapter, limits: m.limits, webgpuError: m.webgpuError });
      break;
    case 'progress':
      useBench.setState({ progress: { message: m.message, done: m.done, total: m.total } });
      break;
    case 'row':
      useBench.setState((s) => ({ rows: [...s.rows, m.row] }));
      break;
    case 'tuningEntry':
      saveTuningEntry(m.key, m.value);
      break;
    case 'done':
      useBench.setState({ status: 'done' });
      stop();
      break;
    case 'failed':
      useBench.setState({ status: 'failed', error: m.message });
      stop();
      break;
  }
}

function stop(): void {
  worker?.terminate();
  worker = null;
}

/** Runs the benchmark: the canonical configs, or the reduced ones (`?bench=quick`, for tests). */
export function runBenchmark(reduced: boolean): void {
  if (worker) return;
  useBench.setState({ status: 'running', reduced, progress: null, rows: [], error: null, startedAt: new Date().toISOString() });
  worker = new Worker(new URL('../train/bench.worker.ts', import.meta.url), { type: 'module', name: 'gatescope-benchmark' });
  worker.onmessage = (e: MessageEvent<FromBenchWorker>) => onMessage(e.data);
  worker.onerror = (e) => onMessage({ type: 'failed', message: `the benchmark worker failed: ${e.message || 'unknown error'}` });
  worker.postMessage({ type: 'run', reduced, tuningEntries: storedTuningEntries() } satisfies ToBenchWorker);
}

/** The results as the JSON file users download and send in. */
export function benchJson(s: BenchState = useBench.getState()): string {
  return JSON.stringify(
    {
      format: 'gatescope-benchmark',
      formatVersion: BENCH_JSON_VERSION,
      appVersion: __APP_VERSION__,
      userAgent: navigator.userAgent,
      startedAt: s.startedAt,
      configSet: s.reduced ? 'reduced' : 'canonical',
      adapter: s.adapter,
      webgpuError: s.webgpuError,
      limits: s.limits,
      results: s.rows.map((r) => ({
        config: r.config,
        cell: r.cell,
        B: r.B,
        T: r.T,
        I: r.I,
        H: r.H,
        optimizer: 'adam',
        backend: r.backend,
        kernels: r.kernels ?? null,
        trainMedianMs: r.timing?.trainMs ?? null,
        forwardMedianMs: r.timing?.forwardMs ?? null,
        stepsTimed: r.timing?.steps ?? 0,
        trainGflops: r.timing?.gflops ?? null,
        error: r.error ?? null,
      })),
    },
    null,
    2,
  );
}
