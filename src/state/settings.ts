// The user's whole setup — dataset choice, model and training settings — as plain
// serialisable values. This is what the URL carries and what a compare run varies.
// Fields of the ModelConfig that follow from the dataset (vocabulary size, output size,
// task, image size, precomputed feature width) are filled in by `resolveModelConfig`.
import type { Difficulty, QuestionKind } from '../data/shapes.ts';
import type { OpenMojiOptions } from '../data/openmoji.ts';
import type { SplitConfig, TokenizerConfig } from '../data/types.ts';
import { DEFAULT_SPLIT } from '../data/prepare.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { LONG_MEMORY_DEFAULTS } from '../data/long-memory.ts';
import { SERIES_DEFAULTS, type SeriesOptions } from '../data/series.ts';
import { SOUNDS_DEFAULTS, type SoundsSettings } from '../data/sounds-dataset.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { defaultTrainConfig, type TrainConfig } from '../train/config.ts';

/** Where the dataset comes from: the built-ins, the user's files, or one of the teaching tasks. */
export type DataSource = 'shapes' | 'openmoji' | 'import' | 'clues' | 'memory' | 'series' | 'sounds';
export const DATA_SOURCES: readonly DataSource[] = ['shapes', 'openmoji', 'import', 'clues', 'memory', 'series', 'sounds'];

export interface ShapesSettings {
  count: number;
  seed: number;
  difficulty: Difficulty;
  /** Questions (classification) or captions (captioning). */
  mode: 'questions' | 'captions';
  /**
   * Question kinds asked. The default is the colour questions only: mixed with the other
   * kinds (or exists, count, relation alone) no model GateScope has learns within
   * 1,500 steps (README, "What the default model learns").
   */
  kinds: QuestionKind[];
}

/** Options of the "Remember the first word" task (text only). */
export interface MemorySettings {
  count: number;
  /** Tokens per text. */
  length: number;
  seed: number;
}

/** Options of "Complementary clues" (the text names the colour, the image shows the shape). */
export interface CluesSettings {
  count: number;
  seed: number;
  /** Multi-task learning: auxiliary tasks, each a second head ("shape": from the image, "colour": from the text). */
  also?: CluesTask[];
}

/** The auxiliary tasks Complementary clues offers (the halves of its label). */
export type CluesTask = 'shape' | 'colour';
export const CLUES_TASKS: readonly CluesTask[] = ['shape', 'colour'];

/** Options of the built-in series (Sines, Spike): see src/data/series.ts. */
export type SeriesSettings = SeriesOptions;

/** How raw examples become model input (ignored by the long-memory task, which is built prepared). */
export interface PreparationSettings {
  imageSize: number;
  tokenizer: TokenizerConfig;
  split: SplitConfig;
  /** Loss weight per auxiliary task name (multi-task learning); absent names weigh 1. */
  taskWeights?: Record<string, number>;
}

export interface DataSettings {
  source: DataSource;
  shapes: ShapesSettings;
  openMoji: Required<OpenMojiOptions>;
  memory: MemorySettings;
  clues: CluesSettings;
  series: SeriesSettings;
  /** Sounds & Questions (audio + a question): see src/data/sounds.ts. */
  sounds: SoundsSettings;
  preparation: PreparationSettings;
}

/** Everything a link reproduces. */
export interface Setup {
  data: DataSettings;
  model: ModelConfig;
  train: TrainConfig;
}

export function defaultDataSettings(): DataSettings {
  return {
    source: 'shapes',
    shapes: { count: 2400, seed: 1, difficulty: 'normal', mode: 'questions', kinds: ['colour'] },
    openMoji: { task: 'group', text: 'tags' },
    memory: { count: LONG_MEMORY_DEFAULTS.count, length: LONG_MEMORY_DEFAULTS.length, seed: LONG_MEMORY_DEFAULTS.seed },
    clues: { count: 1800, seed: 1 },
    series: { ...SERIES_DEFAULTS },
    sounds: { ...SOUNDS_DEFAULTS, kinds: [...SOUNDS_DEFAULTS.kinds] },
    preparation: { imageSize: 32, tokenizer: { ...DEFAULT_TOKENIZER }, split: { ...DEFAULT_SPLIT } },
  };
}

/**
 * The first-run model: an LSTM text encoder and a small CNN joined by late fusion,
 * sized to train visibly on a software GPU (SwiftShader) as well as a real one. The CNN
 * takes each channel's maximum over the image (one "red square" detector for every
 * position); flattening its last map leaves the colour questions at chance.
 */
export function defaultModelSettings(): ModelConfig {
  const base = defaultModelConfig();
  return defaultModelConfig({
    fusion: 'late',
    text: { ...base.text, cell: 'lstm', embeddingSize: 32, hiddenSize: 64, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: 1 },
    image: { ...base.image, encoder: 'cnn', channels: [16, 32], featureSize: 64, pool: 'max' },
    head: { hiddenSize: 64, dropout: 0 },
  });
}

export function defaultTrainSettings(): TrainConfig {
  return defaultTrainConfig({ optimizer: { kind: 'adam', lr: 0.001 }, batchSize: 32, epochs: 16, clipNorm: 5, readbackEvery: 5 });
}

export function defaultSetup(): Setup {
  return { data: defaultDataSettings(), model: defaultModelSettings(), train: defaultTrainSettings() };
}

// The dataset-given fields are derived in models/, where the acceptance tests read them too.
export { resolveModelConfig, type FeatureInfo } from '../models/dataset-fit.ts';
