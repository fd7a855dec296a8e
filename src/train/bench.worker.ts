// The benchmark page's worker: tunes the kernels per config (as the app does, through
// the shared cache), then times every config on GateScope's WebGPU backend and on its
// CPU backend, posting each row as it is measured. A switch over one message.
/// <reference lib="webworker" />
import { createCpuBackend } from '../backend/cpu-engine.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { tuneKernels } from '../ops/gemm-tuning.ts';
import { recordStorage } from '../ops/tuning-cache.ts';
import { BENCH_STEPS, benchmarkConfig, CANONICAL_BENCH, REDUCED_BENCH, type BenchRow, type FromBenchWorker, type ToBenchWorker } from './benchmark.ts';
import { limitsOfInterest, recurrentTuningShapes } from './kernel-tuning.ts';

declare const self: DedicatedWorkerGlobalScope;
const post = (m: FromBenchWorker) => self.postMessage(m);

/** The chosen kernel's name, 'default' when the tuning budget ran out before timing it, null without tuning. */
const timedName = (j: { measured: number; choice: { name: string } } | undefined) => (j ? (j.measured > 0 ? j.choice.name : 'default') : null);

async function run(m: ToBenchWorker): Promise<void> {
  const configs = m.reduced ? REDUCED_BENCH : CANONICAL_BENCH;
  const steps = m.reduced ? BENCH_STEPS.reduced : BENCH_STEPS.canonical;
  let gpu: WebGpuBackend | null = null;
  let webgpuError: string | null = null;
  try {
    gpu = await WebGpuBackend.create();
  } catch (e) {
    webgpuError = e instanceof Error ? e.message : String(e);
  }
  post({ type: 'adapter', adapter: gpu ? gpu.gpu.info : null, limits: gpu ? limitsOfInterest(gpu) : null, webgpuError });
  const entries = { ...m.tuningEntries };
  const total = configs.length * 2;
  let done = 0;
  for (const backendKind of ['webgpu', 'cpu'] as const) {
    for (const c of configs) {
      const row: BenchRow = { config: c.name, cell: c.cell, B: c.B, T: c.T, I: c.I, H: c.H, backend: backendKind, timing: null };
      const what = `${c.cell.toUpperCase()} B=${c.B} T=${c.T} I=${c.I} H=${c.H} on ${backendKind}`;
      post({ type: 'progress', message: `Timing ${what}…`, done, total });
      try {
        if (backendKind === 'webgpu') {
          if (!gpu) throw new Error(`WebGPU unavailable: ${webgpuError}`);
          const storage = recordStorage(entries);
          const t = await tuneKernels(gpu, recurrentTuningShapes({ cell: c.cell, B: c.B, T: c.T, I: c.I, H: c.H }), { storage, userAgent: navigator.userAgent });
          if (t?.store) {
            const value = JSON.stringify(t.store.entry);
            entries[t.store.key] = value;
            post({ type: 'tuningEntry', key: t.store.key, value });
          }
          const job = (k: string) => t?.jobs.find((j) => j.job.split(':')[0] === k);
          row.kernels = {
            gemm: timedName(job('gemm')),
            step: timedName(job('step')),
            timing: t?.timing ?? 'wall-clock',
            fromCache: t?.fromCache ?? false,
            gflops: Object.fromEntries((t?.jobs ?? []).map((j) => [j.job, j.choice.gflops])),
          };
          row.timing = await benchmarkConfig(gpu, c, steps);
        } else {
          row.timing = await benchmarkConfig(await createCpuBackend(), c, steps);
        }
      } catch (e) {
        row.error = e instanceof Error ? e.message : String(e);
      }
      done++;
      post({ type: 'row', row });
    }
  }
  post({ type: 'progress', message: 'Done.', done, total });
  post({ type: 'done' });
}

self.onmessage = (event: MessageEvent<ToBenchWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'run':
      run(m).catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }));
      break;
    default: {
      const unknown: never = m.type;
      post({ type: 'failed', message: `unknown message ${String(unknown)}` });
    }
  }
};
