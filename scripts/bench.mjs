// `npm run bench`: serves bench/index.html with Vite on 127.0.0.1, opens it in headless
// Chromium (WebGPU on whatever adapter is present), prints a table and writes
// bench/results.json. Flags: --quick (canonical config only, short budgets),
// --no-tfjs (GateScope only), --profile (per-dispatch timings of one training step,
// bench/profile.html), --lab (GEMM variants on the step's shapes, bench/lab.html);
// `--query k=v&…` passes options to those pages. The port is
// $GATESCOPE_BENCH_PORT (default 5183).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'vite';
import { chromium } from 'playwright';
import { browserArgs, ensureBrowser } from './browser.mjs';

const quick = process.argv.includes('--quick');
const noTf = process.argv.includes('--no-tfjs');
const profile = process.argv.includes('--profile');
const lab = process.argv.includes('--lab');
const extraQuery = process.argv.includes('--query') ? process.argv[process.argv.indexOf('--query') + 1] : '';
const port = Number(process.env.GATESCOPE_BENCH_PORT ?? 5183);

const parentOf = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

/** Σ over the threads of our browser's GPU process of the time spent on a CPU, in ms. */
function gpuProcessCpuMs() {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=gpu-process')) continue;
      // GPU process → (zygote →) browser process → this node process.
      let up = Number(pid);
      for (let i = 0; i < 4 && up > 1 && up !== process.pid; i++) up = parentOf(up);
      if (up !== process.pid) continue;
      let ns = 0;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      }
      return ns / 1e6;
    } catch {
      // the process went away while we looked
    }
  }
  return null;
}

const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', port, strictPort: true }, logLevel: 'error' });
await server.listen();
// Unquantised timestamps for the profile page.
const args = profile || lab ? [...browserArgs(), '--enable-dawn-features=allow_unsafe_apis', '--disable-dawn-features=timestamp_quantization'] : browserArgs();
const browser = await chromium.launch({ executablePath: ensureBrowser(), args });
let results;
try {
  const page = await browser.newPage();
  // CPU time of the browser's GPU process (where SwiftShader runs), summed over its
  // threads: unlike wall time it hardly changes when other processes share the cores.
  await page.exposeFunction('__gpuProcessCpuMs', () => gpuProcessCpuMs());
  page.on('console', (m) => console.log(`[page] ${m.text().slice(0, 600)}`));
  const query = [quick ? 'quick' : '', noTf ? 'noTf' : '', extraQuery].filter(Boolean).join('&');
  await page.goto(`http://127.0.0.1:${port}/bench/${profile ? 'profile' : lab ? 'lab' : 'index'}.html${query ? `?${query}` : ''}`);
  await page.waitForFunction(() => window.__benchResults, null, { timeout: 3_600_000, polling: 1000 });
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

const fmt = (v, d = 1) => (v === null || v === undefined ? '—' : v.toFixed(d));
console.log(`\nAdapter: ${results.adapter.vendor} / ${results.adapter.architecture} ${results.adapter.description ?? ''}`);
console.log(`GEMM 1024³: ${results.gemm.map((g) => `${g.name} ${g.gflops.toFixed(2)}`).join(', ')} GFLOP/s (best ${results.bestGemm.toFixed(2)})\n`);
const header = ['config', 'cell', 'engine', 'train ms/step', 'forward ms', 'GFLOP/s', '% best GEMM', 'vs tfjs-webgpu', 'vs tfjs-wasm', 'vs tfjs-cpu', 'steps'];
const lines = [header];
for (const r of results.rows) {
  const ref = (engine) => results.rows.find((o) => o.config === r.config && o.cell === r.cell && o.engine === engine)?.trainMs ?? null;
  const ratio = (engine) => (r.trainMs && ref(engine) ? `${(ref(engine) / r.trainMs).toFixed(1)}×` : '—');
  lines.push([
    r.config,
    r.cell,
    r.engine,
    fmt(r.trainMs),
    fmt(r.forwardMs),
    fmt(r.gflops, 2),
    r.gflops ? `${((100 * r.gflops) / results.bestGemm).toFixed(0)}%` : '—',
    r.engine.startsWith('gatescope') ? ratio('tfjs-webgpu') : '',
    r.engine.startsWith('gatescope') ? ratio('tfjs-wasm') : '',
    r.engine.startsWith('gatescope') ? ratio('tfjs-cpu') : '',
    r.note ?? String(r.steps),
  ]);
}
const widths = header.map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
for (const l of lines) console.log(l.map((c, i) => String(c).padEnd(widths[i])).join('  '));
writeFileSync('bench/results.json', JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2));
console.log('\nwrote bench/results.json');
