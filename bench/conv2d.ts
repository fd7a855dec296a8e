// conv2d benchmark page (opened by scripts/bench-conv2d.mjs): times the direct kernels
// and the im2col + matmul path on the adapter, forward and backward (dx, dw, db), for
// the encoder sizes N = 32, C ∈ {3, 16, 32}, O ∈ {16, 32}, H = W ∈ {32, 16, 8}, K 3, pad 1.
// Paths are interleaved within each repetition; medians go to window.__benchResults.
import { WebGpuBackend } from '../src/backend/webgpu.ts';
import { backward } from '../src/ops/grad.ts';
import { noGrad } from '../src/autograd/tape.ts';
import { scope } from '../src/tensor.ts';
import { conv2d, conv2dInputGradOp, conv2dWeightGradOp, type Conv2dPath } from '../src/ops/conv2d.ts';
import { runOp } from '../src/ops/op.ts';
import { Random } from '../src/random.ts';

interface Size {
  C: number;
  O: number;
  H: number;
}

const params = new URLSearchParams(location.search);
const quick = params.has('quick');
const N = 32;
const SIZES: Size[] = [];
for (const H of [32, 16, 8]) for (const C of [3, 16, 32]) for (const O of [16, 32]) SIZES.push({ C, O, H });
const PATHS: Conv2dPath[] = ['direct', 'im2col'];
const REPEATS = quick ? 3 : 5;
const PER_SUBMIT = 3;

const logEl = document.getElementById('log')!;
function log(message: string): void {
  console.log(message);
  logEl.textContent += message + '\n';
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const gpu = await WebGpuBackend.create();
  log(gpu.description);
  const rng = new Random(5);
  const data = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  const times = new Map<string, number[]>();
  const push = (key: string, ms: number) => {
    if (!times.has(key)) times.set(key, []);
    times.get(key)!.push(ms);
  };
  const timed = async (fn: () => void): Promise<number> => {
    await gpu.sync();
    const t0 = performance.now();
    for (let i = 0; i < PER_SUBMIT; i++) scope(fn);
    await gpu.sync();
    return (performance.now() - t0) / PER_SUBMIT;
  };
  for (let rep = 0; rep < REPEATS + 1; rep++) {
    for (const s of SIZES) {
      const x = gpu.fromArray(data(N * s.C * s.H * s.H), [N, s.C, s.H, s.H]).keep();
      const w = gpu.fromArray(data(s.O * s.C * 9), [s.O, s.C, 3, 3]).param();
      const b = gpu.fromArray(data(s.O), [s.O]).param();
      const dy = gpu.fromArray(data(N * s.O * s.H * s.H), [N, s.O, s.H, s.H]).keep();
      x.requiresGrad = true;
      const key = `C${s.C} O${s.O} H${s.H}`;
      for (const path of PATHS) {
        const fwd = await timed(() => void noGrad(() => conv2d(x, w, b, { padding: 1, path })));
        const train = await timed(() => {
          backward(conv2d(x, w, b, { padding: 1, path }), dy);
          for (const t of [x, w, b]) {
            t.grad?.dispose();
            t.grad = null;
          }
        });
        if (rep > 0) {
          push(`${key} ${path} forward`, fwd);
          push(`${key} ${path} train`, train);
        }
      }
      // The direct backward kernels alone.
      const attrs = { stride: 1, padding: 1, inputShape: x.shape, weightShape: w.shape };
      const dx = await timed(() => void runOp('conv2dInputGrad', conv2dInputGradOp, [dy, w], attrs));
      const dw = await timed(() => void runOp('conv2dWeightGrad', conv2dWeightGradOp, [dy, x], { ...attrs, bias: true }));
      if (rep > 0) {
        push(`${key} direct dx`, dx);
        push(`${key} direct dw+db`, dw);
      }
      for (const t of [x, w, b, dy]) t.dispose();
    }
    log(`repetition ${rep} done`);
  }
  const rows = SIZES.map((s) => {
    const key = `C${s.C} O${s.O} H${s.H}`;
    const m = (k: string) => median(times.get(`${key} ${k}`)!);
    const gflop = (2 * N * s.O * s.H * s.H * s.C * 9) / 1e9;
    return {
      size: `N${N} ${key}`,
      gflopForward: gflop,
      directForward: m('direct forward'),
      directTrain: m('direct train'),
      directDx: m('direct dx'),
      directDw: m('direct dw+db'),
      im2colForward: m('im2col forward'),
      im2colTrain: m('im2col train'),
    };
  });
  for (const r of rows) {
    log(
      `${r.size}: forward direct ${r.directForward.toFixed(2)} ms / im2col ${r.im2colForward.toFixed(2)} ms; ` +
        `forward+backward direct ${r.directTrain.toFixed(2)} ms (dx ${r.directDx.toFixed(2)}, dw+db ${r.directDw.toFixed(2)}) / im2col ${r.im2colTrain.toFixed(2)} ms`,
    );
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = { adapter: gpu.description, rows };
}

main().catch((e) => {
  log(String(e?.stack ?? e));
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e) };
});
