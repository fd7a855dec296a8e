// Research tool, not a test: the "Why clip?" measurements (README, Guided demos) on the CPU
// backend — a ReLU RNN with W_hh = s·I on Remember the first word, with and without
// clipping, over seeds. Skipped unless asked for:
//   GATESCOPE_WHY_CLIP='[{"T":20,"id":1.1,"lr":0.1,"clip":0,"seed":1}]' \
//     npx vitest run --project node scripts/research/why-clip.test.ts
// Prints, per setting: steps run, validation accuracy, largest gradient norm, the NaN notice.
import { describe, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu.ts';
import { generateLongMemory } from '../../src/data/long-memory.ts';
import { defaultModelConfig } from '../../src/models/config.ts';
import type { CellKind } from '../../src/ops/recurrent.ts';
import { defaultTrainConfig } from '../../src/train/config.ts';
import { Trainer, type StepStats } from '../../src/train/trainer.ts';

interface Setting {
  T?: number;
  n?: number;
  cell?: CellKind;
  id?: number;
  hidden?: number;
  lr: number;
  clip?: number;
  epochs?: number;
  seed?: number;
}

const request = process.env.GATESCOPE_WHY_CLIP;

describe.skipIf(!request)('Why clip? measurements', () => {
  it('trains each setting', async () => {
    for (const c of JSON.parse(request ?? '[]') as Setting[]) {
      const seed = c.seed ?? 1;
      const data = generateLongMemory({ length: c.T ?? 20, count: c.n ?? 2000, seed });
      const model = defaultModelConfig({
        fusion: 'text',
        text: { cell: c.cell ?? 'rnn_relu', identityInit: c.id ?? 0, vocabSize: data.vocab.tokens.length, embeddingSize: 8, hiddenSize: c.hidden ?? 16, numLayers: 1, bidirectional: false, dropout: 0 },
        head: { hiddenSize: 0, dropout: 0 },
        outputSize: 2,
      });
      const stats: StepStats[] = [];
      let nan = '';
      const config = defaultTrainConfig({ batchSize: 32, epochs: c.epochs ?? 2, clipNorm: c.clip ?? 0, optimizer: { kind: 'sgd', lr: c.lr }, readbackEvery: 1, seed });
      const t = new Trainer(new CpuBackend(), data, model, config, (e) => {
        if (e.type === 'steps') stats.push(...e.stats);
        if (e.type === 'nan') nan = e.message;
      });
      await t.start();
      const accuracy = (await t.evaluate('validation')).classification!.accuracy;
      const norms = stats.map((s) => s.gradNorm).filter(Number.isFinite);
      console.log(`${JSON.stringify(c)}: ${t.step} steps, validation accuracy ${accuracy.toFixed(3)}, largest gradient norm ${Math.max(...norms).toExponential(1)} ${nan}`);
      t.dispose();
      t.model.dispose();
    }
  }, 3_600_000);
});
