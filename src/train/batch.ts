// Batches: gathers the examples at `indices` of a PreparedDataset into tensors on the
// backend, in the layout MultimodalModel expects. Only the modalities the model reads
// are uploaded. Missing texts become one <unk> token (the recurrence needs ≥ 1 step)
// and are flagged; modality dropout (training only) hides one modality of randomly
// chosen examples that have both.
import type { Backend } from '../backend/backend.ts';
import { UNK, type EncodedTargets, type PreparedDataset } from '../data/types.ts';
import { Random } from '../random.ts';
import { standardisedFrames } from '../data/series.ts';
import { standardisedAudio } from '../data/sounds-dataset.ts';
import { fusionUses, type ModelConfig } from '../models/config.ts';
import type { BatchTarget, ModelBatch } from '../models/model.ts';

export interface BatchOptions {
  /** Hide one modality of an example with this probability (0 = off). */
  modalityDropout?: number;
  /** Seed for modality dropout. */
  seed?: number;
  /** Precomputed image features [N, Fin] replacing pixels (features encoder). */
  features?: Float32Array;
}

/** Host arrays of a batch, before upload (also used by tests and the inspector). */
export interface HostBatch {
  size: number;
  pixels: Float32Array | null;
  pixelShape: number[];
  imageMissing: Float32Array | null;
  tokens: Int32Array | null;
  lengths: Int32Array | null;
  textMissing: Float32Array | null;
  T: number;
  /** Standardised series frames [B, T, F] (series datasets), else null. */
  frames: Float32Array | null;
  /** Standardised log-mel frames [B, Ta, F] and frame counts (audio models), else null. */
  audio: { frames: Float32Array; lengths: Int32Array } | null;
}

/** Gathers host arrays for the examples at `indices`. */
function gatherHost(data: PreparedDataset, config: ModelConfig, indices: ArrayLike<number>, options: BatchOptions = {}): HostBatch {
  const B = indices.length;
  if (B === 0) throw new Error('a batch needs at least one example');
  const captioning = config.task === 'captioning';
  const uses = captioning ? { text: false, image: true } : fusionUses(config.fusion);
  const S = data.imageSize;
  const imageStride = 3 * S * S;
  const imageMissing = new Float32Array(B);
  const textMissing = new Float32Array(B);
  for (let k = 0; k < B; k++) {
    const i = indices[k];
    if (!data.hasImage[i]) imageMissing[k] = 1;
    if (!data.hasText[i] || data.lengths[i] === 0) textMissing[k] = 1;
  }
  const p = options.modalityDropout ?? 0;
  if (p > 0 && uses.image && uses.text) {
    const rng = new Random(options.seed ?? 0);
    for (let k = 0; k < B; k++) {
      if (imageMissing[k] || textMissing[k]) continue;
      if (rng.next() < p) {
        if (rng.next() < 0.5) imageMissing[k] = 1;
        else textMissing[k] = 1;
      }
    }
  }
  let pixels: Float32Array | null = null;
  let pixelShape: number[] = [];
  let audio: HostBatch['audio'] = null;
  if (uses.image && config.audio) {
    if (!data.audio || data.audio.frameSize !== config.audio.frameSize) throw new Error(`the model reads audio frames of ${config.audio.frameSize} values but the dataset has ${data.audio ? data.audio.frameSize : 'no audio'}`);
    audio = standardisedAudio(data, indices);
    // A hidden clip (modality dropout) reads as silence; the model substitutes its learned vector.
    const T = data.audio.length;
    const F = data.audio.frameSize;
    for (let k = 0; k < B; k++) if (imageMissing[k]) audio.frames.fill(0, k * T * F, (k + 1) * T * F);
  } else if (uses.image) {
    if (config.image.encoder === 'features') {
      const F = config.image.inputFeatures;
      const features = options.features;
      if (!features || features.length !== data.size * F) {
        throw new Error(`the features image encoder needs precomputed features [${data.size}, ${F}]; run the ONNX encoder over the dataset first`);
      }
      pixels = new Float32Array(B * F);
      for (let k = 0; k < B; k++) pixels.set(features.subarray(indices[k] * F, (indices[k] + 1) * F), k * F);
      pixelShape = [B, F];
    } else {
      if (config.image.imageSize !== S) {
        throw new Error(`the model expects ${config.image.imageSize}px images but the dataset was prepared at ${S}px`);
      }
      pixels = new Float32Array(B * imageStride);
      for (let k = 0; k < B; k++) {
        const i = indices[k];
        if (imageMissing[k]) continue; // zeros; the model substitutes its learned vector
        pixels.set(data.images.subarray(i * imageStride, (i + 1) * imageStride), k * imageStride);
      }
      pixelShape = [B, 3, S, S];
    }
  }
  let tokens: Int32Array | null = null;
  let lengths: Int32Array | null = null;
  const T = data.maxLength;
  if (uses.text) {
    tokens = new Int32Array(B * T);
    lengths = new Int32Array(B);
    for (let k = 0; k < B; k++) {
      const i = indices[k];
      if (textMissing[k]) {
        tokens[k * T] = UNK;
        lengths[k] = 1;
      } else {
        tokens.set(data.tokens.subarray(i * T, (i + 1) * T), k * T);
        lengths[k] = data.lengths[i];
      }
    }
  }
  const frames = uses.text && data.series ? standardisedFrames(data, indices) : null;
  return {
    size: B,
    frames,
    audio,
    pixels,
    pixelShape,
    imageMissing: imageMissing.some((m) => m > 0) ? imageMissing : null,
    tokens,
    lengths,
    textMissing: textMissing.some((m) => m > 0) ? textMissing : null,
    T,
  };
}

/** Uploads a batch (inputs and targets) to `backend`. */
export function makeBatch(backend: Backend, data: PreparedDataset, config: ModelConfig, indices: ArrayLike<number>, options: BatchOptions = {}): ModelBatch {
  const host = gatherHost(data, config, indices, options);
  const B = host.size;
  const pixels = host.pixels ? backend.fromArray(host.pixels, host.pixelShape, 'f32', 'batch.pixels') : null;
  const text =
    host.tokens && host.lengths
      ? {
          tokens: backend.fromArray(host.tokens, [B, host.T], 'i32', 'batch.tokens'),
          hostTokens: host.tokens,
          lengths: host.lengths,
          frames: host.frames ? backend.fromArray(host.frames, [B, host.T, data.series!.frameSize], 'f32', 'batch.frames') : undefined,
        }
      : null;
  const audio = host.audio ? { frames: backend.fromArray(host.audio.frames, [B, data.audio!.length, data.audio!.frameSize], 'f32', 'batch.audio'), lengths: host.audio.lengths } : null;
  const batch: ModelBatch = { size: B, pixels, imageMissing: host.imageMissing, text, textMissing: host.textMissing, target: makeTarget(backend, data, data.targets, indices), audio };
  const tasks = config.extraTasks ?? [];
  if (tasks.length) {
    // Auxiliary targets by task name, in the config's order (a dataset without them trains the primary task only).
    const byName = new Map((data.extraTargets ?? []).map((e) => [e.name, e]));
    if (tasks.every((t) => byName.has(t.name))) batch.extraTargets = tasks.map((t) => makeTarget(backend, data, byName.get(t.name)!.targets, indices, `_${t.name}`));
  }
  return batch;
}

function makeTarget(backend: Backend, data: PreparedDataset, t: EncodedTargets, indices: ArrayLike<number>, labelSuffix = ''): BatchTarget {
  const B = indices.length;
  switch (t.kind) {
    case 'classification': {
      const labels = new Int32Array(B);
      for (let k = 0; k < B; k++) labels[k] = t.labels[indices[k]];
      return { kind: 'classification', labels: backend.fromArray(labels, [B], 'i32', `batch.labels${labelSuffix}`) };
    }
    case 'multilabel': {
      const C = t.classes.length;
      const y = new Float32Array(B * C);
      for (let k = 0; k < B; k++) y.set(t.labels.subarray(indices[k] * C, (indices[k] + 1) * C), k * C);
      return { kind: 'multilabel', targets: backend.fromArray(y, [B, C], 'f32', `batch.targets${labelSuffix}`) };
    }
    case 'regression': {
      const W = t.width ?? 1;
      const y = new Float32Array(B * W);
      for (let k = 0; k < B; k++) for (let j = 0; j < W; j++) y[k * W + j] = (t.values[indices[k] * W + j] - t.mean) / (t.std || 1);
      return { kind: 'regression', values: backend.fromArray(y, [B, W], 'f32', `batch.values${labelSuffix}`) };
    }
    case 'captioning': {
      const Lfull = t.tokens.length / data.size; // <bos> … <eos> <pad>…
      const L = Lfull - 1;
      const input = new Int32Array(B * L);
      const labels = new Int32Array(B * L);
      const mask = new Float32Array(B * L);
      const lengths = new Int32Array(B);
      for (let k = 0; k < B; k++) {
        const i = indices[k];
        const n = t.lengths[i] - 1; // predicted positions
        if (n < 1) throw new Error(`example ${data.ids[i]}: caption has no tokens`);
        lengths[k] = n;
        for (let s = 0; s < L; s++) {
          input[k * L + s] = t.tokens[i * Lfull + s];
          labels[k * L + s] = s < n ? t.tokens[i * Lfull + s + 1] : 0;
          mask[k * L + s] = s < n ? 1 : 0;
        }
      }
      return {
        kind: 'captioning',
        input: { tokens: backend.fromArray(input, [B, L], 'i32', 'batch.caption'), hostTokens: input, lengths },
        labels: backend.fromArray(labels, [B * L], 'i32', 'batch.captionLabels'),
        mask: backend.fromArray(mask, [B * L], 'f32', 'batch.captionMask'),
      };
    }
  }
}
