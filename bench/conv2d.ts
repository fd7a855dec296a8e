// conv2d benchmark page (opened by scripts/bench-conv2d.mjs): times the implicit-GEMM
// kernels on the adapter — forward (bias + ReLU fused), forward + backward, and the dx and
// dw + db kernels alone — for the encoder sizes N = 32, C ∈ {3, 16, 32}, O ∈ {16, 32},
// H = W ∈ {32, 16, 8}, K 3, pad 1 (`?encoder`: only the first-run CNN's two layers;
// `?plain`: the tiles without subgroups).
// Medians go to window.__benchResults, with GFLOP/s of the forward GEMM.
import { WebGpuBackend } from '../src/backend/webgpu.ts';
import { backward } from '../src/ops/grad.ts';
import { noGrad } from '../src/autograd/tape.ts';
import { scope } from '../src/tensor.ts';
import { conv2d, conv2dInputGradOp, conv2dWeightGradOp, setPlainConvTiles } from '../src/ops/conv2d.ts';
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
// `?encoder`: only the two convolutions of the first-run CNN (3→16 at 32×32, 16→32 at 16×16).
if (params.has('encoder')) SIZES.push({ C: 3, O: 16, H: 32 }, { C: 16, O: 32, H: 16 });
else for (const H of [32, 16, 8]) for (const C of [3, 16, 32]) for (const O of [16, 32]) SIZES.push({ C, O, H });
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
  // `?plain`: the register-blocked tiles without subgroups (what adapters without 4-wide subgroups run).
  if (params.has('plain')) setPlainConvTiles(gpu, true);
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
      const fwd = await timed(() => void noGrad(() => conv2d(x, w, b, { padding: 1, relu: true })));
      const train = await timed(() => {
        backward(conv2d(x, w, b, { padding: 1, relu: true }), dy);
        for (const t of [x, w, b]) {
          t.grad?.dispose();
          t.grad = null;
        }
      });
      // The backward kernels alone (the forward output as the ReLU mask).
      const y = noGrad(() => conv2d(x, w, b, { padding: 1, relu: true })).keep();
      const attrs = { stride: 1, padding: 1, relu: true, inputShape: x.shape, weightShape: w.shape };
      const dx = await timed(() => void runOp('conv2dInputGrad', conv2dInputGradOp, [dy, w, y], attrs));
      const dw = await timed(() => void runOp('conv2dWeightGrad', conv2dWeightGradOp, [dy, x, y], { ...attrs, bias: true }));
      y.dispose();
      if (rep > 0) {
        push(`${key} forward`, fwd);
        push(`${key} train`, train);
        push(`${key} dx`, dx);
        push(`${key} dw+db`, dw);
      }
      for (const t of [x, w, b, dy]) t.dispose();
    }
    log(`repetition ${rep} done`);
  }
  const rows = SIZES.map((s) => {
    const key = `C${s.C} O${s.O} H${s.H}`;
    const m = (k: string) => median(times.get(`${key} ${k}`)!);
    const gflop = (2 * N * s.O * s.H * s.H * s.C * 9) / 1e9;
    return { size: `N${N} ${key}`, gflopForward: gflop, forward: m('forward'), train: m('train'), dx: m('dx'), dw: m('dw+db') };
  });
  for (const r of rows) {
    log(
      `${r.size}: forward ${r.forward.toFixed(2)} ms (${(r.gflopForward / (r.forward / 1e3)).toFixed(2)} GFLOP/s); ` +
        `forward+backward ${r.train.toFixed(2)} ms; dx ${r.dx.toFixed(2)} ms, dw+db ${r.dw.toFixed(2)} ms`,
    );
  }
  (window as unknown as { __benchResults: unknown }).__benchResults = { adapter: gpu.description, rows };
}

main().catch((e) => {
  log(String(e?.stack ?? e));
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e) };
});
