// Text encoder: token ids [B, T] → embedding [B, T, E] → stacked RNN | LSTM | GRU
// (torch.nn semantics, batch-first, ragged lengths) → text feature u = the last layer's
// final hidden state at each example's last real token, [B, D·H] (forward state, then
// the reverse state when bidirectional). The image can condition the recurrence:
// concatenated to every input (early), as initial states (init), or added to the input
// projection at every step (additive); see src/models/fusion/.
import type { Tensor } from '../tensor.ts';
import { concat } from '../ops/concat.ts';
import { embedding } from '../ops/embedding.ts';
import { expand } from '../ops/expand.ts';
import { CELLS, recurrent, type LayerParams, type RecurrentConfig, type RecurrentOptions, type RecurrentResult } from '../ops/recurrent.ts';
import type { TextEncoderConfig } from './config.ts';
import type { ParamSpec, Params } from './params.ts';

/** Names of one layer·direction's recurrent weights, PyTorch style. */
export function recurrentNames(prefix: string, layer: number, reverse: boolean) {
  const s = `l${layer}${reverse ? '_reverse' : ''}`;
  return {
    wIh: `${prefix}.weight_ih_${s}`,
    wHh: `${prefix}.weight_hh_${s}`,
    bIh: `${prefix}.bias_ih_${s}`,
    bHh: `${prefix}.bias_hh_${s}`,
  };
}

/** torch.nn.RNN/LSTM/GRU parameters: every weight and bias U(−1/√H, 1/√H). */
export function recurrentSpecs(prefix: string, t: TextEncoderConfig, inputSize: number): ParamSpec[] {
  const G = CELLS[t.cell].gates;
  const H = t.hiddenSize;
  const D = t.bidirectional ? 2 : 1;
  const init = { kind: 'uniform' as const, bound: 1 / Math.sqrt(H) };
  const specs: ParamSpec[] = [];
  for (let l = 0; l < t.numLayers; l++) {
    const inSize = l === 0 ? inputSize : D * H;
    for (let d = 0; d < D; d++) {
      const n = recurrentNames(prefix, l, d === 1);
      // The memory gate is block 1 in both PyTorch orders: LSTM i,f,g,o and GRU r,z,n.
      const keep = t.forgetBias && (t.cell === 'lstm' || t.cell === 'gru') ? [{ start: H, end: 2 * H, value: t.forgetBias }] : undefined;
      specs.push(
        { name: n.wIh, shape: [G * H, inSize], init },
        { name: n.wHh, shape: [G * H, H], init: t.identityInit ? { kind: 'identity', scale: t.identityInit } : init },
        { name: n.bIh, shape: [G * H], init, overrides: keep },
        { name: n.bHh, shape: [G * H], init, overrides: keep && [{ start: H, end: 2 * H, value: 0 }] },
      );
    }
  }
  return specs;
}

/** Embedding table (torch.nn.Embedding init: N(0, 1)) and the recurrent stack. */
export function textEncoderSpecs(prefix: string, t: TextEncoderConfig, vocabSize: number, extraInput: number): ParamSpec[] {
  return [
    { name: `${prefix}.embedding.weight`, shape: [vocabSize, t.embeddingSize], init: { kind: 'normal', std: 1 } },
    ...recurrentSpecs(`${prefix}.rnn`, t, t.embeddingSize + extraInput),
  ];
}

export interface TextConditioning {
  /** Concatenated to every token embedding: [B, F] (early fusion). */
  extraInput?: Tensor;
  /** Initial hidden (and cell) state per layer·direction, [B, H] each (init fusion). */
  h0?: Tensor[];
  c0?: Tensor[];
  /** Added to the first layer's input projection at every step, [B, G·H] per direction (additive fusion). */
  inputBias?: Tensor[];
}

export interface TextEncoding {
  /** [B, D·H]: final state of the last layer (forward ‖ reverse). */
  feature: Tensor;
  /** The recurrent result (outputs, final states, what forward saved for the inspector). */
  recurrent: RecurrentResult;
  /** Token embeddings [B, T, E] (their gradient is the per-timestep gradient view). */
  embedded: Tensor;
}

export interface TextInput {
  /** i32 [B, T]. */
  tokens: Tensor;
  /** Host copy of the ids, [B·T]. */
  hostTokens: Int32Array;
  /** Real steps per example, each in [1, T]. */
  lengths: Int32Array;
}

export function recurrentConfig(t: TextEncoderConfig, inputSize: number): RecurrentConfig {
  return { cell: t.cell, inputSize, hiddenSize: t.hiddenSize, numLayers: t.numLayers, bidirectional: t.bidirectional, dropout: t.dropout };
}

export function recurrentParamsOf(params: Params, prefix: string, t: TextEncoderConfig): { layers: LayerParams[] } {
  const D = t.bidirectional ? 2 : 1;
  const layers: LayerParams[] = [];
  for (let l = 0; l < t.numLayers; l++) {
    for (let d = 0; d < D; d++) {
      const n = recurrentNames(`${prefix}.rnn`, l, d === 1);
      layers.push({ wIh: params.get(n.wIh), wHh: params.get(n.wHh), bIh: params.get(n.bIh), bHh: params.get(n.bHh) });
    }
  }
  return { layers };
}

/** Runs the encoder named `prefix` (e.g. "text_encoder"). */
export function encodeText(
  params: Params,
  prefix: string,
  t: TextEncoderConfig,
  input: TextInput,
  conditioning: TextConditioning,
  options: { training: boolean; seed: number },
): TextEncoding {
  const T = input.tokens.shape[1];
  const embedded = embedding(params.get(`${prefix}.embedding.weight`), input.tokens, input.hostTokens);
  let x = embedded;
  if (conditioning.extraInput) x = concat([embedded, expand(conditioning.extraInput, 1, T)]);
  const recurrentOptions: RecurrentOptions = {
    h0: conditioning.h0,
    c0: conditioning.c0,
    inputBias: conditioning.inputBias,
    training: options.training,
    seed: options.seed,
  };
  const result = recurrent(x, input.lengths, recurrentParamsOf(params, prefix, t), recurrentConfig(t, x.shape[2]), recurrentOptions);
  const D = t.bidirectional ? 2 : 1;
  const last = (t.numLayers - 1) * D;
  const feature = D === 2 ? concat([result.hN[last], result.hN[last + 1]]) : result.hN[last];
  return { feature, recurrent: result, embedded };
}
