// Training a peephole LSTM model on WebGPU: the trainer matches the CPU backend step for
// step (losses and gradient norms), and the peephole weights, which start at 0, are
// trained (they move, and the later steps run with non-zero peepholes).
import { expectSameSteps, stepStats } from './trainer.support.ts';
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer } from './trainer.ts';

describe('trainer on WebGPU, peephole LSTM', () => {
  it('gives the same losses and norms as the CPU backend and trains the peephole weights', async () => {
    const gpu = await WebGpuBackend.create();
    const data = tinyDataset({ task: 'classification', size: 40, seed: 9, missingImage: 0.2, missingText: 0.2 });
    const model = defaultModelConfig({
      fusion: 'additive',
      text: { cell: 'lstm', vocabSize: 8, embeddingSize: 4, hiddenSize: 7, numLayers: 2, bidirectional: true, dropout: 0, peephole: true },
      image: { encoder: 'cnn', imageSize: 8, channels: [4, 4], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
      head: { hiddenSize: 6, dropout: 0 },
      outputSize: 3,
    });
    const config = defaultTrainConfig({ batchSize: 8, epochs: 2, readbackEvery: 2, optimizer: { kind: 'adam', lr: 0.02 } });
    const peephole = async (t: Trainer) => Array.from(await t.model.params.get('text_encoder.rnn.weight_peephole_l1_reverse').read());
    const cpuRun = await stepStats(new CpuBackend(), data, model, config, 6, { read: peephole });
    const webRun = await stepStats(gpu, data, model, config, 6, { read: peephole });
    const cpu = { stats: cpuRun.stats, peephole: cpuRun.read };
    const web = { stats: webRun.stats, peephole: webRun.read };
    expect(web.stats).toHaveLength(6);
    expectSameSteps(web.stats, cpu.stats, 'peephole');
    // Adam moves every weight with a gradient by about lr per step: the peepholes left 0.
    expect(Math.max(...web.peephole.map(Math.abs))).toBeGreaterThan(0.02);
    web.peephole.forEach((v, i) => expect(Math.abs(v - cpu.peephole[i])).toBeLessThan(2e-3));
  });
});
