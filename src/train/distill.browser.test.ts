// A student's training steps on WebGPU (SwiftShader here) match the CPU backend's: the
// distillation loss (α · T² · KL to the teacher + (1 − α) · CE) and the gradient norms
// of every layer, for the first steps of the same run. The teacher's logits are fixed
// random numbers: the step's arithmetic is what is compared, not what it learns.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { generateLongMemory } from '../data/long-memory.ts';
import { defaultModelConfig } from '../models/config.ts';
import { Random } from '../random.ts';
import { defaultTrainConfig } from './config.ts';
import { Trainer, type StepStats } from './trainer.ts';

describe('distillation step on WebGPU', () => {
  it('gives the CPU backend’s losses and gradient norms', async () => {
    const data = generateLongMemory({ count: 64, length: 5, classes: 3, seed: 2 });
    const model = defaultModelConfig({
      fusion: 'text',
      text: { cell: 'gru', vocabSize: data.vocab.tokens.length, embeddingSize: 4, hiddenSize: 6, numLayers: 1, bidirectional: false, dropout: 0 },
      head: { hiddenSize: 5, dropout: 0 },
      outputSize: 3,
    });
    const rng = new Random(5);
    const logits = Float32Array.from({ length: data.size * 3 }, () => 3 * rng.normal());
    const config = defaultTrainConfig({ batchSize: 8, epochs: 1, readbackEvery: 1, clipNorm: 0 });
    const run = async (backend: CpuBackend | WebGpuBackend, alpha: number) => {
      const stats: StepStats[] = [];
      const t = new Trainer(backend, data, model, config, (e) => e.type === 'steps' && stats.push(...e.stats), { teacher: { logits, temperature: 2.5, alpha } });
      for (let k = 0; k < 3; k++) await t.stepOnce();
      t.dispose();
      t.model.dispose();
      return stats;
    };
    const gpu = await WebGpuBackend.create();
    for (const alpha of [0.5, 1]) {
      const cpu = await run(new CpuBackend(), alpha);
      const web = await run(gpu, alpha);
      console.log(`α = ${alpha}: losses cpu ${cpu.map((s) => s.loss.toFixed(6)).join(' ')} | webgpu ${web.map((s) => s.loss.toFixed(6)).join(' ')}`);
      expect(web).toHaveLength(3);
      web.forEach((s, k) => {
        expect(Math.abs(s.loss - cpu[k].loss)).toBeLessThan(1e-4 * cpu[k].loss + 1e-6);
        expect(s.layerNorms).toHaveLength(cpu[k].layerNorms.length);
        s.layerNorms.forEach((n, l) => expect(Math.abs(n - cpu[k].layerNorms[l])).toBeLessThan(1e-3 * cpu[k].layerNorms[l] + 1e-6));
      });
    }
    // The teacher changes the loss: α = 1 is the soft term alone, not the labels' cross-entropy.
    const plain: StepStats[] = [];
    const t = new Trainer(new CpuBackend(), data, model, config, (e) => e.type === 'steps' && plain.push(...e.stats));
    await t.stepOnce();
    t.dispose();
    const soft = await run(new CpuBackend(), 1);
    expect(Math.abs(soft[0].loss - plain[0].loss)).toBeGreaterThan(0.1);
  });
});
