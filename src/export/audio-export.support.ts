// Shared pieces of the audio export tests: a tiny audio-and-question dataset with ragged
// clips (1–6 log-mel frames, one example without a clip) and an audio
// model config whose sizes all differ (E 3, H 4, audio feature 5, fusion 6, head 7), so a
// transposed weight cannot pass.
import { prepareDataset } from '../data/prepare.ts';
import { withAudio } from '../data/sounds-dataset.ts';
import type { PreparedDataset, RawExample } from '../data/types.ts';
import { defaultModelConfig, type FusionKind, type ModelConfig } from '../models/config.ts';
import { resolveModelConfig } from '../models/dataset-fit.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { Random } from '../random.ts';

const TEXTS = ['what comes first?', 'what comes last?', 'is there a noise?', 'how many sounds are there?'];
const ANSWERS = ['one', 'yes', 'noise'];

/**
 * Frames per clip (the 4th example has no clip). Every row has a text: preparation drops a
 * row with neither an image nor a text, and the clip is attached after it (withAudio).
 */
const FRAMES = [6, 1, 4, 0, 2, 5, 3, 6];

export function audioExportData(seed = 3): PreparedDataset {
  const rng = new Random(seed);
  const examples: RawExample[] = FRAMES.map((_, i) => ({
    id: `a${i}`,
    image: null,
    text: TEXTS[i % TEXTS.length],
    target: { kind: 'class', label: ANSWERS[i % ANSWERS.length] },
    source: { file: 'audio-export' },
  }));
  return withClips(examples, FRAMES.map((n) => (n === 0 ? null : noiseClip(rng, n))), 'audio export');
}

/** A clip of n frames: 512 + 160·(n − 1) samples (audio-features.ts) of noise of varying loudness. */
function noiseClip(rng: Random, n: number): Float32Array {
  return Float32Array.from({ length: 512 + 160 * (n - 1) }, (_, k) => rng.uniform(-1, 1) * (0.1 + 0.8 * Math.abs(Math.sin(k / 300))));
}

/** The 8 examples prepared (half training, a quarter validation) with their clips. */
function withClips(examples: RawExample[], clips: (Float32Array | null)[], name: string): PreparedDataset {
  const prepared = prepareDataset(examples, {
    task: 'classification',
    tokenizer: { level: 'word', minFrequency: 1, maxVocab: 100, maxLength: 8 },
    imageSize: 16,
    split: { train: 0.5, validation: 0.25, seed: 1, stratify: false },
    name,
    report: { issues: [], rowsSeen: 8, rowsKept: 8, rowsSkipped: 0 },
  });
  return withAudio(prepared, clips);
}

export function audioExportConfig(data: PreparedDataset, fusion: FusionKind, cell: CellKind, numLayers = 1, bidirectional = false): ModelConfig {
  return resolveModelConfig(
    defaultModelConfig({
      fusion,
      text: { cell, vocabSize: 4, embeddingSize: 3, hiddenSize: 4, numLayers, bidirectional, dropout: 0.2 },
      image: { encoder: 'cnn', imageSize: 16, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: 5 },
      head: { hiddenSize: 7, dropout: 0.3 },
      fusionSize: 6,
    }),
    data,
    null,
  );
}

/** The cases every audio export test runs: each fusion that reads the audio, across cells. */
export const AUDIO_EXPORT_CASES: { fusion: FusionKind; cell: CellKind; layers: number; bidirectional: boolean }[] = [
  { fusion: 'late', cell: 'lstm', layers: 1, bidirectional: false },
  { fusion: 'gated', cell: 'gru', layers: 2, bidirectional: true },
  { fusion: 'film', cell: 'rnn_tanh', layers: 1, bidirectional: false },
  { fusion: 'init', cell: 'lstm', layers: 2, bidirectional: true },
  { fusion: 'early', cell: 'gru', layers: 1, bidirectional: false },
  { fusion: 'additive', cell: 'lstm', layers: 1, bidirectional: true },
  { fusion: 'weighted', cell: 'rnn_relu', layers: 1, bidirectional: false },
  { fusion: 'image', cell: 'lstm', layers: 1, bidirectional: false },
];

/**
 * Audio next to images (the audio in the sequence slot): 8 examples with a 16 × 16
 * picture and a clip of 1–6 frames each, no text.
 */
export function audioImageExportData(seed = 3): PreparedDataset {
  const rng = new Random(seed);
  const frames = [6, 1, 4, 3, 2, 5, 3, 6];
  const examples: RawExample[] = frames.map((_, i) => ({
    id: `ai${i}`,
    image: { width: 16, height: 16, data: Uint8ClampedArray.from({ length: 16 * 16 * 4 }, (_, k) => (k % 4 === 3 ? 255 : Math.floor(rng.uniform(0, 256)))) },
    text: null,
    target: { kind: 'class', label: ANSWERS[i % ANSWERS.length] },
    source: { file: 'audio-image-export' },
  }));
  return withClips(examples, frames.map((n) => noiseClip(rng, n)), 'audio + image export');
}
