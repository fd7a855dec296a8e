// How a model config meets a dataset: the caption vocabulary sizes a caption decoder, a
// dataset with one modality gets the fusion it can use, and what a dataset lacks is said
// in the user's words instead of the model's internal limits.
import { describe, expect, it } from 'vitest';
import { defaultModelConfig, validateModelConfig, type ModelConfig } from './config.ts';
import { datasetProblems, fittingFusion, resolveModelConfig } from './dataset-fit.ts';
import { tinyDataset } from './models.support.ts';

const base = (overrides: Partial<ModelConfig> = {}) => defaultModelConfig(overrides);

describe('resolveModelConfig', () => {
  it('sizes a caption decoder by the caption vocabulary, whatever the input texts hold', () => {
    const data = tinyDataset({ task: 'captioning', size: 12, vocabSize: 9, imageSize: 16 });
    // Captioning datasets carry no input texts: their text vocabulary is the four special tokens.
    data.vocab = { tokens: ['<pad>', '<unk>', '<bos>', '<eos>'], level: 'word' };
    data.hasText.fill(0);
    const t = data.targets;
    if (t.kind !== 'captioning') throw new Error('expected captions');
    const model = resolveModelConfig(base({ fusion: 'init' }), data, null);
    expect(model.text.vocabSize).toBe(t.vocab.tokens.length);
    expect(model.outputSize).toBe(t.vocab.tokens.length);
    expect(validateModelConfig(model)).toEqual([]);
    expect(datasetProblems(model, data)).toEqual([]);
  });
});

describe('fittingFusion', () => {
  it('gives captioning the preferred conditioning when the fusion cannot generate text', () => {
    const data = tinyDataset({ task: 'captioning', imageSize: 16 });
    expect(fittingFusion(base({ fusion: 'late' }), data)?.fusion).toBe('init');
    expect(fittingFusion(base({ fusion: 'late', caption: { conditioning: 'early', maxLength: 4 } }), data)?.fusion).toBe('early');
    expect(fittingFusion(base({ fusion: 'early' }), data)).toBeNull();
  });

  it('gives an image-only dataset the image-only model and a text-only one the text-only model, and says so', () => {
    const images = tinyDataset({ task: 'classification', missingText: 1 });
    const fit = fittingFusion(base({ fusion: 'late' }), images);
    expect(fit?.fusion).toBe('image');
    expect(fit?.reason).toContain('images but no text');
    expect(fittingFusion(base({ fusion: 'image' }), images)).toBeNull();
    const texts = tinyDataset({ task: 'classification', missingImage: 1 });
    expect(fittingFusion(base({ fusion: 'gated' }), texts)?.fusion).toBe('text');
    expect(fittingFusion(base({ fusion: 'late' }), tinyDataset({ task: 'classification' }))).toBeNull();
  });
});

describe('datasetProblems', () => {
  it('names the missing modality instead of quoting the vocabulary limit', () => {
    const images = tinyDataset({ task: 'classification', missingText: 1, imageSize: 16 });
    images.vocab = { tokens: ['<pad>', '<unk>', '<bos>', '<eos>'], level: 'word' };
    const problems = datasetProblems(base({ fusion: 'late' }), images);
    expect(problems).toEqual(['This dataset has images but no text; choose the image-only model (fusion "image") or a captioning task.']);
    const imageOnly = resolveModelConfig(base({ fusion: 'image' }), images, null);
    expect(datasetProblems(imageOnly, images)).toEqual([]);
    expect(validateModelConfig(imageOnly)).toEqual([]);
    const texts = tinyDataset({ task: 'regression', missingImage: 1 });
    expect(datasetProblems(base({ fusion: 'early' }), texts)).toEqual(['This dataset has text but no images; choose the text-only model (fusion "text").']);
    expect(datasetProblems(base({ fusion: 'text' }), texts)).toEqual([]);
  });

  it('says which count is too small: an empty vocabulary, one class, empty captions, captions without images', () => {
    const rare = tinyDataset({ task: 'classification' });
    rare.vocab = { tokens: ['<pad>', '<unk>', '<bos>', '<eos>'], level: 'char' };
    expect(datasetProblems(base({ fusion: 'text' }), rare)[0]).toMatch(/No character of the training texts is frequent enough.*minimum token frequency/);
    const one = tinyDataset({ task: 'classification', classes: 1 });
    expect(datasetProblems(base({ fusion: 'late' }), one)).toEqual(['Every training example has the same class ("class 0"): classification needs at least two classes.']);
    const captions = tinyDataset({ task: 'captioning' });
    captions.hasImage.fill(0);
    if (captions.targets.kind !== 'captioning') throw new Error('expected captions');
    captions.targets.vocab = { tokens: ['<pad>', '<unk>', '<bos>', '<eos>'], level: 'word' };
    const problems = datasetProblems(base({ fusion: 'init' }), captions);
    expect(problems[0]).toMatch(/captions but no images/);
    expect(problems[1]).toMatch(/captions are empty/);
    for (const p of problems) expect(p).not.toMatch(/must be a whole number/);
  });
});
