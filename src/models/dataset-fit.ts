// How a model config meets a prepared dataset: the fields the dataset decides (task,
// vocabulary and output sizes, image size, feature width), the fusion that fits a dataset
// with one modality or a captioning task, and what a dataset lacks for a model, in the
// user's words. The app and the acceptance tests derive their models through these.
import type { PreparedDataset } from '../data/types.ts';
import { SPECIAL_TOKENS } from '../data/types.ts';
import { fusionUses, SEQUENCE_AUDIO_FUSIONS, type FusionKind, type ModelConfig } from './config.ts';

/** Width of the precomputed image features the model would read, or null when none were extracted. */
export interface FeatureInfo {
  featureSize: number;
}

/** Which modalities a dataset has: true when at least one example has an image / a text. */
export function datasetModalities(dataset: PreparedDataset): { images: boolean; text: boolean } {
  return { images: dataset.hasImage.some((v) => v === 1), text: dataset.hasText.some((v) => v === 1) };
}

/**
 * The ModelConfig a session trains: the user's settings with the fields the dataset
 * decides — task, vocabulary size, output size, image size and feature width. A caption
 * decoder reads and writes the caption vocabulary, so for captioning both the vocabulary
 * and the output size are the captions' (the input texts play no part).
 */
export function resolveModelConfig(model: ModelConfig, dataset: PreparedDataset, features: FeatureInfo | null): ModelConfig {
  const t = dataset.targets;
  const outputSize = t.kind === 'classification' || t.kind === 'multilabel' ? t.classes.length : t.kind === 'regression' ? (t.width ?? 1) : t.vocab.tokens.length;
  const vocabSize = t.kind === 'captioning' ? t.vocab.tokens.length : dataset.vocab.tokens.length;
  return {
    ...model,
    task: dataset.task,
    text: { ...model.text, vocabSize },
    image: { ...model.image, imageSize: dataset.imageSize, inputFeatures: features?.featureSize ?? 0 },
    outputSize,
    series: dataset.series ? { frameSize: dataset.series.frameSize, ...(dataset.audio ? { audio: true } : {}) } : undefined,
    audio: dataset.audio && !dataset.series ? { frameSize: dataset.audio.frameSize } : undefined,
    extraTasks: dataset.extraTargets?.length
      ? dataset.extraTargets.map((e) => ({
          name: e.name,
          kind: e.targets.kind,
          outputSize: e.targets.kind === 'regression' ? 1 : e.targets.classes.length,
          weight: e.weight,
        }))
      : undefined,
  };
}

/**
 * The fusion to switch to when `model.fusion` cannot serve the dataset, with the sentence
 * that tells the user; null when it fits. Captioning needs `init` or `early` (the model's
 * preferred caption conditioning is taken); a dataset without text gets the image-only
 * model, one without images the text-only model.
 */
export function fittingFusion(model: ModelConfig, dataset: PreparedDataset): { fusion: FusionKind; reason: string } | null {
  if (dataset.task === 'captioning') {
    if (model.fusion === 'init' || model.fusion === 'early') return null;
    const fusion = model.caption.conditioning;
    const how = fusion === 'init' ? 'through its initial state' : 'at every step';
    return { fusion, reason: `Captioning feeds the image to the caption decoder, so the model now uses "${fusion}" conditioning (the image ${how}).` };
  }
  if (dataset.series && dataset.audio) {
    if (SEQUENCE_AUDIO_FUSIONS.includes(model.fusion)) return null;
    return { fusion: 'late', reason: `This dataset has audio next to images: the audio takes the sequence slot, which "${model.fusion}" fusion cannot condition, so the model now uses late fusion.` };
  }
  if (dataset.series) {
    if (model.fusion === 'text') return null;
    return { fusion: 'text', reason: 'This dataset is numeric series with no images, so the model now reads the series alone (fusion "text": the series encoder, then the head).' };
  }
  const has = datasetModalities(dataset);
  const uses = fusionUses(model.fusion);
  if (has.images && !has.text && uses.text) return { fusion: 'image', reason: 'This dataset has images but no text, so the model now uses image-only fusion ("image").' };
  if (has.text && !has.images && uses.image) return { fusion: 'text', reason: 'This dataset has text but no images, so the model now uses text-only fusion ("text").' };
  return null;
}

/**
 * What the dataset lacks for this model, in the user's words (empty when nothing): a
 * missing modality or column, or a count that is too small. These come before the
 * model's own limits, which would otherwise quote internal numbers.
 */
export function datasetProblems(model: ModelConfig, dataset: PreparedDataset): string[] {
  const has = datasetModalities(dataset);
  const t = dataset.targets;
  const specials = SPECIAL_TOKENS.length;
  if (t.kind === 'captioning') {
    const problems: string[] = [];
    if (!has.images) problems.push('This dataset has captions but no images: captioning describes images, so add an image column (or choose a classification or regression target).');
    if (t.vocab.tokens.length <= specials) problems.push('The training captions are empty, so there are no words to learn: check the caption column.');
    return problems;
  }
  if (!has.images && !has.text) return ['This dataset has neither images nor text: map an image column or a text column in the import settings.'];
  const uses = fusionUses(model.fusion);
  const problems: string[] = [];
  if (uses.text && !has.text) {
    problems.push(`This dataset has images but no text; choose the image-only model (fusion "image")${has.images ? ' or a captioning task' : ''}.`);
  } else if (uses.text && !dataset.series && dataset.vocab.tokens.length <= specials) {
    problems.push(
      `No ${dataset.vocab.level === 'char' ? 'character' : 'word'} of the training texts is frequent enough to enter the vocabulary: lower the minimum token frequency in the preparation settings.`,
    );
  }
  if (uses.image && !has.images) problems.push('This dataset has text but no images; choose the text-only model (fusion "text").');
  if (t.kind === 'classification' && t.classes.length < 2) {
    problems.push(`Every training example has the same class${t.classes.length === 1 ? ` ("${t.classes[0]}")` : ''}: classification needs at least two classes.`);
  }
  if (t.kind === 'multilabel' && t.classes.length < 1) problems.push('No example has a label: multi-label classification needs at least one label.');
  return problems;
}
