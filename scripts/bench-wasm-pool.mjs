// Micro-benchmark of the WebAssembly engine's worker pool (src/backend/wasm-pool.ts): each
// GEMM of the canonical training step (B = 32, T = 32, I = 64, H = 128, LSTM: 4H = 512)
// and a size sweep around the split threshold, on 1 thread, split between `--threads`
// (default 2) and as the adaptive pool chooses (chooseSplit, with the split threshold), in
// Node with worker_threads helpers on one shared memory. Prints µs and GFLOP/s
// (2·M·N·K flops) and the share of chunks the helpers ran. `npm test` runs it
// with --ms 20 (scripts/test-bench.mjs) to check that it runs.
//   node scripts/bench-wasm-pool.mjs [--threads 2] [--spin 20000] [--chunks-per-thread 2] [--ms 1000]
// (--ms: how long each shape is timed)
// Each figure is the median of 10-call batches (1 thread and split alternating); on a machine
// shared with other work the helpers' share (and so the speed-up) drops: the load average
// is printed with the figures.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { buildWasm, wasmStale } from './build-wasm.mjs';

const root = resolve(import.meta.dirname, '..');
const option = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const threads = option('--threads', 2);
const spin = option('--spin', 20_000);
const chunksPerThread = option('--chunks-per-thread', 2);
const MIN_MS = option('--ms', 1000);

if (wasmStale()) await buildWasm();

/**
 * Median µs per call of each function (1 thread, split, the adaptive choice), timed in
 * alternating 10-call batches over MIN_MS after a warm-up, so that all see the same load
 * from other processes.
 */
function medians(...fns) {
  for (const start = performance.now(); performance.now() - start < 100; ) fns.forEach((fn) => fn());
  const times = fns.map(() => []);
  for (const start = performance.now(); performance.now() - start < MIN_MS; ) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      for (let r = 0; r < 10; r++) fn();
      times[i].push((performance.now() - t0) / 10);
    });
  }
  return times.map((t) => t.sort((x, y) => x - y)[t.length >> 1]);
}

const shapes = [
  ['per-timestep h·W_hᵀ (×32 per pass)', 32, 512, 128, false, true],
  ['input projection X·W_xᵀ', 1024, 512, 64, false, true],
  ['weight gradient dGᵀ·H (512×128×1024)', 512, 128, 1024, true, false],
  ['dX = dG·W_x', 1024, 64, 512, false, false],
  ['sweep', 32, 128, 32, false, false],
  ['sweep', 32, 128, 64, false, false],
  ['sweep', 32, 128, 128, false, false],
  ['sweep', 32, 256, 128, false, false],
  ['sweep', 64, 256, 128, false, false],
  ['tiny (fixed cost of a split)', 8, 16, 1, false, false],
];

const server = await createServer({ configFile: false, root, server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
try {
  const { nodePooledEngine } = await server.ssrLoadModule('/src/backend/wasm-pool.support.ts');
  const { SPLIT_MIN_FLOPS } = await server.ssrLoadModule('/src/backend/wasm-pool.ts');
  const { engine, pool } = await nodePooledEngine('engine-shared', { threads, spin, chunksPerThread, adaptive: false });
  console.log(`${threads} threads, spin ${spin}, ${chunksPerThread} chunks per thread; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('| GEMM | M×N×K | MFLOP | 1 thread µs | GFLOP/s | split µs | GFLOP/s | helpers ran | adaptive µs |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [name, M, N, K, transA, transB] of shapes) {
    const mark = engine.mark();
    const pa = engine.alloc(M * K);
    const pb = engine.alloc(K * N);
    const pc = engine.alloc(M * N);
    engine.f32(pa, M * K).forEach((_, i, x) => (x[i] = Math.random() - 0.5));
    engine.f32(pb, K * N).forEach((_, i, x) => (x[i] = Math.random() - 0.5));
    const run = (minFlops, adaptive) => () => {
      pool.splitMinFlops = minFlops;
      pool.adaptive = adaptive;
      engine.gemmAt(pa, pb, pc, M, N, K, transA, transB);
    };
    const before = pool.chunksDone();
    const [one, split, adaptive] = medians(run(Infinity, false), run(0, false), run(SPLIT_MIN_FLOPS, true));
    const after = pool.chunksDone();
    const all = after.reduce((s, x, t) => s + x - before[t], 0);
    const helpers = all - (after[0] - before[0]);
    const flops = 2 * M * N * K;
    console.log(`| ${name} | ${M}×${N}×${K} | ${(flops / 1e6).toFixed(2)} | ${(one * 1000).toFixed(1)} | ${(flops / one / 1e6).toFixed(1)} | ${(split * 1000).toFixed(1)} | ${(flops / split / 1e6).toFixed(1)} | ${((100 * helpers) / Math.max(all, 1)).toFixed(0)} % | ${(adaptive * 1000).toFixed(1)} |`);
    engine.release(mark);
  }
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  pool.close();
} finally {
  await server.close();
}
