// Audio clips as a dataset: `audioInput` turns mono 16 kHz clips into log-mel frames
// (audio-features.ts) with per-band statistics of the training split, and
// `soundsDataset` makes the built-in "Sounds & Questions" (sounds.ts) a PreparedDataset:
// the question is the text, the answer the class, the clip's frames the audio that
// takes the image's place (PreparedDataset.audio). Pure: runs in Node, the page and workers.
import { LOG_MEL, logMel } from './audio-features.ts';
import { prepareDataset } from './prepare.ts';
import { generateSounds, SOUND_QUESTIONS, type SoundQuestion, type SoundsExample } from './sounds.ts';
import type { AudioInput, PreparedDataset, RawExample, SplitConfig, TokenizerConfig } from './types.ts';

export interface SoundsSettings {
  /** Examples in all. */
  count: number;
  seed: number;
  /** Question kinds asked, in turn. */
  kinds: SoundQuestion[];
}

export const SOUNDS_DEFAULTS: SoundsSettings = { count: 1200, seed: 1, kinds: [...SOUND_QUESTIONS] };

/** Log-mel frames of every clip (null: the example has no clip), standardised later with the `train` rows' statistics. */
export function audioInput(clips: readonly (Float32Array | null)[], train: ArrayLike<number>): AudioInput {
  const F = LOG_MEL.nMels;
  const mels = clips.map((c) => (c ? logMel(c) : { frames: 0, data: new Float32Array(0) }));
  const T = Math.max(1, ...mels.map((m) => m.frames));
  const N = clips.length;
  const frames = new Float32Array(N * T * F);
  const lengths = new Int32Array(N);
  mels.forEach((m, i) => {
    frames.set(m.data, i * T * F);
    lengths[i] = m.frames;
  });
  const sum = new Float64Array(F);
  const sq = new Float64Array(F);
  let n = 0;
  for (let k = 0; k < train.length; k++) {
    const i = train[k];
    for (let t = 0; t < lengths[i]; t++) {
      for (let f = 0; f < F; f++) {
        const v = frames[(i * T + t) * F + f];
        sum[f] += v;
        sq[f] += v * v;
      }
      n++;
    }
  }
  const mean = Array.from(sum, (s) => s / Math.max(1, n));
  const std = Array.from(sq, (s, f) => Math.sqrt(Math.max(0, s / Math.max(1, n) - mean[f] ** 2)) || 1);
  return { frames, length: T, frameSize: F, mean, std, lengths };
}

/**
 * The frames of the examples at `indices`, standardised per band with the training
 * split's mean and std, [B, T, F] (frames past a clip's length stay 0). The trainer, the
 * ONNX feeds and the PyTorch samples all read audio this way.
 */
export function standardisedAudio(data: PreparedDataset, indices: ArrayLike<number>): { frames: Float32Array; lengths: Int32Array } {
  const a = data.audio;
  if (!a) throw new Error(`${data.name} has no audio`);
  const T = a.length;
  const F = a.frameSize;
  const out = new Float32Array(indices.length * T * F);
  const lengths = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    // A missing clip runs one silent (zero) frame; the model replaces its feature anyway.
    lengths[k] = Math.max(1, a.lengths[i]);
    for (let t = 0; t < a.lengths[i]; t++) {
      for (let f = 0; f < F; f++) out[(k * T + t) * F + f] = (a.frames[(i * T + t) * F + f] - a.mean[f]) / (a.std[f] || 1);
    }
  }
  return { frames: out, lengths };
}

/**
 * Attaches the clips (in the order of `examples`, which must all be kept by preparation)
 * to a prepared dataset as its audio: `hasImage` marks the examples with a clip.
 */
export function withAudio(prepared: PreparedDataset, clips: readonly (Float32Array | null)[]): PreparedDataset {
  if (clips.length !== prepared.size) throw new Error(`${prepared.name}: ${clips.length} clips for ${prepared.size} examples`);
  const audio = audioInput(clips, prepared.splits.train);
  if (prepared.hasImage.some((h) => h === 1)) return audioInSequenceSlot(prepared, audio);
  const hasImage = Uint8Array.from(audio.lengths, (l) => (l > 0 ? 1 : 0));
  const withImage = (idx: Int32Array) => idx.reduce((s, i) => s + hasImage[i], 0);
  const stats = {
    train: { ...prepared.stats.train, withImage: withImage(prepared.splits.train) },
    validation: { ...prepared.stats.validation, withImage: withImage(prepared.splits.validation) },
    test: { ...prepared.stats.test, withImage: withImage(prepared.splits.test) },
  };
  return { ...prepared, audio, hasImage, stats };
}

/**
 * Audio next to images: the clips take the sequence slot, as a series does (the series
 * encoder over F = 40 frames; `series` and `audio` hold the same frames, `lengths` counts
 * frames, `hasText` marks the examples with a clip). A text column is then not read by the
 * model (a model fuses two inputs); its texts stay for display.
 */
function audioInSequenceSlot(prepared: PreparedDataset, audio: AudioInput): PreparedDataset {
  const N = prepared.size;
  const T = audio.length;
  const hasText = Uint8Array.from(audio.lengths, (l) => (l > 0 ? 1 : 0));
  const stats = (idx: Int32Array, before: PreparedDataset['stats']['train']) => ({
    ...before,
    count: idx.length,
    textLengths: Array.from(idx, (i) => audio.lengths[i]).filter((l) => l > 0),
    withImage: idx.reduce((s, i) => s + prepared.hasImage[i], 0),
    withText: idx.reduce((s, i) => s + hasText[i], 0),
    truncated: 0,
  });
  return {
    ...prepared,
    audio,
    series: { frames: audio.frames, length: T, frameSize: audio.frameSize, mean: audio.mean, std: audio.std },
    maxLength: T,
    tokens: new Int32Array(N * T),
    lengths: audio.lengths,
    hasText,
    stats: { train: stats(prepared.splits.train, prepared.stats.train), validation: stats(prepared.splits.validation, prepared.stats.validation), test: stats(prepared.splits.test, prepared.stats.test) },
  };
}

/** Raw examples of Sounds & Questions (no image; the clip travels beside them). */
export function soundsExamples(generated: readonly SoundsExample[]): RawExample[] {
  return generated.map((e, i) => ({
    id: `sound-${i}`,
    image: null,
    text: e.question,
    target: { kind: 'class', label: e.answer },
    source: { file: 'generator' },
    tags: { kind: e.kind, events: e.events.map((x) => x.kind).join(', ') },
  }));
}

/** Sounds & Questions as a prepared classification dataset (question → answer, with the clip's log-mel frames). */
export function soundsDataset(o: SoundsSettings, preparation: { tokenizer: TokenizerConfig; split: SplitConfig }): PreparedDataset {
  const generated = generateSounds({ n: o.count, seed: o.seed, kinds: o.kinds });
  const examples = soundsExamples(generated);
  const report = { issues: [], rowsSeen: examples.length, rowsKept: examples.length, rowsSkipped: 0 };
  const prepared = prepareDataset(examples, { task: 'classification', tokenizer: preparation.tokenizer, imageSize: 16, split: preparation.split, name: 'Sounds & Questions', report });
  return withAudio(
    prepared,
    generated.map((g) => g.clip),
  );
}
