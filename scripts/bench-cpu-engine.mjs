// Benchmark of the CPU backend with and without the WebAssembly engine (issue 17) on the
// canonical training step of bench/bench.ts gatescope(): one recurrent layer (B 32, T 32,
// I 64, H 128), a linear classifier head on h_N, softmax cross-entropy, Adam; LSTM and GRU.
// Prints ms per step (median of the timed steps after two warm-ups; wall time, and the
// process's CPU time, which other load on the machine inflates less) for
// CpuBackend({ engine }) and the plain CpuBackend(), and where a step's time goes: each
// op's share (wall time inside its reference / wasm call, summed over the step) and the
// rest (tape, autograd bookkeeping, allocation). `npm test` runs it with one step
// (scripts/test-bench.mjs) to check that it runs; its figures are for reading.
//   node scripts/bench-cpu-engine.mjs                 both backends, LSTM and GRU
//   node --experimental-wasm-relaxed-simd scripts/bench-cpu-engine.mjs
//                                                     the relaxed-SIMD engine, as in Chrome
//   --steps 10  timed steps per run (default 10)     --cells lstm  only some cells
//   --engine-only                                     skip the plain CPU backend (slow)
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { buildWasm, wasmStale } from './build-wasm.mjs';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const STEPS = Number(arg('--steps', '10'));
const cells = arg('--cells', 'lstm,gru').split(',');
const engineOnly = process.argv.includes('--engine-only');
const C = { B: 32, T: 32, I: 64, H: 128 };

if (wasmStale()) await buildWasm();

const server = await createServer({ configFile: false, root, server: { middlewareMode: true, hmr: false, ws: false, watch: null }, appType: 'custom', logLevel: 'error' });
const load = (path) => server.ssrLoadModule(path);
try {
  const { CpuBackend } = await load('/src/backend/cpu.ts');
  const { nodeEngine } = await load('/src/backend/wasm-engine.support.ts');
  const { OPS } = await load('/src/ops/index.ts');
  const { backward, zeroGrad } = await load('/src/ops/grad.ts');
  const { scope } = await load('/src/tensor.ts');
  const { matmul } = await load('/src/ops/matmul.ts');
  const { initRecurrentParams, recurrent } = await load('/src/ops/recurrent.ts');
  const { softmaxCrossEntropy } = await load('/src/ops/loss.ts');
  const { Adam } = await load('/src/optim/adam.ts');
  const { Random } = await load('/src/random.ts');

  // Per-op timing: wrap each op's reference and wasm functions once (several names may
  // share one definition, e.g. rnn / lstm / gru: they are timed under the first name).
  const opMs = new Map();
  const wrapped = new Set();
  for (const [name, def] of Object.entries(OPS)) {
    if (wrapped.has(def)) continue;
    wrapped.add(def);
    for (const key of ['reference', 'wasm']) {
      const fn = def[key];
      if (!fn) continue;
      def[key] = function timed(...args) {
        const t0 = performance.now();
        try {
          return fn.apply(this, args);
        } finally {
          opMs.set(name, (opMs.get(name) ?? 0) + performance.now() - t0);
        }
      };
    }
  }
  const RECURRENT = new Set(['rnn', 'recurrentBackward']);

  const engine = await nodeEngine();
  console.log(`engine: ${engine.describe()}; canonical step B ${C.B}, T ${C.T}, I ${C.I}, H ${C.H}, Adam; ${STEPS} timed steps`);

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  async function measure(backend, cell) {
    const config = { cell, inputSize: C.I, hiddenSize: C.H, numLayers: 1, bidirectional: false, dropout: 0 };
    const p = initRecurrentParams(backend, config, 1);
    const rng = new Random(3);
    const w = backend.fromArray(Float32Array.from({ length: C.H * 10 }, () => rng.uniform(-0.1, 0.1)), [C.H, 10]).param();
    const bias = backend.zeros([10]).param();
    const all = [...p.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]), w, bias];
    const opt = new Adam(all, { lr: 1e-3 });
    const data = new Random(7);
    const x = backend.fromArray(Float32Array.from({ length: C.B * C.T * C.I }, () => data.uniform(-1, 1)), [C.B, C.T, C.I]).keep();
    const y = backend.fromArray(Int32Array.from({ length: C.B }, () => data.int(10)), [C.B], 'i32').keep();
    let loss = NaN;
    const step = () =>
      scope(() => {
        const r = recurrent(x, null, p, config);
        const out = softmaxCrossEntropy(matmul(r.hN[0], w, { bias }), y);
        loss = backend.data(out.loss)[0];
        backward(out.loss);
        opt.update();
        zeroGrad(all);
      });
    step();
    step();
    opMs.clear();
    const times = [];
    const cpuTimes = [];
    for (let i = 0; i < STEPS; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      step();
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpuTimes.push((c.user + c.system) / 1000);
    }
    const total = times.reduce((a, b) => a + b, 0);
    const perOp = [...opMs].map(([op, ms]) => ({ op, ms: ms / STEPS })).sort((a, b) => b.ms - a.ms);
    const rec = perOp.filter((o) => RECURRENT.has(o.op)).reduce((a, o) => a + o.ms, 0);
    const ops = perOp.reduce((a, o) => a + o.ms, 0);
    for (const t of [...all, x, y]) t.dispose();
    return { ms: median(times), best: Math.min(...times), cpu: median(cpuTimes), mean: total / STEPS, rec, ops, perOp, loss };
  }

  const backends = [['engine', () => new CpuBackend({ engine })]];
  if (!engineOnly) backends.push(['plain', () => new CpuBackend()]);
  for (const cell of cells) {
    for (const [label, make] of backends) {
      const r = await measure(make(), cell);
      const pct = (v) => `${((100 * v) / r.mean).toFixed(0)}%`;
      console.log(`\n${cell} ${label} CPU: ${r.ms.toFixed(1)} ms/step (median wall; best ${r.best.toFixed(1)}, mean ${r.mean.toFixed(1)}), process CPU time ${r.cpu.toFixed(1)} ms/step (median), loss ${r.loss.toFixed(4)}`);
      console.log(`  recurrent ops (forward + BPTT): ${r.rec.toFixed(1)} ms (${pct(r.rec)}); other ops ${(r.ops - r.rec).toFixed(1)} ms (${pct(r.ops - r.rec)}); outside ops ${(r.mean - r.ops).toFixed(1)} ms (${pct(r.mean - r.ops)})`);
      console.log(`  per op: ${r.perOp.filter((o) => o.ms >= 0.05).map((o) => `${o.op} ${o.ms.toFixed(2)}`).join(', ')} ms`);
    }
  }
} finally {
  await server.close();
}
