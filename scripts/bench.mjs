// `npm run bench`: serves bench/index.html with Vite on 127.0.0.1, opens it in headless
// Chromium (WebGPU on whatever adapter is present), prints a table and writes
// bench/results.json. Flags:
//   --quick     canonical config only, 5 timed steps per engine
//   --no-tfjs   GateScope only
//   --profile   per-dispatch timings of one training step (bench/profile.html)
//   --lab       GEMM / step-kernel variants side by side (bench/lab.html)
//   --query q   extra URL query for those pages, e.g. "cells=lstm&gemm=sg16x8cs2x2"
// The port is $GATESCOPE_BENCH_PORT (default 5183). Besides wall time the pages can ask
// for CPU time of the browser (all processes) or of its GPU process (where SwiftShader
// runs): on a shared machine it changes much less with other load than wall time.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'vite';
import { chromium } from 'playwright';
import { browserArgs, ensureBrowser } from './browser.mjs';

const arg = (name) => process.argv.includes(name);
const quick = arg('--quick');
const noTf = arg('--no-tfjs');
const profile = arg('--profile');
const lab = arg('--lab');
const extraQuery = arg('--query') ? process.argv[process.argv.indexOf('--query') + 1] : '';
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
const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', port, strictPort: true }, logLevel: 'error' });
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

const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(d));
console.log(`\nAdapter: ${results.adapter.vendor} / ${results.adapter.architecture} ${results.adapter.description ?? ''}`);
console.log(`GEMM tuner: ${results.tuning.variant} in ${results.tuning.ms.toFixed(0)} ms; step kernels ${results.stepKernels.forward} / ${results.stepKernels.backward}`);
console.log(`GEMM 1024³: ${results.gemm.map((g) => `${g.name} ${g.gflops.toFixed(2)}`).join(', ')} GFLOP/s (best ${results.bestGemm.toFixed(2)})`);
console.log(`Load average (1 min) at start ${load0[0].toFixed(2)}, at end ${load1[0].toFixed(2)} on ${cpus().length} cores; ${results.minSteps} timed steps per engine after 2 warm-up steps\n`);
// Ratios are other engine's time / this row's time (> 1×: this row is faster), same run.
// '% best GEMM': the row's training GFLOP/s over the best GEMM rate at 1024³ measured above.
const header = ['config', 'cell', 'engine', 'train ms/step', 'forward ms', 'GFLOP/s', '% best GEMM', 'vs tfjs-webgpu', 'vs tfjs-wasm', 'vs tfjs-cpu', 'fwd vs tfjs-wasm', 'vs gatescope-cpu', 'CPU ms/step', 'steps'];
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
    r.gflops ? `${((100 * r.gflops) / results.bestGemm).toFixed(0)}%` : '—',
    ours ? ratio('tfjs-webgpu') : '',
    ours ? ratio('tfjs-wasm') : '',
    ours ? ratio('tfjs-cpu') : '',
    ours ? ratio('tfjs-wasm', 'forwardMs') : '',
    r.engine === 'gatescope-webgpu' ? ratio('gatescope-cpu') : '',
    fmt(r.cpuMs, 0),
    r.note ?? String(r.steps),
  ]);
}
const widths = header.map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
const table = lines.map((l) => `| ${l.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`);
table.splice(1, 0, `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const l of table) console.log(l);
writeFileSync('bench/results.json', JSON.stringify({ date: new Date().toISOString(), loadavg: { start: load0, end: load1 }, ...results }, null, 2));
console.log('\nwrote bench/results.json');
