// Recurrent layers (torch.nn.RNN / LSTM / GRU semantics, batch-first): the stack with
// dropout between layers, initialisation and the gate inspector's readback, here; the
// layer op in recurrent-layer.ts, the BPTT op in recurrent-backward.ts, kernel and path
// choice in recurrent-selection.ts.
//
// One layer with both its directions is ONE tape node (`recurrentLayerOp`); its backward
// runs the fused BPTT kernel (`recurrentBackwardOp`) per direction and then forms the
// weight gradients as large GEMMs over all timesteps:
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
// converts for ONNX. The LSTM may have diagonal peephole weights (config.peephole; one
// [3·H] tensor p_i, p_f, p_o per layer·direction, the last inputs of the layer op; the
// equations are in cells/lstm/lstm.ts; ONNX LSTM's input P, which PyTorch lacks).
import type { Backend } from '../backend/backend.ts';
import { Random } from '../random.ts';
import type { HostArray, Tensor } from '../tensor.ts';
import { dropout } from './dropout.ts';
import { runOp } from './op.ts';
import { CELLS, type CellKind, type CellSpec } from './cells/index.ts';
import { layerLayout, validateLengths, type LayerAttrs, type LayerParams, type RecurrentConfig, type RecurrentParams, type RecurrencePath, recurrentLayerOp } from './recurrent-layer.ts';

export { CELLS };
export type { CellKind, CellSpec };

export { chooseRecurrencePath, setStepKernels, stepKernels } from './recurrent-selection.ts';
export { layerLayout, recurrentLayerOp, validateLengths, type LayerAttrs, type LayerParams, type RecurrencePath, type RecurrentConfig, type RecurrentParams } from './recurrent-layer.ts';
export { recurrentBackwardOp, type BackwardAttrs } from './recurrent-backward.ts';

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
    const peephole = !!config.peephole;
    if (peephole) {
      if (config.cell !== 'lstm') throw new Error(`${name}: peephole connections exist only for the LSTM cell, not ${config.cell}`);
      for (let d = 0; d < D; d++) {
        const p = params.layers[l * D + d].peephole;
        if (!p) throw new Error(`${name} ${l}: the config has peepholes but layer ${l}${d === 1 ? ' (reverse)' : ''} has no peephole weights`);
        inputs.push(p);
      }
    }
    const attrs: LayerAttrs = {
      cell: config.cell,
      hidden: H,
      directions: D as 1 | 2,
      lengths: lens,
      name: `${name} ${l}`,
      path: options.path ?? 'auto',
      inputBias: withInputBias,
      peephole,
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

/**
 * Initialises parameters like PyTorch: every weight and bias ~ U(−1/√H, 1/√H), seeded.
 * Peephole weights start at 0, so a peephole LSTM starts as the plain LSTM with the same
 * seed (the other weights draw the same numbers).
 */
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
        ...(config.peephole ? { peephole: backend.fromArray(new Float32Array(3 * H), [3 * H], 'f32', `weight_peephole_${suffix}`).param() } : {}),
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

