// The types of the model configuration, below the fusion registry: the strategies read
// ModelConfig, and config.ts (which validates a config against the registry) re-exports
// everything here.
import type { ExtraTaskKind, TaskKind } from '../data/types.ts';
import type { CellKind } from '../ops/recurrent.ts';
import type { FusionKind } from './fusion/kinds.ts';

export type { FusionKind };
export type ImageEncoderKind = 'cnn' | 'mlp' | 'features';
export type CnnPooling = 'flatten' | 'max';

export interface TextEncoderConfig {
  cell: CellKind;
  /** Vocabulary size including the four special tokens. */
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Dropout between stacked recurrent layers (training only). */
  dropout: number;
  /**
   * Initial bias of the gate that keeps memory (LSTM forget gate f, GRU update gate z),
   * added to b_ih; 0 is PyTorch's initialisation, 1 the common "unit forget bias" that
   * helps long dependencies. Only the starting point changes, not the cell's equations.
   */
  forgetBias?: number;
  /**
   * Recurrent weights W_hh start as this multiple of the identity, one block per gate
   * (the "IRNN" start for ReLU RNNs) instead of U(−1/√H, 1/√H); 0 or absent keeps
   * PyTorch's initialisation. Above 1 every step amplifies the state, which makes the
   * gradient over time explode — the exploding-gradient demo uses it.
   */
  identityInit?: number;
  /**
   * LSTM only: diagonal peephole connections (the gates also see the cell state:
   * p_i ⊙ c_{t-1}, p_f ⊙ c_{t-1}, p_o ⊙ c_t; src/ops/cells/lstm/lstm.ts). The peephole
   * weights start at 0, so the cell starts as the plain LSTM.
   */
  peephole?: boolean;
}

/**
 * A model whose recurrent input is numeric frames instead of token ids (time series; see
 * series-encoder.ts): each frame of `frameSize` floats is projected by one Linear to
 * `text.embeddingSize`, then the same recurrent stack as the text encoder runs.
 */
export interface SeriesEncoderConfig {
  frameSize: number;
  /**
   * The frames are audio (log-mel) next to images: the model classifies (or regresses)
   * with any fusion that reads the encoders' features (late, gated, FiLM, weighted).
   */
  audio?: boolean;
}

export interface ImageEncoderConfig {
  /**
   * cnn: (conv3×3 → ReLU → maxpool 2×2) per entry of `channels`, then Linear → ReLU;
   * mlp: flattened pixels → Linear(mlpHidden) → ReLU → Linear → ReLU;
   * features: precomputed frozen features (e.g. from the user's ONNX encoder) → Linear → ReLU.
   */
  encoder: ImageEncoderKind;
  /** Input images are [3, imageSize, imageSize]. */
  imageSize: number;
  /** Output channels of each conv block (cnn, 1–3 blocks). */
  channels: number[];
  /**
   * How the CNN's last feature map becomes a vector (cnn only; absent = 'flatten'):
   * 'flatten' keeps every position (C·s·s values, a separate weight per position);
   * 'max' takes each channel's maximum over the whole map (C values), so one detector
   * serves every position — "is there a red square anywhere" is one unit, not s·s.
   */
  pool?: CnnPooling;
  /**
   * cnn only: batch normalisation after each conv (conv without bias → BatchNorm2d →
   * ReLU → maxpool), torch.nn.BatchNorm2d's momentum 0.1 and ε 1e-5. Absent = false.
   */
  batchNorm?: boolean;
  /** Hidden units of the pixel MLP. */
  mlpHidden: number;
  /** Width of the precomputed features (features encoder). */
  inputFeatures: number;
  /** Size of the image feature v that fusion consumes. */
  featureSize: number;
}

export interface HeadConfig {
  /** Hidden units of the MLP head; 0 makes the head one Linear layer. */
  hiddenSize: number;
  /** Dropout on the head's input (training only). */
  dropout: number;
}

export interface CaptionConfig {
  /** How the image conditions the decoder: initial state or concatenated to every input. */
  conditioning: 'init' | 'early';
  /** Longest generated caption in tokens (without <bos>/<eos>). */
  maxLength: number;
}

/**
 * An auxiliary task of a multi-task model: a head `head_<name>` of the same kind as the
 * primary head, on the same fused feature, with `outputSize` outputs (classes, or 1).
 */
export interface ExtraTaskConfig {
  name: string;
  kind: ExtraTaskKind;
  outputSize: number;
  /** Weight w of its loss: the trainer minimises L_primary + Σ w_k · L_k. */
  weight: number;
}

export interface ModelConfig {
  version: number;
  task: TaskKind;
  fusion: FusionKind;
  text: TextEncoderConfig;
  image: ImageEncoderConfig;
  head: HeadConfig;
  /** Width of the projected features mixed by the gated fusion. */
  fusionSize: number;
  /** Present when the recurrent input is numeric frames (series datasets) instead of tokens. */
  series?: SeriesEncoderConfig;
  /**
   * Present when the second modality is audio (log-mel frames of `frameSize` bands) instead
   * of images: the audio encoder (audio-encoder.ts) gives the feature in v's place.
   */
  audio?: SeriesEncoderConfig;
  /** Classes (classification, multilabel), 1 (regression; k when forecasting k steps) or the caption vocabulary size. */
  outputSize: number;
  /** Captioning only: the decoder uses `text` (cell, sizes) with the caption vocabulary. */
  caption: CaptionConfig;
  /**
   * Probability, per training example, of hiding one modality (chosen at random) so the
   * model learns to cope with a missing one. 0 disables it.
   */
  modalityDropout: number;
  /** Auxiliary tasks (multi-task learning); absent or empty for a single-task model. */
  extraTasks?: ExtraTaskConfig[];
}
