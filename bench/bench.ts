// Benchmark page (opened by scripts/bench.mjs in headless Chromium). Tunes and measures
// our GEMM variants at 1024³, then training steps of a recurrent classifier
//   x [B, T, I] → RNN layer (LSTM | GRU, H) → h_T → Linear(10) → softmax cross-entropy → Adam
// on GateScope (WebGPU; the CPU backend on the WebAssembly engine as the app loads it, in a
// worker as the app trains, `gatescope-wasm`; the plain JavaScript CPU backend,
// `gatescope-cpu`; the step itself is src/train/benchmark.ts's benchStep, the in-app
// benchmark's) and on TensorFlow.js
// 4.22 (webgpu, wasm, cpu) with the same model. Every engine: warm-up steps (WARMUP_*), then at least MIN_STEPS timed steps (GPU work
// awaited), median. Results go to window.__benchResults; progress to the console.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { fourWideSubgroups } from '../src/backend/subgroups.ts';
import { WebGpuBackend } from '../src/backend/webgpu.ts';
import { CpuBackend } from '../src/backend/cpu.ts';
import { benchData as makeData, benchStep, type BenchConfig } from '../src/train/benchmark.ts';
import type { FromEngineWorker, ToEngineWorker } from './engine.worker.ts';
import type { Backend } from '../src/backend/backend.ts';
import { noGrad } from '../src/autograd/tape.ts';
import { scope } from '../src/tensor.ts';
import { matmul, matmulVariant, setMatmulVariant } from '../src/ops/matmul.ts';
import { GEMM_VARIANTS, type GemmVariant } from '../src/ops/gemm-kernels.ts';
import { chooseRecurrencePath, stepKernels } from '../src/ops/recurrent.ts';
import { Random } from '../src/random.ts';
import { tuneGemm } from '../src/ops/gemm-tuning.ts';

type Config = BenchConfig;

interface Measured {
  trainMs: number | null;
  forwardMs: number | null;
  steps: number;
  /** Median CPU time of the whole browser per training step, ms (all processes, all threads). */
  cpuMs: number | null;
  gflops: number | null;
  note?: string;
}

interface Row extends Measured {
  config: string;
  cell: string;
  engine: string;
}

const params = new URLSearchParams(location.search);
const quick = params.has('quick');
const skipTf = params.has('noTf');
/** `engines=gatescope-wasm,tfjs-wasm`: only these rows (all when absent). */
const onlyEngines = params.get('engines')?.split(',') ?? null;
/** Timed steps per engine and config (after warm-up). */
const MIN_STEPS = quick ? 5 : 10;
/** TF.js webgpu configs whose warm-up step takes longer than this are skipped (noted in the table). */
const SLOW_STEP_MS = 20_000;
const logEl = document.getElementById('log')!;
function log(message: string): void {
  console.log(message);
  logEl.textContent += message + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/**
 * Training FLOPs a step computes, with G gates (LSTM 4, GRU 3): the forward products
 * X·W_ihᵀ and h·W_hhᵀ (2·B·T·G·H·(I+H)), and in backward dW_ih, dW_hh and dh (another
 * 2·B·T·G·H each of I, H and H). The input is a leaf, so dX is not computed and not
 * counted: 2·G·B·T·H·(2I + 3H).
 */
const flops = (c: Config) => 2 * (c.cell === 'lstm' ? 4 : 3) * c.B * c.T * c.H * (2 * c.I + 3 * c.H);

/** CPU time of the browser (exposed by scripts/bench.mjs), ms, or NaN. */
async function browserCpuMs(): Promise<number> {
  const f = (window as unknown as { __browserCpuMs?: () => Promise<number | null> }).__browserCpuMs;
  return (f ? await f() : null) ?? NaN;
}

class SlowStep extends Error {}

/** Warm-up: at least this many steps (the first compiles) ... */
const WARMUP_STEPS = 2;
/** ... and, up to WARMUP_MAX_STEPS, until this much time has passed: a WebAssembly engine's
 * hot functions move from the baseline compiler to the optimizing one only after some calls. */
const WARMUP_MS = 1000;
const WARMUP_MAX_STEPS = 20;

/**
 * Warm-up steps (see WARMUP_*), then `steps` timed ones; the median wall time and the
 * median browser CPU time per step. `limitMs`: give up after a warm-up step that long
 * (throws SlowStep).
 */
async function timeSteps(step: () => Promise<void>, steps: number, limitMs = Infinity): Promise<{ ms: number; cpu: number; steps: number }> {
  const warm0 = performance.now();
  for (let i = 0; i < WARMUP_MAX_STEPS && (i < WARMUP_STEPS || performance.now() - warm0 < WARMUP_MS); i++) {
    const t0 = performance.now();
    await step();
    const ms = performance.now() - t0;
    if (ms > limitMs) throw new SlowStep(`a warm-up step took ${(ms / 1000).toFixed(1)} s (> ${limitMs / 1000} s)`);
  }
  const times: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < steps; i++) {
    const c0 = await browserCpuMs();
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
    cpus.push((await browserCpuMs()) - c0);
  }
  return { ms: median(times), cpu: median(cpus), steps };
}

/** GFLOP/s of each GEMM variant on C = A·B at 1024³ (median of a few runs). */
async function gemmRates(gpu: WebGpuBackend): Promise<{ name: string; gflops: number }[]> {
  const n = 1024;
  const rng = new Random(1);
  const data = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
  const a = gpu.fromArray(data, [n, n]).keep();
  const b = gpu.fromArray(data, [n, n]).keep();
  const out: { name: string; gflops: number }[] = [];
  const tuned = matmulVariant(gpu);
  const usable = GEMM_VARIANTS.filter((v: GemmVariant) => !v.subgroups || fourWideSubgroups(gpu));
  for (const v of usable) {
    setMatmulVariant(gpu, v);
    const run = async () => {
      scope(() => void noGrad(() => matmul(a, b)));
      await gpu.sync();
    };
    const { ms } = await timeSteps(run, v.name === 'naive' ? 1 : quick ? 2 : 3);
    const gflops = (2 * n ** 3) / (ms * 1e6);
    log(`gemm ${v.name}: ${ms.toFixed(1)} ms, ${gflops.toFixed(2)} GFLOP/s`);
    out.push({ name: v.name, gflops });
  }
  setMatmulVariant(gpu, tuned);
  a.dispose();
  b.dispose();
  return out;
}


/** Times the benchmark step on a backend in this page. */
async function gatescope(backend: Backend, c: Config): Promise<Measured> {
  const step = benchStep(backend, c);
  try {
    const t = await timeSteps(() => step.train(), MIN_STEPS);
    const f = await timeSteps(() => step.forward(), MIN_STEPS);
    return { trainMs: t.ms, forwardMs: f.ms, steps: t.steps, cpuMs: t.cpu, gflops: flops(c) / (t.ms * 1e6) };
  } finally {
    step.dispose();
  }
}

/** The engine worker (bench/engine.worker.ts): one request, one answer. */
class EngineWorker {
  private readonly worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  private pending: ((m: FromEngineWorker) => void) | null = null;
  constructor() {
    this.worker.onmessage = (e: MessageEvent<FromEngineWorker>) => this.pending?.(e.data);
  }
  request(m: ToEngineWorker): Promise<FromEngineWorker> {
    return new Promise((resolve, reject) => {
      this.pending = (r) => (r.type === 'failed' ? reject(new Error(r.message)) : resolve(r));
      this.worker.postMessage(m);
    });
  }
}

/** Times the benchmark step on the app's CPU backend in the engine worker. */
async function gatescopeInWorker(w: EngineWorker, c: Config): Promise<Measured> {
  await w.request({ type: 'model', config: c });
  try {
    const t = await timeSteps(async () => void (await w.request({ type: 'train' })), MIN_STEPS);
    const pool = await w.request({ type: 'pool' });
    if (pool.type === 'pool' && pool.shapes.length > 0) {
      // What the worker pool chose for each GEMM of the training step (µs, running averages).
      const lines = pool.shapes.map((s) => `${s.shape}: split ${s.split.toFixed(0)} µs, alone ${s.alone.toFixed(0)} µs (${s.calls} calls)`);
      log(`    pool, per GEMM shape (M,N,K,transA transB accumulate): ${lines.join('; ')}`);
    }
    const f = await timeSteps(async () => void (await w.request({ type: 'forward' })), MIN_STEPS);
    return { trainMs: t.ms, forwardMs: f.ms, steps: t.steps, cpuMs: t.cpu, gflops: flops(c) / (t.ms * 1e6) };
  } finally {
    await w.request({ type: 'dispose' });
  }
}

async function tfjs(backendName: string, c: Config, limitMs = Infinity): Promise<Measured> {
  await tf.setBackend(backendName);
  await tf.ready();
  const model = tf.sequential();
  const layer = c.cell === 'lstm' ? tf.layers.lstm : tf.layers.gru;
  model.add(layer({ units: c.H, inputShape: [c.T, c.I], recurrentActivation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 10 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
  const { x: xData, y: yData } = makeData(c);
  const x = tf.tensor3d(xData, [c.B, c.T, c.I]);
  const y = tf.oneHot(tf.tensor1d(yData, 'int32'), 10);
  const train = async () => {
    await model.trainOnBatch(x, y);
  };
  const forward = async () => {
    const out = model.predict(x) as tf.Tensor;
    await out.data();
    out.dispose();
  };
  try {
    const t = await timeSteps(train, MIN_STEPS, limitMs);
    const f = await timeSteps(forward, MIN_STEPS);
    return { trainMs: t.ms, forwardMs: f.ms, steps: t.steps, cpuMs: t.cpu, gflops: flops(c) / (t.ms * 1e6) };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}

/** A tuning cache that lives as long as the page, so that a re-created device reuses the choice. */
const pageStorage = new Map<string, string>();
const tuningStorage = { getItem: (k: string) => pageStorage.get(k) ?? null, setItem: (k: string, v: string) => void pageStorage.set(k, v) };

async function main() {
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  let gpu = await WebGpuBackend.create();
  log(`adapter: ${gpu.description}; 4-wide subgroups: ${fourWideSubgroups(gpu)}`);
  const t0 = performance.now();
  const tuning = await tuneGemm(gpu, tuningStorage);
  const tuneMs = performance.now() - t0;
  log(`tuner: ${tuning.variant.name} in ${tuneMs.toFixed(0)} ms (${tuning.timings.map((t) => `${t.name} ${t.ms.toFixed(1)} ms, first ${t.firstMs.toFixed(0)} ms`).join(', ')})`);
  const kernels = stepKernels(gpu, 32);
  log(`step kernels: ${kernels.forward.name} / ${kernels.backward.name}`);
  // The app's CPU backend (src/backend/cpu-engine.ts): the engine build it loads and its threads.
  const engineWorker = new EngineWorker();
  const engineInfo = await engineWorker.request({ type: 'init' });
  const cpuBackend = engineInfo.type === 'ready' ? engineInfo : { description: 'not loaded', hasEngine: false };
  log(`CPU backend (in a worker): ${cpuBackend.description}; cross-origin isolated: ${self.crossOriginIsolated}`);
  // The 1024³ sweep of the GPU GEMM variants (about 70 s on SwiftShader) is the reference of
  // the '% best GEMM' column; with `engines=` naming no WebGPU row it is skipped.
  const gpuRows = onlyEngines === null || onlyEngines.some((e) => e.endsWith('webgpu'));
  const gemm = gpuRows ? await gemmRates(gpu) : [];
  const bestGemm = gemm.length > 0 ? Math.max(...gemm.map((g) => g.gflops)) : null;
  if (!gpuRows) log(`GEMM 1024³ sweep skipped: no WebGPU engine in engines=${onlyEngines?.join(',')}`);
  const configs: Config[] = [];
  // [name, B, H, T]; I = 64 throughout. The scale rows (B = 256, H = 512, T = 256) only in the full run.
  const shapes: [string, number, number, number][] = quick
    ? [['canonical', 32, 128, 32]]
    : [
        ['canonical', 32, 128, 32],
        ['H=32', 32, 32, 32],
        ['H=512', 32, 512, 32],
        ['T=128', 32, 128, 128],
        ['T=256', 32, 128, 256],
        ['B=256', 256, 128, 32],
      ];
  for (const [name, B, H, T] of shapes) for (const cell of ['lstm', 'gru'] as const) configs.push({ name, cell, B, T, I: 64, H });
  const rows: Row[] = [];
  // TF.js webgpu training step of the canonical config per cell, to estimate the others.
  const tfWebgpuCanonical = new Map<string, number>();
  for (const c of configs) {
    const engines: [string, () => Promise<Measured>][] = [
      [
        'gatescope-webgpu',
        async () => {
          // Another engine can take the GPU process down; start again on a new device.
          if (gpu.gpu.lostReason) {
            log(`  (device lost: ${gpu.gpu.lostReason}; new device)`);
            gpu = await WebGpuBackend.create();
            await tuneGemm(gpu, tuningStorage);
          }
          return gatescope(gpu, c);
        },
      ],
      [
        'gatescope-wasm',
        async () => {
          if (!cpuBackend.hasEngine) throw new Error(`no WebAssembly engine (${cpuBackend.description})`);
          return gatescopeInWorker(engineWorker, c);
        },
      ],
      ['gatescope-cpu', () => gatescope(new CpuBackend(), c)],
    ];
    if (!skipTf) {
      engines.push(['tfjs-wasm', () => tfjs('wasm', c)], ['tfjs-cpu', () => tfjs('cpu', c)]);
      // Last: TF.js webgpu. A config whose step would take longer than SLOW_STEP_MS
      // (estimated from the canonical one by FLOPs) is skipped: such long submits have
      // taken Chromium's GPU process down here.
      engines.push([
        'tfjs-webgpu',
        async () => {
          const canonical = tfWebgpuCanonical.get(c.cell);
          if (c.name !== 'canonical' && canonical !== undefined) {
            const estimate = (canonical * flops(c)) / flops({ ...c, B: 32, H: 128, T: 32 });
            if (estimate > SLOW_STEP_MS) throw new SlowStep(`about ${(estimate / 1000).toFixed(0)} s per step, estimated from the canonical config (> ${SLOW_STEP_MS / 1000} s)`);
          }
          const r = await tfjs('webgpu', c, c.name === 'canonical' ? Infinity : SLOW_STEP_MS);
          if (c.name === 'canonical' && r.trainMs !== null) tfWebgpuCanonical.set(c.cell, r.trainMs);
          return r;
        },
      ]);
    }
    log(`\n${c.name} ${c.cell} (B ${c.B}, T ${c.T}, I ${c.I}, H ${c.H}; path ${chooseRecurrencePath(c.B, c.T, c.H, fourWideSubgroups(gpu))})`);
    for (const [engine, run] of engines) {
      if (onlyEngines && !onlyEngines.includes(engine)) continue;
      try {
        const r = await run();
        rows.push({ config: c.name, cell: c.cell, engine, ...r });
        log(`  ${engine}: train ${r.trainMs!.toFixed(1)} ms/step, forward ${r.forwardMs!.toFixed(1)} ms, ${r.gflops!.toFixed(2)} GFLOP/s, browser CPU ${r.cpuMs!.toFixed(0)} ms/step (${r.steps} steps)`);
      } catch (e) {
        const note = e instanceof SlowStep ? `skipped: ${e.message}` : `failed: ${e}`;
        rows.push({ config: c.name, cell: c.cell, engine, trainMs: null, forwardMs: null, steps: 0, cpuMs: null, gflops: null, note });
        log(`  ${engine}: ${note}`);
      }
    }
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = {
    adapter: gpu.gpu.info,
    tuning: { variant: tuning.variant.name, ms: tuneMs, timings: tuning.timings },
    stepKernels: { forward: kernels.forward.name, backward: kernels.backward.name },
    gemm,
    bestGemm,
    rows,
    configs,
    cpuBackend: cpuBackend.description,
    crossOriginIsolated: self.crossOriginIsolated,
    quick,
    minSteps: MIN_STEPS,
  };
}

main().catch((e) => {
  log(`bench failed: ${e}`);
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e) };
});
