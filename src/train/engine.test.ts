// Training on the WebAssembly engine (CpuBackend({ engine })): the trainer gives the same
// step statistics as the plain f32 CPU backend (losses, gradient norms, norms over time)
// for a peephole bidirectional LSTM and a GRU text encoder with ragged texts, and the
// engine-run model learns (its loss falls).
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { nodeEngine } from '../backend/wasm-engine.support.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import type { CellKind } from '../ops/cells/index.ts';
import { defaultTrainConfig } from './config.ts';
import { expectSameSteps, stepStats } from './trainer.support.ts';

let engine: WasmGemm;

beforeAll(async () => {
  engine = await nodeEngine();
});

function model(cell: CellKind, peephole: boolean): ModelConfig {
  return defaultModelConfig({
    fusion: 'additive',
    text: { cell, vocabSize: 8, embeddingSize: 4, hiddenSize: 7, numLayers: 2, bidirectional: true, dropout: 0, peephole },
    image: { encoder: 'mlp', imageSize: 8, channels: [2], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
    head: { hiddenSize: 6, dropout: 0 },
    outputSize: 3,
  });
}

const data = tinyDataset({ task: 'classification', size: 40, seed: 9, maxLength: 6, missingImage: 0.2, missingText: 0.2 });
const config = defaultTrainConfig({ batchSize: 8, epochs: 4, readbackEvery: 2, optimizer: { kind: 'adam', lr: 0.02 } });

describe('trainer on the WebAssembly engine', () => {
  for (const [cell, peephole] of [['lstm', true], ['gru', false]] as const) {
    it(`${cell}${peephole ? ' (peephole)' : ''}: same steps as the f32 CPU backend`, async () => {
      const plain = await stepStats(new CpuBackend(), data, model(cell, peephole), config, 6);
      const wasm = await stepStats(new CpuBackend({ engine }), data, model(cell, peephole), config, 6);
      expect(wasm.stats).toHaveLength(6);
      expectSameSteps(wasm.stats, plain.stats, `${cell} engine vs plain CPU`);
    });
  }

  it('lstm on the engine learns: the mean loss of the last 8 of 48 steps is below 0.8× the first 8', async () => {
    const long = defaultTrainConfig({ ...config, epochs: 20 });
    const { stats } = await stepStats(new CpuBackend({ engine }), data, model('lstm', false), long, 48);
    expect(stats).toHaveLength(48);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(stats.slice(0, 8).map((s) => s.loss));
    const last = mean(stats.slice(-8).map((s) => s.loss));
    console.log(`lstm on the engine: mean loss steps 1-8 ${first.toFixed(4)}, steps 41-48 ${last.toFixed(4)}`);
    expect(last).toBeLessThan(0.8 * first);
  });
});
