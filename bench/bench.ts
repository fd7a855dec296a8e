// Benchmark page (opened by scripts/bench.mjs in headless Chromium). Measures our GEMM
// variants at 1024³, then training steps of a recurrent classifier
//   x [B, T, I] → RNN layer (LSTM | GRU, H) → h_T → Linear(10) → softmax cross-entropy → Adam
// on GateScope (WebGPU, CPU) and on TensorFlow.js 4.22 (webgpu, wasm, cpu) with the same
// model. Results go to window.__benchResults; progress to the console.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { WebGpuBackend } from '../src/backend/webgpu.ts';
import { CpuBackend } from '../src/backend/cpu.ts';
import type { Backend } from '../src/backend/backend.ts';
import { backward, zeroGrad } from '../src/autograd/grad.ts';
import { noGrad } from '../src/autograd/tape.ts';
import { scope, type Tensor } from '../src/tensor.ts';
import { matmul, setMatmulVariant, DEFAULT_GEMM } from '../src/ops/matmul.ts';
import { GEMM_CANDIDATES } from '../src/ops/gemm-kernels.ts';
import { initRecurrentParams, recurrent, type RecurrentConfig } from '../src/ops/recurrent.ts';
import { softmaxCrossEntropy } from '../src/ops/loss.ts';
import { Adam } from '../src/optim/adam.ts';
import { Random } from '../src/random.ts';

interface Config {
  name: string;
  cell: 'lstm' | 'gru';
  B: number;
  T: number;
  I: number;
  H: number;
}

interface Row {
  config: string;
  cell: string;
  engine: string;
  trainMs: number | null;
  forwardMs: number | null;
  steps: number;
  gflops: number | null;
  note?: string;
}

const params = new URLSearchParams(location.search);
const quick = params.has('quick');
const skipTf = params.has('noTf');
const logEl = document.getElementById('log')!;
function log(message: string): void {
  console.log(message);
  logEl.textContent += message + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const flops = (c: Config) => (c.cell === 'lstm' ? 24 : 18) * c.B * c.T * c.H * (c.I + c.H);

/** Runs warm-up steps, then as many timed steps as fit the budget (3..10). */
async function timeSteps(step: () => Promise<void>, budgetMs: number, maxSteps = 10): Promise<{ ms: number; steps: number }> {
  let t0 = performance.now();
  await step();
  const first = performance.now() - t0;
  t0 = performance.now();
  await step();
  const second = performance.now() - t0;
  const per = Math.min(first, second);
  const steps = Math.max(3, Math.min(maxSteps, Math.floor(budgetMs / Math.max(per, 1))));
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), steps };
}

async function gemmRates(gpu: WebGpuBackend): Promise<{ name: string; gflops: number }[]> {
  const n = 1024;
  const rng = new Random(1);
  const data = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
  const a = gpu.fromArray(data, [n, n]).keep();
  const b = gpu.fromArray(data, [n, n]).keep();
  const out: { name: string; gflops: number }[] = [];
  for (const v of GEMM_CANDIDATES) {
    setMatmulVariant(gpu, v);
    const run = async () => {
      scope(() => void noGrad(() => matmul(a, b)));
      await gpu.sync();
    };
    const { ms } = await timeSteps(run, quick ? 1500 : 4000, 5);
    const gflops = (2 * n ** 3) / (ms * 1e6);
    log(`gemm ${v.name}: ${ms.toFixed(1)} ms, ${gflops.toFixed(2)} GFLOP/s`);
    out.push({ name: v.name, gflops });
  }
  setMatmulVariant(gpu, DEFAULT_GEMM);
  a.dispose();
  b.dispose();
  return out;
}

function makeData(c: Config) {
  const rng = new Random(7);
  const x = Float32Array.from({ length: c.B * c.T * c.I }, () => rng.uniform(-1, 1));
  const y = Int32Array.from({ length: c.B }, () => rng.int(10));
  return { x, y };
}

async function gatescope(backend: Backend, c: Config, budgetMs: number): Promise<Omit<Row, 'config' | 'cell' | 'engine'>> {
  const config: RecurrentConfig = { cell: c.cell, inputSize: c.I, hiddenSize: c.H, numLayers: 1, bidirectional: false, dropout: 0 };
  const p = initRecurrentParams(backend, config, 1);
  const rng = new Random(3);
  const w = backend.fromArray(Float32Array.from({ length: c.H * 10 }, () => rng.uniform(-0.1, 0.1)), [c.H, 10]).param();
  const bias = backend.zeros([10]).param();
  const all: Tensor[] = [...p.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]), w, bias];
  const opt = new Adam(all, { lr: 1e-3 });
  const { x: xData, y: yData } = makeData(c);
  const x = backend.fromArray(xData, [c.B, c.T, c.I]).keep();
  const y = backend.fromArray(yData, [c.B], 'i32').keep();
  const train = async () => {
    scope(() => {
      const r = recurrent(x, null, p, config);
      const { loss } = softmaxCrossEntropy(matmul(r.hN[0], w, { bias }), y);
      backward(loss);
      opt.update();
      zeroGrad(all);
    });
    await backend.sync();
  };
  const forward = async () => {
    noGrad(() => scope(() => void softmaxCrossEntropy(matmul(recurrent(x, null, p, config).hN[0], w, { bias }), y)));
    await backend.sync();
  };
  const t = await timeSteps(train, budgetMs);
  const f = await timeSteps(forward, budgetMs / 2);
  for (const tensor of [...all, x, y]) tensor.dispose();
  return { trainMs: t.ms, forwardMs: f.ms, steps: t.steps, gflops: flops(c) / (t.ms * 1e6) };
}

async function tfjs(backendName: string, c: Config, budgetMs: number): Promise<Omit<Row, 'config' | 'cell' | 'engine'>> {
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
  const t = await timeSteps(train, budgetMs);
  const f = await timeSteps(forward, budgetMs / 2);
  x.dispose();
  y.dispose();
  model.dispose();
  return { trainMs: t.ms, forwardMs: f.ms, steps: t.steps, gflops: flops(c) / (t.ms * 1e6) };
}

async function main() {
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  const gpu = await WebGpuBackend.create();
  log(`adapter: ${gpu.description}`);
  const gemm = await gemmRates(gpu);
  const bestGemm = Math.max(...gemm.map((g) => g.gflops));
  const configs: Config[] = [
    { name: 'canonical', cell: 'lstm', B: 32, T: 32, I: 64, H: 128 },
    { name: 'canonical', cell: 'gru', B: 32, T: 32, I: 64, H: 128 },
  ];
  if (!quick) {
    configs.push(
      { name: 'H=32', cell: 'lstm', B: 32, T: 32, I: 64, H: 32 },
      { name: 'H=32', cell: 'gru', B: 32, T: 32, I: 64, H: 32 },
      { name: 'H=512,T=128', cell: 'lstm', B: 32, T: 128, I: 64, H: 512 },
      { name: 'H=512,T=128', cell: 'gru', B: 32, T: 128, I: 64, H: 512 },
    );
  }
  const rows: Row[] = [];
  const budget = quick ? 4000 : 15000;
  for (const c of configs) {
    const big = c.H >= 512;
    const engines: [string, () => Promise<Omit<Row, 'config' | 'cell' | 'engine'>>][] = [
      ['gatescope-webgpu', () => gatescope(gpu, c, budget)],
      ['gatescope-cpu', () => gatescope(new CpuBackend(), c, budget)],
    ];
    if (!skipTf) {
      engines.push(['tfjs-wasm', () => tfjs('wasm', c, budget)]);
      // TF.js webgpu and cpu take seconds per canonical step here; the large config would take minutes.
      if (!big) engines.push(['tfjs-webgpu', () => tfjs('webgpu', c, budget)], ['tfjs-cpu', () => tfjs('cpu', c, budget)]);
    }
    for (const [engine, run] of engines) {
      if (big && engine === 'gatescope-cpu') {
        rows.push({ config: c.name, cell: c.cell, engine, trainMs: null, forwardMs: null, steps: 0, gflops: null, note: 'skipped (minutes per step)' });
        continue;
      }
      log(`${c.name} ${c.cell} ${engine} …`);
      try {
        const r = await run();
        rows.push({ config: c.name, cell: c.cell, engine, ...r });
        log(`  train ${r.trainMs!.toFixed(1)} ms/step, forward ${r.forwardMs!.toFixed(1)} ms, ${r.gflops!.toFixed(2)} GFLOP/s (${r.steps} steps)`);
      } catch (e) {
        rows.push({ config: c.name, cell: c.cell, engine, trainMs: null, forwardMs: null, steps: 0, gflops: null, note: String(e) });
        log(`  failed: ${e}`);
      }
    }
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = { adapter: gpu.gpu.info, gemm, bestGemm, rows, quick };
}

main().catch((e) => {
  log(`bench failed: ${e}`);
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e) };
});
