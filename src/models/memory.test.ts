// The memory estimator against figures counted by hand for small LSTM, GRU and RNN + CNN
// models, against the parameters a real model allocates, and the refusals of the sizes
// that once grew the tab until the browser killed it.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig, type ModelConfig } from './config.ts';
import { DATASET_MEMORY_BUDGET, DEFAULT_BUFFER_LIMITS, datasetMemory, datasetMemoryProblem, memoryProblems, TRAINING_MEMORY_BUDGET, trainingMemory } from './memory.ts';
import { MultimodalModel } from './model.ts';

const lstm: ModelConfig = defaultModelConfig({
  fusion: 'text',
  text: { cell: 'lstm', vocabSize: 10, embeddingSize: 4, hiddenSize: 5, numLayers: 1, bidirectional: false, dropout: 0 },
  head: { hiddenSize: 0, dropout: 0 },
  fusionSize: 3,
  outputSize: 3,
});

const gru: ModelConfig = defaultModelConfig({
  fusion: 'text',
  text: { cell: 'gru', vocabSize: 7, embeddingSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, dropout: 0 },
  head: { hiddenSize: 0, dropout: 0 },
  fusionSize: 3,
  outputSize: 3,
});

const rnnCnn: ModelConfig = defaultModelConfig({
  fusion: 'late',
  text: { cell: 'rnn_tanh', vocabSize: 6, embeddingSize: 2, hiddenSize: 3, numLayers: 1, bidirectional: false, dropout: 0 },
  image: { encoder: 'cnn', imageSize: 8, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: 3 },
  head: { hiddenSize: 4, dropout: 0 },
  fusionSize: 3,
  outputSize: 2,
});

/** Scalars a model built on the CPU backend really holds. */
function allocated(c: ModelConfig): number {
  const model = MultimodalModel.create(new CpuBackend(), c, 1);
  const n = model.params.list().reduce((sum, t) => sum + t.size, 0);
  model.params.dispose();
  return n;
}

describe('parameter counts', () => {
  it('LSTM, text only: embedding 10·4, gates 4·5 × (4 + 5) + two biases, missing-text 5, head 3·5 + 3', () => {
    const hand = 10 * 4 + (20 * 4 + 20 * 5 + 20 + 20) + 5 + (3 * 5 + 3);
    expect(hand).toBe(283);
    expect(trainingMemory(lstm, 2, 3, 'adam').parameters).toBe(hand);
    expect(allocated(lstm)).toBe(hand);
  });

  it('GRU, 2 layers, bidirectional: layer 2 reads both directions', () => {
    const layer1 = 2 * (6 * 3 + 6 * 2 + 6 + 6);
    const layer2 = 2 * (6 * 4 + 6 * 2 + 6 + 6);
    const hand = 7 * 3 + layer1 + layer2 + 4 + (3 * 4 + 3);
    expect(hand).toBe(220);
    expect(trainingMemory(gru, 2, 3, 'sgd').parameters).toBe(hand);
    expect(allocated(gru)).toBe(hand);
  });

  it('RNN + CNN, late fusion: conv 2·3·3·3 + 2, projection of 2·4·4 features, head 6 → 4 → 2', () => {
    const image = 2 * 3 * 3 * 3 + 2 + (3 * 32 + 3);
    const text = 6 * 2 + (3 * 2 + 3 * 3 + 3 + 3);
    const hand = image + text + 3 + 3 + (4 * 6 + 4) + (2 * 4 + 2);
    expect(hand).toBe(232);
    expect(trainingMemory(rnnCnn, 2, 3, 'adam').parameters).toBe(hand);
    expect(allocated(rnnCnn)).toBe(hand);
  });
});

describe('bytes', () => {
  it('LSTM: Adam keeps weight, gradient and two moments; activations and their gradients', () => {
    const e = trainingMemory(lstm, 2, 3, 'adam');
    expect(e.parameterBytes).toBe(283 * 4 * 4);
    // embedded 2·3·4; per step gates 20, saved 6·5, previous and output states 2·5; head 2·(3 + 0 + 3)
    const activations = 2 * 3 * 4 + 2 * 3 * (20 + 30 + 10) + 2 * 6;
    expect(e.activationBytes).toBe(activations * 4 * 2);
    expect(e.total).toBe(e.parameterBytes + e.activationBytes);
  });

  it('GRU: SGD keeps one momentum buffer; both directions of both layers save their gates', () => {
    const e = trainingMemory(gru, 2, 3, 'sgd');
    expect(e.parameterBytes).toBe(220 * 4 * 3);
    const perDirection = 2 * 3 * (6 + 5 * 2 + 2 * 2);
    const activations = 2 * 3 * 3 + 2 * 2 * perDirection + 2 * 6;
    expect(e.activationBytes).toBe(activations * 8);
  });

  it('RNN + CNN: images, conv output and ReLU at full size, pooled map, features', () => {
    const e = trainingMemory(rnnCnn, 2, 3, 'adam');
    const image = 2 * 3 * 64 + 2 * (2 * 2 * 64) + 2 * 2 * 16 + 2 * 32 + 2 * 3;
    const text = 2 * 3 * 2 + 2 * 3 * (3 + 2 * 3 + 2 * 3);
    const activations = image + text + 2 * (3 + 4 + 2);
    expect(e.activationBytes).toBe(activations * 8);
    expect(e.largest).toEqual({ bytes: 4 * 2 * 3 * 64, what: 'one batch of images' });
  });
});

describe('limits', () => {
  // The link that built a 134-million-parameter model: an LSTM with hidden and embedding size 4096.
  const huge = defaultModelConfig({ fusion: 'text', text: { cell: 'lstm', vocabSize: 40, embeddingSize: 4096, hiddenSize: 4096, numLayers: 1, bidirectional: false, dropout: 0 } });

  it('refuses the 134-million-parameter LSTM with its figures and what to lower', () => {
    const e = trainingMemory(huge, 32, 12, 'adam');
    expect(e.parameters).toBeGreaterThan(134_000_000);
    expect(e.total).toBeGreaterThan(TRAINING_MEMORY_BUDGET);
    const problems = memoryProblems(huge, e, null);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^This model needs about [\d.]+ GiB to train \(134\.\d million parameters: .*budget 2 GiB\)\. Lower the hidden size or the embedding size\.$/);
  });

  it('names the tensor that exceeds the GPU buffer limit', () => {
    // One layer of 2048 keeps within the budget, but its 8192 × 4096 input weights do not fit a 64 MiB binding.
    const c = defaultModelConfig({ fusion: 'text', text: { ...huge.text, hiddenSize: 2048 } });
    const e = trainingMemory(c, 32, 12, 'adam');
    expect(e.total).toBeLessThan(TRAINING_MEMORY_BUDGET);
    expect(memoryProblems(c, e, DEFAULT_BUFFER_LIMITS)).toEqual([]);
    const small = { maxBufferSize: 256 * 1024 ** 2, maxStorageBufferBindingSize: 64 * 1024 ** 2 };
    expect(memoryProblems(c, e, small)).toEqual([
      "The text encoder's rnn.weight_ih_l0 weights (8,192 × 4,096) would take 128 MiB, more than this GPU allows in one buffer (64 MiB). Lower the hidden size or the embedding size.",
    ]);
  });

  it('lets the default model and the largest built-in demos through', () => {
    const c = { ...defaultModelConfig(), text: { ...defaultModelConfig().text, vocabSize: 60 } };
    expect(memoryProblems(c, trainingMemory(c, 32, 20, 'adam'), DEFAULT_BUFFER_LIMITS)).toEqual([]);
    const img128 = { ...c, image: { ...c.image, imageSize: 128 } };
    expect(memoryProblems(img128, trainingMemory(img128, 32, 20, 'adam'), DEFAULT_BUFFER_LIMITS)).toEqual([]);
  });

  it('datasets: RGBA as generated plus float32 RGB as prepared', () => {
    expect(datasetMemory(3000, 32)).toBe(3000 * 32 * 32 * 16);
    expect(datasetMemoryProblem('Shapes & Questions', 3000, 32, 'the number of examples')).toBeNull();
    expect(datasetMemoryProblem('Shapes & Questions', 50000, 128, 'the number of examples')).toBe(
      'Shapes & Questions with 50,000 pictures of 128 × 128 pixels needs about 12.21 GiB of memory (budget 1 GiB). Lower the number of examples to at most 4,096 or the image size.',
    );
    expect(datasetMemory(4096, 128)).toBeLessThanOrEqual(DATASET_MEMORY_BUDGET);
    expect(datasetMemory(4097, 128)).toBeGreaterThan(DATASET_MEMORY_BUDGET);
  });
});
