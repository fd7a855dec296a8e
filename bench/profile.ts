// Profile page (`npm run bench -- --profile`): times every dispatch of one GateScope
// training step with timestamp queries, grouped by label, for the canonical LSTM and GRU
// configs. Each dispatch gets its own compute pass here (the normal recorder keeps one
// pass per step), so totals include a little per-pass overhead; they show what
// dominates, not the exact step time. Results go to window.__benchResults.
import { WebGpuBackend } from '../src/backend/webgpu.ts';
import { backward, zeroGrad } from '../src/ops/grad.ts';
import { noGrad } from '../src/autograd/tape.ts';
import { scope, type Tensor } from '../src/tensor.ts';
import { matmul } from '../src/ops/matmul.ts';
import { initRecurrentParams, recurrent, type RecurrencePath, type RecurrentConfig } from '../src/ops/recurrent.ts';
import { softmaxCrossEntropy } from '../src/ops/loss.ts';
import { Adam } from '../src/optim/adam.ts';
import { Random } from '../src/random.ts';
import { instrument } from './instrument.ts';
import { DatasetBuilder } from '../src/state/datasets.ts';
import { defaultSetup, resolveModelConfig } from '../src/state/settings.ts';
import { Trainer } from '../src/train/trainer.ts';
import { setStepKernels } from '../src/ops/recurrent.ts';
import { backwardStepShared, blockedStepKernels, forwardStepShared, type SharedStepShape } from '../src/ops/recurrent-kernels.ts';
import { setMatmulVariant } from '../src/ops/matmul.ts';
import { subgroupBlocked, variantByName } from '../src/ops/gemm-kernels.ts';

/** "4x4rw32" → rows 4, units 4, lanes split the rows, workgroup 32. */
function parseShape(spec: string): SharedStepShape {
  const m = /^(\d+)x(\d+)([ru])w(\d+)(l?)$/.exec(spec);
  if (!m) throw new Error(`bad step kernel spec ${spec}`);
  return { rows: Number(m[1]), units: Number(m[2]), split: m[3] === 'r' ? 'rows' : 'units', workgroupSize: Number(m[4]), finishLoop: m[5] === 'l' };
}

/** "blocked" or "<fwd spec>/<bwd spec>". */
function applyKernels(gpu: WebGpuBackend, spec: string): void {
  if (spec === 'default') setStepKernels(gpu, null);
  else if (spec === 'blocked') setStepKernels(gpu, blockedStepKernels(4, 2));
  else {
    const [f, b] = spec.split('/');
    setStepKernels(gpu, { forward: forwardStepShared(parseShape(f)), backward: backwardStepShared(parseShape(b)) });
  }
}

/** "rb16x8w8x8" or "sg16x8c2x2u2" (TM x TN, c|r split, SX x SY, unroll). */
function applyGemm(gpu: WebGpuBackend, spec: string): void {
  if (spec === 'default') return setMatmulVariant(gpu, null);
  const known = variantByName(spec);
  if (known) return setMatmulVariant(gpu, known);
  const m = /^sg(\d+)x(\d+)([cr])(\d+)x(\d+)(?:u(\d+))?$/.exec(spec);
  if (!m) throw new Error(`bad gemm spec ${spec}`);
  setMatmulVariant(gpu, subgroupBlocked(Number(m[1]), Number(m[2]), m[3] === 'c' ? 'cols' : 'rows', Number(m[4]), Number(m[5]), Number(m[6] ?? 1)));
}

const logEl = document.getElementById('log')!;
function log(message: string): void {
  console.log(message);
  logEl.textContent += message + '\n';
}
const params = new URLSearchParams(location.search);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Config {
  cell: 'lstm' | 'gru';
  B: number;
  T: number;
  I: number;
  H: number;
}

async function profile(gpu: WebGpuBackend, prof: ReturnType<typeof instrument>, c: Config, path: RecurrencePath) {
  const config: RecurrentConfig = { cell: c.cell, inputSize: c.I, hiddenSize: c.H, numLayers: 1, bidirectional: false, dropout: 0 };
  const p = initRecurrentParams(gpu, config, 1);
  const rng = new Random(3);
  const w = gpu.fromArray(Float32Array.from({ length: c.H * 10 }, () => rng.uniform(-0.1, 0.1)), [c.H, 10]).param();
  const bias = gpu.zeros([10]).param();
  const all: Tensor[] = [...p.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]), w, bias];
  const opt = new Adam(all, { lr: 1e-3 });
  const x = gpu.fromArray(Float32Array.from({ length: c.B * c.T * c.I }, () => rng.uniform(-1, 1)), [c.B, c.T, c.I]).keep();
  const y = gpu.fromArray(Int32Array.from({ length: c.B }, () => rng.int(10)), [c.B], 'i32').keep();
  const train = () =>
    scope(() => {
      const r = recurrent(x, null, p, config, { path });
      const { loss } = softmaxCrossEntropy(matmul(r.hN[0], w, { bias }), y);
      backward(loss);
      opt.update();
      zeroGrad(all);
    });
  const forward = () => noGrad(() => scope(() => void softmaxCrossEntropy(matmul(recurrent(x, null, p, config, { path }).hN[0], w, { bias }), y)));
  // Wall time of whole steps, one submit each.
  const wall = async (fn: () => void, n: number) => {
    fn();
    await gpu.sync();
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      fn();
      await gpu.sync();
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  train();
  await gpu.sync();
  const created0 = gpu.pool.created;
  const trainMs = await wall(train, 7);
  // After the first step the pool should hand out its buffers again: new ones are a leak or churn.
  log(`GPU buffers created during 8 training steps after the first: ${gpu.pool.created - created0}`);
  // Host time to record (and submit) one step, without waiting for the device.
  const recordTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    train();
    gpu.flush();
    recordTimes.push(performance.now() - t0);
    await gpu.sync();
  }
  log(`record + submit: ${median(recordTimes).toFixed(1)} ms per step (${gpu.recorder.dispatches} dispatches so far)`);
  const forwardMs = await wall(forward, 7);
  const reps = 3;
  const sums = new Map<string, number[]>();
  const counts = new Map<string, number>();
  for (let r = 0; r < reps; r++) {
    prof.start();
    train();
    for (const [k, v] of await prof.stop()) {
      sums.set(k, [...(sums.get(k) ?? []), v.ms]);
      counts.set(k, v.count);
    }
  }
  const rows = [...sums].map(([k, v]) => ({ label: k, ms: median(v), count: counts.get(k) ?? 0 })).sort((a, b) => b.ms - a.ms);
  const total = rows.reduce((a, r) => a + r.ms, 0);
  log(`\n${c.cell} B=${c.B} T=${c.T} I=${c.I} H=${c.H} path=${path}: train ${trainMs.toFixed(1)} ms (wall), forward ${forwardMs.toFixed(1)} ms; Σ dispatches ${total.toFixed(1)} ms`);
  for (const r of rows) log(`  ${r.ms.toFixed(2).padStart(8)} ms  ${String(r.count).padStart(4)}×  ${r.label}`);
  for (const t of [...all, x, y]) t.dispose();
  return { config: c, path, trainMs, forwardMs, rows };
}

/** `?setup=default`: one training step of the first-run setup (CNN + LSTM, late fusion), through the Trainer. */
async function profileDefaultSetup(gpu: WebGpuBackend, prof: ReturnType<typeof instrument>) {
  const setup = defaultSetup();
  const data = await new DatasetBuilder().build({ source: 'shapes', settings: setup.data, openMojiBaseUrl: '' });
  const model = resolveModelConfig(setup.model, data, null);
  const t = new Trainer(gpu, data, model, setup.train, () => {});
  const times: number[] = [];
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now();
    await t.stepOnce();
    await gpu.sync();
    times.push(performance.now() - t0);
  }
  const trainMs = median(times.slice(2));
  const sums = new Map<string, number[]>();
  const counts = new Map<string, number>();
  for (let r = 0; r < 3; r++) {
    await gpu.sync();
    prof.start();
    await t.stepOnce();
    for (const [k, v] of await prof.stop()) {
      sums.set(k, [...(sums.get(k) ?? []), v.ms]);
      counts.set(k, v.count);
    }
  }
  const rows = [...sums].map(([k, v]) => ({ label: k, ms: median(v), count: counts.get(k) ?? 0 })).sort((a, b) => b.ms - a.ms);
  const total = rows.reduce((a, r) => a + r.ms, 0);
  log(`default setup (${JSON.stringify({ image: model.image, batch: setup.train.batchSize })}): train step ${trainMs.toFixed(1)} ms (wall); Σ dispatches ${total.toFixed(1)} ms`);
  for (const r of rows) log(`  ${r.ms.toFixed(2).padStart(8)} ms  ${String(r.count).padStart(4)}×  ${r.label}`);
  t.dispose();
  t.model.dispose();
  return { setup: 'default', trainMs, rows };
}

async function main() {
  const gpu = await WebGpuBackend.create();
  log(`adapter: ${gpu.description}; timestamp-query: ${gpu.device.features.has('timestamp-query')}`);
  const prof = instrument(gpu);
  if (params.get('setup') === 'default') {
    applyGemm(gpu, params.get('gemm') ?? 'default');
    (window as unknown as { __benchResults: unknown }).__benchResults = { adapter: gpu.gpu.info, profile: [await profileDefaultSetup(gpu, prof)] };
    return;
  }
  const cells = (params.get('cells') ?? 'lstm,gru').split(',') as ('lstm' | 'gru')[];
  const H = Number(params.get('H') ?? 128);
  const T = Number(params.get('T') ?? 32);
  const B = Number(params.get('B') ?? 32);
  const paths = (params.get('paths') ?? 'auto').split(',') as RecurrencePath[];
  const results = [];
  const kernelSpecs = (params.get('kernels') ?? 'default').split(',');
  const gemmSpecs = (params.get('gemm') ?? 'default').split(',');
  for (const cell of cells) {
    for (const path of paths) {
      for (const k of kernelSpecs) {
        for (const g of gemmSpecs) {
          applyKernels(gpu, k);
          applyGemm(gpu, g);
          log(`\n== kernels ${k}, gemm ${g}`);
          results.push(await profile(gpu, prof, { cell, B, T, I: 64, H }, path));
        }
      }
    }
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = { adapter: gpu.gpu.info, profile: results };
}

main().catch((e) => {
  log(`profile failed: ${e}`);
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e) };
});
