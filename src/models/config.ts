// The one serialisable model configuration: image encoder, text encoder, fusion
// strategy, head and task. Everything else (parameters, forward, export) is built from
// it. `validateModelConfig` explains invalid combinations instead of fixing them.
import type { CellKind } from '../ops/recurrent.ts';
import { FUSION_KINDS, FUSIONS } from './fusion/index.ts';
import type { CnnPooling, FusionKind, ImageEncoderConfig, ModelConfig } from './config-types.ts';

export type { SeriesEncoderConfig, CaptionConfig, ExtraTaskConfig, CnnPooling, FusionKind, HeadConfig, ImageEncoderConfig, ImageEncoderKind, ModelConfig, TextEncoderConfig } from './config-types.ts';
export { FUSION_KINDS };
export const CNN_POOLINGS: readonly CnnPooling[] = ['flatten', 'max'];

/**
 * Fusions for audio in the sequence slot (audio next to images): those that read the
 * sequence encoder's final feature; the others condition a text encoder's recurrence.
 */
export const SEQUENCE_AUDIO_FUSIONS: readonly FusionKind[] = ['late', 'gated', 'film', 'weighted', 'text', 'image'];

export const CELL_KINDS: readonly CellKind[] = ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'];

/** Bump when a saved config can no longer be read by older code. */
export const MODEL_CONFIG_VERSION = 1;

/** A sensible starting point: LSTM text encoder, small CNN, late fusion, classification. */
export function defaultModelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    version: MODEL_CONFIG_VERSION,
    task: 'classification',
    fusion: 'late',
    text: { cell: 'lstm', vocabSize: 64, embeddingSize: 32, hiddenSize: 64, numLayers: 1, bidirectional: false, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 32, channels: [16, 32], mlpHidden: 128, inputFeatures: 0, featureSize: 64 },
    head: { hiddenSize: 64, dropout: 0 },
    fusionSize: 64,
    outputSize: 2,
    caption: { conditioning: 'init', maxLength: 12 },
    modalityDropout: 0,
    ...overrides,
  };
}

/** Fusion strategies that read the text, the image, or condition the recurrence on the image. */
export function fusionUses(fusion: FusionKind): { text: boolean; image: boolean } {
  return { text: fusion !== 'image', image: fusion !== 'text' };
}

/** Every problem with a config, in plain words; empty when it is valid. */
export function validateModelConfig(c: ModelConfig): string[] {
  const problems: string[] = [];
  const int = (v: number, lo: number, hi: number, what: string) => {
    if (!Number.isInteger(v) || v < lo || v > hi) problems.push(`${what} must be a whole number from ${lo} to ${hi} (got ${v}).`);
  };
  if (c.version > MODEL_CONFIG_VERSION) {
    problems.push(`This model config is version ${c.version}; this GateScope reads up to version ${MODEL_CONFIG_VERSION}. Update GateScope to open it.`);
  }
  if (!FUSION_KINDS.includes(c.fusion)) problems.push(`Unknown fusion strategy "${c.fusion}".`);
  if (!CELL_KINDS.includes(c.text.cell)) problems.push(`Unknown recurrent cell "${c.text.cell}".`);
  // The vocabulary only matters to a model that reads tokens (an image-only model has none).
  if (c.task === 'captioning' || (fusionUses(c.fusion).text && !c.series)) int(c.text.vocabSize, 5, 1_000_000, 'Vocabulary size');
  int(c.text.embeddingSize, 1, 4096, 'Embedding size');
  int(c.text.hiddenSize, 1, 4096, 'Hidden size');
  int(c.text.numLayers, 1, 8, 'Number of layers');
  if (c.text.identityInit !== undefined && !(c.text.identityInit >= 0 && c.text.identityInit <= 4)) {
    problems.push(`The identity start of the recurrent weights must be from 0 to 4 (got ${c.text.identityInit}).`);
  }
  if (c.text.peephole && c.text.cell !== 'lstm') problems.push(`Peephole connections need the LSTM cell (the cell is ${c.text.cell}).`);
  if (c.text.peephole && c.task === 'captioning') problems.push('Peephole connections are for text encoders; the caption decoder uses the plain cell.');
  if (!(c.text.dropout >= 0 && c.text.dropout < 1)) problems.push(`Recurrent dropout must be in [0, 1) (got ${c.text.dropout}).`);
  if (!(c.head.dropout >= 0 && c.head.dropout < 1)) problems.push(`Head dropout must be in [0, 1) (got ${c.head.dropout}).`);
  if (!(c.modalityDropout >= 0 && c.modalityDropout < 1)) problems.push(`Modality dropout must be in [0, 1) (got ${c.modalityDropout}).`);
  int(c.head.hiddenSize, 0, 4096, 'Head hidden size');
  int(c.image.featureSize, 1, 4096, 'Image feature size');
  int(c.fusionSize, 1, 4096, 'Fusion size');
  int(c.outputSize, 1, 1_000_000, 'Output size');
  int(c.image.imageSize, 16, 128, 'Image size');
  if (c.image.encoder === 'cnn') {
    if (c.image.channels.length < 1 || c.image.channels.length > 3) problems.push('The CNN image encoder has 1 to 3 conv blocks.');
    c.image.channels.forEach((ch, i) => int(ch, 1, 512, `Channels of conv block ${i + 1}`));
    const spatial = c.image.imageSize >> c.image.channels.length;
    if (spatial < 1) problems.push(`${c.image.channels.length} pooling steps shrink a ${c.image.imageSize}px image below 1 pixel.`);
    if (c.image.pool !== undefined && !CNN_POOLINGS.includes(c.image.pool)) problems.push(`Unknown CNN pooling "${c.image.pool as string}" (flatten or max).`);
    if (c.image.batchNorm !== undefined && typeof c.image.batchNorm !== 'boolean') problems.push('Batch norm in the CNN must be true or false.');
  } else if (c.image.encoder === 'mlp') {
    int(c.image.mlpHidden, 1, 8192, 'MLP hidden size');
  } else if (c.image.encoder === 'features') {
    int(c.image.inputFeatures, 1, 1_000_000, 'Precomputed feature width');
  } else {
    problems.push(`Unknown image encoder "${c.image.encoder as string}".`);
  }
  if (c.task === 'regression' && c.outputSize !== 1 && !c.series) problems.push('Regression predicts one number: the output size must be 1.');
  if (c.series) {
    int(c.series.frameSize, 1, 4096, 'Values per series frame');
    if (c.series.audio) {
      if (!SEQUENCE_AUDIO_FUSIONS.includes(c.fusion)) problems.push(`Audio next to images takes the sequence slot: it fuses with ${SEQUENCE_AUDIO_FUSIONS.join(', ')}, not "${c.fusion}".`);
    } else {
      if (c.fusion !== 'text') problems.push(`A series model reads one sequence of numbers: it uses the sequence-only model (fusion "text"), not "${c.fusion}".`);
      if (c.task !== 'regression') problems.push('A series model forecasts numbers: its task is regression.');
    }
    if (c.text.peephole) problems.push('Peephole connections are for text encoders; a series model uses the plain LSTM (turn peephole off).');
  }
  if (c.audio) {
    int(c.audio.frameSize, 1, 4096, 'Values per audio frame');
    if (c.task === 'captioning') problems.push('Captioning describes images; an audio model answers about its clips (classification).');
    if (c.series) problems.push('A model reads either audio or a numeric series next to its text, not both.');
  }
  if ((c.task === 'classification' || c.task === 'multilabel') && c.outputSize < 2 && c.task === 'classification') {
    problems.push('Classification needs at least 2 classes.');
  }
  if (c.task === 'captioning') {
    if (c.fusion !== 'init' && c.fusion !== 'early') {
      problems.push(`Captioning conditions the decoder on the image through "init" or "early"; "${c.fusion}" does not apply to generating text.`);
    }
    if (c.text.bidirectional) problems.push('A caption decoder generates left to right: it cannot be bidirectional.');
    int(c.caption.maxLength, 1, 256, 'Maximum caption length');
  }
  if (c.fusion === 'additive' && c.text.numLayers < 1) problems.push('Additive fusion needs a recurrent layer.');
  problems.push(...extraTaskProblems(c));
  return problems;
}

/** What is wrong with a config's auxiliary tasks (multi-task learning), in plain words. */
function extraTaskProblems(c: ModelConfig): string[] {
  const tasks = c.extraTasks ?? [];
  if (tasks.length === 0) return [];
  const problems: string[] = [];
  if (c.task === 'captioning') problems.push('Auxiliary tasks need a classification, multi-label or regression primary task, not captioning.');
  else if (FUSION_KINDS.includes(c.fusion) && Object.keys(FUSIONS[c.fusion].heads(c)).length !== 1) {
    problems.push(`Auxiliary tasks put a second head on the fused feature; "${c.fusion}" fusion has one head per modality and no fused feature. Choose another fusion.`);
  }
  const seen = new Set<string>();
  for (const t of tasks) {
    if (!/^[a-z][a-z0-9_]{0,31}$/u.test(t.name)) problems.push(`Task name "${t.name}" must be lower-case letters, digits and underscores, starting with a letter.`);
    if (seen.has(t.name)) problems.push(`Task "${t.name}" appears twice.`);
    seen.add(t.name);
    if (!['classification', 'multilabel', 'regression'].includes(t.kind)) problems.push(`Task "${t.name}": unknown kind "${t.kind as string}".`);
    if (!(t.weight >= 0 && Number.isFinite(t.weight))) problems.push(`Task "${t.name}": the loss weight must be a number ≥ 0 (got ${t.weight}).`);
    if (!Number.isInteger(t.outputSize) || t.outputSize < 1 || t.outputSize > 1_000_000) problems.push(`Task "${t.name}": output size must be a whole number from 1 (got ${t.outputSize}).`);
    else if (t.kind === 'classification' && t.outputSize < 2) problems.push(`Task "${t.name}": classification needs at least 2 classes.`);
    else if (t.kind === 'regression' && t.outputSize !== 1) problems.push(`Task "${t.name}": regression predicts one number (output size 1).`);
  }
  return problems;
}

/** Output channels × spatial size at the CNN's output, flattened. */
export function cnnFlatSize(image: ImageEncoderConfig): number {
  const spatial = image.imageSize >> image.channels.length;
  const channels = image.channels[image.channels.length - 1];
  return image.pool === 'max' ? channels : channels * spatial * spatial;
}
