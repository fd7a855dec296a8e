// Multi-task learning on WebGPU (SwiftShader here), with the CPU backend as the oracle:
// the weighted loss L = L_primary + Σ w_k · L_k and every parameter's gradient match the
// CPU's, and on Complementary clues one model with a second head (the shape) solves both
// tasks. The numbers seen are printed.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import type { Backend } from '../backend/backend.ts';
import { backward } from '../ops/grad.ts';
import { scope } from '../tensor.ts';
import { defaultModelConfig, type ExtraTaskConfig } from '../models/config.ts';
import { MultimodalModel, multiTaskLoss } from '../models/model.ts';
import { tinyDataset } from '../models/models.support.ts';
import { withExtraTargets } from '../models/multitask.support.ts';
import { resolveModelConfig } from '../models/dataset-fit.ts';
import { prepareDataset } from '../data/prepare.ts';
import { emptyReport } from '../data/report.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { generateClues } from '../data/clues.ts';
import { makeBatch } from './batch.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer } from './trainer.ts';

const gpuPromise = WebGpuBackend.create();
const HANG_GUARD_MS = 600_000;

describe('multi-task loss and gradients on WebGPU', () => {
  it('match the CPU backend (three auxiliary heads of three kinds, weighted)', async () => {
    const gpu = await gpuPromise;
    const tasks: ExtraTaskConfig[] = [
      { name: 'shape', kind: 'classification', outputSize: 4, weight: 0.7 },
      { name: 'size', kind: 'regression', outputSize: 1, weight: 2.5 },
      { name: 'tags', kind: 'multilabel', outputSize: 3, weight: 1.3 },
    ];
    const data = withExtraTargets(tinyDataset({ task: 'classification', size: 12, seed: 9, missingImage: 0.2, missingText: 0.2 }), tasks, 9);
    const config = defaultModelConfig({
      fusion: 'gated',
      text: { cell: 'gru', vocabSize: 8, embeddingSize: 4, hiddenSize: 8, numLayers: 1, bidirectional: false, dropout: 0 },
      image: { encoder: 'cnn', imageSize: 8, channels: [4], mlpHidden: 8, inputFeatures: 0, featureSize: 6 },
      head: { hiddenSize: 6, dropout: 0 },
      fusionSize: 6,
      outputSize: 3,
      extraTasks: tasks,
    });
    const run = async (backend: Backend) => {
      const model = MultimodalModel.create(backend, config, 5);
      const pending = scope(() => {
        const batch = makeBatch(backend, data, config, Array.from({ length: 12 }, (_, i) => i));
        const r = multiTaskLoss(config, batch, model.forward(batch, { training: true, seed: 1 }));
        backward(r.loss);
        return [r.loss, r.primary, ...r.extras.map((e) => e.loss)].map((t) => t.keep());
      });
      const losses = await Promise.all(pending.map(async (t) => (await t.read())[0]));
      const grads = new Map<string, Float32Array>();
      for (const name of model.params.names()) {
        const g = model.params.get(name).grad;
        if (g) grads.set(name, Float32Array.from(await g.read()));
      }
      model.dispose();
      return { losses, grads };
    };
    const cpu = await run(new CpuBackend());
    const web = await run(gpu);
    console.log(`losses (total, primary, shape, size, tags) cpu ${cpu.losses.map((v) => v.toFixed(6)).join(' ')} | webgpu ${web.losses.map((v) => v.toFixed(6)).join(' ')}`);
    web.losses.forEach((v, k) => expect(Math.abs(v - cpu.losses[k])).toBeLessThan(1e-4 * Math.abs(cpu.losses[k]) + 1e-5));
    expect([...web.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
    expect([...cpu.grads.keys()].filter((n) => n.startsWith('head_'))).toHaveLength(12);
    let worst = 0;
    for (const [name, g] of cpu.grads) {
      const w = web.grads.get(name)!;
      const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
      g.forEach((v, i) => (worst = Math.max(worst, Math.abs(w[i] - v) / scale)));
    }
    console.log(`largest gradient difference, relative to the parameter's largest gradient: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('multi-task learning on Complementary clues', () => {
  it('one model learns the pair (9 classes) and, on a second head, the shape (3 classes)', async () => {
    const gpu = await gpuPromise;
    const S = 16;
    const data = prepareDataset(generateClues({ count: 720, seed: 1, imageSize: S }), {
      task: 'classification',
      tokenizer: DEFAULT_TOKENIZER,
      imageSize: S,
      split: { train: 0.7, validation: 0.15, seed: 1, stratify: true },
      name: 'clues',
      report: emptyReport(),
      extraTasks: [{ name: 'shape', kind: 'classification', weight: 1 }],
    });
    const model = resolveModelConfig(
      defaultModelConfig({
        fusion: 'late',
        text: { cell: 'gru', vocabSize: 0, embeddingSize: 16, hiddenSize: 16, numLayers: 1, bidirectional: false, dropout: 0 },
        image: { encoder: 'cnn', imageSize: S, channels: [8], pool: 'max', mlpHidden: 16, inputFeatures: 0, featureSize: 16 },
        head: { hiddenSize: 32, dropout: 0 },
      }),
      data,
      null,
    );
    // 504 training examples, batch 16: 32 steps per epoch; solved = validation accuracy ≥ 0.95 on both heads.
    const MAX_EPOCHS = 6;
    const SOLVED = 0.95;
    const t = new Trainer(gpu, data, model, defaultTrainConfig({ batchSize: 16, epochs: MAX_EPOCHS, optimizer: { kind: 'adam', lr: 0.01 }, readbackEvery: 8 }), () => {});
    let solvedAt: number | null = null;
    while (t.epoch < MAX_EPOCHS && solvedAt === null) {
      for (let k = 0; k < t.stepsPerEpoch; k++) await t.stepOnce();
      const last = t.history[t.history.length - 1];
      if (last?.tasks && last.tasks.every((x) => (x.accuracy ?? 0) >= SOLVED)) solvedAt = last.step;
    }
    const tasks = t.history.map((h) => h.tasks!.map((x) => `${x.name} ${x.accuracy!.toFixed(2)} (loss ${x.loss.toFixed(3)})`).join(', '));
    console.log(`clues multi-task, validation by epoch:\n  ${tasks.join('\n  ')}\nboth solved at step ${solvedAt}`);
    const first = t.history[0].tasks!;
    const last = t.history[t.history.length - 1].tasks!;
    expect(last.map((x) => x.name)).toEqual(['primary', 'shape']);
    // Both tasks' own losses fell, and both were solved within 6 epochs (192 steps; measured: 64).
    last.forEach((x, k) => expect(x.loss).toBeLessThan(first[k].loss));
    expect(solvedAt).not.toBeNull();
    expect(solvedAt!).toBeLessThanOrEqual(MAX_EPOCHS * t.stepsPerEpoch);
    const test = await t.evaluate('test');
    console.log(`test: ${test.tasks!.map((x) => `${x.name} ${x.accuracy!.toFixed(3)}`).join(', ')}`);
    for (const x of test.tasks!) expect(x.accuracy!).toBeGreaterThanOrEqual(0.9);
    t.dispose();
    t.model.dispose();
  }, HANG_GUARD_MS);
});
