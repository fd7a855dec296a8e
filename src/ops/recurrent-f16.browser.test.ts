// The recurrent forward step reading W_hh as packed f16 (src/ops/recurrent-f16.ts),
// dispatched directly, against the same module reading f32 weights:
//  1. With W_hh rounded to f16 and stored as f32, the f32 module must give the same
//     outputs (to 1e-6): the f16 module decodes every half correctly, over several
//     ragged steps.
//  2. One step (T = 1) against the f32 weights, within a bound derived from the rounding:
//     each recurrent pre-activation W_hh·h + b_hh changes by at most
//       E = max_row Σ_k max(u·|W_hh[row, k]|, 2^-25)·|h_0[k]|,  u = 2^-11
//     (2^-25: the absolute error of weights below f16's normal range),
//     and the cell maps that to its outputs with a gain of at most
//       RNN: 1 (tanh / relu are 1-Lipschitz)
//       LSTM: 2 (sigmoid gates 1/4, tanh 1; with |c_0| ≤ 1: dc ≤ 1.5 E, dh ≤ E/4 + dc)
//       GRU: 1.5 + R/4, R = max |W_hn·h_0 + b_hn| (the reset gate scales that term)
//     plus 1e-6 for f32 evaluation. Over many steps the difference is not bounded by a
//     fixed constant (it grows with the weights' gain per step); it is not asserted.
//  3. The f16 rounding is visible: the outputs differ from the f32 weights' outputs.
// Then the layer with setRecurrentWeights(gpu, 'f16'), where W_hh is packed on the GPU
// (pack_f16.wgsl, which may round to either neighbour, so u = 2^-10 there): the packing
// itself, the one-step bound through the op, and a training step that still creates no
// buffers after the first and is one submit.
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { allclose } from '../autograd/gradcheck.ts';
import { grid1d } from '../gpu/grid.ts';
import { scope } from '../tensor.ts';
import { CELLS, type CellKind } from './cells/index.ts';
import { recurrentConstants } from './recurrent-selection.ts';
import { blockedStepKernels, type StepKernel } from './recurrent-kernels.ts';
import { workgroupStepKernels } from './recurrent-kernels-any.ts';
import { encodePackF16, recurrentForwardF16Wgsl, setRecurrentWeights } from './recurrent-f16.ts';
import { F16_UNIT_ROUNDOFF, f16Value, packF16, roundToF16 } from './gemm-f16.ts';
import { initRecurrentParams, recurrent, type RecurrentConfig } from './recurrent.ts';
import { RECURRENT_FORWARD_PARAMS, recurrentWgsl } from './wgsl-modules.ts';
import { seededValues } from './ops.support.ts';
import { recurrentTrainingFixture, steadyStepCounts } from './recurrent.support.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});

interface Inputs {
  B: number;
  T: number;
  H: number;
  lengths: number[];
  xproj: number[];
  w: number[];
  bHh: number[];
  init: number[];
}

/** Runs the forward steps of one direction; returns y and saved. */
async function forward(cellKind: CellKind, kernel: StepKernel, inp: Inputs, weights: 'f32' | 'f16'): Promise<number[]> {
  const cell = CELLS[cellKind];
  const { B, T, H } = inp;
  const G = cell.gates;
  const S = cell.saved;
  const { key: shaderKey, code } = weights === 'f16' ? recurrentForwardF16Wgsl(cellKind, cell.wgsl, kernel) : recurrentWgsl(cellKind, cell.wgsl, 'forward', kernel);
  const out = await scope(() => {
    const xproj = gpu.fromArray(inp.xproj, [B, T, G * H]);
    const w = weights === 'f16' ? gpu.fromArray(packF16(inp.w), [Math.ceil((G * H * H) / 8) * 4], 'i32') : gpu.fromArray(inp.w, [G * H, H]);
    const bHh = gpu.fromArray(inp.bHh, [G * H]);
    const lengths = gpu.fromArray(inp.lengths, [B], 'i32');
    const init = gpu.fromArray(inp.init, [2, B, H]);
    const y = gpu.fromArray(new Array(B * T * H).fill(0), [B, T, H]);
    const saved = gpu.fromArray(new Array(B * T * S * H).fill(0), [B, T, S * H]);
    const hprev = gpu.fromArray(new Array(B * T * H).fill(0), [B, T, H]);
    const steps = Math.max(...inp.lengths);
    for (let s = 0; s < steps; s++) {
      gpu.dispatch({
        label: 'test.forward',
        shaderKey,
        code,
        entryPoint: 'step_blocked',
        constants: { ...recurrentConstants(cell, H), HAS_IN_BIAS: 0 },
        reads: [gpu.buffer(xproj), gpu.buffer(w), gpu.buffer(bHh), gpu.buffer(lengths), gpu.buffer(init), gpu.buffer(xproj)],
        writes: [gpu.buffer(y), gpu.buffer(saved), gpu.buffer(hprev)],
        uniforms: RECURRENT_FORWARD_PARAMS.pack({ B, T, DH: H, d_off: 0, reverse: 0, s, steps }),
        workgroups: grid1d(kernel.lanes(B, H), kernel.workgroupSize),
      });
    }
    return Promise.all([y.read(), saved.read()]);
  });
  return [...out[0], ...out[1]];
}

function inputs(cellKind: CellKind, B: number, T: number, H: number, lengths: number[]): Inputs {
  const G = CELLS[cellKind].gates;
  // W_hh ~ U(−1/√H, 1/√H) as initialised by the layers.
  const w = seededValues(G * H * H, 17 + H, -1 / Math.sqrt(H), 1 / Math.sqrt(H));
  return { B, T, H, lengths, xproj: seededValues(B * T * G * H, 5), w, bHh: seededValues(G * H, 9, -0.3, 0.3), init: seededValues(2 * B * H, 13) };
}

const KERNELS: Record<string, (G: number) => StepKernel> = {
  'register-blocked': () => blockedStepKernels(4, 2).forward,
  'workgroup-memory': (G) => workgroupStepKernels(16, G).forward,
};

describe('recurrent forward with W_hh as packed f16', () => {
  for (const [family, kernelFor] of Object.entries(KERNELS)) {
    for (const cellKind of ['lstm', 'gru', 'rnn_tanh'] as CellKind[]) {
      it(`${family}, ${cellKind}: equals the f32 module on f16-rounded weights (H 37, ragged)`, async () => {
        const G = CELLS[cellKind].gates;
        const inp = inputs(cellKind, 5, 4, 37, [4, 1, 3, 4, 2]);
        const kernel = kernelFor(G);
        const f16 = await forward(cellKind, kernel, inp, 'f16');
        const rounded = await forward(cellKind, kernel, { ...inp, w: inp.w.map(roundToF16) }, 'f32');
        const r = allclose(f16, rounded, 1e-6, 1e-6, `${family} ${cellKind} f16 weights vs f32 module on rounded weights`);
        expect(r.ok, r.message).toBe(true);
      });

      it(`${family}, ${cellKind}: one step within the derived bound of the f32 weights`, async () => {
        const G = CELLS[cellKind].gates;
        const B = 6;
        const H = 45;
        const inp = inputs(cellKind, B, 1, H, new Array(B).fill(1));
        const kernel = kernelFor(G);
        const f16 = await forward(cellKind, kernel, inp, 'f16');
        const f32 = await forward(cellKind, kernel, inp, 'f32');
        // E and, for the GRU, R from the inputs (float64).
        let E = 0;
        let R = 0;
        for (let b = 0; b < B; b++) {
          for (let row = 0; row < G * H; row++) {
            let abs = 0;
            let rec = inp.bHh[row];
            for (let k = 0; k < H; k++) {
              // Rounding error of one weight: relative u, or absolute 2^-25 below f16's normal range.
              abs += Math.max(F16_UNIT_ROUNDOFF * Math.abs(inp.w[row * H + k]), 2 ** -25) * Math.abs(inp.init[b * H + k]);
              rec += inp.w[row * H + k] * inp.init[b * H + k];
            }
            E = Math.max(E, abs);
            if (cellKind === 'gru' && row >= 2 * H) R = Math.max(R, Math.abs(rec));
          }
        }
        const gain = cellKind === 'lstm' ? 2 : cellKind === 'gru' ? 1.5 + R / 4 : 1;
        const bound = gain * E + 1e-6;
        let worst = 0;
        for (let i = 0; i < f16.length; i++) worst = Math.max(worst, Math.abs(f16[i] - f32[i]));
        expect(worst, `${family} ${cellKind}: max |f16 − f32| ${worst} vs bound ${bound} (E ${E})`).toBeLessThanOrEqual(bound);
        // The rounding shows (a module that ignored the f16 weights would give 0 here).
        expect(worst).toBeGreaterThan(0);
      });
    }
  }
});

/**
 * E = max_row Σ_k e(W[row, k])·|h0[b, k]| with e(w) = max(u·|w|, tiny), the most a weight's
 * rounding can move it, and R = max |W_hn·h0 + b_hn| (GRU), over the batch.
 */
function stepErrorScale(G: number, H: number, B: number, w: number[], h0: number[], bHh: number[], u: number, tiny: number): { E: number; R: number } {
  let E = 0;
  let R = 0;
  for (let b = 0; b < B; b++) {
    for (let row = 0; row < G * H; row++) {
      let abs = 0;
      let rec = bHh[row];
      for (let k = 0; k < H; k++) {
        abs += Math.max(u * Math.abs(w[row * H + k]), tiny) * Math.abs(h0[b * H + k]);
        rec += w[row * H + k] * h0[b * H + k];
      }
      E = Math.max(E, abs);
      if (G === 3 && row >= 2 * H) R = Math.max(R, Math.abs(rec));
    }
  }
  return { E, R };
}

describe('recurrent layer with f16 W_hh (setRecurrentWeights)', () => {
  it('the GPU packing rounds every value to one of its two binary16 neighbours', async () => {
    const x = [...seededValues(4001, 3, -3, 3), 1 + 2 ** -11, 65504, 2 ** -14, 0, -0.5];
    const words = await scope(() => {
      const t = gpu.fromArray(x, [x.length]);
      return encodePackF16(gpu, t, 'test.packed').read();
    });
    expect(words.length).toBe(Math.ceil(x.length / 8) * 4);
    for (let i = 0; i < x.length; i++) {
      const v = f16Value((words[i >> 1] >>> ((i & 1) * 16)) & 0xffff);
      if (Math.abs(x[i]) < 2 ** -14) {
        // Below the normal range a GPU may flush to zero.
        expect(Math.abs(v - x[i]), `value ${i}: ${x[i]} → ${v}`).toBeLessThanOrEqual(2 ** -14);
        continue;
      }
      // Spacing of binary16 values at |x|: the result is one of x's two neighbours.
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(x[i]))) - 10);
      expect(Math.abs(v - x[i]), `value ${i}: ${x[i]} → ${v}`).toBeLessThan(ulp);
      expect(Math.abs(v - roundToF16(x[i])) <= ulp, `value ${i}`).toBe(true);
    }
    // Words past the values are zero.
    for (let w = Math.ceil(x.length / 2); w < words.length; w++) expect(words[w]).toBe(0);
  });

  for (const cell of ['lstm', 'gru', 'rnn_tanh'] as CellKind[]) {
    it(`${cell}: one step through the op within the bound of the f32 weights`, async () => {
      const G = CELLS[cell].gates;
      const [B, I, H] = [6, 3, 45];
      const config: RecurrentConfig = { cell, inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: false, dropout: 0 };
      const params = initRecurrentParams(gpu, config, 3);
      const l = params.layers[0];
      const w = Array.from(await l.wHh.read());
      const bHh = Array.from(await l.bHh.read());
      const x = seededValues(B * I, 4);
      const h0 = seededValues(B * H, 6);
      const c0 = seededValues(B * H, 7);
      const run = (weights: 'f32' | 'f16') => {
        setRecurrentWeights(gpu, weights);
        try {
          return scope(() => {
            const r = recurrent(gpu.fromArray(x, [B, 1, I]), new Array(B).fill(1), params, config, {
              path: 'step',
              h0: [gpu.fromArray(h0, [B, H])],
              c0: cell === 'lstm' ? [gpu.fromArray(c0, [B, H])] : undefined,
            });
            return Promise.all([r.output.read(), ...(r.cN ?? []).map((t) => t.read())]);
          });
        } finally {
          setRecurrentWeights(gpu, 'f32');
        }
      };
      const f16 = (await run('f16')).flatMap((a) => Array.from(a));
      const f32 = (await run('f32')).flatMap((a) => Array.from(a));
      // The GPU may round to either neighbour (2^-10) and flush values below 2^-14 to zero.
      const { E, R } = stepErrorScale(G, H, B, w, h0, bHh, 2 ** -10, 2 ** -14);
      const gain = cell === 'lstm' ? 2 : cell === 'gru' ? 1.5 + R / 4 : 1;
      let worst = 0;
      for (let i = 0; i < f16.length; i++) worst = Math.max(worst, Math.abs(f16[i] - f32[i]));
      expect(worst, `${cell}: max |f16 − f32| ${worst} vs bound ${gain * E + 1e-6}`).toBeLessThanOrEqual(gain * E + 1e-6);
      expect(worst).toBeGreaterThan(0);
      for (const t of [l.wIh, l.wHh, l.bIh, l.bHh]) t.dispose();
    });
  }

  it('a training step after the first creates no GPU buffers and is one submit', async () => {
    const { params: all, step } = recurrentTrainingFixture(gpu, 'gru');
    setRecurrentWeights(gpu, 'f16');
    try {
      expect(await steadyStepCounts(gpu, step)).toEqual({ newBuffers: 0, submits: 3 });
      // The weights stayed finite through the f16 forward and f32 backward.
      for (const w of await Promise.all(all.map((t) => t.read()))) expect(w.every(Number.isFinite)).toBe(true);
    } finally {
      setRecurrentWeights(gpu, 'f32');
    }
  });
});
