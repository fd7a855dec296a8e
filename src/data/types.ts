// The dataset contract between data/ (loaders, built-ins, tokenizer, splits) and the
// models, trainer, UI and export. Loaders produce RawExamples plus a ValidationReport;
// prepareDataset() turns them into a PreparedDataset of typed arrays that crosses to
// the training worker as transferables.

/** What the model predicts. */
export type TaskKind = 'classification' | 'multilabel' | 'regression' | 'captioning';

/** Target of one raw example before encoding. */
export type RawTarget =
  | { kind: 'class'; label: string }
  | { kind: 'labels'; labels: string[] }
  | { kind: 'number'; value: number }
  | { kind: 'caption'; text: string }
  | { kind: 'none' };

/** Where a raw example came from, for reports and the UI. */
export interface SourceRef {
  /** File name relative to the imported root (or "generator" for built-ins). */
  file: string;
  /** 1-based row in a manifest; absent for folder layouts. */
  row?: number;
}

/**
 * An image before it is resized: RGBA bytes, row-major [height, width, 4]. Loaders in
 * the browser decode files to this; the Shapes generator draws into it directly.
 */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface RawExample {
  id: string;
  /** Decoded image, or null when the example has no image. */
  image: RgbaImage | null;
  /** Text as the user wrote it (never rendered as HTML), or null when absent. */
  text: string | null;
  /** A decoded audio clip, mono at 16 kHz (an import's `audio` column); absent or null when none. */
  audio?: Float32Array | null;
  target: RawTarget;
  source: SourceRef;
  /**
   * Optional grouping kept for the UI (e.g. question kind "colour", OpenMoji group).
   * One key has a meaning for the splits: examples with the same `splitGroup` always
   * land in the same split (the Shapes generator uses it for its balanced families).
   */
  tags?: Record<string, string>;
  /**
   * Targets of auxiliary tasks (multi-task learning), by task name; the primary task
   * reads `target`. An example a chosen auxiliary task has no valid target for is skipped.
   */
  extraTargets?: Record<string, RawTarget>;
}

/** What an auxiliary task of a multi-task model predicts (captioning is primary only). */
export type ExtraTaskKind = 'classification' | 'multilabel' | 'regression';

/** An auxiliary task chosen for preparation: its name (a target column or a generator label), kind and loss weight. */
export interface ExtraTaskSpec {
  name: string;
  kind: ExtraTaskKind;
  /** Weight w of its loss: total loss = L_primary + Σ w_k · L_k. */
  weight: number;
}

/** An auxiliary task's encoded targets (same layouts as the primary `EncodedTargets`). */
export interface ExtraTarget {
  name: string;
  weight: number;
  targets: Exclude<EncodedTargets, { kind: 'captioning' }>;
}

export type Severity = 'error' | 'warning';

/** One problem found while loading; errors mean the row was skipped. */
export interface ValidationIssue {
  severity: Severity;
  /** Stable machine-readable code, e.g. "missing-column", "image-not-found". */
  code: string;
  file: string;
  row?: number;
  message: string;
}

export interface ValidationReport {
  issues: ValidationIssue[];
  /** Rows seen, rows kept, rows skipped. */
  rowsSeen: number;
  rowsKept: number;
  rowsSkipped: number;
}

/** Tokenizer settings; the vocabulary is built from the training split only. */
export interface TokenizerConfig {
  level: 'word' | 'char';
  /** Tokens seen fewer times in the training split become <unk>. */
  minFrequency: number;
  /** Largest vocabulary including the four special tokens. */
  maxVocab: number;
  /** Longer texts are truncated (and counted in the stats). */
  maxLength: number;
}

/** Special token ids, fixed in every vocabulary. */
export const PAD = 0;
export const UNK = 1;
export const BOS = 2;
export const EOS = 3;
export const SPECIAL_TOKENS = ['<pad>', '<unk>', '<bos>', '<eos>'] as const;

export interface Vocabulary {
  /** Token strings by id; ids 0–3 are SPECIAL_TOKENS. */
  tokens: string[];
  level: 'word' | 'char';
}

export interface SplitConfig {
  /** Fractions of the examples; test = 1 − train − validation. */
  train: number;
  validation: number;
  seed: number;
  /** Stratify by class for classification tasks. */
  stratify: boolean;
}

export interface Splits {
  /** Example indices into the PreparedDataset arrays. */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** Encoded targets, by task. */
export type EncodedTargets =
  | { kind: 'classification'; classes: string[]; labels: Int32Array /* [N] */ }
  | { kind: 'multilabel'; classes: string[]; labels: Float32Array /* [N, C] of 0/1 */ }
  /**
   * Raw values [N, width] (width 1 when absent; forecasting k steps ahead has width k);
   * mean and std (population, over every value of the training split), for standardising.
   */
  | { kind: 'regression'; values: Float32Array /* [N, width] */; mean: number; std: number; width?: number }
  | {
      kind: 'captioning';
      vocab: Vocabulary;
      /** Caption ids [N, L]: <bos> w1 … wn <eos> <pad>…; L = maxCaptionLength + 2. */
      tokens: Int32Array;
      /** Ids used per caption including <bos> and <eos>. */
      lengths: Int32Array;
      maxLength: number;
      /** Caption text per example for BLEU references. */
      references: string[];
    };

/**
 * Numeric frames as the sequence input (time series now; audio frames later): each
 * example is `length` frames of `frameSize` floats, raw units. The series encoder reads
 * them instead of token ids (see src/models/series-encoder.ts).
 */
export interface SeriesInput {
  /** [N, length, frameSize], row-major; steps past an example's length are 0. */
  frames: Float32Array;
  /** Frame slots per example (T). */
  length: number;
  /** Floats per frame (F; 1 for a univariate series). */
  frameSize: number;
  /** Per-feature mean and std (population) of the training split's real frames, for standardising. */
  mean: number[];
  std: number[];
  /** 'files' when read from the user's files (a saved session keeps them whole); absent for a generator. */
  origin?: 'files';
}

/**
 * Log-mel frames of audio clips (src/data/audio-features.ts), the modality that takes the
 * image's place next to a text (see src/models/audio-encoder.ts): frames as SeriesInput
 * (frameSize = the mel bands) plus the real frame count of each clip.
 */
export interface AudioInput extends SeriesInput {
  /** [N]: real frames per clip (0 for an example without a clip). */
  lengths: Int32Array;
}

export interface PerSplitStats {
  count: number;
  /** Classification/multilabel: examples per class (index = class id). */
  classCounts?: number[];
  /** Token counts of texts (after truncation), for the histogram. */
  textLengths: number[];
  withImage: number;
  withText: number;
  /** Texts cut to maxLength. */
  truncated: number;
}

/**
 * Everything the trainer needs, as typed arrays. Images are NCHW float32 at
 * imageSize × imageSize, normalised per channel as (v/255 − 0.5)/0.5 ∈ [−1, 1];
 * a missing image is all zeros with hasImage 0. Texts are token ids padded with <pad>
 * to maxLength; a missing text has length 0 and hasText 0.
 */
export interface PreparedDataset {
  name: string;
  task: TaskKind;
  size: number;
  imageSize: number;
  /** [N, 3, S, S]. */
  images: Float32Array;
  hasImage: Uint8Array;
  vocab: Vocabulary;
  /** Token slots per text: min(tokenizer.maxLength, the longest text), at least 1. */
  maxLength: number;
  /** [N, maxLength]. */
  tokens: Int32Array;
  /** [N]; 0 for a missing text. */
  lengths: Int32Array;
  hasText: Uint8Array;
  targets: EncodedTargets;
  /** Auxiliary tasks' targets (multi-task learning), in the order chosen; absent for one task. */
  extraTargets?: ExtraTarget[];
  splits: Splits;
  stats: { train: PerSplitStats; validation: PerSplitStats; test: PerSplitStats };
  /** Raw texts and ids for display (never rendered as HTML). */
  texts: (string | null)[];
  ids: string[];
  tags: (Record<string, string> | undefined)[];
  report: ValidationReport;
  /**
   * Numeric frame sequences replacing the token ids as the recurrent input; `lengths`
   * then counts real frames, `hasText` is 1 for every example with a series and
   * `tokens` is all <pad> (the step views index steps the same way for both).
   */
  series?: SeriesInput;
  /**
   * Audio clips as log-mel frames, read by the audio encoder in the image's place:
   * `hasImage` is then 1 for every example with a clip and `images` is all zeros.
   */
  audio?: AudioInput;
  /**
   * Best accuracy one modality alone can reach, per question kind (`tags.kind`), where
   * the generator knows it exactly (Shapes & Questions: KindInfo.chance); else absent.
   */
  kindCeilings?: Record<string, { textOnly: number; imageOnly: number }>;
}
