// `npm test`: the one command for every test. Runs, in order:
//   0. builds the WebAssembly modules (scripts/build-wasm.mjs) when missing or older than
//      wasm/*.ts
//   1. tsc --noEmit (typecheck), then ESLint (`npm run lint`) and the layering check
//      (`npm run deps`: dependency-cruiser with .dependency-cruiser.cjs), each counted as
//      one check that fails on any error or warning
//   2. Vitest: the `node` project (CPU reference, data, metrics, export) and the
//      `browser` project (headless Chromium with WebGPU)
//   3. the PyTorch suite (scripts/test-python.mjs): exported bundles, README snippets and
//      torchrun in real PyTorch, skipped (and said so) without Python or torch
//   4. the benchmark commands of the README in their smallest form (scripts/test-bench.mjs):
//      each runs and prints its figures; no speed is asserted
//   5. vite build, then Playwright e2e against `vite preview`
// and ends with one line `N passed, N failed` summed over all suites, after the names of
// the failed tests.
// `--only node|browser|python|bench|e2e` runs one suite (after the typecheck); `--only lint`
// runs the typecheck, the lint and the layering check alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { ensureBrowser } from './browser.mjs';
import { buildWasm, wasmStale } from './build-wasm.mjs';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const want = (suite) => only === null || only === suite;
const reports = '.vitest-reports';
mkdirSync(reports, { recursive: true });

const results = []; // { suite, passed, failed, skipped, seconds }
const failures = []; // one line per failed test: suite, file, name, first line of the error

// 0. The WebAssembly modules the node tests load (wasm/build/, not committed).
if (wasmStale()) await buildWasm();

function run(cmd, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return { status: r.status ?? 1, seconds: (Date.now() - started) / 1000 };
}

const relative = (file) => (file ?? '').replace(`${process.cwd()}/`, '');
// The first line of an error message, without colour codes, at most 300 characters.
const firstLine = (message) => String(message ?? '').replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '').trim().split('\n')[0].slice(0, 300);

// Playwright's JSON report nests suites (file, describe) around specs; a spec failed when
// one of its tests ended 'unexpected'.
function collectPlaywrightFailures(suites, suite) {
  for (const s of suites) {
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const error = t.results?.at(-1)?.error?.message;
        failures.push(`${suite} ${spec.file}:${spec.line} › ${spec.title}: ${firstLine(error)}`);
      }
    }
    collectPlaywrightFailures(s.suites ?? [], suite);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// 1. Typecheck, counted as one check.
{
  const r = run('npx', ['tsc', '--noEmit']);
  results.push({ suite: 'typecheck', passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1, skipped: 0, seconds: r.seconds });
}

// 1b. Lint and layering (DESIGN.md "Floors"), each counted as one check.
if (want('lint')) {
  const lint = run('npx', ['eslint', '--max-warnings', '0', '.']);
  results.push({ suite: 'lint', passed: lint.status === 0 ? 1 : 0, failed: lint.status === 0 ? 0 : 1, skipped: 0, seconds: lint.seconds });

  // dependency-cruiser exits non-zero only for errors: read its summary so that a warning
  // fails the check too.
  const out = `${reports}/deps.json`;
  if (existsSync(out)) rmSync(out);
  const deps = run('npx', ['depcruise', 'src', 'bench', 'e2e', 'scripts', 'vite.config.ts', 'playwright.config.ts', '--output-type', 'json', '--output-to', out]);
  const summary = readJson(out)?.summary;
  for (const v of summary?.violations ?? []) {
    const via = v.cycle?.length ? v.cycle.map((c) => c.name ?? c).join(' → ') : v.to;
    console.log(`  ${v.rule.severity} ${v.rule.name}: ${v.from} → ${via}`);
  }
  const clean = deps.status === 0 && summary !== undefined && summary.error === 0 && summary.warn === 0;
  if (summary) console.log(`dependency-cruiser: ${summary.error} errors, ${summary.warn} warnings (${summary.totalCruised} modules, ${summary.totalDependenciesCruised} dependencies)`);
  results.push({ suite: 'deps', passed: clean ? 1 : 0, failed: clean ? 0 : 1, skipped: 0, seconds: deps.seconds });
}

if (want('browser') || want('e2e')) process.env.CHROME_PATH = ensureBrowser();

// 2. Vitest projects.
for (const project of ['node', 'browser']) {
  if (!want(project)) continue;
  const out = `${reports}/${project}.json`;
  if (existsSync(out)) rmSync(out);
  const r = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const j = readJson(out);
  if (j) {
    const failed = j.numFailedTests + (j.numFailedTestSuites > 0 && j.numFailedTests === 0 ? j.numFailedTestSuites : 0);
    for (const file of j.testResults ?? []) {
      const tests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
      for (const t of tests) failures.push(`vitest:${project} ${relative(file.name)} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
      if (tests.length === 0 && file.status === 'failed') failures.push(`vitest:${project} ${relative(file.name)}: ${firstLine(file.message)}`);
    }
    results.push({
      suite: `vitest:${project}`,
      passed: j.numPassedTests,
      // A run that exits with an error but reports no failing test (a crash, an unhandled
      // rejection) still counts as one failure.
      failed: failed === 0 && r.status !== 0 ? 1 : failed,
      skipped: j.numPendingTests + j.numTodoTests,
      seconds: r.seconds,
    });
  } else {
    results.push({ suite: `vitest:${project}`, passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
  }
}

// 3. PyTorch: the exported bundles and the Python snippets of the READMEs run in real
// PyTorch (scripts/test-python.mjs); without Python or torch its tests count as skipped.
if (want('python')) {
  const out = `${reports}/python.json`;
  if (existsSync(out)) rmSync(out);
  const r = run('node', ['scripts/test-python.mjs', '--json', out]);
  const j = readJson(out);
  if (j) results.push({ suite: 'python', passed: j.passed, failed: j.failed === 0 && r.status !== 0 ? 1 : j.failed, skipped: j.skipped, seconds: r.seconds });
  else results.push({ suite: 'python', passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
}

// 4. The README's benchmark commands in their smallest form (scripts/test-bench.mjs): they
// run and print their figures; no speed is asserted.
if (want('bench')) {
  const out = `${reports}/bench.json`;
  if (existsSync(out)) rmSync(out);
  const r = run('node', ['scripts/test-bench.mjs', '--json', out]);
  const j = readJson(out);
  if (j) {
    results.push({ suite: 'bench', passed: j.passed, failed: j.failed === 0 && r.status !== 0 ? 1 : j.failed, skipped: j.skipped, seconds: r.seconds });
    for (const t of j.tests ?? []) if (t.status === 'failed') failures.push(`bench ${t.name}: ${firstLine(t.message)}`);
  } else {
    results.push({ suite: 'bench', passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
  }
}

// 5. Build and e2e.
if (want('e2e')) {
  const b = run('npx', ['vite', 'build']);
  if (b.status !== 0) {
    results.push({ suite: 'build', passed: 0, failed: 1, skipped: 0, seconds: b.seconds });
  } else {
    // Two runs: the specs that share the machine (two at a time), then those that time the
    // page and run alone (playwright.config.ts).
    for (const [project, workers] of [['shared', null], ['alone', '1']]) {
      const out = `${reports}/e2e-${project}.json`;
      if (existsSync(out)) rmSync(out);
      const args = ['playwright', 'test', '--reporter=list,json', '--project', project];
      if (workers) args.push('--workers', workers);
      const r = run('npx', args, { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
      const j = readJson(out);
      const suite = `e2e ${project}`;
      if (j?.stats) {
        // A preview server that did not start, or any other error outside the tests, makes
        // Playwright exit non-zero with no failing test: count it as a failure.
        const failed = j.stats.unexpected === 0 && r.status !== 0 ? 1 : j.stats.unexpected;
        results.push({ suite, passed: j.stats.expected + j.stats.flaky, failed, skipped: j.stats.skipped, seconds: r.seconds });
        collectPlaywrightFailures(j.suites ?? [], suite);
      } else {
        results.push({ suite, passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
      }
    }
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
// The failed tests again, by name, so that the end of a long log says what failed.
if (failures.length) {
  console.log(`\nFailed tests (${failures.length})`);
  for (const f of failures) console.log(`  ${f}`);
}
console.log('\nSuite results');
for (const s of results) {
  console.log(`  ${s.suite.padEnd(16)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed ${String(s.skipped).padStart(4)} skipped  ${s.seconds.toFixed(1)} s`);
  passed += s.passed;
  failed += s.failed;
  skipped += s.skipped;
}
if (skipped) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
