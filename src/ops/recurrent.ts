// Recurrent layers (torch.nn.RNN / LSTM / GRU semantics, batch-first). One layer with
// both its directions is ONE tape node (`recurrentLayerOp`); its backward runs the fused
// BPTT kernel (`recurrentBackwardOp`) per direction and then forms the weight gradients
// as large GEMMs over all timesteps:
//   dW_ih = dGxᵀ·X,  dW_hh = dGhᵀ·H_prev,  db_ih = Σ dGx,  db_hh = Σ dGh,  dX = dGx·W_ih
// (dGx / dGh: gradients of the input-side / hidden-side gate pre-activations; they
// differ only for the GRU's n gate).
//
// Forward, per direction: one GEMM projects every timestep (A = X·W_ihᵀ + b_ih), then
// the recurrence runs either as one dispatch per step (all in one pass and submit) or
// as one dispatch for the whole sequence in which each workgroup owns one batch row and
// loops over t (safe: rows never depend on each other; no cross-workgroup waiting).
//
// Padding: example b has lengths[b] real steps (1 ≤ lengths[b] ≤ T). Outputs at padded
// steps are 0, final states are taken at each example's last real step (the reverse
// direction starts there), and gradients at padded steps are 0.
//
// Parameters use PyTorch's layout and gate order (LSTM i,f,g,o; GRU r,z,n); export
// converts for ONNX.
import forwardWgsl from '../../shaders/recurrent/recurrent_forward.wgsl?raw';
import backwardWgsl from '../../shaders/recurrent/recurrent_backward.wgsl?raw';
import finalizeWgsl from '../../shaders/recurrent/finalize.wgsl?raw';
import biasGradWgsl from '../../shaders/recurrent/bias_grad.wgsl?raw';
import type { Backend } from '../backend/backend.ts';
import { fourWideSubgroups } from '../backend/subgroups.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { Random } from '../random.ts';
import type { FloatArray, HostArray, Tensor } from '../tensor.ts';
import { grid1d } from '../gpu/grid.ts';
import { add } from './elementwise.ts';
import { dropout } from './dropout.ts';
import { gruCell } from './gru.ts';
import { lstmCell } from './lstm.ts';
import { matmul, matmulOp } from './matmul.ts';
import { gemm, gemmPacked, pack } from './matmul-cpu.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { needsGrad } from '../autograd/tape.ts';
import { rnnReluCell, rnnTanhCell } from './rnn.ts';
import type { CellSpec } from './recurrent-cell.ts';
import { blockedStepKernels, sharedStepKernels, STEP_BLOCK, type StepKernel } from './recurrent-kernels.ts';
import { reshape } from './shape.ts';

export type CellKind = 'rnn_tanh' | 'rnn_relu' | 'lstm' | 'gru';
export type { CellSpec };

export const CELLS: Record<CellKind, CellSpec> = {
  rnn_tanh: rnnTanhCell,
  rnn_relu: rnnReluCell,
  lstm: lstmCell,
  gru: gruCell,
};

export interface RecurrentConfig {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Dropout on the outputs of every layer but the last, in training only. */
  dropout: number;
}

/** PyTorch shapes: wIh [G·H, I], wHh [G·H, H], bIh [G·H], bHh [G·H]. */
export interface LayerParams {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor;
  bHh: Tensor;
}

/** One entry per layer·direction: index = layer · D + direction. */
export interface RecurrentParams {
  layers: LayerParams[];
}

/** How the forward recurrence is run on WebGPU. */
export type RecurrencePath = 'step' | 'sequence' | 'auto';

export interface LayerAttrs {
  cell: CellKind;
  hidden: number;
  directions: 1 | 2;
  /** Host copy of the per-example lengths (validated), [B]. */
  lengths: Int32Array;
  /** e.g. "lstm layer 0"; used in error messages and labels. */
  name: string;
  path: RecurrencePath;
  /** Whether the inputs end with a per-example input bias per direction, [B, G·H] each. */
  inputBias?: boolean;
}

/** Per-direction views of a layer op's inputs and outputs. */
function layerLayout(attrs: LayerAttrs) {
  const D = attrs.directions;
  const hasCell = CELLS[attrs.cell].hasCell;
  const perDirOut = hasCell ? 4 : 3; // hN, [cN], saved, hPrev
  const states = 2 + 4 * D + (hasCell ? 2 : 1) * D;
  return {
    D,
    hasCell,
    weights: (d: number) => 2 + 4 * d, // wIh, wHh, bIh, bHh
    h0: (d: number) => 2 + 4 * D + (hasCell ? 2 : 1) * d,
    c0: (d: number) => 2 + 4 * D + 2 * d + 1,
    /** Index of direction d's input bias (when attrs.inputBias). */
    inputBias: (d: number) => states + d,
    inputCount: states + (attrs.inputBias ? D : 0),
    hN: (d: number) => 1 + perDirOut * d,
    cN: (d: number) => 1 + perDirOut * d + 1,
    saved: (d: number) => 1 + perDirOut * d + (hasCell ? 2 : 1),
    hPrev: (d: number) => 1 + perDirOut * d + (hasCell ? 3 : 2),
    outputCount: 1 + perDirOut * D,
  };
}

function directionName(attrs: LayerAttrs, d: number): string {
  return attrs.directions === 2 ? `${attrs.name} (${d === 0 ? 'forward' : 'reverse'})` : attrs.name;
}

/** Checks lengths on the host: B entries, each in [1, T]. */
export function validateLengths(name: string, lengths: ArrayLike<number>, B: number, T: number): void {
  if (lengths.length !== B) throw new Error(`${name}: ${lengths.length} lengths for a batch of ${B}`);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (!Number.isInteger(L) || L < 1) {
      throw new Error(`${name}: example ${b} has length ${L}; every sequence needs at least one step (drop empty texts or give them one <unk> token)`);
    }
    if (L > T) throw new Error(`${name}: example ${b} has length ${L} but the input has only T = ${T} steps`);
  }
}

export const recurrentLayerOp: OpDef<LayerAttrs> = {
  outputs(inputs, attrs) {
    const name = attrs.name;
    const lay = layerLayout(attrs);
    const cell = CELLS[attrs.cell];
    const H = attrs.hidden;
    const GH = cell.gates * H;
    if (inputs.length !== lay.inputCount) shapeError(name, inputs, `expected ${lay.inputCount} inputs`);
    const x = inputs[0];
    expectDtype(name, inputs, 0, 'f32');
    expectDtype(name, inputs, 1, 'i32');
    if (x.rank !== 3) shapeError(name, inputs, 'input must be [B, T, I]');
    const [B, T, I] = x.shape;
    if (B === 0) shapeError(name, inputs, 'batch is empty (B = 0)');
    if (T === 0) shapeError(name, inputs, 'sequences have no steps (T = 0)');
    validateLengths(name, attrs.lengths, B, T);
    if (inputs[1].size !== B) shapeError(name, inputs, `lengths must be [${B}]`);
    const same = (t: Tensor, shape: number[]) => t.rank === shape.length && t.shape.every((v, i) => v === shape[i]);
    for (let d = 0; d < lay.D; d++) {
      const w = lay.weights(d);
      const dn = directionName(attrs, d);
      if (!same(inputs[w], [GH, I])) shapeError(dn, inputs, `W_ih must be [${GH}, ${I}] (gates·hidden, input size)`);
      if (!same(inputs[w + 1], [GH, H])) shapeError(dn, inputs, `W_hh must be [${GH}, ${H}]`);
      if (!same(inputs[w + 2], [GH])) shapeError(dn, inputs, `b_ih must be [${GH}]`);
      if (!same(inputs[w + 3], [GH])) shapeError(dn, inputs, `b_hh must be [${GH}]`);
      if (!same(inputs[lay.h0(d)], [B, H])) shapeError(dn, inputs, `h0 must be [${B}, ${H}]`);
      if (lay.hasCell && !same(inputs[lay.c0(d)], [B, H])) shapeError(dn, inputs, `c0 must be [${B}, ${H}]`);
      if (attrs.inputBias && !same(inputs[lay.inputBias(d)], [B, GH])) shapeError(dn, inputs, `input bias must be [${B}, ${GH}] (batch, gates·hidden)`);
    }
    const outs: { shape: number[]; dtype: 'f32'; role: string }[] = [{ shape: [B, T, lay.D * H], dtype: 'f32', role: 'output' }];
    for (let d = 0; d < lay.D; d++) {
      outs.push({ shape: [B, H], dtype: 'f32', role: `hN${d}` });
      if (lay.hasCell) outs.push({ shape: [B, H], dtype: 'f32', role: `cN${d}` });
      outs.push({ shape: [B, T, cell.saved * H], dtype: 'f32', role: `saved${d}` });
      outs.push({ shape: [B, T, H], dtype: 'f32', role: `hPrev${d}` });
    }
    return outs;
  },

  reference(inputs, outputs, { attrs, inputShapes }) {
    const lay = layerLayout(attrs);
    const cell = CELLS[attrs.cell];
    const [B, T, I] = inputShapes[0];
    const H = attrs.hidden;
    const G = cell.gates;
    const GH = G * H;
    const S = cell.saved * H;
    const DH = lay.D * H;
    const x = inputs[0] as FloatArray;
    const y = outputs[0] as FloatArray;
    const steps = Math.max(...attrs.lengths);
    y.fill(0);
    const pre = new Float64Array(2 * GH);
    const hNew = new Float64Array(H);
    for (let d = 0; d < lay.D; d++) {
      const w = lay.weights(d);
      const wIh = inputs[w] as FloatArray;
      const wHh = inputs[w + 1] as FloatArray;
      const bIh = inputs[w + 2] as FloatArray;
      const bHh = inputs[w + 3] as FloatArray;
      const h0 = inputs[lay.h0(d)] as FloatArray;
      const c0 = lay.hasCell ? (inputs[lay.c0(d)] as FloatArray) : null;
      const hN = outputs[lay.hN(d)] as FloatArray;
      const cN = lay.hasCell ? (outputs[lay.cN(d)] as FloatArray) : null;
      const saved = outputs[lay.saved(d)] as FloatArray;
      const hPrevOut = outputs[lay.hPrev(d)] as FloatArray;
      const inBias = attrs.inputBias ? (inputs[lay.inputBias(d)] as FloatArray) : null;
      saved.fill(0);
      hPrevOut.fill(0);
      const reverse = d === 1;
      // A = X·W_ihᵀ + b_ih (+ input bias) for every timestep, [B·T, G·H], one GEMM.
      const A = new Float64Array(B * T * GH);
      gemm({ data: x, trans: false }, { data: wIh, trans: true }, A, B * T, GH, I);
      for (let r = 0; r < B * T; r++) {
        const ib = Math.floor(r / T) * GH;
        for (let m = 0; m < GH; m++) A[r * GH + m] += inBias ? bIh[m] + inBias[ib + m] : bIh[m];
      }
      // States of every example, [B, H], float64.
      const h = new Float64Array(B * H);
      const c = new Float64Array(B * H);
      for (let i = 0; i < B * H; i++) {
        h[i] = h0[i];
        c[i] = c0 ? c0[i] : 0;
      }
      // W_hh [G·H, H] row-major is already op(B)ᵀ for R = h·W_hhᵀ.
      const wHh64 = Float64Array.from(wHh);
      const hs = new Float64Array(B * H);
      const R = new Float64Array(B * GH);
      const active: number[] = [];
      for (let s = 0; s < steps; s++) {
        // Examples still running at step s; their recurrent terms in one GEMM.
        active.length = 0;
        for (let b = 0; b < B; b++) if (s < attrs.lengths[b]) active.push(b);
        active.forEach((b, q) => hs.set(h.subarray(b * H, (b + 1) * H), q * H));
        gemmPacked(hs, wHh64, R, active.length, GH, H);
        active.forEach((b, q) => {
          const L = attrs.lengths[b];
          const t = reverse ? L - 1 - s : s;
          const row = b * T + t;
          // pre = [A row | W_hh h + b_hh]
          for (let m = 0; m < GH; m++) {
            pre[m] = A[row * GH + m];
            pre[GH + m] = R[q * GH + m] + bHh[m];
          }
          const so = row * S;
          const hb = b * H;
          for (let j = 0; j < H; j++) {
            hNew[j] = cell.forwardUnit(H, j, pre, h[hb + j], c[hb + j], saved, so);
            hPrevOut[row * H + j] = h[hb + j];
          }
          for (let j = 0; j < H; j++) {
            h[hb + j] = hNew[j];
            if (lay.hasCell) c[hb + j] = saved[so + 4 * H + j];
            y[row * DH + d * H + j] = hNew[j];
          }
        });
      }
      for (let i = 0; i < B * H; i++) {
        hN[i] = h[i];
        if (cN) cN[i] = c[i];
      }
    }
  },

  webgpu(gpu, inputs, outputs, attrs) {
    const lay = layerLayout(attrs);
    const cell = CELLS[attrs.cell];
    const [B, T] = inputs[0].shape;
    const H = attrs.hidden;
    const GH = cell.gates * H;
    const steps = Math.max(...attrs.lengths);
    const padded = attrs.lengths.some((L) => L !== T);
    const path = attrs.path === 'auto' ? chooseRecurrencePath(B, T, H, fourWideSubgroups(gpu)) : attrs.path;
    const constants = { ...recurrentConstants(cell, H), HAS_IN_BIAS: attrs.inputBias ? 1 : 0 };
    // Without padding every element of y, saved and hPrev is written by the steps.
    if (padded) gpu.recorder.clear(gpu.buffer(outputs[0]));
    for (let d = 0; d < lay.D; d++) {
      const w = lay.weights(d);
      const label = `${attrs.cell}.forward`;
      // A = X·W_ihᵀ + b_ih for all timesteps: [B, T, G·H].
      const xProj = gpu.empty([B, T, GH], 'f32', `${attrs.cell}.xproj`);
      matmulOp.webgpu(gpu, [inputs[0], inputs[w], inputs[w + 2]], [xProj], { transA: false, transB: true, activation: 'none' });
      // init = [h0; c0] as [2, B, H].
      const init = gpu.empty([2, B, H], 'f32', `${attrs.cell}.init`);
      gpu.recorder.copy(gpu.buffer(inputs[lay.h0(d)]), 0, gpu.buffer(init), 0, B * H * 4);
      if (lay.hasCell) gpu.recorder.copy(gpu.buffer(inputs[lay.c0(d)]), 0, gpu.buffer(init), B * H * 4, B * H * 4);
      const saved = outputs[lay.saved(d)];
      const hPrev = outputs[lay.hPrev(d)];
      if (padded) {
        gpu.recorder.clear(gpu.buffer(saved));
        gpu.recorder.clear(gpu.buffer(hPrev));
      }
      // The input bias is read only when HAS_IN_BIAS; otherwise xproj fills its binding.
      const inBias = attrs.inputBias ? inputs[lay.inputBias(d)] : xProj;
      const reads = [gpu.buffer(xProj), gpu.buffer(inputs[w + 1]), gpu.buffer(inputs[w + 3]), gpu.buffer(inputs[1]), gpu.buffer(init), gpu.buffer(inBias)];
      const writes = [gpu.buffer(outputs[0]), gpu.buffer(saved), gpu.buffer(hPrev)];
      const uniforms = (s: number) =>
        [
          ['u32', B],
          ['u32', T],
          ['u32', lay.D * H],
          ['u32', d * H],
          ['u32', d],
          ['u32', s],
          ['u32', steps],
          ['u32', 0],
        ] as ['u32', number][];
      const kernel = stepKernels(gpu, B, cell.gates).forward;
      const code = (kernel.subgroups ? 'enable subgroups;\n' : '') + cell.wgsl + forwardWgsl + kernel.code;
      const shaderKey = `recurrent/${attrs.cell}_forward_${kernel.name}`;
      if (path === 'sequence') {
        gpu.dispatch({ label, shaderKey, code, entryPoint: 'sequence', constants, reads, writes, uniforms: uniforms(0), workgroups: [B] });
      } else {
        const workgroups = grid1d(kernel.lanes(B, H), kernel.workgroupSize);
        for (let s = 0; s < steps; s++) {
          gpu.dispatch({ label, shaderKey, code, entryPoint: 'step_blocked', constants, reads, writes, uniforms: uniforms(s), workgroups });
        }
      }
      // Final states at each example's last real step.
      const cN = lay.hasCell ? outputs[lay.cN(d)] : null;
      const cTarget = cN ?? gpu.empty([B, H], 'f32', `${attrs.cell}.unused`);
      gpu.dispatch({
        label: `${attrs.cell}.finalize`,
        shaderKey: 'recurrent/finalize',
        code: finalizeWgsl,
        constants: { H, S: cell.saved, C_OFF: lay.hasCell ? 4 : 0 },
        reads: [gpu.buffer(outputs[0]), gpu.buffer(saved), gpu.buffer(inputs[1])],
        writes: [gpu.buffer(outputs[lay.hN(d)]), gpu.buffer(cTarget)],
        uniforms: [
          ['u32', B],
          ['u32', T],
          ['u32', lay.D * H],
          ['u32', d * H],
          ['u32', d],
          ['u32', 0],
          ['u32', 0],
          ['u32', 0],
        ],
        workgroups: grid1d(B * H, 64),
      });
      // Temporaries go back to the pool; it hands them out again only after the submit.
      xProj.dispose();
      init.dispose();
      if (!cN) cTarget.dispose();
    }
  },

  backward({ inputs, outputs, attrs, grads }) {
    const lay = layerLayout(attrs);
    const cell = CELLS[attrs.cell];
    const x = inputs[0];
    const [B, T, I] = x.shape;
    const H = attrs.hidden;
    const GH = cell.gates * H;
    const backend = x.backend;
    for (let d = 0; d < lay.D; d++) {
      if (grads[lay.saved(d)] || grads[lay.hPrev(d)]) {
        throw new Error(`${directionName(attrs, d)}: saved gate tensors are for backward and inspection only; they are not differentiable`);
      }
    }
    // A missing output gradient is passed as an empty tensor: the kernel reads no dy.
    const dy = grads[0] ?? backend.zeros([0], 'f32', `${attrs.cell}.no_dy`);
    const result: (Tensor | null)[] = new Array(inputs.length).fill(null);
    let dx: Tensor | null = null;
    for (let d = 0; d < lay.D; d++) {
      const w = lay.weights(d);
      const dhN = grads[lay.hN(d)] ?? backend.zeros([B, H], 'f32', `${attrs.cell}.dhN`);
      const dcN = lay.hasCell ? (grads[lay.cN(d)] ?? backend.zeros([B, H], 'f32', `${attrs.cell}.dcN`)) : backend.zeros([B, H], 'f32', `${attrs.cell}.dcN`);
      const wantInputBias = !!attrs.inputBias && needsGrad(inputs[lay.inputBias(d)]);
      const wantState = needsGrad(inputs[lay.h0(d)]) || (lay.hasCell && needsGrad(inputs[lay.c0(d)]));
      const [dGx, dGhOwn, dh0, dc0, dbIh, dbHh, dInputBias] = runOp(
        'recurrentBackward',
        recurrentBackwardOp,
        [inputs[1], outputs[lay.saved(d)], inputs[w + 1], dy, dhN, dcN],
        {
          cell: attrs.cell,
          hidden: H,
          directions: lay.D,
          direction: d,
          lengths: attrs.lengths,
          name: directionName(attrs, d),
          inputBias: wantInputBias,
          stateGrads: wantState,
        },
      );
      // dGh differs from dGx only for the GRU (its n gate); otherwise it is dGx itself.
      const dGh = separateHiddenGradient(attrs.cell) ? dGhOwn : dGx;
      // Weight gradients as large GEMMs over all timesteps, only where a gradient is wanted.
      if (needsGrad(x)) {
        const dxd = matmul(dGx, inputs[w]); // [B, T, I]
        dx = dx ? add(dx, dxd) : dxd;
      }
      if (needsGrad(inputs[w])) result[w] = matmul(reshape(dGx, [B * T, GH]), reshape(x, [B * T, I]), { transA: true });
      if (needsGrad(inputs[w + 1])) result[w + 1] = matmul(reshape(dGh, [B * T, GH]), reshape(outputs[lay.hPrev(d)], [B * T, H]), { transA: true });
      result[w + 2] = dbIh;
      result[w + 3] = dbHh;
      if (wantState) {
        result[lay.h0(d)] = dh0;
        if (lay.hasCell) result[lay.c0(d)] = dc0;
      }
      if (wantInputBias) result[lay.inputBias(d)] = dInputBias;
    }
    result[0] = dx;
    return result;
  },
};

/** Whether the hidden-side gate gradients differ from the input-side ones (GRU n gate). */
function separateHiddenGradient(cell: CellKind): boolean {
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
}

/**
 * Fused BPTT for one direction. Inputs: lengths i32 [B], saved [B, T, S·H], W_hh
 * [G·H, H], dy [B, T, D·H] (or [0]: no output gradient), dh_N [B, H], dc_N [B, H].
 * Outputs: dGx [B, T, G·H] (zero at padded steps); dGh, the same for the hidden side —
 * [B, T, G·H] for the GRU, [0] for the other cells, whose dGh equals dGx; dh_0, dc_0
 * [B, H] (or [0] when attrs.stateGrads is false); the bias gradients db_ih = Σ_{b,t} dGx and db_hh = Σ_{b,t} dGh, [G·H] each;
 * and, with attrs.inputBias, Σ_t dGx per example [B, G·H] (else [0]).
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
    ];
  },
  reference(inputs, [dGx, dGhOut, dh0, dc0, dbIh, dbHh, dInputBias], { attrs, inputShapes }) {
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
          cell.backwardUnit(H, k, dhCarry[b * H + k] + dyk, state, saved, row * S, dGx as FloatArray, dGh, go);
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
  },
  webgpu(gpu, inputs, [dGx, dGhOut, dh0, dc0, dbIh, dbHh, dInputBias], attrs) {
    const cell = CELLS[attrs.cell];
    const [B, T] = inputs[1].shape;
    const H = attrs.hidden;
    const GH = cell.gates * H;
    const steps = Math.max(...attrs.lengths);
    const padded = attrs.lengths.some((L) => L !== T);
    const separate = separateHiddenGradient(attrs.cell);
    const hasDy = inputs[3].size > 0;
    const dFinal = gpu.empty([2, B, H], 'f32', `${attrs.cell}.dfinal`);
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
    const code = (kernel.subgroups ? 'enable subgroups;\n' : '') + cell.wgsl + backwardWgsl + kernel.code;
    const workgroups = grid1d(kernel.lanes(B, H), kernel.workgroupSize);
    // Unused bindings (dy when there is no output gradient, dGh for cells without a
    // separate hidden side) are filled with buffers the kernel never touches.
    const reads = [gpu.buffer(inputs[2]), gpu.buffer(inputs[0]), gpu.buffer(inputs[1]), gpu.buffer(hasDy ? inputs[3] : inputs[1]), gpu.buffer(dFinal)];
    // dGh only for the GRU; otherwise db_hh (written after the loop) fills its binding.
    const writes = [gpu.buffer(dGx), gpu.buffer(separate ? dGhOut : dbHh), gpu.buffer(dState)];
    // The last dispatch (final = 1) only adds W_hh's part to dh_0.
    const stateGrads = attrs.stateGrads !== false;
    const constants = { ...recurrentConstants(cell, H), SEPARATE_DGH: separate ? 1 : 0, HAS_DY: hasDy ? 1 : 0 };
    const uniforms = (s: number, final: number) =>
      [
        ['u32', B],
        ['u32', T],
        ['u32', attrs.directions * H],
        ['u32', attrs.direction * H],
        ['u32', attrs.direction],
        ['u32', s],
        ['u32', final],
        ['u32', 0],
      ] as ['u32', number][];
    for (let s = steps - 1; s >= (stateGrads ? -1 : 0); s--) {
      gpu.dispatch({
        label: `${attrs.cell}.backward`,
        shaderKey: `recurrent/${attrs.cell}_backward_${kernel.name}`,
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
    const biasUniforms: ['u32', number][] = [
      ['u32', B],
      ['u32', T],
      ['u32', GH],
      ['u32', 0],
    ];
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
    if (!attrs.inputBias) rowsIh.dispose();
    if (separate) rowsHh.dispose();
    dFinal.dispose();
    dState.dispose();
  },
  backward: 'nondifferentiable',
};

const BLOCKED = blockedStepKernels(STEP_BLOCK.rows, STEP_BLOCK.units);
/** Subgroup-shared kernels by rows per invocation and gates, made on first use. */
const shared = new Map<string, { forward: StepKernel; backward: StepKernel }>();
function sharedKernels(rows: 4 | 16, gates: number): { forward: StepKernel; backward: StepKernel } {
  const key = `${rows}/${gates}`;
  let k = shared.get(key);
  if (!k) shared.set(key, (k = sharedStepKernels(rows, gates)));
  return k;
}
const stepOverride = new WeakMap<WebGpuBackend, { forward: StepKernel; backward: StepKernel }>();

/**
 * The per-step kernels used on this backend for a batch of B and a cell with `gates`
 * gates: subgroup-shared where subgroups are 4 wide (SwiftShader; 16 rows per
 * invocation from B = 16 on, else 4), register-blocked elsewhere.
 */
export function stepKernels(gpu: WebGpuBackend, B: number, gates = 4): { forward: StepKernel; backward: StepKernel } {
  return stepOverride.get(gpu) ?? (fourWideSubgroups(gpu) ? sharedKernels(B >= 16 ? 16 : 4, gates) : BLOCKED);
}

/** Makes the recurrent layers use these per-step kernels on this backend (benchmarks, tests). */
export function setStepKernels(gpu: WebGpuBackend, kernels: { forward: StepKernel; backward: StepKernel } | null): void {
  if (kernels) stepOverride.set(gpu, kernels);
  else stepOverride.delete(gpu);
}

function recurrentConstants(cell: CellSpec, H: number): Record<string, number> {
  return { H, G: cell.gates, S: cell.saved, ACT: cell.activationCode ?? 1 };
}

/**
 * Which forward path to use for a shape and kernel family, by measurement on SwiftShader
 * (2 CPU cores; `npm run bench -- --profile --query "B=…&H=…&paths=step,sequence"`).
 * With the subgroup-shared step kernels the per-step path was as fast or faster for
 * every shape tried (B 1…32, H 32…512; e.g. B 8, H 64: 8 vs 17 ms forward). With the
 * register-blocked kernels the sequence path (one workgroup per batch row looping over
 * t) wins below B·H = 1024, where a step has too few invocations to fill both cores.
 */
export function chooseRecurrencePath(B: number, T: number, H: number, sharedKernels = false): 'step' | 'sequence' {
  void T;
  if (sharedKernels) return 'step';
  return B * H >= 1024 ? 'step' : 'sequence';
}

// ---- composition ------------------------------------------------------------------

export interface RecurrentOptions {
  /** Initial hidden state per layer·direction, [B, H] each (default zeros). */
  h0?: Tensor[];
  /** Initial cell state per layer·direction (LSTM only). */
  c0?: Tensor[];
  training?: boolean;
  /** Seed for dropout between layers. */
  seed?: number;
  /** Forward path on WebGPU (default 'auto'). */
  path?: RecurrencePath;
  /**
   * Per-example bias added to the FIRST layer's input projection at every real step,
   * one per direction, [B, G·H] each in PyTorch gate order:
   * A[b, t, :] = x[b, t]·W_ihᵀ + b_ih + inputBias[b]. Differentiable.
   */
  inputBias?: Tensor[];
}

export interface RecurrentResult {
  /** [B, T, D·H]; zeros at padded steps. */
  output: Tensor;
  /** Final hidden state per layer·direction, [B, H]. */
  hN: Tensor[];
  /** Final cell state per layer·direction (LSTM). */
  cN?: Tensor[];
  /** What forward saved, for the gate inspector (read with readGateCapture). */
  capture: GateCaptureHandle;
}

export interface GateCaptureHandle {
  config: RecurrentConfig;
  lengths: Int32Array;
  T: number;
  /** Saved tensor per layer·direction, [B, T, S·H]. */
  saved: Tensor[];
  /** Output of each layer, [B, T, D·H] (h_t of both directions). */
  outputs: Tensor[];
}

/**
 * Runs a stack of recurrent layers. `lengths` are host values (one per example, each in
 * [1, T]); null means every example uses all T steps.
 */
export function recurrent(
  x: Tensor,
  lengths: ArrayLike<number> | null,
  params: RecurrentParams,
  config: RecurrentConfig,
  options: RecurrentOptions = {},
): RecurrentResult {
  const name = `${config.cell} layer`;
  if (x.rank !== 3) throw new Error(`${name} 0: input must be [B, T, I], got [${x.shape.join(', ')}]`);
  const [B, T, I] = x.shape;
  if (I !== config.inputSize) throw new Error(`${name} 0: input size ${I} does not match the layer's input size ${config.inputSize}`);
  const D = config.bidirectional ? 2 : 1;
  const H = config.hiddenSize;
  if (params.layers.length !== config.numLayers * D) {
    throw new Error(`${name}: ${params.layers.length} parameter sets for ${config.numLayers} layers × ${D} directions`);
  }
  const lens = lengths ? Int32Array.from(lengths) : new Int32Array(B).fill(T);
  validateLengths(`${name} 0`, lens, B, T);
  const backend = x.backend;
  const lengthTensor = backend.fromArray(lens, [B], 'i32', `${config.cell}.lengths`);
  const hasCell = CELLS[config.cell].hasCell;
  let input = x;
  const hN: Tensor[] = [];
  const cN: Tensor[] = [];
  const saved: Tensor[] = [];
  const layerOutputs: Tensor[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    if (l > 0 && options.training && config.dropout > 0) {
      input = dropout(input, config.dropout, ((options.seed ?? 0) * 7919 + l) >>> 0, true);
    }
    const inputs: Tensor[] = [input, lengthTensor];
    for (let d = 0; d < D; d++) {
      const p = params.layers[l * D + d];
      inputs.push(p.wIh, p.wHh, p.bIh, p.bHh);
    }
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      inputs.push(options.h0?.[k] ?? backend.zeros([B, H], 'f32', `${config.cell}.h0`));
      if (hasCell) inputs.push(options.c0?.[k] ?? backend.zeros([B, H], 'f32', `${config.cell}.c0`));
    }
    const withInputBias = l === 0 && !!options.inputBias;
    if (withInputBias) {
      if (options.inputBias!.length !== D) throw new Error(`${name} 0: ${options.inputBias!.length} input biases for ${D} direction(s)`);
      inputs.push(...options.inputBias!);
    }
    const attrs: LayerAttrs = {
      cell: config.cell,
      hidden: H,
      directions: D as 1 | 2,
      lengths: lens,
      name: `${name} ${l}`,
      path: options.path ?? 'auto',
      inputBias: withInputBias,
    };
    const outs = runOp(config.cell === 'rnn_tanh' || config.cell === 'rnn_relu' ? 'rnn' : config.cell, recurrentLayerOp, inputs, attrs);
    const lay = layerLayout(attrs);
    for (let d = 0; d < D; d++) {
      hN.push(outs[lay.hN(d)]);
      if (hasCell) cN.push(outs[lay.cN(d)]);
      saved.push(outs[lay.saved(d)]);
    }
    input = outs[0];
    layerOutputs.push(input);
  }
  return { output: input, hN, cN: hasCell ? cN : undefined, capture: { config, lengths: lens, T, saved, outputs: layerOutputs } };
}

/** Initialises parameters like PyTorch: every weight and bias ~ U(−1/√H, 1/√H), seeded. */
export function initRecurrentParams(backend: Backend, config: RecurrentConfig, seed: number): RecurrentParams {
  const rng = new Random(seed);
  const H = config.hiddenSize;
  const G = CELLS[config.cell].gates;
  const D = config.bidirectional ? 2 : 1;
  const bound = 1 / Math.sqrt(H);
  const make = (shape: number[], label: string) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.uniform(-bound, bound);
    return backend.fromArray(v, shape, 'f32', label).param();
  };
  const layers: LayerParams[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    const inSize = l === 0 ? config.inputSize : D * H;
    for (let d = 0; d < D; d++) {
      const suffix = `l${l}${d === 1 ? '_reverse' : ''}`;
      layers.push({
        wIh: make([G * H, inSize], `weight_ih_${suffix}`),
        wHh: make([G * H, H], `weight_hh_${suffix}`),
        bIh: make([G * H], `bias_ih_${suffix}`),
        bHh: make([G * H], `bias_hh_${suffix}`),
      });
    }
  }
  return { layers };
}

/** Gate activations and states of one example for one layer·direction, each [T, H] (padded steps zero). */
export interface GateTrace {
  layer: number;
  direction: number;
  length: number;
  /** By name: h (every cell); LSTM i, f, g, o, c, c_prev; GRU r, z, n, hn, h_prev; RNN pre. */
  values: Record<string, Float32Array>;
}

/** Reads what forward saved for the chosen examples. Costs one readback per layer·direction. */
export async function readGateCapture(handle: GateCaptureHandle, examples: number[]): Promise<GateTrace[][]> {
  const cell = CELLS[handle.config.cell];
  const H = handle.config.hiddenSize;
  const S = cell.saved;
  const D = handle.config.bidirectional ? 2 : 1;
  const T = handle.T;
  const arrays: HostArray[] = await Promise.all(handle.saved.map((t) => t.read()));
  const outs: HostArray[] = await Promise.all(handle.outputs.map((t) => t.read()));
  return examples.map((b) =>
    arrays.map((data, k) => {
      const values: Record<string, Float32Array> = {};
      const y = outs[Math.floor(k / D)];
      const h = new Float32Array(T * H);
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < H; j++) h[t * H + j] = y[(b * T + t) * D * H + (k % D) * H + j];
      }
      values.h = h;
      cell.savedNames.forEach((n, g) => {
        const out = new Float32Array(T * H);
        for (let t = 0; t < T; t++) {
          const base = (b * T + t) * S * H + g * H;
          for (let j = 0; j < H; j++) out[t * H + j] = data[base + j];
        }
        values[n] = out;
      });
      return { layer: Math.floor(k / D), direction: k % D, length: handle.lengths[b], values };
    }),
  );
}

