// The `python` suite of `npm test`: runs the PyTorch bundles in real PyTorch. Generates the
// bundles of scripts/make-pytorch-bundles.mjs, then scripts/run_python_snippets.py runs, in
// one Python process, check_pytorch_export.py's checks and `python3 gatescope_model.py .`
// on each bundle, every python block of each bundle's README (a few training steps; the
// DDP script as a one-process gloo world), the main README's python blocks in an
// image-and-text classification bundle, and the DDP script under torchrun with two gloo
// processes on one bundle. Then the int8 ONNX exports are checked in Python (onnx.checker,
// numpy's quantisation of the same tensors, onnxruntime): scripts/check_int8_onnx.py.
// Python: $GATESCOPE_PYTHON, else .venv/bin/python (made by .ci/run), else python3. Without
// Python or torch it prints "skipped: no torch" and counts the suite's tests as skipped.
//   node scripts/test-python.mjs [--json results.json]
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : null;
// The bundle whose folder the main README's snippet runs in (it calls an image-and-text
// classification model), and the one trained under torchrun (init fusion: DDP must be told
// about the unused fusion.missing_text).
const MAIN_README_BUNDLE = 'classification_late_lstm_1l_uni_cnn.zip';
const TORCHRUN_BUNDLE = 'classification_init_lstm_2l_bi_cnn.zip';
// What a skipped run would have checked: self-checks, README blocks and torchrun.
const SKIPPED_KINDS = 3;

function finish(result) {
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result));
  console.log(`python: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
  process.exit(result.failed > 0 ? 1 : 0);
}

/** Makes the bundles in `dir` and runs them; the suite's counts. */
async function runBundles(dir) {
  const make = spawnSync(process.execPath, ['scripts/make-pytorch-bundles.mjs', dir], { stdio: 'inherit', timeout: 180_000 });
  const torch = await probe;
  if (!torch.ok) {
    console.log(`skipped: no torch (${torch.why}); the PyTorch bundle checks, README snippets and torchrun did not run`);
    return { passed: 0, failed: 0, skipped: SKIPPED_KINDS };
  }
  console.log(`python suite: ${python}, torch ${torch.version}`);
  if (make.status !== 0) {
    console.log('FAIL  scripts/make-pytorch-bundles.mjs could not write the bundles');
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const bundles = readdirSync(dir).filter((f) => f.endsWith('.zip')).sort();
  const results = join(dir, 'results.json');
  const run = spawnSync(
    python,
    [
      'scripts/run_python_snippets.py',
      '--check',
      ...['--also', `${MAIN_README_BUNDLE}=README.md`],
      ...['--torchrun', TORCHRUN_BUNDLE],
      ...['--json', results],
      ...bundles.map((b) => join(dir, b)),
    ],
    { stdio: 'inherit', timeout: 300_000 },
  );
  let list = null;
  try {
    list = JSON.parse(readFileSync(results, 'utf8'));
  } catch {
    // no results: counted as a failure below
  }
  if (!list) {
    console.log(`FAIL  scripts/run_python_snippets.py ended without results (${run.error ? run.error.message : `exit status ${run.status}`})`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const failed = list.filter((r) => !r.ok).length;
  // A crash after the results were written still counts as one failure.
  return { passed: list.length - failed, failed: failed === 0 && run.status !== 0 ? 1 : failed, skipped: 0 };
}

const python = process.env.GATESCOPE_PYTHON || (existsSync('.venv/bin/python') ? '.venv/bin/python' : 'python3');
// Whether torch imports is asked while the bundles are being written (one torch import less
// on the critical path).
const probe = new Promise((resolve) => {
  execFile(python, ['-c', 'import torch; print(torch.__version__)'], { timeout: 120_000 }, (error, stdout) =>
    resolve(error ? { ok: false, why: error.code === 'ENOENT' ? `${python} not found` : `${python} cannot import torch` } : { ok: true, version: stdout.trim() }),
  );
});
/**
 * The int8 ONNX exports (scripts/make-int8-onnx.mjs) checked by scripts/check_int8_onnx.py:
 * onnx.checker, the int8 values against numpy's own quantisation, onnxruntime runs.
 */
function runInt8(dir) {
  const probeOnnx = spawnSync(python, ['-c', 'import onnx, onnxruntime, numpy'], { timeout: 120_000 });
  if (probeOnnx.status !== 0) {
    console.log('skipped: int8 ONNX checks (no onnx/onnxruntime in Python)');
    return { passed: 0, failed: 0, skipped: 1 };
  }
  const out = join(dir, 'int8');
  const make = spawnSync(process.execPath, ['scripts/make-int8-onnx.mjs', out], { stdio: 'inherit', timeout: 180_000 });
  if (make.status !== 0) {
    console.log('FAIL  scripts/make-int8-onnx.mjs could not write the models');
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const results = join(dir, 'int8-results.json');
  spawnSync(python, ['scripts/check_int8_onnx.py', out, '--json', results], { stdio: 'inherit', timeout: 180_000 });
  let list;
  try {
    list = JSON.parse(readFileSync(results, 'utf8'));
  } catch {
    console.log('FAIL  scripts/check_int8_onnx.py ended without results');
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const failed = list.filter((r) => !r.ok).length;
  return { passed: list.length - failed, failed: list.length ? failed : 1, skipped: 0 };
}

const dir = mkdtempSync(join(tmpdir(), 'gatescope-bundles-'));
let result;
try {
  result = await runBundles(dir);
  const int8 = runInt8(dir);
  result = { passed: result.passed + int8.passed, failed: result.failed + int8.failed, skipped: result.skipped + int8.skipped };
} finally {
  rmSync(dir, { recursive: true, force: true });
}
finish(result);
