// The multimodal model built from a ModelConfig: image encoder + text encoder + fusion
// strategy + head, or, for captioning, image encoder + conditioned RNN decoder (the image
// reaches the decoder linearly: see initialStates and image-encoder.ts).
// `modelSpecs` lists every parameter (the one list that building, counting, checkpoints
// and export read); `MultimodalModel.forward` runs a batch; `taskLoss` scores it.
import type { Backend } from '../backend/backend.ts';
import type { Tensor } from '../tensor.ts';
import { add, mul } from '../ops/elementwise.ts';
import { reshape } from '../ops/shape.ts';
import { split } from '../ops/concat.ts';
import { softmaxCrossEntropy, mse } from '../ops/loss.ts';
import { sigmoidCrossEntropy } from '../ops/bce.ts';
import { sigmoid } from '../ops/activation.ts';
import { noGrad } from '../autograd/tape.ts';
import { cnnFlatSize, fusionUses, type ModelConfig } from './config.ts';
import { CELLS } from '../ops/recurrent.ts';
import { FUSIONS, type FusionContext } from './fusion/index.ts';
import { applyHead, headSpecs } from './heads.ts';
import { encodeImage, imageEncoderSpecs, imageFeatureActivation } from './image-encoder.ts';
import { allocateParams, countParameters, linear, linearSpecs, Params, specTensor, type ParamSpec } from './params.ts';
import { encodeText, textEncoderSpecs, type TextConditioning, type TextEncoding, type TextInput } from './text-encoder.ts';
import { textWidth } from './fusion/types.ts';
import { encodeSeries, SERIES_ENCODER, seriesEncoderSpecs, type SeriesInputBatch } from './series-encoder.ts';
import { AUDIO_ENCODER, audioEncoderSpecs, encodeAudio } from './audio-encoder.ts';

/** What a batch carries into the model; tensors live on the model's backend. */
export interface ModelBatch {
  size: number;
  /** [B, 3, S, S] images (or [B, Fin] precomputed features); null when the model ignores images. */
  pixels: Tensor | null;
  /** Host [B]: 1 where the example has no image (or it was dropped); null when none is missing. */
  imageMissing: Float32Array | null;
  /** Token ids and lengths (≥ 1; a missing text is one <unk>); null when the model ignores text. */
  text: TextInput | null;
  /** Host [B]: 1 where the example has no text; null when none is missing. */
  textMissing: Float32Array | null;
  target: BatchTarget | null;
  /** Targets of the auxiliary tasks, in `config.extraTasks` order (multi-task models with targets). */
  extraTargets?: BatchTarget[];
  /** Standardised log-mel frames and lengths (audio models read them in the image's place); absent otherwise. */
  audio?: SeriesInputBatch | null;
}

export type BatchTarget =
  | { kind: 'classification'; labels: Tensor /* i32 [B] */ }
  | { kind: 'multilabel'; targets: Tensor /* f32 [B, C] of 0/1 */ }
  | { kind: 'regression'; values: Tensor /* f32 [B, k], standardised (k = 1, or the forecast horizon) */ }
  | {
      kind: 'captioning';
      /** Decoder inputs: <bos> w₁ … w_n (ids [B, L], lengths n + 1). */
      input: TextInput;
      /** Next-token targets w₁ … w_n <eos>, flattened [B·L]. */
      labels: Tensor;
      /** [B·L]: 1 at real positions. */
      mask: Tensor;
    };

export interface ForwardResult {
  /** Logits [B, C] / standardised values [B, k] / caption logits [B·L, V]. */
  output: Tensor;
  /** The text encoder's (or caption decoder's) run, for gate capture and gradient views. */
  text: TextEncoding | null;
  /** Image feature v [B, F] when computed (an audio model: the audio feature). */
  imageFeature: Tensor | null;
  /** Auxiliary tasks' outputs, in `config.extraTasks` order: logits [B, C_k] or standardised values [B, 1]. */
  extraOutputs?: Tensor[];
  /** The audio encoder's recurrent run (audio models), for gate capture over frames. */
  audio?: TextEncoding | null;
}

/** How the caption decoder reads the image, per conditioning (the Model panel shows it). */
export const CAPTION_EQUATIONS: Record<'init' | 'early', string> = {
  init: 'v = W·CNN(image) + b,  h₀ = W_h v + b_h (linear),  hₜ = RNN(e(wₜ₋₁), hₜ₋₁),  p(wₜ) = softmax(W_o hₜ)',
  early: "v = W·CNN(image) + b,  x'ₜ = [e(wₜ₋₁) ; v],  hₜ = RNN(x'ₜ, hₜ₋₁),  p(wₜ) = softmax(W_o hₜ)",
};

const TEXT = 'text_encoder';
const DECODER = 'decoder';

/** Every parameter of the model described by `c`, in a fixed order. */
export function modelSpecs(c: ModelConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  if (c.task === 'captioning') {
    const F = c.image.featureSize;
    specs.push(...imageEncoderSpecs(c.image));
    specs.push(...textEncoderSpecs(DECODER, c.text, c.outputSize, c.fusion === 'early' ? F : 0));
    if (c.fusion === 'init') {
      const n = c.text.numLayers * c.text.hiddenSize;
      specs.push(...linearSpecs(`${DECODER}.init_h`, F, n));
      if (c.text.cell === 'lstm') specs.push(...linearSpecs(`${DECODER}.init_c`, F, n));
    }
    specs.push(...linearSpecs(`${DECODER}.out`, c.text.hiddenSize, c.outputSize));
    return specs;
  }
  const uses = fusionUses(c.fusion);
  const fusion = FUSIONS[c.fusion];
  if (uses.image) specs.push(...(c.audio ? audioEncoderSpecs(c, c.audio) : imageEncoderSpecs(c.image)));
  if (uses.text && c.series) specs.push(...seriesEncoderSpecs(SERIES_ENCODER, c.series, c.text));
  else if (uses.text) specs.push(...textEncoderSpecs(TEXT, c.text, c.text.vocabSize, fusion.extraTextInput(c)));
  const zero = { kind: 'constant' as const, value: 0 };
  if (uses.image) specs.push({ name: 'fusion.missing_image', shape: [c.image.featureSize], init: zero });
  if (uses.text) specs.push({ name: 'fusion.missing_text', shape: [textWidth(c)], init: zero });
  specs.push(...fusion.specs(c));
  for (const [prefix, width] of Object.entries(fusion.heads(c))) specs.push(...headSpecs(prefix, width, c));
  // Auxiliary heads last, so that a single-task model's parameters are unchanged.
  const fused = Object.values(fusion.heads(c))[0];
  for (const t of c.extraTasks ?? []) specs.push(...headSpecs(extraHeadName(t.name), fused, { ...c, outputSize: t.outputSize }));
  return specs;
}

/** Parameter prefix of an auxiliary task's head: `head_<task>` (e.g. head_kind.fc.weight). */
export function extraHeadName(task: string): string {
  return `head_${task}`;
}

/** Number of trainable scalars of a config. */
export function parameterCount(c: ModelConfig): number {
  return countParameters(modelSpecs(c));
}

export interface ModelCost {
  parameters: number;
  /** Estimated forward + backward FLOPs of one training step. */
  flopsPerStep: number;
}

/**
 * Parameter count (from the specs) and training FLOPs per step, estimated as
 * 6 × multiply-adds of the forward pass (forward 2, backward 4) for a batch of
 * `batchSize` examples with `textLength` tokens.
 */
export function modelCost(c: ModelConfig, batchSize: number, textLength: number): ModelCost {
  let macs = 0;
  const uses = c.task === 'captioning' ? { text: true, image: true } : fusionUses(c.fusion);
  if (uses.image) {
    const img = c.image;
    if (img.encoder === 'cnn') {
      let ch = 3;
      let s = img.imageSize;
      for (const o of img.channels) {
        macs += o * ch * 9 * s * s;
        ch = o;
        s >>= 1;
      }
      macs += cnnFlatSize(img) * img.featureSize;
    } else if (img.encoder === 'mlp') {
      macs += 3 * img.imageSize * img.imageSize * img.mlpHidden + img.mlpHidden * img.featureSize;
    } else {
      macs += img.inputFeatures * img.featureSize;
    }
  }
  if (uses.text) {
    const t = c.text;
    const D = t.bidirectional ? 2 : 1;
    const G = CELLS[t.cell].gates;
    const steps = c.task === 'captioning' ? c.caption.maxLength + 1 : textLength;
    for (let l = 0; l < t.numLayers; l++) {
      const extra = l === 0 ? (c.task === 'captioning' ? (c.fusion === 'early' ? c.image.featureSize : 0) : FUSIONS[c.fusion].extraTextInput(c)) : 0;
      const inSize = (l === 0 ? t.embeddingSize : D * t.hiddenSize) + extra;
      macs += D * G * t.hiddenSize * (inSize + t.hiddenSize) * steps;
    }
    if (c.task === 'captioning') macs += t.hiddenSize * c.outputSize * steps;
  }
  // Fusion and head layers: one multiply-add per weight.
  const parameters = parameterCount(c);
  if (c.series) macs += c.series.frameSize * c.text.embeddingSize * textLength;
  // Audio in the image's place: the frame projection and the recurrence, over ~1 s (97 frames) of audio.
  if (c.audio && uses.image) {
    const t = c.text;
    const D = t.bidirectional ? 2 : 1;
    const frames = 97;
    macs += frames * c.audio.frameSize * t.embeddingSize;
    for (let l = 0; l < t.numLayers; l++) macs += D * CELLS[t.cell].gates * t.hiddenSize * ((l === 0 ? t.embeddingSize : D * t.hiddenSize) + t.hiddenSize) * frames;
  }
  const counted = new Set(['image_encoder', 'text_encoder', SERIES_ENCODER, AUDIO_ENCODER, 'decoder']);
  for (const s of modelSpecs(c)) {
    if (s.shape.length === 2 && !counted.has(s.name.split('.')[0])) macs += s.shape[0] * s.shape[1];
  }
  return { parameters, flopsPerStep: 6 * macs * batchSize };
}

/** rows ⊙ (1 − missing) + missingVector ⊙ missing, per row; x [B, W], missing host [B]. */
function substituteMissing(x: Tensor, missing: Float32Array | null, vector: Tensor): Tensor {
  if (!missing || !missing.some((m) => m > 0)) return x;
  const [B, W] = x.shape;
  const keep = new Float32Array(B * W);
  const drop = new Float32Array(B * W);
  for (let b = 0; b < B; b++) {
    keep.fill(1 - missing[b], b * W, (b + 1) * W);
    drop.fill(missing[b], b * W, (b + 1) * W);
  }
  const backend = x.backend;
  const keepT = backend.fromArray(keep, [B, W], 'f32', 'fusion.keep');
  const dropT = backend.fromArray(drop, [B, W], 'f32', 'fusion.drop');
  return add(mul(x, keepT), mul(dropT, vector));
}

export class MultimodalModel {
  private constructor(
    readonly config: ModelConfig,
    readonly params: Params,
  ) {}

  /** Allocates and initialises the parameters of `config` on `backend`, seeded. */
  static create(backend: Backend, config: ModelConfig, seed: number): MultimodalModel {
    return new MultimodalModel(config, allocateParams(backend, modelSpecs(config), seed));
  }

  /** Wraps existing parameters (checkpoints); names and shapes must match the config. */
  static fromParams(config: ModelConfig, params: Params): MultimodalModel {
    for (const s of modelSpecs(config)) {
      const t = params.tensors.get(s.name);
      if (!t) throw new Error(`checkpoint has no parameter "${s.name}" required by this model`);
      if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
        throw new Error(`parameter "${s.name}" has shape [${t.shape.join(', ')}] but the model needs [${s.shape.join(', ')}]`);
      }
    }
    return new MultimodalModel(config, params);
  }

  forward(batch: ModelBatch, options: { training: boolean; seed: number }): ForwardResult {
    const c = this.config;
    if (c.task === 'captioning') return this.forwardCaption(batch, options);
    let text: TextEncoding | null = null;
    let imageFeature: Tensor | null = null;
    let audio: TextEncoding | null = null;
    const params = this.params;
    const ctx: FusionContext = {
      config: c,
      params,
      training: options.training,
      seed: options.seed,
      image: () => {
        if (imageFeature) return imageFeature;
        if (c.audio) {
          if (!batch.audio) throw new Error(`fusion "${c.fusion}" needs audio but the batch has none`);
          const a = encodeAudio(params, c, batch.audio, options);
          audio = a.encoding;
          imageFeature = substituteMissing(a.feature, batch.imageMissing, params.get('fusion.missing_image'));
          return imageFeature;
        }
        if (!batch.pixels) throw new Error(`fusion "${c.fusion}" needs images but the batch has none`);
        const v = encodeImage(params, c.image, batch.pixels, 'relu', options.training);
        imageFeature = substituteMissing(v, batch.imageMissing, params.get('fusion.missing_image'));
        return imageFeature;
      },
      text: (conditioning: TextConditioning, substitute: boolean) => {
        if (!batch.text) throw new Error(`fusion "${c.fusion}" needs text but the batch has none`);
        if (c.series) {
          if (!batch.text.frames) throw new Error('this series model needs numeric frames but the batch has token ids only');
          text = encodeSeries(params, SERIES_ENCODER, c.text, { frames: batch.text.frames, lengths: batch.text.lengths }, options);
        } else text = encodeText(params, TEXT, c.text, batch.text, conditioning, options);
        return substitute ? substituteMissing(text.feature, batch.textMissing, params.get('fusion.missing_text')) : text.feature;
      },
      head: (prefix, x) => {
        fused = x;
        return applyHead(params, prefix, x, c, options.training, options.seed + 17);
      },
    };
    // The fused feature: the input of the strategy's one head (auxiliary heads read it too).
    let fused: Tensor | null = null;
    const output = FUSIONS[c.fusion].forward(ctx);
    const tasks = c.extraTasks ?? [];
    if (tasks.length === 0) return { output, text, imageFeature, audio };
    const x = fused as Tensor | null;
    if (!x) throw new Error(`fusion "${c.fusion}" applied no head, so auxiliary heads have no feature to read`);
    const extraOutputs = tasks.map((t, k) => applyHead(params, extraHeadName(t.name), x, c, options.training, options.seed + 31 + k));
    return { output, text, imageFeature, audio, extraOutputs };
  }

  private forwardCaption(batch: ModelBatch, options: { training: boolean; seed: number }): ForwardResult {
    if (!batch.pixels) throw new Error('captioning needs images but the batch has none');
    if (batch.target?.kind !== 'captioning') throw new Error('captioning batch has no caption target');
    const v = this.captionImageFeature(batch.pixels, options.training);
    const enc = this.decode(v, batch.target.input, this.initialStates(v), options);
    return { output: enc.logits, text: enc.text, imageFeature: v };
  }

  /** The caption decoder's image feature v [B, F] (linear, see image-encoder.ts); batch norm in evaluation mode unless `training`. */
  captionImageFeature(pixels: Tensor, training = false): Tensor {
    return encodeImage(this.params, this.config.image, pixels, imageFeatureActivation(this.config), training);
  }

  /**
   * Decoder initial states from the image (init conditioning): h₀ = W_h v + b_h (and
   * c₀ = W_c v + b_c), linear, else none. A tanh here saturated: the decoder pushes h₀
   * towards ±1, |W_h v + b_h| grew past 200 within ~40 steps, tanh′ became exactly 0 in
   * float32 and no gradient reached the image again (every image, the same caption).
   */
  initialStates(v: Tensor): TextConditioning {
    const c = this.config;
    if (c.fusion === 'early') return { extraInput: v };
    const sizes = new Array<number>(c.text.numLayers).fill(c.text.hiddenSize);
    const h0 = split(linear(this.params, `${DECODER}.init_h`, v), sizes);
    const c0 = c.text.cell === 'lstm' ? split(linear(this.params, `${DECODER}.init_c`, v), sizes) : undefined;
    return { h0, c0 };
  }

  /** Runs the caption decoder over `input` and projects every step to the vocabulary: logits [B·L, V]. */
  decode(v: Tensor, input: TextInput, conditioning: TextConditioning, options: { training: boolean; seed: number }): { logits: Tensor; text: TextEncoding } {
    const c = this.config;
    const cond = c.fusion === 'early' ? { ...conditioning, extraInput: v } : conditioning;
    const text = encodeText(this.params, DECODER, c.text, input, cond, options);
    const y = text.recurrent.output; // [B, L, H]
    const [B, L, H] = y.shape;
    return { logits: linear(this.params, `${DECODER}.out`, reshape(y, [B * L, H])), text };
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Builds a model from named host weights, checking names and shapes against the config. */
export function modelFromWeights(backend: Backend, config: ModelConfig, weights: Record<string, Float32Array>): MultimodalModel {
  const map = new Map<string, Tensor>();
  for (const s of modelSpecs(config)) {
    const w = weights[s.name];
    if (!w) throw new Error(`the saved weights have no parameter "${s.name}" required by this model`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (w.length !== n) throw new Error(`saved parameter "${s.name}" has ${w.length} values but the model needs [${s.shape.join(', ')}] (${n})`);
    map.set(s.name, specTensor(backend, s, w));
  }
  return MultimodalModel.fromParams(config, new Params(map));
}

export interface TaskLoss {
  /** Scalar mean loss. */
  loss: Tensor;
  /** Probabilities (softmax / sigmoid) or predictions, for metrics; not differentiable. */
  scores: Tensor;
}

export interface MultiTaskLoss extends TaskLoss {
  /** Primary task's own loss (equal to `loss` for a single-task model). */
  primary: Tensor;
  /** Auxiliary tasks' own (unweighted) losses and scores, in `config.extraTasks` order. */
  extras: TaskLoss[];
}

/**
 * The loss a multi-task model trains on: L = L_primary + Σ_k w_k · L_k, each L the
 * task's own loss (taskLoss) of its head, w_k the task's weight. A single-task model
 * (or a batch without auxiliary targets) gets its task loss unchanged.
 */
export function multiTaskLoss(config: ModelConfig, batch: ModelBatch, out: ForwardResult): MultiTaskLoss {
  const primary = taskLoss(batch, out.output);
  const tasks = config.extraTasks ?? [];
  if (tasks.length === 0 || !batch.extraTargets || !out.extraOutputs) return { ...primary, primary: primary.loss, extras: [] };
  let total = primary.loss;
  const extras = tasks.map((t, k) => {
    const r = targetLoss(batch.extraTargets![k], out.extraOutputs![k]);
    const w = total.backend.fromArray(new Float32Array([t.weight]), [], 'f32', `loss.weight_${t.name}`);
    total = add(total, mul(r.loss, w));
    return r;
  });
  return { loss: total, scores: primary.scores, primary: primary.loss, extras };
}

/** The task's loss of a forward output against the batch target. */
export function taskLoss(batch: ModelBatch, output: Tensor): TaskLoss {
  const target = batch.target;
  if (!target) throw new Error('the batch has no target to compute a loss against');
  return targetLoss(target, output);
}

function targetLoss(target: BatchTarget, output: Tensor): TaskLoss {
  switch (target.kind) {
    case 'classification': {
      const r = softmaxCrossEntropy(output, target.labels);
      return { loss: r.loss, scores: r.probs };
    }
    case 'multilabel': {
      const loss = sigmoidCrossEntropy(output, target.targets);
      return { loss, scores: noGrad(() => sigmoid(output)) };
    }
    case 'regression':
      return { loss: mse(output, target.values), scores: output };
    case 'captioning': {
      const r = softmaxCrossEntropy(output, target.labels, target.mask);
      return { loss: r.loss, scores: r.probs };
    }
  }
}
