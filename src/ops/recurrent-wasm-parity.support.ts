// Engine-vs-reference cases for the recurrent ops on the WebAssembly engine, used by
// recurrent-wasm.test.ts (Node) and recurrent-wasm.browser.test.ts (Chromium): the layer op
// and each direction's BPTT op run on a CPU backend, every output returned by role and
// compared with the f32 reference. Named *-parity.support.ts so that allCases()
// (ops.support.ts), which collects `cases` from the other support files, skips it.
import { expect } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { allclose } from '../autograd/gradcheck.ts';
import type { HostArray, Tensor } from '../tensor.ts';
import { CELLS, type CellKind } from './cells/index.ts';
import { runOp } from './op.ts';
import { seededValues } from './ops.support.ts';
import { layerLayout, recurrentBackwardOp, recurrentLayerOp, type LayerAttrs } from './recurrent.ts';

export interface OpCaseSpec {
  cell: CellKind;
  directions: 1 | 2;
  lengths: number[];
  inputBias?: boolean;
  peephole?: boolean;
  /** Backward without an output gradient (dy = [0]). */
  noDy?: boolean;
  /** Backward without dh_0, dc_0. */
  noStateGrads?: boolean;
}

// B = 5, T = 6, I = 7, H = 9: H is not a multiple of 4 (the SIMD loops' scalar tails run).
const T = 6;
const I = 7;
const H = 9;
const RAGGED = [6, 3, 1, 6, 4];
const EQUAL = [6, 6, 6, 6, 6];

export const specs: OpCaseSpec[] = [];
for (const cell of ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'] as const) {
  for (const directions of [1, 2] as const) {
    specs.push({ cell, directions, lengths: EQUAL });
    specs.push({ cell, directions, lengths: RAGGED, inputBias: true });
  }
  specs.push({ cell, directions: 2, lengths: RAGGED, noDy: true, noStateGrads: true });
}
specs.push({ cell: 'lstm', directions: 1, lengths: EQUAL, peephole: true });
specs.push({ cell: 'lstm', directions: 2, lengths: RAGGED, peephole: true, inputBias: true });

export function specName(s: OpCaseSpec): string {
  const extras = [s.inputBias && 'input bias', s.peephole && 'peephole', s.noDy && 'no dy', s.noStateGrads && 'no state grads'].filter(Boolean);
  return `${s.cell} ${s.directions === 2 ? 'bi' : 'uni'} ${s.lengths === RAGGED ? 'ragged' : 'equal'}${extras.length ? ` ${extras.join(', ')}` : ''}`;
}

/** Runs the layer op and then each direction's BPTT op on `backend`; returns every output's values by name. */
export function runOps(backend: CpuBackend, s: OpCaseSpec): Map<string, HostArray> {
  const B = s.lengths.length;
  const cell = CELLS[s.cell];
  const GH = cell.gates * H;
  const attrs: LayerAttrs = {
    cell: s.cell,
    hidden: H,
    directions: s.directions,
    lengths: Int32Array.from(s.lengths),
    name: `${s.cell} test`,
    path: 'auto',
    inputBias: s.inputBias,
    peephole: s.peephole,
  };
  const lay = layerLayout(attrs);
  let seed = 1;
  const values = (shape: number[]) => backend.fromArray(seededValues(shape.reduce((a, b) => a * b, 1), seed++), shape);
  const inputs: Tensor[] = new Array(lay.inputCount);
  inputs[0] = values([B, T, I]);
  inputs[1] = backend.fromArray(s.lengths, [B], 'i32');
  for (let d = 0; d < lay.D; d++) {
    const w = lay.weights(d);
    inputs[w] = values([GH, I]);
    inputs[w + 1] = values([GH, H]);
    inputs[w + 2] = values([GH]);
    inputs[w + 3] = values([GH]);
    inputs[lay.h0(d)] = values([B, H]);
    if (lay.hasCell) inputs[lay.c0(d)] = values([B, H]);
    if (s.inputBias) inputs[lay.inputBias(d)] = values([B, GH]);
    if (s.peephole) inputs[lay.peephole(d)] = values([3 * H]);
  }
  const op = s.cell === 'rnn_tanh' || s.cell === 'rnn_relu' ? 'rnn' : s.cell;
  const outs = runOp(op, recurrentLayerOp, inputs, attrs);
  const result = new Map<string, HostArray>();
  const roles = ['output', ...Array.from({ length: lay.D }, (_, d) => [`hN${d}`, ...(lay.hasCell ? [`cN${d}`] : []), `saved${d}`, `hPrev${d}`]).flat()];
  outs.forEach((t, i) => result.set(roles[i], backend.data(t)));
  const dy = s.noDy ? backend.zeros([0]) : values([B, T, lay.D * H]);
  for (let d = 0; d < lay.D; d++) {
    const peep = s.peephole ? [inputs[lay.peephole(d)]] : [];
    const grads = runOp('recurrentBackward', recurrentBackwardOp, [inputs[1], outs[lay.saved(d)], inputs[lay.weights(d) + 1], dy, values([B, H]), values([B, H]), ...peep], {
      cell: s.cell,
      hidden: H,
      directions: lay.D,
      direction: d,
      lengths: attrs.lengths,
      name: `${attrs.name} d${d}`,
      inputBias: s.inputBias,
      stateGrads: !s.noStateGrads,
      peephole: s.peephole,
    });
    ['dGx', 'dGh', 'dh0', 'dc0', 'dbIh', 'dbHh', 'dInputBias', 'dPeephole'].forEach((role, i) => result.set(`${role}${d}`, backend.data(grads[i])));
  }
  return result;
}

/**
 * Runs case `s` on the engine and on the plain f32 CPU backend and expects every output
 * of both ops to agree (atol 2e-5, rtol 2e-4), and padded steps to be zero.
 */
export function expectEngineMatches(engine: WasmGemm, s: OpCaseSpec): void {
  const expected = runOps(new CpuBackend(), s);
  const actual = runOps(new CpuBackend({ engine }), s);
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [role, want] of expected) {
    const r = allclose(actual.get(role)!, want, 2e-5, 2e-4, `${specName(s)} ${role}`);
    expect(r.ok, r.message).toBe(true);
  }
  // Padded steps are zero in the saved gates and the gate gradients.
  if (s.lengths === RAGGED) {
    const S = CELLS[s.cell].saved * H;
    const GH = CELLS[s.cell].gates * H;
    const row = 2 * T + 5; // example 2 has length 1: step 5 is padding
    expect(actual.get('saved0')!.subarray(row * S, (row + 1) * S).every((v) => v === 0)).toBe(true);
    expect(actual.get('dGx0')!.subarray(row * GH, (row + 1) * GH).every((v) => v === 0)).toBe(true);
  }
}
