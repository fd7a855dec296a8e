// Distillation in the trainer, on the CPU backend: a 32-unit LSTM teacher learns
// Remember the first word (4 signal words, 6 tokens), then an 8-unit LSTM student trains
// on the teacher's logits softened at T = 3 with α = 0.5, and a student of the same size
// trains on the labels alone with the same seed and steps (the baseline distillation
// must be measured against). The student must learn the task and agree with the teacher;
// the baseline's figures are printed, not asserted to be worse.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { generateLongMemory } from '../data/long-memory.ts';
import { defaultModelConfig, type ModelConfig } from '../models/config.ts';
import { defaultTrainConfig } from './config.ts';
import { teacherProblems, Trainer, type StepStats, type TeacherTargets } from './trainer.ts';

const data = generateLongMemory({ count: 320, length: 6, classes: 4, seed: 3 });

function lstm(hiddenSize: number): ModelConfig {
  return defaultModelConfig({
    fusion: 'text',
    text: { cell: 'lstm', vocabSize: data.vocab.tokens.length, embeddingSize: 8, hiddenSize, numLayers: 1, bidirectional: false, dropout: 0, forgetBias: 1 },
    head: { hiddenSize: 0, dropout: 0 },
    outputSize: 4,
  });
}

/** Epochs of each student (batch 32). */
const STUDENT_EPOCHS = 8;
const STEPS_PER_EPOCH = Math.ceil(data.splits.train.length / 32);
const train = (epochs: number) => defaultTrainConfig({ batchSize: 32, epochs, clipNorm: 1, optimizer: { kind: 'adam', lr: 0.02 }, readbackEvery: 4 });

function argmax(z: Float32Array, C: number): number[] {
  return Array.from({ length: z.length / C }, (_, i) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (z[i * C + c] > z[i * C + best]) best = c;
    return best;
  });
}

describe('a student trains on a teacher’s softened logits', () => {
  it(`an 8-unit student reaches 95 % validation accuracy and agreement within ${STUDENT_EPOCHS * STEPS_PER_EPOCH} steps`, async () => {
    const all = Array.from({ length: data.size }, (_, i) => i);
    const teacher = new Trainer(new CpuBackend(), data, lstm(32), train(10), () => {});
    await teacher.start();
    const teacherAccuracy = teacher.history[teacher.history.length - 1].validation.accuracy!;
    const logits = await teacher.outputs(all);
    teacher.dispose();
    const targets: TeacherTargets = { logits, temperature: 3, alpha: 0.5 };
    const validation = Array.from(data.splits.validation);
    const teacherClass = argmax(logits, 4);

    const student = async (t: TeacherTargets | undefined) => {
      const steps: StepStats[] = [];
      const trainer = new Trainer(new CpuBackend(), data, lstm(8), train(STUDENT_EPOCHS), (e) => e.type === 'steps' && steps.push(...e.stats), { teacher: t });
      await trainer.start();
      const out = argmax(await trainer.outputs(validation), 4);
      const agreement = out.filter((c, k) => c === teacherClass[validation[k]]).length / validation.length;
      const byEpoch = trainer.history.map((h) => h.validation.accuracy!);
      trainer.dispose();
      return { steps, agreement, byEpoch, accuracy: byEpoch[byEpoch.length - 1], parameters: trainer.model.params.trainable().reduce((n, t) => n + t.size, 0) };
    };
    const distilled = await student(targets);
    const baseline = await student(undefined);
    const f = (v: number) => `${(100 * v).toFixed(1)} %`;
    console.log(
      `teacher (32 units) validation accuracy ${f(teacherAccuracy)}; ` +
        `distilled student (8 units, ${distilled.parameters} parameters): accuracy by epoch ${distilled.byEpoch.map(f).join(' ')}, agreement ${f(distilled.agreement)}, loss ${distilled.steps[0].loss.toFixed(3)} → ${distilled.steps[distilled.steps.length - 1].loss.toFixed(3)}; ` +
        `labels-only student: accuracy by epoch ${baseline.byEpoch.map(f).join(' ')}, agreement ${f(baseline.agreement)}`,
    );
    expect(teacherAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(distilled.steps).toHaveLength(STUDENT_EPOCHS * STEPS_PER_EPOCH);
    expect(distilled.byEpoch[0]).toBeLessThan(0.6);
    expect(distilled.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(distilled.agreement).toBeGreaterThanOrEqual(0.95);
    // The two students differ only in the loss: with α = 0.5 their curves must differ.
    expect(distilled.steps.map((s) => s.loss)).not.toEqual(baseline.steps.map((s) => s.loss));
  }, 120_000);

  it('refuses teacher targets that do not fit the dataset or the task', () => {
    const logits = new Float32Array(data.size * 4);
    expect(teacherProblems({ logits, temperature: 2, alpha: 0.5 }, data, lstm(8))).toEqual([]);
    expect(teacherProblems({ logits: logits.subarray(4), temperature: 2, alpha: 0.5 }, data, lstm(8)).join(' ')).toMatch(/hold 1276 values; 320 examples × 4 classes = 1280/);
    expect(teacherProblems({ logits, temperature: 0, alpha: 1.5 }, data, lstm(8)).join(' ')).toMatch(/temperature must be a positive number \(got 0\).*α must be from 0 to 1 \(got 1.5\)/);
    expect(teacherProblems({ logits, temperature: 2, alpha: 0.5 }, data, { ...lstm(8), task: 'regression', outputSize: 1 }).join(' ')).toMatch(/needs a classification task.*this task is regression/);
    expect(() => new Trainer(new CpuBackend(), data, lstm(8), train(1), () => {}, { teacher: { logits, temperature: -1, alpha: 0.5 } })).toThrow(/temperature must be a positive number/);
  });
});
