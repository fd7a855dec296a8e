// The in-app kernel tuner (tuneKernels) on this adapter: it times every GEMM and
// step-kernel candidate when the budget allows, uses GPU timestamps where the adapter
// has timestamp-query, applies choices that agree with the CPU backend, reads them back
// from the cache without compiling anything, and stops at its budget (counted in
// candidates, with an injected clock).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CELLS, stepKernels, setStepKernels, type CellKind } from './recurrent.ts';
import { matmulVariant, setTunedGemm } from './matmul.ts';
import { gemmCandidates, stepCandidates, tuneKernels, type TuningShapes } from './gemm-tuning.ts';
import { recordStorage } from './tuning-cache.ts';
import { compareWithReference, type OpCase } from './ops.support.ts';
import { matmul } from './matmul.ts';
import { recurrent, type RecurrentConfig } from './recurrent.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterEach(() => {
  setTunedGemm(gpu, null);
  setStepKernels(gpu, null);
});

const UA = 'test-browser/1';
const shapes = (cell: CellKind): TuningShapes => ({
  gemms: [{ M: 64, N: 128, K: 96, transA: true, transB: false }],
  recurrent: { cell, B: 8, T: 4, I: 16, H: 24 },
});

describe('tuneKernels', () => {
  it('times every candidate, uses timestamp-query when present, applies choices that agree with the CPU', async () => {
    const storage = recordStorage({});
    const progress: [number, number][] = [];
    const r = (await tuneKernels(gpu, shapes('gru'), { storage, userAgent: UA, budgetMs: 1e9, onProgress: (d, t) => progress.push([d, t]) }))!;
    const G = CELLS.gru.gates;
    const total = gemmCandidates(gpu).length + stepCandidates(gpu, G).length;
    expect(r.fromCache).toBe(false);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(r.timing).toBe(gpu.device.features.has('timestamp-query') ? 'timestamp-query' : 'wall-clock');
    const [gemm, step] = r.jobs;
    expect(gemm.measured).toBe(gemm.candidates);
    expect(step.measured).toBe(step.candidates);
    for (const job of r.jobs) {
      expect(job.timings[0].name).toBe(job.choice.name);
      for (const t of job.timings) expect(t.ms).toBeGreaterThan(0);
      expect(job.choice.gflops).toBeGreaterThan(0);
    }
    expect(matmulVariant(gpu).name).toBe(gemm.choice.name);
    const pair = stepKernels(gpu, 8, G);
    expect(`${pair.forward.name}+${pair.backward.name}`).toBe(step.choice.name);
    expect(JSON.parse(storage.written.get(r.store!.key)!).jobs['step:gru:B8:H24'].choice.name).toBe(step.choice.name);

    // The applied kernels agree with the float64 CPU reference on odd shapes.
    const config: RecurrentConfig = { cell: 'gru', inputSize: 5, hiddenSize: 7, numLayers: 1, bidirectional: false, dropout: 0 };
    const cases: OpCase[] = [
      { ops: ['matmul'], name: 'tuned matmul', inputs: [{ shape: [37, 19] }, { shape: [19, 29] }], run: ([a, b]) => matmul(a, b), tolerance: { atol: 1e-4, rtol: 1e-4 } },
      {
        ops: ['gru', 'recurrentBackward'],
        name: 'tuned gru',
        inputs: [{ shape: [11, 3, 5] }, { shape: [21, 5] }, { shape: [21, 7] }, { shape: [21] }, { shape: [21] }],
        run: ([x, wIh, wHh, bIh, bHh]) => recurrent(x, [3, 1, 2, 3, 3, 2, 1, 3, 2, 3, 1], { layers: [{ wIh, wHh, bIh, bHh }] }, config, { path: 'step' }).output,
        tolerance: { atol: 2e-5, rtol: 2e-4 },
      },
    ];
    for (const c of cases) for (const report of await compareWithReference(c, gpu)) expect(report.ok, `${c.name}: ${report.message}`).toBe(true);
  });

  it('a second tuning reads the cache: nothing compiled or dispatched, same choices', async () => {
    const storage = recordStorage({});
    const first = (await tuneKernels(gpu, shapes('lstm'), { storage, userAgent: UA, budgetMs: 1e9 }))!;
    setTunedGemm(gpu, null);
    setStepKernels(gpu, null);
    const again = recordStorage(Object.fromEntries(storage.written));
    const compiled = gpu.pipelines.compiled;
    const dispatches = gpu.recorder.dispatches;
    const second = (await tuneKernels(gpu, shapes('lstm'), { storage: again, userAgent: UA }))!;
    expect(second.fromCache).toBe(true);
    expect(second.store).toBeNull();
    expect(second.jobs.map((j) => j.choice.name)).toEqual(first.jobs.map((j) => j.choice.name));
    expect(matmulVariant(gpu).name).toBe(first.jobs[0].choice.name);
    expect(gpu.pipelines.compiled).toBe(compiled);
    expect(gpu.recorder.dispatches).toBe(dispatches);
    // Another browser version, or "Re-run tuning", times again.
    expect((await tuneKernels(gpu, shapes('lstm'), { storage: again, userAgent: 'test-browser/2', cacheOnly: true }))).toBeNull();
    const forced = (await tuneKernels(gpu, shapes('lstm'), { storage: again, userAgent: UA, budgetMs: 1e9, force: true }))!;
    expect(forced.fromCache).toBe(false);
    expect(forced.jobs.every((j) => !j.fromCache && j.measured === j.candidates)).toBe(true);
  });

  it('stops at its budget, counted in candidates (a fake clock: 1000 per candidate)', async () => {
    const gemms = gemmCandidates(gpu).length;
    const steps = stepCandidates(gpu, CELLS.lstm.gates, 8).length;
    // Budget in candidates → candidates timed per job: each job gets an equal share of
    // what is left and starts candidates while its share is not spent.
    const expected = (allowed: number): [number, number] => {
      const g = Math.min(gemms, Math.ceil(allowed / 2));
      return [g, Math.min(steps, Math.max(0, allowed - g))];
    };
    for (const allowed of [1, 2, 3, 4]) {
      let clock = 0;
      let done = 0;
      const storage = recordStorage({});
      const r = (await tuneKernels(gpu, shapes('lstm'), {
        storage,
        userAgent: UA,
        budgetMs: allowed * 1000,
        now: () => clock,
        onProgress: (d) => {
          if (d > done) clock += 1000;
          done = d;
        },
      }))!;
      expect(r.jobs.map((j) => j.measured), `budget of ${allowed} candidates`).toEqual(expected(allowed));
      expect(done).toBe(expected(allowed)[0] + expected(allowed)[1]);
      // The first candidate timed is the built-in default.
      expect(r.jobs[0].timings.map((t) => t.name)).toContain(gemmCandidates(gpu)[0].name);
      // Every job is cached; one left no budget as untimed (the built-in default stays).
      const cachedJobs = JSON.parse(storage.written.get(r.store!.key)!).jobs;
      expect(Object.keys(cachedJobs)).toEqual(r.jobs.map((j) => j.job));
      const step = r.jobs[1];
      if (step.measured === 0) {
        expect(step.choice.ms).toBe(0);
        expect(stepKernels(gpu, 8, CELLS.lstm.gates)).toBe(stepCandidates(gpu, CELLS.lstm.gates, 8)[0]);
      }
    }
  });
});
