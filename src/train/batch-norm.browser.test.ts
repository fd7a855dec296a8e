// Training a cnn with batch norm on WebGPU follows the CPU backend (the oracle): the same
// seeded steps give the same weights, running statistics and step count, and evaluation
// (running statistics) gives the same outputs.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { allclose } from '../autograd/gradcheck.ts';
import type { Backend } from '../backend/backend.ts';
import { defaultModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer } from './trainer.ts';

const data = tinyDataset({ task: 'classification', size: 40, imageSize: 12, seed: 9 });
const model = defaultModelConfig({
  fusion: 'late',
  text: { cell: 'gru', vocabSize: 8, embeddingSize: 4, hiddenSize: 6, numLayers: 1, bidirectional: false, dropout: 0 },
  image: { encoder: 'cnn', imageSize: 12, channels: [4, 5], batchNorm: true, mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
  head: { hiddenSize: 0, dropout: 0 },
  outputSize: 3,
});
// SGD: a step is linear in the gradient, so float32 differences between backends stay
// at rounding size (Adam's normalisation would magnify them in near-zero gradients).
const train = defaultTrainConfig({ batchSize: 8, epochs: 2, readbackEvery: 2, optimizer: { kind: 'sgd', lr: 0.1 } });

async function run(backend: Backend) {
  const t = new Trainer(backend, data, model, train, () => {});
  await t.start();
  const state = await t.exportState();
  const outputs = await t.outputs([0, 1, 2, 3, 4, 5]);
  t.dispose();
  t.model.dispose();
  return { state, outputs };
}

describe('batch norm training on WebGPU vs the CPU backend', () => {
  it('same weights, running statistics and evaluation outputs after two epochs (8 steps)', async () => {
    const gpu = await run(await WebGpuBackend.create());
    const cpu = await run(new CpuBackend());
    expect(gpu.state.step).toBe(8);
    expect(cpu.state.step).toBe(8);
    for (const [name, expected] of Object.entries(cpu.state.weights)) {
      const r = allclose(gpu.state.weights[name], expected, 1e-4, 1e-3, name);
      expect(r.ok, r.message).toBe(true);
    }
    expect(Array.from(gpu.state.weights['image_encoder.bn1.num_batches_tracked'])).toEqual([8]);
    // The running statistics moved away from their start (0 and 1).
    expect(Array.from(cpu.state.weights['image_encoder.bn0.running_mean']).every((v) => v !== 0)).toBe(true);
    const r = allclose(gpu.outputs, cpu.outputs, 1e-4, 1e-3, 'evaluation outputs');
    expect(r.ok, r.message).toBe(true);
  });
});
