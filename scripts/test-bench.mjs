// The `bench` suite of `npm test`: runs each benchmark command the README gives, in its
// smallest form (fewest steps, one size, one cell), and checks that it ends well and prints
// its figures. It asserts no speed: figures come from `npm run bench` run by hand. Results
// go to a temporary folder, never over bench/results.json or bench/conv2d-results.json.
// The PyTorch script runs where Python has torch ($GATESCOPE_PYTHON, else .venv/bin/python,
// else python3) and is counted as skipped, with "skipped: no torch", where it has not.
//   node scripts/test-bench.mjs [--json results.json] [--only text]   (--only: the commands containing text)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : null);
const jsonOut = option('--json');
const only = option('--only');
const dir = mkdtempSync(join(tmpdir(), 'gatescope-bench-'));
// Not the benches' default ports, so that a bench left running by hand does not clash.
const env = { ...process.env, GATESCOPE_BENCH_PORT: '5193' };
const number = String.raw`\d+(?:\.\d+)?`;

const python = process.env.GATESCOPE_PYTHON ?? (existsSync('.venv/bin/python') ? '.venv/bin/python' : 'python3');
const torchProbe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
const torch = torchProbe.status === 0 ? null : torchProbe.error ? `no ${python}` : `${python} cannot import torch`;

/** Reads a JSON file the command wrote; null when it is missing or broken. */
function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Each case: the command (as the README gives it, plus what makes it small) and what its
 * output must show; `check` returns an error message or null.
 */
const cases = [
  {
    // The engine rows of the README's CPU-engine section, with TF.js wasm for the ratios.
    name: 'npm run bench -- --quick --no-pytorch --query engines=gatescope-wasm,tfjs-wasm',
    cmd: ['npm', 'run', 'bench', '--', '--quick', '--no-pytorch', '--query', 'engines=gatescope-wasm,tfjs-wasm', '--out', join(dir, 'results.json')],
    patterns: ['lstm', 'gru'].flatMap((cell) => [
      new RegExp(String.raw`\| canonical \| ${cell} +\| tfjs-wasm +\| ${number}`),
      new RegExp(String.raw`canonical ${cell}: gatescope-wasm ${number} ms/step: .*faster than TF\.js wasm's ${number} ms`),
    ]),
    check() {
      const r = readJson(join(dir, 'results.json'));
      if (!r) return 'no results file';
      const rows = (r.rows ?? []).filter((row) => Number.isFinite(row.trainMs) && row.trainMs > 0);
      return rows.length === 4 ? null : `results file has ${rows.length} timed rows, not 4 (2 engines × 2 cells)`;
    },
  },
  {
    name: 'npm run bench -- --profile --query "cells=lstm"',
    cmd: ['npm', 'run', 'bench', '--', '--profile', '--query', 'cells=lstm'],
    patterns: [new RegExp(String.raw`${number} ms\s+\d+×\s+\S+`)],
  },
  {
    name: 'npm run bench -- --profile --query "setup=default"',
    cmd: ['npm', 'run', 'bench', '--', '--profile', '--query', 'setup=default'],
    patterns: [new RegExp(String.raw`${number} ms\s+\d+×\s+conv2d`)],
  },
  {
    name: 'npm run bench -- --lab --query "step=fwd"',
    cmd: ['npm', 'run', 'bench', '--', '--lab', '--query', 'step=fwd'],
    patterns: [new RegExp(String.raw`fwd \S+\s+wall min ${number} median ${number} ms`)],
  },
  {
    name: 'node scripts/bench-conv2d.mjs --quick --encoder',
    cmd: ['node', 'scripts/bench-conv2d.mjs', '--quick', '--encoder', '--out', join(dir, 'conv2d-results.json')],
    patterns: [new RegExp(String.raw`forward ${number} ms \(${number} GFLOP/s\)`)],
    check: () => (readJson(join(dir, 'conv2d-results.json')) ? null : 'no results file'),
  },
  {
    name: 'node --experimental-wasm-relaxed-simd scripts/bench-cpu-engine.mjs --steps 1 --cells lstm',
    cmd: ['node', '--experimental-wasm-relaxed-simd', 'scripts/bench-cpu-engine.mjs', '--steps', '1', '--cells', 'lstm'],
    patterns: [new RegExp(String.raw`lstm engine CPU: ${number} ms/step`), new RegExp(String.raw`lstm plain CPU: ${number} ms/step`), /per op: rnn \d/],
  },
  {
    name: 'node --experimental-wasm-relaxed-simd scripts/bench-wasm-gemm.mjs --sizes 64',
    cmd: ['node', '--experimental-wasm-relaxed-simd', 'scripts/bench-wasm-gemm.mjs', '--sizes', '64'],
    patterns: [new RegExp(String.raw`n=64 .*relaxed.* ${number}`), new RegExp(String.raw`JS \(CPU backend\) ${number} GFLOP/s`)],
  },
  {
    name: 'node scripts/bench-wasm-pool.mjs --ms 20',
    cmd: ['node', 'scripts/bench-wasm-pool.mjs', '--ms', '20'],
    patterns: [/\| sweep \| 32×256×128 \|/, /load average after/],
  },
  {
    name: 'python scripts/bench_pytorch.py --steps 2 --threads 1',
    cmd: [python, 'scripts/bench_pytorch.py', '--steps', '2', '--threads', '1'],
    skip: torch,
    patterns: [new RegExp(String.raw`canonical lstm .*1 thread: train ${number} ms/step`), new RegExp(String.raw`canonical gru .*1 thread: train ${number} ms/step`)],
  },
];

const results = [];
for (const c of cases) {
  if (only !== null && !c.name.includes(only)) continue;
  if (c.skip) {
    console.log(`SKIP  ${c.name}: skipped: no torch (${c.skip})`);
    results.push({ name: c.name, status: 'skipped', message: `no torch (${c.skip})` });
    continue;
  }
  const started = Date.now();
  const run = spawnSync(c.cmd[0], c.cmd.slice(1), { encoding: 'utf8', env, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (Date.now() - started) / 1000;
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const message = run.error
    ? `did not run: ${run.error.message}`
    : run.status !== 0
      ? `exit code ${run.status}`
      : (c.patterns.filter((p) => !p.test(output)).map((p) => `output lacks ${p}`)[0] ?? c.check?.() ?? null);
  if (message) {
    console.log(`FAIL  ${c.name} (${seconds.toFixed(1)} s): ${message}\n--- last lines of its output:\n${output.split('\n').slice(-30).join('\n')}\n---`);
  } else {
    console.log(`ok    ${c.name} (${seconds.toFixed(1)} s)`);
  }
  results.push({ name: c.name, status: message ? 'failed' : 'passed', seconds, message });
}
rmSync(dir, { recursive: true, force: true });

const count = (status) => results.filter((r) => r.status === status).length;
const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), tests: results };
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(summary));
console.log(`bench: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(summary.failed > 0 ? 1 : 0);
