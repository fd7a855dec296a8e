// `npm run bench`: serves bench/index.html with Vite on 127.0.0.1, opens it in headless
// Chromium (WebGPU on whatever adapter is present), prints a table and writes
// bench/results.json. Flags:
//   --quick     canonical config only, 5 timed steps per engine
//   --no-tfjs   GateScope only
//   --profile   per-dispatch timings of one training step (bench/profile.html)
//   --lab       GEMM / step-kernel variants side by side (bench/lab.html)
//   --query q   extra URL query for those pages, e.g. "cells=lstm&gemm=sg16x8cs2x2", or
//               "engines=gatescope-wasm,tfjs-wasm" for only those rows of the table
//   --no-pytorch  skip scripts/bench_pytorch.py (run otherwise when $GATESCOPE_PYTHON or
//               .venv/bin/python exists, after the browser has closed: PyTorch CPU rows)
//   --out f     write the results to f instead of bench/results.json
// The server sends Cross-Origin-Opener-Policy / -Embedder-Policy headers, so the page is
// cross-origin isolated (SharedArrayBuffer: threads for the WebAssembly engine and for
// TF.js wasm, which then loads its threaded SIMD build).
// The port is $GATESCOPE_BENCH_PORT (default 5183). Besides wall time the pages can ask
// for CPU time of the browser (all processes) or of its GPU process (where SwiftShader
// runs): on a shared machine it changes much less with other load than wall time.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'vite';
import { chromium } from 'playwright';
import { browserArgs, ensureBrowser } from './browser.mjs';

const arg = (name) => process.argv.includes(name);
const quick = arg('--quick');
const noTf = arg('--no-tfjs');
const profile = arg('--profile');
const lab = arg('--lab');
const noPytorch = arg('--no-pytorch');
const extraQuery = arg('--query') ? process.argv[process.argv.indexOf('--query') + 1] : '';
const out = arg('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'bench/results.json';
const port = Number(process.env.GATESCOPE_BENCH_PORT ?? 5183);

const parentOf = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

/** Whether pid descends from this node process (within a few generations). */
function ours(pid) {
  let up = Number(pid);
  for (let i = 0; i < 6 && up > 1; i++) {
    up = parentOf(up);
    if (up === process.pid) return true;
  }
  return false;
}

/** Σ over the threads of a process of the time spent on a CPU, in ms. */
function processCpuMs(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended while we looked
    }
  }
  return ns / 1e6;
}

/** CPU time of our browser's processes (all, or only the GPU process), ms; null when /proc is missing. */
function browserCpuMs(gpuOnly) {
  let total = null;
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chrom')) continue;
      if (gpuOnly && !cmd.includes('--type=gpu-process')) continue;
      if (!ours(pid)) continue;
      total = (total ?? 0) + processCpuMs(pid);
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

const load0 = loadavg();
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', port, strictPort: true, headers: isolation }, logLevel: 'error' });
await server.listen();
// Unquantised timestamps for the profile page.
const args = profile || lab ? [...browserArgs(), '--enable-dawn-features=allow_unsafe_apis', '--disable-dawn-features=timestamp_quantization'] : browserArgs();
const browser = await chromium.launch({ executablePath: ensureBrowser(), args });
let results;
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`[page] ${m.text().slice(0, 600)}`));
  await page.exposeFunction('__gpuProcessCpuMs', () => browserCpuMs(true));
  await page.exposeFunction('__browserCpuMs', () => browserCpuMs(false));
  const query = [quick ? 'quick' : '', noTf ? 'noTf' : '', extraQuery].filter(Boolean).join('&');
  await page.goto(`http://127.0.0.1:${port}/bench/${profile ? 'profile' : lab ? 'lab' : 'index'}.html${query ? `?${query}` : ''}`);
  await page.waitForFunction(() => window.__benchResults, null, { timeout: 4 * 3_600_000, polling: 1000 });
  results = await page.evaluate(() => window.__benchResults);
} finally {
  await browser.close();
  await server.close();
}
if (results.error) {
  console.error(results.error);
  process.exit(1);
}
if (profile || lab) process.exit(0);
const load1 = loadavg();

/**
 * PyTorch CPU rows from scripts/bench_pytorch.py (same model, shapes and steps), run after
 * the browser has closed so that the two do not share the cores; [] without Python or torch.
 * Two threads (`pytorch-cpu`, issue 17's reference) and one (`pytorch-cpu-1t`): on a loaded
 * 2-core machine two threads have been 5–60× slower than one (they wait on each other).
 */
function pytorchRows() {
  const python = process.env.GATESCOPE_PYTHON ?? (existsSync('.venv/bin/python') ? '.venv/bin/python' : null);
  if (noPytorch || !python) {
    console.log(noPytorch ? 'PyTorch: --no-pytorch' : 'PyTorch: skipped (no $GATESCOPE_PYTHON or .venv/bin/python)');
    return [];
  }
  const configs = JSON.stringify(results.configs);
  const run = spawnSync(python, ['scripts/bench_pytorch.py', '--steps', String(results.minSteps), '--threads', '2,1', '--configs', configs], {
    encoding: 'utf8',
    timeout: 1_800_000,
  });
  const out = run.stdout ?? '';
  for (const line of out.split('\n')) if (line && !line.startsWith('RESULTS ')) console.log(`[pytorch] ${line}`);
  const last = out.split('\n').find((l) => l.startsWith('RESULTS '));
  if (run.status !== 0 || !last) {
    console.log(`PyTorch: scripts/bench_pytorch.py failed (exit ${run.status}): ${(run.stderr ?? '').slice(-600)}`);
    return [];
  }
  return JSON.parse(last.slice('RESULTS '.length)).map((r) => ({
    config: r.config,
    cell: r.cell,
    engine: r.threads === 2 ? 'pytorch-cpu' : `pytorch-cpu-${r.threads}t`,
    trainMs: r.trainMs,
    forwardMs: r.forwardMs,
    steps: results.minSteps,
    cpuMs: null,
    gflops: null,
    note: `${r.threads} thread${r.threads === 1 ? '' : 's'}`,
  }));
}
results.rows.push(...pytorchRows());

const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(d));
console.log(`\nAdapter: ${results.adapter.vendor} / ${results.adapter.architecture} ${results.adapter.description ?? ''}`);
console.log(`GEMM tuner: ${results.tuning.variant} in ${results.tuning.ms.toFixed(0)} ms; step kernels ${results.stepKernels.forward} / ${results.stepKernels.backward}`);
console.log(
  results.bestGemm === null
    ? 'GEMM 1024³: not measured (no WebGPU engine among the rows)'
    : `GEMM 1024³: ${results.gemm.map((g) => `${g.name} ${g.gflops.toFixed(2)}`).join(', ')} GFLOP/s (best ${results.bestGemm.toFixed(2)})`,
);
console.log(`CPU backend: ${results.cpuBackend}; page cross-origin isolated: ${results.crossOriginIsolated}`);
console.log(`Load average (1 min) at start ${load0[0].toFixed(2)}, at end ${load1[0].toFixed(2)} on ${cpus().length} cores; ${results.minSteps} timed steps per engine after at least 2 warm-up steps (up to 20, for 1 s)\n`);
// Ratios are other engine's time / this row's time (> 1×: this row is faster), same run.
// '% best GEMM': the row's training GFLOP/s over the best rate of our WebGPU GEMM variants at
// 1024³ measured above; WebGPU rows only (the CPU rows run on other hardware).
const header = ['config', 'cell', 'engine', 'train ms/step', 'forward ms', 'GFLOP/s', '% best GEMM', 'vs tfjs-webgpu', 'vs tfjs-wasm', 'vs tfjs-cpu', 'fwd vs tfjs-wasm', 'vs gatescope-cpu', 'vs pytorch-cpu', 'CPU ms/step', 'steps'];
const lines = [header];
for (const r of results.rows) {
  const other = (engine) => results.rows.find((o) => o.config === r.config && o.cell === r.cell && o.engine === engine);
  const ratio = (engine, key = 'trainMs') => (r[key] && other(engine)?.[key] ? `${(other(engine)[key] / r[key]).toFixed(1)}×` : '—');
  const ours = r.engine.startsWith('gatescope');
  lines.push([
    r.config,
    r.cell,
    r.engine,
    fmt(r.trainMs),
    fmt(r.forwardMs),
    fmt(r.gflops, 2),
    r.engine.endsWith('webgpu') && r.gflops && results.bestGemm ? `${((100 * r.gflops) / results.bestGemm).toFixed(0)}%` : '—',
    ours ? ratio('tfjs-webgpu') : '',
    ours ? ratio('tfjs-wasm') : '',
    ours ? ratio('tfjs-cpu') : '',
    ours ? ratio('tfjs-wasm', 'forwardMs') : '',
    r.engine === 'gatescope-webgpu' || r.engine === 'gatescope-wasm' ? ratio('gatescope-cpu') : '',
    ours ? ratio('pytorch-cpu') : '',
    fmt(r.cpuMs, 0),
    r.note ?? String(r.steps),
  ]);
}
const widths = header.map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
const table = lines.map((l) => `| ${l.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`);
table.splice(1, 0, `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const l of table) console.log(l);

// Issue 17's targets for the WebAssembly engine on the canonical config: a training step
// within 5× of PyTorch CPU (its faster thread count here) and at least 10× faster than
// TF.js wasm; and where it stands
// against GateScope on WebGPU. Ratios for the other configs without targets.
console.log('');
for (const r of results.rows.filter((x) => x.engine === 'gatescope-wasm' && x.trainMs)) {
  const other = (engine) => results.rows.find((o) => o.config === r.config && o.cell === r.cell && o.engine === engine && o.trainMs);
  const canonical = r.config === 'canonical';
  const parts = [];
  // The faster PyTorch row (the stricter comparison).
  const torch = results.rows
    .filter((o) => o.config === r.config && o.cell === r.cell && o.engine.startsWith('pytorch-cpu') && o.trainMs)
    .sort((a, b) => a.trainMs - b.trainMs)[0];
  if (torch) {
    const slower = r.trainMs / torch.trainMs;
    parts.push(`${slower.toFixed(1)}× PyTorch CPU's ${fmt(torch.trainMs)} ms (${torch.note})${canonical ? ` — target ≤ 5×: ${slower <= 5 ? 'met' : 'NOT met'}` : ''}`);
  } else parts.push('PyTorch CPU not measured');
  const wasm = other('tfjs-wasm');
  if (wasm) {
    const faster = wasm.trainMs / r.trainMs;
    parts.push(`${faster.toFixed(1)}× faster than TF.js wasm's ${fmt(wasm.trainMs)} ms${canonical ? ` — target ≥ 10×: ${faster >= 10 ? 'met' : 'NOT met'}` : ''}`);
  } else parts.push('TF.js wasm not measured');
  const webgpu = other('gatescope-webgpu');
  if (webgpu) {
    const faster = webgpu.trainMs / r.trainMs;
    parts.push(faster >= 1 ? `${faster.toFixed(1)}× faster than GateScope webgpu's ${fmt(webgpu.trainMs)} ms` : `${(1 / faster).toFixed(1)}× slower than GateScope webgpu's ${fmt(webgpu.trainMs)} ms`);
  }
  console.log(`${r.config} ${r.cell}: gatescope-wasm ${fmt(r.trainMs)} ms/step: ${parts.join('; ')}`);
}
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), loadavg: { start: load0, end: load1 }, ...results }, null, 2));
console.log(`\nwrote ${out}`);
