// Micro-benchmark of the WebAssembly SIMD GEMM (wasm/gemm.ts, issue 17) against the CPU
// backend's JS matmul kernel (src/ops/matmul-cpu.ts), single-threaded, n×n·n×n for
// n = 128, 256, 512, 1024. Prints GFLOP/s (2·n³ flops per GEMM). `npm test`
// runs it at n = 64 (scripts/test-bench.mjs) to check that it runs.
//   node scripts/bench-wasm-gemm.mjs                 plain SIMD build and JS
//   node --experimental-wasm-relaxed-simd scripts/bench-wasm-gemm.mjs
//                                                    also the relaxed-SIMD (FMA) build
//   --sizes 128,256                                  other sizes
// "wasm kernel" times the exported gemm on data already in the module's memory; "wasm
// loader" times WasmGemm.gemm, which also copies A and B in and C out.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { buildWasm, wasmStale } from './build-wasm.mjs';

const root = resolve(import.meta.dirname, '..');
const sizesArg = process.argv.includes('--sizes') ? process.argv[process.argv.indexOf('--sizes') + 1] : '128,256,512,1024';
const sizes = sizesArg.split(',').map(Number);
/** Each figure is the best of the runs made in at least this many milliseconds (after a warm-up call). */
const MIN_MS = 400;

if (wasmStale()) await buildWasm();

function time(fn) {
  fn();
  let best = Infinity;
  const started = performance.now();
  let runs = 0;
  while (runs < 3 || performance.now() - started < MIN_MS) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
    runs++;
    if (performance.now() - started > 20 * MIN_MS) break;
  }
  return best;
}

const server = await createServer({ configFile: false, root, server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
try {
  const { loadWasmGemm } = await server.ssrLoadModule('/src/backend/wasm-gemm.ts');
  const { gemm: jsGemm } = await server.ssrLoadModule('/src/ops/matmul-cpu.ts');
  const bytes = (name) => new Uint8Array(readFileSync(resolve(root, `wasm/build/${name}.wasm`)));
  const engines = [{ name: 'wasm SIMD', engine: await loadWasmGemm(bytes('engine')) }];
  const relaxedBytes = bytes('engine-relaxed');
  if (WebAssembly.validate(relaxedBytes)) engines.push({ name: 'wasm relaxed-SIMD', engine: await loadWasmGemm(relaxedBytes) });
  else console.log('(relaxed SIMD not available in this runtime: run node with --experimental-wasm-relaxed-simd to include it)');

  const rows = [];
  for (const n of sizes) {
    const a = new Float32Array(n * n).map(() => Math.random() * 2 - 1);
    const b = new Float32Array(n * n).map(() => Math.random() * 2 - 1);
    const gflops = (ms) => (2 * n ** 3) / (ms * 1e6);
    const row = { n };
    for (const { name, engine } of engines) {
      const mark = engine.mark();
      const pa = engine.alloc(n * n);
      const pb = engine.alloc(n * n);
      const pc = engine.alloc(n * n);
      engine.f32(pa, n * n).set(a);
      engine.f32(pb, n * n).set(b);
      const x = engine.exports;
      const pw = engine.alloc(x.workspaceBytes(n, n, n) / 4);
      row[`${name} kernel`] = gflops(time(() => x.gemm(pa, pb, pc, n, n, n, 0, 0, 0, pw)));
      engine.release(mark);
      const out = new Float32Array(n * n);
      row[`${name} loader`] = gflops(time(() => engine.gemm(a, b, n, n, n, false, false, out)));
    }
    const c = new Float32Array(n * n);
    row['JS (CPU backend)'] = gflops(time(() => jsGemm({ data: a, trans: false }, { data: b, trans: false }, c, n, n, n)));
    rows.push(row);
    console.log(Object.entries(row).map(([k, v]) => (k === 'n' ? `n=${v}` : `${k} ${v.toFixed(2)}`)).join('  |  '), 'GFLOP/s');
  }
} finally {
  await server.close();
}
