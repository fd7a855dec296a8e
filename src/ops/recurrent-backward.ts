// The fused BPTT op of one recurrent direction: gate-gradient kernels step by step in
// reverse time, then the bias gradients. Called by the layer op's backward
// (recurrent-layer.ts); see recurrent.ts for the equations.
import biasGradWgsl from '../../shaders/recurrent/bias_grad.wgsl?raw';
import peepholeGradWgsl from '../../shaders/recurrent/peephole_grad.wgsl?raw';
import type { FloatArray } from '../tensor.ts';
import { grid1d } from '../gpu/grid.ts';
import { gemmPacked, pack } from './matmul-cpu.ts';
import type { OpDef } from './op.ts';
import { CELLS, type CellKind } from './cells/index.ts';
import { recurrentConstants, stepKernels } from './recurrent-selection.ts';
import { RECURRENT_BACKWARD_PARAMS, recurrentWgsl } from './wgsl-modules.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { recurrentBackwardWasm } from './recurrent-wasm.ts';

const BIAS_GRAD_PARAMS = uniformLayout('recurrent/bias_grad', { B: 'u32', T: 'u32', GH: 'u32' });
const PEEPHOLE_GRAD_PARAMS = uniformLayout('recurrent/peephole_grad', { rows: 'u32', H: 'u32' });

/** Whether the hidden-side gate gradients differ from the input-side ones (GRU n gate). */
export function separateHiddenGradient(cell: CellKind): boolean {
  return cell === 'gru';
}

export interface BackwardAttrs {
  cell: CellKind;
  hidden: number;
  directions: 1 | 2;
  direction: number;
  lengths: Int32Array;
  name: string;
  /** Also output Σ_t dGx[b, t, :] per example (gradient of a per-example input bias). */
  inputBias?: boolean;
  /** Whether dh_0 and dc_0 are wanted (default true); when not, they are [0]. */
  stateGrads?: boolean;
  /** LSTM with peepholes: a 7th input holds the peephole weights [3·H] (p_i, p_f, p_o). */
  peephole?: boolean;
}

/**
 * Fused BPTT for one direction. Inputs: lengths i32 [B], saved [B, T, S·H], W_hh
 * [G·H, H], dy [B, T, D·H] (or [0]: no output gradient), dh_N [B, H], dc_N [B, H].
 * Outputs: dGx [B, T, G·H] (zero at padded steps); dGh, the same for the hidden side —
 * [B, T, G·H] for the GRU, [0] for the other cells, whose dGh equals dGx; dh_0, dc_0
 * [B, H] (or [0] when attrs.stateGrads is false); the bias gradients db_ih = Σ_{b,t} dGx and db_hh = Σ_{b,t} dGh, [G·H] each;
 * and, with attrs.inputBias, Σ_t dGx per example [B, G·H] (else [0]). With attrs.peephole
 * (LSTM), a 7th input, the peephole weights p [3·H], and the 8th output is dp [3·H]
 * (else [0]); see cells/lstm/lstm.ts.
 */
export const recurrentBackwardOp: OpDef<BackwardAttrs> = {
  outputs(inputs, attrs) {
    const [B, T] = inputs[1].shape;
    const GH = CELLS[attrs.cell].gates * attrs.hidden;
    return [
      { shape: [B, T, GH], dtype: 'f32', role: 'dGx' },
      { shape: separateHiddenGradient(attrs.cell) ? [B, T, GH] : [0], dtype: 'f32', role: 'dGh' },
      { shape: attrs.stateGrads === false ? [0] : [B, attrs.hidden], dtype: 'f32', role: 'dh0' },
      { shape: attrs.stateGrads === false ? [0] : [B, attrs.hidden], dtype: 'f32', role: 'dc0' },
      { shape: [GH], dtype: 'f32', role: 'dbIh' },
      { shape: [GH], dtype: 'f32', role: 'dbHh' },
      { shape: attrs.inputBias ? [B, GH] : [0], dtype: 'f32', role: 'dInputBias' },
      { shape: attrs.peephole ? [3 * attrs.hidden] : [0], dtype: 'f32', role: 'dPeephole' },
    ];
  },
  reference(inputs, [dGx, dGhOut, dh0, dc0, dbIh, dbHh, dInputBias, dPeep], { attrs, inputShapes }) {
    const cell = CELLS[attrs.cell];
    const [B, T] = inputShapes[1];
    const H = attrs.hidden;
    const GH = cell.gates * H;
    const S = cell.saved * H;
    const DH = attrs.directions * H;
    const saved = inputs[1] as FloatArray;
    const wHh = inputs[2] as FloatArray;
    const dy = inputs[3] as FloatArray;
    const hasDy = dy.length > 0;
    const dhN = inputs[4] as FloatArray;
    const dcN = inputs[5] as FloatArray;
    const peep = attrs.peephole ? (inputs[6] as FloatArray) : undefined;
    const separate = separateHiddenGradient(attrs.cell);
    // Cells without a separate hidden side write identical values to both: alias them.
    const dGh = (separate ? dGhOut : dGx) as FloatArray;
    dGx.fill(0);
    dGh.fill(0);
    const reverse = attrs.direction === 1;
    const steps = Math.max(...attrs.lengths);
    // Carried state of every example, [B, H]: dh (through W_hh, from the step after) and dc.
    const dhCarry = Float64Array.from(dhN);
    const dc = Float64Array.from(dcN);
    const direct = new Float64Array(B * H);
    const state = { dc: 0, dhDirect: 0 };
    // (W_hh)ᵀ as [H, G·H]: op(B)ᵀ for dh_{t-1} = dGh_t · W_hh.
    const wHhT = pack({ data: wHh, trans: true }, H, GH);
    const dg = new Float64Array(B * GH);
    const through = new Float64Array(B * H);
    const active: number[] = [];
    for (let s = steps - 1; s >= 0; s--) {
      active.length = 0;
      for (let b = 0; b < B; b++) if (s < attrs.lengths[b]) active.push(b);
      active.forEach((b, q) => {
        const L = attrs.lengths[b];
        const t = reverse ? L - 1 - s : s;
        const row = b * T + t;
        const go = row * GH;
        for (let k = 0; k < H; k++) {
          state.dc = dc[b * H + k];
          const dyk = hasDy ? dy[row * DH + attrs.direction * H + k] : 0;
          cell.backwardUnit(H, k, dhCarry[b * H + k] + dyk, state, saved, row * S, dGx as FloatArray, dGh, go, peep);
          dc[b * H + k] = state.dc;
          direct[b * H + k] = state.dhDirect;
        }
        for (let m = 0; m < GH; m++) dg[q * GH + m] = dGh[go + m];
      });
      // dh_{t-1} = direct + dGh_t · W_hh for all running examples in one GEMM.
      gemmPacked(dg, wHhT, through, active.length, H, GH);
      active.forEach((b, q) => {
        for (let k = 0; k < H; k++) dhCarry[b * H + k] = direct[b * H + k] + through[q * H + k];
      });
    }
    if (attrs.stateGrads !== false) {
      for (let i = 0; i < B * H; i++) {
        dh0[i] = dhCarry[i];
        dc0[i] = dc[i];
      }
    }
    // Bias gradients: Σ over examples and steps; per example for the input bias.
    const sumIh = new Float64Array(GH);
    const sumHh = new Float64Array(GH);
    const perExample = new Float64Array(GH);
    for (let b = 0; b < B; b++) {
      perExample.fill(0);
      for (let t = 0; t < T; t++) {
        const go = (b * T + t) * GH;
        for (let m = 0; m < GH; m++) perExample[m] += dGx[go + m];
        if (separate) for (let m = 0; m < GH; m++) sumHh[m] += dGh[go + m];
      }
      for (let m = 0; m < GH; m++) sumIh[m] += perExample[m];
      if (attrs.inputBias) for (let m = 0; m < GH; m++) dInputBias[b * GH + m] = perExample[m];
    }
    for (let m = 0; m < GH; m++) {
      dbIh[m] = sumIh[m];
      dbHh[m] = separate ? sumHh[m] : sumIh[m];
    }
    // Peephole weights: Σ_{b,t} of each gate's gradient times the cell state it peeks at.
    if (peep) {
      for (let q = 0; q < 3; q++) {
        const gate = q === 2 ? 3 : q;
        const slot = q === 2 ? 4 : 5;
        for (let j = 0; j < H; j++) {
          let sum = 0;
          for (let r = 0; r < B * T; r++) sum += dGx[r * GH + gate * H + j] * saved[r * S + slot * H + j];
          dPeep[q * H + j] = sum;
        }
      }
    }
  },
  wasm(engine, inputs, [dGx, dGhOut, dh0, dc0, dbIh, dbHh, dInputBias, dPeep], { attrs, inputShapes }) {
    const [B, T] = inputShapes[1];
    const f32 = (a: unknown) => a as Float32Array;
    const stateGrads = attrs.stateGrads !== false;
    recurrentBackwardWasm(engine, attrs.cell, { B, T, H: attrs.hidden, directions: attrs.directions, direction: attrs.direction }, attrs.lengths, {
      saved: f32(inputs[1]),
      wHh: f32(inputs[2]),
      dy: f32(inputs[3]),
      dhN: f32(inputs[4]),
      dcN: f32(inputs[5]),
      peephole: attrs.peephole ? f32(inputs[6]) : null,
      dGx: f32(dGx),
      dGh: separateHiddenGradient(attrs.cell) ? f32(dGhOut) : null,
      dh0: stateGrads ? f32(dh0) : null,
      dc0: stateGrads ? f32(dc0) : null,
      dbIh: f32(dbIh),
      dbHh: f32(dbHh),
      dInputBias: attrs.inputBias ? f32(dInputBias) : null,
      dPeephole: attrs.peephole ? f32(dPeep) : null,
    });
  },
  webgpu(gpu, inputs, [dGx, dGhOut, dh0, dc0, dbIh, dbHh, dInputBias, dPeep], attrs) {
    const cell = CELLS[attrs.cell];
    const [B, T] = inputs[1].shape;
    const H = attrs.hidden;
    const GH = cell.gates * H;
    const steps = Math.max(...attrs.lengths);
    const padded = attrs.lengths.some((L) => L !== T);
    const separate = separateHiddenGradient(attrs.cell);
    const hasDy = inputs[3].size > 0;
    // dFinal = [dh_N; dc_N] (+ the peephole weights [3·H], read by the kernel from its tail).
    const peephole = !!attrs.peephole;
    const dFinal = gpu.empty([2 * B * H + (peephole ? 3 * H : 0)], 'f32', `${attrs.cell}.dfinal`);
    if (peephole) gpu.recorder.copy(gpu.buffer(inputs[6]), 0, gpu.buffer(dFinal), 2 * B * H * 4, 3 * H * 4);
    const dState = gpu.empty([2, B, H], 'f32', `${attrs.cell}.dstate`);
    gpu.recorder.copy(gpu.buffer(inputs[4]), 0, gpu.buffer(dFinal), 0, B * H * 4);
    gpu.recorder.copy(gpu.buffer(inputs[5]), 0, gpu.buffer(dFinal), B * H * 4, B * H * 4);
    gpu.recorder.clear(gpu.buffer(dState));
    // Padded steps keep zero gradients; without padding the steps write everything.
    if (padded) {
      gpu.recorder.clear(gpu.buffer(dGx));
      if (separate) gpu.recorder.clear(gpu.buffer(dGhOut));
    }
    const kernel = stepKernels(gpu, B, cell.gates).backward;
    const { key: shaderKey, code } = recurrentWgsl(attrs.cell, cell.wgsl, 'backward', kernel);
    const workgroups = grid1d(kernel.lanes(B, H), kernel.workgroupSize);
    // Unused bindings (dy when there is no output gradient, dGh for cells without a
    // separate hidden side) are filled with buffers the kernel never touches.
    const reads = [gpu.buffer(inputs[2]), gpu.buffer(inputs[0]), gpu.buffer(inputs[1]), gpu.buffer(hasDy ? inputs[3] : inputs[1]), gpu.buffer(dFinal)];
    // dGh only for the GRU; otherwise db_hh (written after the loop) fills its binding.
    const writes = [gpu.buffer(dGx), gpu.buffer(separate ? dGhOut : dbHh), gpu.buffer(dState)];
    // The last dispatch (final = 1) only adds W_hh's part to dh_0.
    const stateGrads = attrs.stateGrads !== false;
    const constants = { ...recurrentConstants(cell, H), SEPARATE_DGH: separate ? 1 : 0, HAS_DY: hasDy ? 1 : 0, PEEPHOLE: peephole ? 1 : 0 };
    const uniforms = (s: number, final: number) =>
      RECURRENT_BACKWARD_PARAMS.pack({ B, T, DH: attrs.directions * H, d_off: attrs.direction * H, reverse: attrs.direction, s, final_step: final });
    for (let s = steps - 1; s >= (stateGrads ? -1 : 0); s--) {
      gpu.dispatch({
        label: `${attrs.cell}.backward`,
        shaderKey,
        code,
        entryPoint: 'step_blocked',
        constants,
        reads,
        writes,
        uniforms: uniforms(Math.max(s, 0), s < 0 ? 1 : 0),
        workgroups,
      });
    }
    if (stateGrads) {
      gpu.recorder.copy(gpu.buffer(dState), 0, gpu.buffer(dh0), 0, B * H * 4);
      gpu.recorder.copy(gpu.buffer(dState), B * H * 4, gpu.buffer(dc0), 0, B * H * 4);
    }
    // Bias gradients: per-example sums over t, then over examples.
    const rowsIh = attrs.inputBias ? dInputBias : gpu.empty([B, GH], 'f32', `${attrs.cell}.bias_rows`);
    // rowsHh only for the GRU; otherwise dFinal fills its (unused) binding.
    const rowsHh = separate ? gpu.empty([B, GH], 'f32', `${attrs.cell}.bias_rows_hh`) : dFinal;
    const biasReads = [gpu.buffer(dGx), gpu.buffer(separate ? dGhOut : dGx)];
    const biasWrites = [gpu.buffer(rowsIh), gpu.buffer(rowsHh), gpu.buffer(dbIh), gpu.buffer(dbHh)];
    const biasUniforms = BIAS_GRAD_PARAMS.pack({ B, T, GH });
    for (const entryPoint of ['per_example', 'total']) {
      gpu.dispatch({
        label: `${attrs.cell}.bias_grad`,
        shaderKey: 'recurrent/bias_grad',
        code: biasGradWgsl,
        entryPoint,
        constants: { SEPARATE: separate ? 1 : 0 },
        reads: biasReads,
        writes: biasWrites,
        uniforms: biasUniforms,
        workgroups: grid1d(entryPoint === 'total' ? GH : B * GH, 64),
      });
    }
    if (peephole) {
      gpu.dispatch({
        label: `${attrs.cell}.peephole_grad`,
        shaderKey: 'recurrent/peephole_grad',
        code: peepholeGradWgsl,
        reads: [gpu.buffer(dGx), gpu.buffer(inputs[1])],
        writes: [gpu.buffer(dPeep)],
        uniforms: PEEPHOLE_GRAD_PARAMS.pack({ rows: B * T, H }),
        workgroups: grid1d(3 * H, 64),
      });
    }
    if (!attrs.inputBias) rowsIh.dispose();
    if (separate) rowsHh.dispose();
    dFinal.dispose();
    dState.dispose();
  },
  backward: 'nondifferentiable',
};

