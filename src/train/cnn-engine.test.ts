// Training an image model on the WebAssembly engine (the app's CPU backend when the engine
// loads): the CNN encoder's convolutions, pooling and the optimizer update run there
// (src/ops/conv2d-wasm.ts, wasm/conv.ts, wasm/optim.ts). The same fresh model trained step
// by step on the engine and on the plain f32 CPU backend gives the same losses and
// gradient norms, and on the engine the loss of a small training set falls.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { nodeEngine } from '../backend/wasm-engine.support.ts';
import { WasmGemm, type GemmExports } from '../backend/wasm-gemm.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from './config.ts';
import type { OptimizerConfig } from '../optim/types.ts';
import { expectSameSteps, stepStats } from './trainer.support.ts';

let engine: WasmGemm;
/** Calls of some engine kernels, to check that the steps ran there. */
const calls = new Map<string, number>();
const COUNTED = ['im2col', 'col2im', 'maxPool2d', 'maxPool2dGrad', 'adamUpdate', 'sgdUpdate', 'rmspropUpdate'] as const;

beforeAll(async () => {
  const plain = await nodeEngine();
  const counted = { ...plain.exports } as GemmExports;
  for (const name of COUNTED) {
    const kernel = plain.exports[name] as (...args: number[]) => void;
    (counted as unknown as Record<string, unknown>)[name] = (...args: number[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      kernel(...args);
    };
  }
  engine = new WasmGemm(counted, plain.memory, plain.relaxed);
});

/** Image-only classification: conv 3→4 and 4→8 at 16×16 and 8×8, each with ReLU and 2×2 max pooling. */
function cnnModel(pool: 'max' | undefined): ModelConfig {
  return defaultModelConfig({
    fusion: 'image',
    image: { encoder: 'cnn', imageSize: 16, channels: [4, 8], mlpHidden: 8, inputFeatures: 0, featureSize: 12, ...(pool ? { pool } : {}) },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize: 3,
  });
}

const data = tinyDataset({ task: 'classification', size: 24, seed: 5, imageSize: 16 });

describe('CNN training on the WebAssembly engine', () => {
  const optimizers: OptimizerConfig[] = [
    { kind: 'adam', lr: 0.01 },
    { kind: 'sgd', lr: 0.05, momentum: 0.9 },
    { kind: 'rmsprop', lr: 0.005 },
  ];
  for (const optimizer of optimizers) {
    it(`the same steps as the plain CPU backend (${optimizer.kind})`, async () => {
      const config = defaultTrainConfig({ batchSize: 8, epochs: 10, readbackEvery: 1, optimizer });
      const plain = await stepStats(new CpuBackend(), data, cnnModel(undefined), config, 5);
      calls.clear();
      const fast = await stepStats(new CpuBackend({ engine }), data, cnnModel(undefined), config, 5);
      for (const name of ['im2col', 'col2im', 'maxPool2d', 'maxPool2dGrad', `${optimizer.kind}Update`]) expect(calls.get(name), name).toBeGreaterThan(0);
      expectSameSteps(fast.stats, plain.stats, `cnn ${optimizer.kind}, engine vs plain`);
    });
  }
  it('the loss of 24 images falls below a third of its start in 40 steps (Adam, global max pooling)', async () => {
    const config = defaultTrainConfig({ batchSize: 24, epochs: 100, readbackEvery: 1, optimizer: { kind: 'adam', lr: 0.02 } });
    const { stats } = await stepStats(new CpuBackend({ engine }), data, cnnModel('max'), config, 40);
    const first = stats[0].loss;
    const last = stats[stats.length - 1].loss;
    console.log(`cnn on the engine: loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${stats.length} steps`);
    expect(last).toBeLessThan(first / 3);
  });
});
