// The recurrent layer op: one layer with both its directions is ONE tape node. Forward
// per direction: one GEMM projects every timestep, then the recurrence runs per step or
// as one dispatch for the sequence (recurrent-selection.ts chooses); backward runs the
// BPTT op (recurrent-backward.ts) per direction and forms the weight gradients as GEMMs.
// See recurrent.ts for the equations and the padding rules.
import finalizeWgsl from '../../shaders/recurrent/finalize.wgsl?raw';
import type { FloatArray, Tensor } from '../tensor.ts';
import { grid1d } from '../gpu/grid.ts';
import { add } from './elementwise.ts';
import { matmul, matmulOp } from './matmul.ts';
import { gemm, gemmPacked } from './matmul-cpu.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { needsGrad } from '../autograd/tape.ts';
import { CELLS, type CellKind } from './cells/index.ts';
import { chooseRecurrencePath, recurrentConstants, stepFamily, stepKernels } from './recurrent-selection.ts';
import { RECURRENT_FORWARD_PARAMS, recurrentWgsl } from './wgsl-modules.ts';
import { reshape } from './shape.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';
import { recurrentBackwardOp, separateHiddenGradient } from './recurrent-backward.ts';
import { encodePackF16, encodeRoundF16, recurrentWeights } from './recurrent-f16.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { recurrentForwardWasm } from './recurrent-wasm.ts';

const FINALIZE_PARAMS = uniformLayout('recurrent/finalize', { B: 'u32', T: 'u32', DH: 'u32', d_off: 'u32', reverse: 'u32' });

export interface RecurrentConfig {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Dropout on the outputs of every layer but the last, in training only. */
  dropout: number;
  /** LSTM only: diagonal peephole weights per layer·direction (see cells/lstm/lstm.ts). */
  peephole?: boolean;
}

/** PyTorch shapes: wIh [G·H, I], wHh [G·H, H], bIh [G·H], bHh [G·H]. */
export interface LayerParams {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor;
  bHh: Tensor;
  /** Peephole weights [3·H] (p_i, p_f, p_o), when the config has peepholes. */
  peephole?: Tensor;
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
  /** LSTM only: whether the inputs end with the peephole weights per direction, [3·H] each. */
  peephole?: boolean;
}

/** Per-direction views of a layer op's inputs and outputs. */
export function layerLayout(attrs: LayerAttrs) {
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
    /** Index of direction d's peephole weights (when attrs.peephole). */
    peephole: (d: number) => states + (attrs.inputBias ? D : 0) + d,
    inputCount: states + (attrs.inputBias ? D : 0) + (attrs.peephole ? D : 0),
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
    if (attrs.peephole && attrs.cell !== 'lstm') throw new Error(`${name}: peephole connections exist only for the LSTM cell, not ${attrs.cell}`);
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
      if (attrs.peephole && !same(inputs[lay.peephole(d)], [3 * H])) shapeError(dn, inputs, `peephole weights must be [${3 * H}] (p_i, p_f, p_o of ${H} units)`);
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
      const peep = attrs.peephole ? (inputs[lay.peephole(d)] as FloatArray) : undefined;
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
            hNew[j] = cell.forwardUnit(H, j, pre, h[hb + j], c[hb + j], saved, so, peep);
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

  wasm(engine, inputs, outputs, { attrs, inputShapes }) {
    const lay = layerLayout(attrs);
    const [B, T, I] = inputShapes[0];
    const f32 = (a: unknown) => a as Float32Array;
    const directions = Array.from({ length: lay.D }, (_, d) => {
      const w = lay.weights(d);
      return {
        wIh: f32(inputs[w]),
        wHh: f32(inputs[w + 1]),
        bIh: f32(inputs[w + 2]),
        bHh: f32(inputs[w + 3]),
        h0: f32(inputs[lay.h0(d)]),
        c0: lay.hasCell ? f32(inputs[lay.c0(d)]) : null,
        inputBias: attrs.inputBias ? f32(inputs[lay.inputBias(d)]) : null,
        peephole: attrs.peephole ? f32(inputs[lay.peephole(d)]) : null,
        hN: f32(outputs[lay.hN(d)]),
        cN: lay.hasCell ? f32(outputs[lay.cN(d)]) : null,
        saved: f32(outputs[lay.saved(d)]),
        hPrev: f32(outputs[lay.hPrev(d)]),
      };
    });
    recurrentForwardWasm(engine, attrs.cell, { B, T, I, H: attrs.hidden }, attrs.lengths, f32(inputs[0]), f32(outputs[0]), directions);
  },

  webgpu(gpu, inputs, outputs, attrs) {
    const lay = layerLayout(attrs);
    const cell = CELLS[attrs.cell];
    const [B, T] = inputs[0].shape;
    const H = attrs.hidden;
    const GH = cell.gates * H;
    const steps = Math.max(...attrs.lengths);
    const padded = attrs.lengths.some((L) => L !== T);
    const path = attrs.path === 'auto' ? chooseRecurrencePath(B, T, H, stepFamily(stepKernels(gpu, B, cell.gates))) : attrs.path;
    const constants = { ...recurrentConstants(cell, H), HAS_IN_BIAS: attrs.inputBias ? 1 : 0, PEEPHOLE: attrs.peephole ? 1 : 0 };
    // Without padding every element of y, saved and hPrev is written by the steps.
    if (padded) gpu.recorder.clear(gpu.buffer(outputs[0]));
    for (let d = 0; d < lay.D; d++) {
      const w = lay.weights(d);
      const label = `${attrs.cell}.forward`;
      // A = X·W_ihᵀ + b_ih for all timesteps: [B, T, G·H].
      const xProj = gpu.empty([B, T, GH], 'f32', `${attrs.cell}.xproj`);
      matmulOp.webgpu(gpu, [inputs[0], inputs[w], inputs[w + 2]], [xProj], { transA: false, transB: true, activation: 'none' });
      // init = [h0; c0] as [2, B, H], then the peephole weights [3·H] when the layer has them.
      const init = gpu.empty([2 * B * H + (attrs.peephole ? 3 * H : 0)], 'f32', `${attrs.cell}.init`);
      if (attrs.peephole) gpu.recorder.copy(gpu.buffer(inputs[lay.peephole(d)]), 0, gpu.buffer(init), 2 * B * H * 4, 3 * H * 4);
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
      // f16 weights (setRecurrentWeights): a packed copy of W_hh for this forward only.
      const weights = recurrentWeights(gpu) === 'f16' ? 'f16pack' : 'f32';
      const wHh = weights === 'f16pack' ? encodePackF16(gpu, inputs[w + 1], `${attrs.cell}.w_hh_f16`) : inputs[w + 1];
      const reads = [gpu.buffer(xProj), gpu.buffer(wHh), gpu.buffer(inputs[w + 3]), gpu.buffer(inputs[1]), gpu.buffer(init), gpu.buffer(inBias)];
      const writes = [gpu.buffer(outputs[0]), gpu.buffer(saved), gpu.buffer(hPrev)];
      const uniforms = (s: number) => RECURRENT_FORWARD_PARAMS.pack({ B, T, DH: lay.D * H, d_off: d * H, reverse: d, s, steps });
      const kernel = stepKernels(gpu, B, cell.gates).forward;
      const { key: shaderKey, code } = recurrentWgsl(attrs.cell, cell.wgsl, 'forward', kernel, weights);
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
        uniforms: FINALIZE_PARAMS.pack({ B, T, DH: lay.D * H, d_off: d * H, reverse: d }),
        workgroups: grid1d(B * H, 64),
      });
      // Temporaries go back to the pool; it hands them out again only after the submit.
      xProj.dispose();
      init.dispose();
      if (wHh !== inputs[w + 1]) wHh.dispose();
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
      const peepInputs = attrs.peephole ? [inputs[lay.peephole(d)]] : [];
      // f16 weights (setRecurrentWeights): backward reads the W_hh the forward read, f16-rounded (stored f32).
      const gpu = backend.kind === 'webgpu' ? (backend as WebGpuBackend) : null;
      const wHh = gpu && recurrentWeights(gpu) === 'f16' ? encodeRoundF16(gpu, inputs[w + 1], `${attrs.cell}.w_hh_f16r`) : inputs[w + 1];
      const [dGx, dGhOwn, dh0, dc0, dbIh, dbHh, dInputBias, dPeep] = runOp(
        'recurrentBackward',
        recurrentBackwardOp,
        [inputs[1], outputs[lay.saved(d)], wHh, dy, dhN, dcN, ...peepInputs],
        {
          cell: attrs.cell,
          hidden: H,
          directions: lay.D,
          direction: d,
          lengths: attrs.lengths,
          name: directionName(attrs, d),
          inputBias: wantInputBias,
          stateGrads: wantState,
          peephole: attrs.peephole,
        },
      );
      if (wHh !== inputs[w + 1]) wHh.dispose();
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
      if (attrs.peephole && needsGrad(inputs[lay.peephole(d)])) result[lay.peephole(d)] = dPeep;
    }
    result[0] = dx;
    return result;
  },
};

