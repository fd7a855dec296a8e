// PyTorch parity for the recurrent layers: runs each committed fixture (made by
// scripts/make_recurrent_fixtures.py) on a backend and compares outputs, final states
// and every gradient with PyTorch's float64 values. The peephole LSTM fixtures come from
// the cell written out in torch ops (torch has no peephole LSTM module).
import type { Backend } from '../backend/backend.ts';
import { backward } from './grad.ts';
import { allclose, type CloseReport } from '../autograd/gradcheck.ts';
import { scope, type Tensor } from '../tensor.ts';
import { add, mul } from './elementwise.ts';
import { sum } from './reduce.ts';
import { recurrent, type CellKind, type RecurrencePath } from './recurrent.ts';

export interface RecurrentFixture {
  cell: CellKind;
  /** LSTM with peepholes: params hold five entries per layer·direction, weight_peephole last. */
  peephole?: boolean;
  layers: number;
  bidirectional: boolean;
  B: number;
  T: number;
  I: number;
  H: number;
  lengths: number[];
  withInit: boolean;
  x: number[];
  h0: number[] | null;
  c0: number[] | null;
  params: { name: string; shape: number[]; data: number[] }[];
  output: number[];
  hN: number[];
  cN: number[] | null;
  lossWeights: { output: number[]; hN: number[]; cN: number[] | null };
  grads: { x: number[]; params: number[][]; h0: number[] | null; c0: number[] | null };
}

export function recurrentFixtures(): [string, RecurrentFixture][] {
  const files = import.meta.glob<{ default: RecurrentFixture }>('./fixtures/recurrent/*.json', { eager: true });
  return Object.entries(files).map(([path, m]) => [path.split('/').pop()!, m.default]);
}

/** Stacks per-layer·direction [B, H] host slices from PyTorch's [L·D, B, H]. */
function slices(data: number[], count: number, size: number): number[][] {
  return Array.from({ length: count }, (_, k) => data.slice(k * size, (k + 1) * size));
}

export async function compareWithPytorch(
  f: RecurrentFixture,
  backend: Backend,
  tol: { atol: number; rtol: number },
  path: RecurrencePath = 'auto',
): Promise<CloseReport[]> {
  const { B, T, I, H } = f;
  const D = f.bidirectional ? 2 : 1;
  const K = f.layers * D;
  const hasCell = f.cell === 'lstm';
  const pending = scope(() => {
    const x = backend.fromArray(f.x, [B, T, I], 'f32', 'x');
    x.requiresGrad = true;
    const ps = f.params.map((p) => {
      const t = backend.fromArray(p.data, p.shape, 'f32', p.name);
      t.requiresGrad = true;
      return t;
    });
    const layers = [];
    const n = f.peephole ? 5 : 4;
    for (let k = 0; k < K; k++) {
      layers.push({ wIh: ps[n * k], wHh: ps[n * k + 1], bIh: ps[n * k + 2], bHh: ps[n * k + 3], ...(f.peephole ? { peephole: ps[n * k + 4] } : {}) });
    }
    const h0 = f.h0 ? slices(f.h0, K, B * H).map((d) => backend.fromArray(d, [B, H], 'f32', 'h0')) : undefined;
    const c0 = f.c0 ? slices(f.c0, K, B * H).map((d) => backend.fromArray(d, [B, H], 'f32', 'c0')) : undefined;
    for (const t of [...(h0 ?? []), ...(c0 ?? [])]) t.requiresGrad = true;
    const config = { cell: f.cell, inputSize: I, hiddenSize: H, numLayers: f.layers, bidirectional: f.bidirectional, dropout: 0, peephole: !!f.peephole };
    const r = recurrent(x, f.lengths, { layers }, config, { h0, c0, path });
    const weigh = (t: Tensor, w: number[]) => sum(mul(t, backend.fromArray(w, t.shape, 'f32', 'w')));
    let loss = weigh(r.output, f.lossWeights.output);
    const wh = slices(f.lossWeights.hN, K, B * H);
    r.hN.forEach((h, k) => (loss = add(loss, weigh(h, wh[k]))));
    if (hasCell && f.lossWeights.cN) {
      const wc = slices(f.lossWeights.cN, K, B * H);
      r.cN!.forEach((c, k) => (loss = add(loss, weigh(c, wc[k]))));
    }
    backward(loss);
    const reads = {
      output: r.output.read(),
      hN: Promise.all(r.hN.map((t) => t.read())),
      cN: Promise.all((r.cN ?? []).map((t) => t.read())),
      dx: x.grad!.read(),
      dp: Promise.all(ps.map((p) => p.grad!.read())),
      dh0: Promise.all((h0 ?? []).map((t) => t.grad!.read())),
      dc0: Promise.all((c0 ?? []).map((t) => t.grad!.read())),
    };
    backend.flush();
    return reads;
  });
  const concat = (arrays: ArrayLike<number>[]) => arrays.flatMap((a) => Array.from(a));
  const reports: CloseReport[] = [];
  const check = (actual: ArrayLike<number>, expected: number[], what: string) => reports.push(allclose(actual, expected, tol.atol, tol.rtol, what));
  check(await pending.output, f.output, 'output');
  check(concat(await pending.hN), f.hN, 'h_n');
  if (f.cN) check(concat(await pending.cN), f.cN, 'c_n');
  check(await pending.dx, f.grads.x, 'd input');
  (await pending.dp).forEach((g, k) => check(g, f.grads.params[k], `d ${f.params[k].name}`));
  if (f.grads.h0) check(concat(await pending.dh0), f.grads.h0, 'd h0');
  if (f.grads.c0) check(concat(await pending.dc0), f.grads.c0, 'd c0');
  return reports;
}
