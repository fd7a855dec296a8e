// The whole trained model as one ONNX graph (opset 17, standard operators only), built
// from a ModelConfig and named host weights. The graph computes exactly what
// MultimodalModel.forward computes in evaluation mode (no dropout):
//   image encoder  Conv / Relu / MaxPool / Flatten / Gemm (cnn), Gemm / Relu (mlp, features);
//                  the last Relu is left out for captioning (a linear image feature)
//   text encoder   Gather (embedding) → per layer: Transpose → LSTM | GRU | RNN (layout 0,
//                  sequence_lens for ragged batches) → Transpose / Reshape
//   fusion + head  Concat / Add / Mul / Sub / Sigmoid / Tanh / Gemm as each strategy's
//                  equation says (src/models/fusion/*.ts)
// The batch dimension ("batch") and the text length ("time") are dynamic.
//
// Inputs (only those the model reads):
//   image          f32 [batch, 3, S, S]   NCHW, normalised like the dataset ([−1, 1])
//   image_features f32 [batch, Fin]       instead of `image` for the `features` encoder
//   image_present  f32 [batch]            1 = the row has an image, 0 = missing (the learned
//                                         `fusion.missing_image` vector replaces its feature)
//   tokens         i32 [batch, time]      token ids, padded with anything in [0, V)
//   lengths        i32 [batch]            real tokens per row, ≤ time
//   frames         f32 [batch, time, F]   series models instead of tokens: numeric frames,
//                                         standardised per feature ((x − mean)/std of the
//                                         training split), zeros past each row's length;
//                                         with `lengths` (1 ≤ length ≤ time), no text_present
//   audio_frames   f32 [batch, audio_time, F]  audio models instead of `image`: log-mel frames
//                                         (F bands), standardised per band with the training
//                                         split's mean and std, zeros past each row's length
//   audio_lengths  i32 [batch]            real frames per row (1 ≤ length ≤ audio_time)
//   audio_present  f32 [batch]            1 = the row has a clip, 0 = missing (`fusion.missing_image`)
//   text_present   f32 [batch]            1 = the row has a text, 0 = missing. A row with
//                                         text_present 0 or length 0 is read as one <unk>
//                                         token, as GateScope does, and (for strategies that
//                                         substitute) its feature becomes `fusion.missing_text`
// Outputs:
//   logits         f32 [batch, C]         classification / multilabel
//   probabilities  f32 [batch, C]         softmax (classification) or sigmoid (multilabel)
//   value          f32 [batch, k]         regression (k = 1, or the forecast horizon), standardised as GateScope trains it
//   value_in_target_units f32 [batch, 1]  value · std + mean (when the export is given them)
// Captioning exports the image encoder and the teacher-forced decoder:
//   inputs  image, tokens (the caption prefix: <bos> w₁ … w_k, padded), lengths (k + 1)
//   outputs logits [batch, time, V] (position t scores the token after tokens[:, t]; padded
//           positions hold the output bias) and next_logits [batch, V] (the scores of the
//           token following each row's prefix, i.e. logits at position lengths − 1).
//   Greedy decoding: start from [<bos>], append argmax(next_logits), run again.
import { UNK, type PreparedDataset } from '../data/types.ts';
import { fusionUses, validateModelConfig, type ModelConfig } from '../models/config.ts';
import type { LinearActivation, OnnxGraph, RecurrentDirectionWeights } from '../models/emitters.ts';
import { captionDecoderOnnx } from '../models/caption-decoder.ts';
import { FUSIONS } from '../models/fusion/index.ts';
import { headOnnx } from '../models/heads.ts';
import { extraHeadName, modelSpecs } from '../models/model.ts';
import { imageEncoderOnnx, imageFeatureActivation } from '../models/image-encoder.ts';
import type { ParamSpec } from '../models/params.ts';
import { textEncoderOnnx } from '../models/text-encoder.ts';
import { SERIES_ENCODER, seriesEncoderOnnx } from '../models/series-encoder.ts';
import { standardisedFrames } from '../data/series.ts';
import { standardisedAudio } from '../data/sounds-dataset.ts';
import { audioEncoderOnnx } from '../models/audio-encoder.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { encodeModel, ONNX_FLOAT, ONNX_INT8, ONNX_INT32, ONNX_INT64, type AttributeValue, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto.ts';
import { ONNX_OP, onnxRecurrentAttributes, onnxRecurrentWeights } from './onnx-recurrent.ts';
import { quantizeRows } from './quantize.ts';

/** One documented input or output of the exported graph. */
export interface OnnxIoDoc {
  name: string;
  type: 'float32' | 'int32';
  /** Numbers are fixed sizes; "batch" and "time" are dynamic. */
  shape: (number | string)[];
  description: string;
}

export interface OnnxExportOptions {
  /** Regression: the target's mean and standard deviation, adds `value_in_target_units`. */
  targetScale?: { mean: number; std: number };
  producerVersion?: string;
  /**
   * Store the weight matrices (every parameter of two or more axes, and the recurrent W
   * and R) as int8 with one float scale per output row, each read through a
   * DequantizeLinear node (export/quantize.ts). The rest of the graph stays float32.
   */
  int8Weights?: boolean;
}

export interface OnnxExport {
  /** The .onnx file. */
  bytes: Uint8Array;
  inputs: OnnxIoDoc[];
  outputs: OnnxIoDoc[];
  /** With int8Weights: the initializers stored as int8 (GateScope parameter or recurrent W / R names). */
  int8?: string[];
}

/** Host tensors to feed the exported graph, by input name. */
export type OnnxFeeds = Record<string, { type: 'float32' | 'int32'; data: Float32Array | Int32Array; dims: number[] }>;

/** The inputs and outputs the graph of `config` has, with their meaning. */
export function onnxInterface(config: ModelConfig, options: OnnxExportOptions = {}): { inputs: OnnxIoDoc[]; outputs: OnnxIoDoc[] } {
  const c = config;
  const captioning = c.task === 'captioning';
  const uses = captioning ? { text: true, image: true } : fusionUses(c.fusion);
  const S = c.image.imageSize;
  const inputs: OnnxIoDoc[] = [];
  if (uses.image && c.audio && !captioning) {
    inputs.push({ name: 'audio_frames', type: 'float32', shape: ['batch', 'audio_time', c.audio.frameSize], description: 'log-mel frames, standardised per band with the training split’s mean and std; zeros past each row’s length' });
    inputs.push({ name: 'audio_lengths', type: 'int32', shape: ['batch'], description: 'real frames per row (1 ≤ length ≤ audio_time)' });
    inputs.push({ name: 'audio_present', type: 'float32', shape: ['batch'], description: '1 where the row has a clip, 0 where it is missing' });
  } else if (uses.image) {
    if (c.image.encoder === 'features') {
      inputs.push({ name: 'image_features', type: 'float32', shape: ['batch', c.image.inputFeatures], description: 'precomputed image features (the features encoder)' });
    } else {
      inputs.push({ name: 'image', type: 'float32', shape: ['batch', 3, S, S], description: 'NCHW images normalised to [−1, 1] as (v/255 − 0.5)/0.5' });
    }
    if (!captioning) inputs.push({ name: 'image_present', type: 'float32', shape: ['batch'], description: '1 where the row has an image, 0 where it is missing' });
  }
  if (uses.text && c.series) {
    inputs.push({ name: 'frames', type: 'float32', shape: ['batch', 'time', c.series.frameSize], description: 'numeric frames, standardised per feature with the training split’s mean and std; zeros past each row’s length' });
    inputs.push({ name: 'lengths', type: 'int32', shape: ['batch'], description: 'real frames per row (1 ≤ length ≤ time)' });
  } else if (uses.text) {
    inputs.push({
      name: 'tokens',
      type: 'int32',
      shape: ['batch', 'time'],
      description: captioning ? 'caption prefix ids: <bos> w₁ … w_k, padded' : 'token ids of the text, padded (ids in [0, vocabulary size))',
    });
    inputs.push({ name: 'lengths', type: 'int32', shape: ['batch'], description: captioning ? 'prefix length k + 1 per row (1 ≤ length ≤ time)' : 'real tokens per row (≤ time; 0 = no text)' });
    if (!captioning) inputs.push({ name: 'text_present', type: 'float32', shape: ['batch'], description: '1 where the row has a text, 0 where it is missing (read as one <unk> token)' });
  }
  const outputs: OnnxIoDoc[] = [];
  const C = c.outputSize;
  switch (c.task) {
    case 'classification':
      outputs.push({ name: 'logits', type: 'float32', shape: ['batch', C], description: 'class scores before softmax' });
      outputs.push({ name: 'probabilities', type: 'float32', shape: ['batch', C], description: 'softmax of the logits' });
      break;
    case 'multilabel':
      outputs.push({ name: 'logits', type: 'float32', shape: ['batch', C], description: 'per-label scores before the sigmoid' });
      outputs.push({ name: 'probabilities', type: 'float32', shape: ['batch', C], description: 'sigmoid of the logits, per label' });
      break;
    case 'regression':
      outputs.push({ name: 'value', type: 'float32', shape: ['batch', C], description: C > 1 ? `the next ${C} values, standardised ((y − mean)/std) as GateScope trains them` : 'prediction, standardised ((y − mean)/std) as GateScope trains it' });
      if (options.targetScale) outputs.push({ name: 'value_in_target_units', type: 'float32', shape: ['batch', C], description: `value · ${options.targetScale.std} + ${options.targetScale.mean}` });
      break;
    case 'captioning':
      outputs.push({ name: 'logits', type: 'float32', shape: ['batch', 'time', C], description: 'scores of the token after each prefix position' });
      outputs.push({ name: 'next_logits', type: 'float32', shape: ['batch', C], description: 'scores of the token after each whole prefix (position lengths − 1)' });
      break;
  }
  outputs.push(...extraTaskOutputs(c));
  return { inputs, outputs };
}

/**
 * The outputs of a multi-task model's auxiliary heads, after the primary ones (whose names
 * do not change): `<task>_logits` and `<task>_probabilities`, or `<task>_value`.
 */
function extraTaskOutputs(c: ModelConfig): OnnxIoDoc[] {
  return (c.extraTasks ?? []).flatMap((t): OnnxIoDoc[] => {
    const shape = ['batch', t.outputSize];
    if (t.kind === 'regression') return [{ name: `${t.name}_value`, type: 'float32', shape, description: `task "${t.name}": prediction, standardised ((y − mean)/std) with its training split's mean and std` }];
    const multi = t.kind === 'multilabel';
    return [
      { name: `${t.name}_logits`, type: 'float32', shape, description: `task "${t.name}": ${multi ? 'per-label scores before the sigmoid' : 'class scores before softmax'}` },
      { name: `${t.name}_probabilities`, type: 'float32', shape, description: `task "${t.name}": ${multi ? 'sigmoid of the logits, per label' : 'softmax of the logits'}` },
    ];
  });
}

/** Builds nodes and initializers with unique value names; the model's parts emit into it. */
class GraphBuilder implements OnnxGraph {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly added = new Set<string>();
  private constants = 0;
  /** Recurrent W / R arrays made by recurrentWeights, to be stored as int8 when init() gets them. */
  private readonly pendingInt8 = new Map<ArrayLike<number>, number>();
  /** Names of the initializers stored as int8. */
  readonly int8: string[] = [];

  constructor(
    private readonly specs: Map<string, ParamSpec>,
    private readonly weights: Record<string, Float32Array>,
    private readonly int8Weights = false,
  ) {}

  /**
   * `name` as DequantizeLinear(name.int8, name.scale) with one scale per row of `rows`:
   * the int8 tensor is [rows, n / rows], reshaped to `dims` when they differ.
   */
  private int8Init(name: string, dims: number[], data: ArrayLike<number>, rows: number): string {
    const { q, scale } = quantizeRows(data, rows);
    const qName = this.fresh(`${name}.int8`);
    const sName = this.fresh(`${name}.scale`);
    const flat = [rows, data.length / rows];
    this.initializers.push({ name: qName, dims: flat, data: q, dataType: ONNX_INT8 });
    this.initializers.push({ name: sName, dims: [rows], data: scale });
    this.int8.push(name);
    if (dims.length === 2 && dims[0] === rows) {
      this.used.add(name);
      this.nodes.push({ opType: 'DequantizeLinear', inputs: [qName, sName], outputs: [name], attributes: { axis: 0 }, name: this.fresh(`DequantizeLinear:${name}`) });
      return name;
    }
    const deq = this.node('DequantizeLinear', [qName, sName], `${name}.dequantized`, { axis: 0 });
    const shape = this.ints(dims);
    this.used.add(name);
    this.nodes.push({ opType: 'Reshape', inputs: [deq, shape], outputs: [name], name: this.fresh(`Reshape:${name}`) });
    return name;
  }

  /** A value name not used yet, derived from `base`. */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node; returns its output names (fresh names derived from `out`). */
  op(opType: string, inputs: string[], out: string | string[], attributes?: Record<string, AttributeValue>): string[] {
    const outputs = (Array.isArray(out) ? out : [out]).map((o) => (o === '' ? '' : this.fresh(o)));
    this.nodes.push({ opType, inputs, outputs, attributes, name: this.fresh(`${opType}:${outputs.find((o) => o) ?? opType}`) });
    return outputs;
  }

  node(opType: string, inputs: string[], out: string, attributes?: Record<string, AttributeValue>): string {
    return this.op(opType, inputs, out, attributes)[0];
  }

  init(name: string, dims: number[], data: ArrayLike<number>): string {
    if (this.used.has(name)) throw new Error(`ONNX export: initializer "${name}" is defined twice`);
    const rows = this.pendingInt8.get(data);
    if (rows !== undefined) return this.int8Init(name, dims, data, rows);
    this.used.add(name);
    this.initializers.push({ name, dims, data });
    return name;
  }

  param(name: string): string {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`ONNX export: model has no parameter "${name}"`);
    if (!this.added.has(name)) {
      if (this.int8Weights && spec.shape.length >= 2) this.int8Init(name, spec.shape, this.weights[name], spec.shape[0]);
      else this.init(name, spec.shape, this.weights[name]);
    }
    this.added.add(name);
    return name;
  }

  weight(name: string): Float32Array {
    return this.weights[name];
  }

  /** A constant initializer (int64 for shapes and axes, int32 or float for values). */
  private constant(values: number[], dataType: number, dims: number[], base: string): string {
    const name = this.fresh(`${base}_${this.constants++}`);
    this.initializers.push({ name, dims, data: values, dataType });
    return name;
  }

  floats(values: number[], dims: number[], base: string): string {
    return this.constant(values, ONNX_FLOAT, dims, base);
  }

  int32s(values: number[], dims: number[], base: string): string {
    return this.constant(values, ONNX_INT32, dims, base);
  }

  ints(values: number[]): string {
    return this.constant(values, ONNX_INT64, [values.length], 'i64');
  }

  linear(prefix: string, x: string, activation: LinearActivation = 'none'): string {
    const y = this.node('Gemm', [x, this.param(`${prefix}.weight`), this.param(`${prefix}.bias`)], `${prefix}.out`, { transB: 1 });
    if (activation === 'none') return y;
    const op = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid' }[activation];
    return this.node(op, [y], `${prefix}.${activation}`);
  }

  recurrentWeights(cell: CellKind, H: number, I: number, directions: RecurrentDirectionWeights[]) {
    const w = onnxRecurrentWeights(cell, H, I, directions);
    if (this.int8Weights) {
      // W [D, G·H, I] and R [D, G·H, H]: one scale per gate row of each direction. A gate
      // row of ours moves whole to its ONNX place, so its scale is the one of our row.
      const rows = w.B.length / 2;
      this.pendingInt8.set(w.W, rows);
      this.pendingInt8.set(w.R, rows);
    }
    return w;
  }

  recurrent(cell: CellKind, H: number, bidirectional: boolean, inputs: string[], outputs: [string, string]): [string, string] {
    const [Y, Yh] = this.op(ONNX_OP[cell], inputs, outputs, onnxRecurrentAttributes(cell, H, bidirectional));
    return [Y, Yh];
  }
}

/** Exports the model of `config` with `weights` (by parameter name) as an ONNX model. */
export function exportOnnx(config: ModelConfig, weights: Record<string, Float32Array>, options: OnnxExportOptions = {}): OnnxExport {
  const c = config;
  const problems = validateModelConfig(c);
  if (problems.length) throw new Error(`ONNX export: the model config is invalid: ${problems.join(' ')}`);
  for (const s of modelSpecs(c)) {
    const w = weights[s.name];
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (!w) throw new Error(`ONNX export: the weights have no parameter "${s.name}" required by this model`);
    if (w.length !== n) throw new Error(`ONNX export: parameter "${s.name}" has ${w.length} values but the model needs [${s.shape.join(', ')}] (${n})`);
  }
  const g = new GraphBuilder(new Map(modelSpecs(c).map((s) => [s.name, s])), weights, options.int8Weights);
  const io = onnxInterface(c, options);
  for (const v of [...io.inputs, ...io.outputs]) g.fresh(v.name);
  const outputs: string[] = [];
  const emit = (from: string, name: string) => {
    g.nodes.push({ opType: 'Identity', inputs: [from], outputs: [name], name: `Identity:${name}` });
    outputs.push(name);
  };
  if (c.task === 'captioning') {
    captionDecoderOnnx(g, c, imageEncoderOnnx(g, c.image, imageFeatureActivation(c)), emit);
  } else {
    const { output: y, extras } = fusionModelOnnx(g, c);
    (c.extraTasks ?? []).forEach((t, k) => {
      if (t.kind === 'regression') emit(extras[k], `${t.name}_value`);
      else {
        emit(extras[k], `${t.name}_logits`);
        emit(g.node(t.kind === 'multilabel' ? 'Sigmoid' : 'Softmax', [extras[k]], `${t.name}_probabilities.out`, t.kind === 'multilabel' ? undefined : { axis: 1 }), `${t.name}_probabilities`);
      }
    });
    if (c.task === 'regression') {
      emit(y, 'value');
      if (options.targetScale) {
        const { mean, std } = options.targetScale;
        const scaled = g.node('Mul', [y, g.floats([std || 1], [], 'std')], 'value.scaled');
        emit(g.node('Add', [scaled, g.floats([mean], [], 'mean')], 'value.units'), 'value_in_target_units');
      }
    } else {
      emit(y, 'logits');
      emit(g.node(c.task === 'multilabel' ? 'Sigmoid' : 'Softmax', [y], 'probabilities.out', c.task === 'multilabel' ? undefined : { axis: 1 }), 'probabilities');
    }
  }

  const valueInfo = (d: OnnxIoDoc): OnnxValueInfo => ({ name: d.name, elemType: d.type === 'int32' ? ONNX_INT32 : ONNX_FLOAT, shape: d.shape, doc: d.description });
  const outputDocs = io.outputs.filter((o) => outputs.includes(o.name));
  const bytes = encodeModel(
    {
      name: `gatescope_${c.task}_${c.fusion}_${c.text.cell}`,
      doc: `GateScope ${c.task} model (${c.fusion} fusion, ${c.text.cell}); inputs ${io.inputs.map((i) => i.name).join(', ')}`,
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: io.inputs.map(valueInfo),
      outputs: outputDocs.map(valueInfo),
    },
    17,
    options.producerVersion,
  );
  return { bytes, inputs: io.inputs, outputs: outputDocs, ...(options.int8Weights ? { int8: g.int8 } : {}) };
}

/**
 * The classification / multilabel / regression model: the inputs it reads (presence as
 * exact 0/1, a missing text as one <unk> token), then its fusion strategy's nodes, which
 * run the encoders and heads through the context. Returns ŷ [batch, outputSize] and the
 * auxiliary heads' outputs (config.extraTasks order), read from the primary head's input.
 */
function fusionModelOnnx(g: GraphBuilder, c: ModelConfig): { output: string; extras: string[] } {
  const uses = fusionUses(c.fusion);
  let oneName = '';
  /** The f32 scalar 1 (added on first use). */
  const scalarOne = () => (oneName ||= g.floats([1], [], 'one'));
  /** x ⊙ p + (1 − p) ⊙ vector per row, p [batch] of 0/1 (substituteMissing in model.ts). */
  const substitute = (x: string, present: string, vectorName: string): string => {
    const p = g.node('Unsqueeze', [present, g.ints([1])], `${vectorName}.p`);
    const q = g.node('Sub', [scalarOne(), p], `${vectorName}.q`);
    const kept = g.node('Mul', [x, p], `${vectorName}.kept`);
    const fill = g.node('Mul', [q, g.param(vectorName)], `${vectorName}.fill`);
    return g.node('Add', [kept, fill], `${vectorName}.out`);
  };
  let v = '';
  if (uses.image && c.audio) {
    const audioPresent = g.node('Cast', [g.node('Greater', ['audio_present', g.floats([0.5], [], 'half')], 'audio_present.bool')], 'audio_present.01', { to: ONNX_FLOAT });
    v = substitute(audioEncoderOnnx(g, c, c.audio, 'audio_frames', 'audio_lengths'), audioPresent, 'fusion.missing_image');
  } else if (uses.image) {
    // Presence as exact 0/1 floats: image_present > 0.5.
    const imagePresent = g.node('Cast', [g.node('Greater', ['image_present', g.floats([0.5], [], 'half')], 'image_present.bool')], 'image_present.01', { to: ONNX_FLOAT });
    v = substitute(imageEncoderOnnx(g, c.image, imageFeatureActivation(c)), imagePresent, 'fusion.missing_image');
  }
  let tokens = '';
  let lengths = '';
  let textPresent = '';
  if (uses.text && !c.series) {
    // Missing text (text_present 0 or length 0) → one <unk> token, as the batch builder does.
    const hasText = g.node(
      'And',
      [
        g.node('Greater', ['text_present', g.floats([0.5], [], 'half')], 'text_present.bool'),
        g.node('Greater', ['lengths', g.int32s([0], [], 'zero_i32')], 'lengths.positive'),
      ],
      'text.present',
    );
    textPresent = g.node('Cast', [hasText], 'text.present01', { to: ONNX_FLOAT });
    const rowHasText = g.node('Unsqueeze', [hasText, g.ints([1])], 'text.present_b1');
    tokens = g.node('Where', [rowHasText, 'tokens', g.int32s([UNK], [], 'unk')], 'text.tokens');
    lengths = g.node('Where', [hasText, 'lengths', g.int32s([1], [], 'one_i32')], 'text.lengths');
  }
  let fused = '';
  const output = FUSIONS[c.fusion].onnx({
    config: c,
    graph: g,
    image: () => v,
    text: (cond, substituted) => {
      // A series row always has its frames: nothing to substitute (as in MultimodalModel.forward).
      if (c.series) return seriesEncoderOnnx(g, c.series, c.text, SERIES_ENCODER, 'frames', 'lengths').feature;
      const u = textEncoderOnnx(g, c.text, 'text_encoder', tokens, lengths, cond).feature;
      return substituted ? substitute(u, textPresent, 'fusion.missing_text') : u;
    },
    head: (prefix, x) => {
      fused = x;
      return headOnnx(g, prefix, x, c);
    },
  });
  const extras = (c.extraTasks ?? []).map((t) => headOnnx(g, extraHeadName(t.name), fused, c));
  return { output, extras };
}

export interface FeedOptions {
  /** Precomputed image features [N, Fin] (the features encoder). */
  features?: Float32Array;
}

/**
 * The exported graph's inputs for the examples at `indices` of a dataset, as stored:
 * missing images are zeros with image_present 0, missing texts have length 0 with
 * text_present 0 (the graph reads them as one <unk> token). Captioning feeds the
 * teacher-forced caption prefix (<bos> w₁ … w_n) with lengths n + 1, as the trainer does.
 */
export function onnxFeeds(config: ModelConfig, data: PreparedDataset, indices: ArrayLike<number>, options: FeedOptions = {}): OnnxFeeds {
  const c = config;
  const B = indices.length;
  if (B === 0) throw new Error('ONNX feeds: no examples');
  const captioning = c.task === 'captioning';
  const uses = captioning ? { text: true, image: true } : fusionUses(c.fusion);
  const feeds: OnnxFeeds = {};
  if (uses.image && c.audio && !captioning) {
    if (!data.audio || data.audio.frameSize !== c.audio.frameSize) throw new Error(`ONNX feeds: the model reads audio frames of ${c.audio.frameSize} values but the dataset has ${data.audio ? data.audio.frameSize : 'no audio'}`);
    const a = standardisedAudio(data, indices);
    feeds.audio_frames = { type: 'float32', data: a.frames, dims: [B, data.audio.length, c.audio.frameSize] };
    feeds.audio_lengths = { type: 'int32', data: a.lengths, dims: [B] };
    feeds.audio_present = { type: 'float32', data: Float32Array.from({ length: B }, (_, k) => (data.hasImage[indices[k]] ? 1 : 0)), dims: [B] };
  } else if (uses.image) {
    if (c.image.encoder === 'features') {
      const F = c.image.inputFeatures;
      const f = options.features;
      if (!f || f.length !== data.size * F) throw new Error(`ONNX feeds: the features encoder needs precomputed features [${data.size}, ${F}]`);
      const out = new Float32Array(B * F);
      for (let k = 0; k < B; k++) out.set(f.subarray(indices[k] * F, (indices[k] + 1) * F), k * F);
      feeds.image_features = { type: 'float32', data: out, dims: [B, F] };
    } else {
      const S = data.imageSize;
      if (S !== c.image.imageSize) throw new Error(`ONNX feeds: the model expects ${c.image.imageSize}px images but the dataset has ${S}px`);
      const stride = 3 * S * S;
      const out = new Float32Array(B * stride);
      for (let k = 0; k < B; k++) out.set(data.images.subarray(indices[k] * stride, (indices[k] + 1) * stride), k * stride);
      feeds.image = { type: 'float32', data: out, dims: [B, 3, S, S] };
    }
    if (!captioning) feeds.image_present = { type: 'float32', data: Float32Array.from({ length: B }, (_, k) => (data.hasImage[indices[k]] ? 1 : 0)), dims: [B] };
  }
  if (captioning) {
    const t = data.targets;
    if (t.kind !== 'captioning') throw new Error('ONNX feeds: a captioning model needs a captioning dataset');
    const Lfull = t.tokens.length / data.size;
    const L = Lfull - 1;
    const tokens = new Int32Array(B * L);
    const lengths = new Int32Array(B);
    for (let k = 0; k < B; k++) {
      const i = indices[k];
      tokens.set(t.tokens.subarray(i * Lfull, i * Lfull + L), k * L);
      lengths[k] = t.lengths[i] - 1;
    }
    feeds.tokens = { type: 'int32', data: tokens, dims: [B, L] };
    feeds.lengths = { type: 'int32', data: lengths, dims: [B] };
  } else if (uses.text && c.series) {
    if (!data.series || data.series.frameSize !== c.series.frameSize) throw new Error(`ONNX feeds: the model reads frames of ${c.series.frameSize} values but the dataset has ${data.series ? data.series.frameSize : 'no series'}`);
    feeds.frames = { type: 'float32', data: standardisedFrames(data, indices), dims: [B, data.series.length, c.series.frameSize] };
    feeds.lengths = { type: 'int32', data: Int32Array.from({ length: B }, (_, k) => data.lengths[indices[k]]), dims: [B] };
  } else if (uses.text) {
    const T = data.maxLength;
    const tokens = new Int32Array(B * T);
    const lengths = new Int32Array(B);
    const present = new Float32Array(B);
    for (let k = 0; k < B; k++) {
      const i = indices[k];
      tokens.set(data.tokens.subarray(i * T, (i + 1) * T), k * T);
      lengths[k] = data.lengths[i];
      present[k] = data.hasText[i] ? 1 : 0;
    }
    feeds.tokens = { type: 'int32', data: tokens, dims: [B, T] };
    feeds.lengths = { type: 'int32', data: lengths, dims: [B] };
    feeds.text_present = { type: 'float32', data: present, dims: [B] };
  }
  return feeds;
}
