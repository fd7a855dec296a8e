// Multi-task models on the CPU backend: auxiliary heads `head_<task>` on the fused
// feature, the weighted loss L = L_primary + Σ w_k · L_k (checked against the tasks'
// own losses and by a float64 gradient check of the whole model), single-task models
// unchanged, and the preparation of auxiliary targets (bad rows named by file and row).
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { gradcheck } from '../autograd/gradcheck.ts';
import { backward } from '../ops/grad.ts';
import { scope, type Tensor } from '../tensor.ts';
import { makeBatch } from '../train/batch.ts';
import { Random } from '../random.ts';
import { prepareDataset } from '../data/prepare.ts';
import { emptyReport } from '../data/report.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { generateClues } from '../data/clues.ts';
import type { PreparedDataset, RawExample } from '../data/types.ts';
import { defaultModelConfig, validateModelConfig, type ExtraTaskConfig, type FusionKind, type ModelConfig } from './config.ts';
import { resolveModelConfig } from './dataset-fit.ts';
import { MultimodalModel, modelSpecs, multiTaskLoss, taskLoss } from './model.ts';
import { Params, initialValues } from './params.ts';
import { tinyDataset } from './models.support.ts';
import { withExtraTargets } from './multitask.support.ts';

const TASKS: ExtraTaskConfig[] = [
  { name: 'shape', kind: 'classification', outputSize: 4, weight: 0.7 },
  { name: 'size', kind: 'regression', outputSize: 1, weight: 2.5 },
  { name: 'tags', kind: 'multilabel', outputSize: 3, weight: 1.3 },
];

function tinyConfig(fusion: FusionKind, extraTasks?: ExtraTaskConfig[]): ModelConfig {
  return defaultModelConfig({
    fusion,
    text: { cell: 'lstm', vocabSize: 8, embeddingSize: 3, hiddenSize: 3, numLayers: 1, bidirectional: false, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 8, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: 3 },
    head: { hiddenSize: 3, dropout: 0 },
    fusionSize: 3,
    outputSize: 3,
    extraTasks,
  });
}

function tinyMultiTask(seed: number): PreparedDataset {
  return withExtraTargets(tinyDataset({ task: 'classification', size: 8, missingImage: 0.25, missingText: 0.25, seed }), TASKS, seed);
}

describe('multi-task model', () => {
  it('adds one head_<task> per auxiliary task after the single-task parameters, which stay as they were', () => {
    for (const fusion of ['late', 'gated', 'film', 'early', 'image', 'text'] as FusionKind[]) {
      const single = modelSpecs(tinyConfig(fusion));
      const multi = modelSpecs(tinyConfig(fusion, TASKS));
      expect(multi.slice(0, single.length)).toEqual(single);
      const added = multi.slice(single.length);
      expect(added.map((s) => s.name)).toEqual(['shape', 'size', 'tags'].flatMap((t) => [`head_${t}.fc1.weight`, `head_${t}.fc1.bias`, `head_${t}.fc2.weight`, `head_${t}.fc2.bias`]));
      // Each head reads the same fused feature as the primary head and has its task's width.
      const primaryIn = single.find((s) => s.name === 'head.fc1.weight')!.shape[1];
      for (const t of TASKS) {
        expect(added.find((s) => s.name === `head_${t.name}.fc1.weight`)!.shape[1]).toBe(primaryIn);
        expect(added.find((s) => s.name === `head_${t.name}.fc2.weight`)!.shape[0]).toBe(t.outputSize);
      }
    }
  });

  it('refuses auxiliary tasks where there is no single fused feature, and bad task settings', () => {
    const sized = (c: ModelConfig) => ({ ...c, image: { ...c.image, imageSize: 16 } });
    expect(validateModelConfig(sized(tinyConfig('late', TASKS)))).toEqual([]);
    expect(validateModelConfig(tinyConfig('weighted', TASKS)).join(' ')).toMatch(/"weighted" fusion has one head per modality/);
    expect(validateModelConfig(tinyConfig('late', [{ name: 'Bad-Name', kind: 'classification', outputSize: 2, weight: 1 }])).join(' ')).toMatch(/Task name "Bad-Name"/);
    expect(validateModelConfig(tinyConfig('late', [{ name: 'a', kind: 'classification', outputSize: 2, weight: -1 }])).join(' ')).toMatch(/loss weight must be a number ≥ 0/);
    expect(validateModelConfig(tinyConfig('late', [{ name: 'a', kind: 'regression', outputSize: 2, weight: 1 }])).join(' ')).toMatch(/regression predicts one number/);
  });

  it('trains on L_primary + Σ w_k · L_k: the total equals the weighted sum of the tasks\' own losses', () => {
    const cpu = new CpuBackend();
    const config = tinyConfig('gated', TASKS);
    const data = tinyMultiTask(4);
    const model = MultimodalModel.create(cpu, config, 2);
    scope(() => {
      const batch = makeBatch(cpu, data, config, [0, 1, 2, 3, 4, 5, 6, 7]);
      const out = model.forward(batch, { training: true, seed: 1 });
      expect(out.extraOutputs!.map((o) => o.shape)).toEqual([
        [8, 4],
        [8, 1],
        [8, 3],
      ]);
      const r = multiTaskLoss(config, batch, out);
      const own = [taskLoss(batch, out.output).loss, ...TASKS.map((_, k) => taskLoss({ ...batch, target: batch.extraTargets![k] }, out.extraOutputs![k]).loss)].map((t) => cpu.data(t)[0]);
      const expected = own[0] + TASKS.reduce((s, t, k) => s + t.weight * own[k + 1], 0);
      expect(cpu.data(r.primary)[0]).toBeCloseTo(own[0], 6);
      r.extras.forEach((e, k) => expect(cpu.data(e.loss)[0]).toBeCloseTo(own[k + 1], 6));
      expect(cpu.data(r.loss)[0]).toBeCloseTo(expected, 5);
      // Every auxiliary loss is a real, different number (so the check above weighs something).
      expect(new Set(own.map((v) => v.toFixed(4))).size).toBe(4);
    });
    model.dispose();
  });

  it('a task with weight 0 sends no gradient to its head; the primary task\'s gradients are those of the single-task loss', () => {
    const cpu = new CpuBackend();
    const config = tinyConfig('late', TASKS.map((t) => ({ ...t, weight: 0 })));
    const data = tinyMultiTask(5);
    const model = MultimodalModel.create(cpu, config, 3);
    const gradsOf = (lossOf: (batch: ReturnType<typeof makeBatch>, out: ReturnType<MultimodalModel['forward']>) => Tensor) =>
      scope(() => {
        for (const p of model.params.list()) p.grad = null;
        const batch = makeBatch(cpu, data, config, [0, 1, 2, 3, 4, 5]);
        const out = model.forward(batch, { training: true, seed: 1 });
        backward(lossOf(batch, out));
        return new Map(model.params.names().map((n) => [n, model.params.get(n).grad ? Array.from(cpu.data(model.params.get(n).grad!)) : null]));
      });
    const multi = gradsOf((batch, out) => multiTaskLoss(config, batch, out).loss);
    const single = gradsOf((batch, out) => taskLoss(batch, out.output).loss);
    for (const [name, g] of multi) {
      if (name.startsWith('head_')) {
        if (g) expect(g.every((v) => v === 0)).toBe(true);
        continue;
      }
      const s = single.get(name);
      if (!s || !g) {
        expect(g).toEqual(s);
        continue;
      }
      g.forEach((v, i) => expect(v).toBeCloseTo(s[i], 6));
    }
    model.dispose();
  });
});

describe('float64 gradient check of a multi-task model', () => {
  for (const fusion of ['late', 'film'] as FusionKind[]) {
    it(`${fusion}: primary classification + classification, regression and multi-label heads, weighted`, () => {
      const config = tinyConfig(fusion, TASKS);
      const data = tinyMultiTask(11);
      const specs = modelSpecs(config);
      const rng = new Random(3);
      const inputs = specs.map((s) => {
        const v = initialValues(s, rng);
        if (s.init.kind === 'constant') for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-0.5, 0.5);
        return { data: v, shape: s.shape };
      });
      const r = gradcheck((ts, backend) => {
        const params = new Params(new Map(specs.map((s, k) => [s.name, ts[k]] as [string, Tensor])));
        const model = MultimodalModel.fromParams(config, params);
        const batch = makeBatch(backend, data, config, [0, 1, 2, 3, 4]);
        return multiTaskLoss(config, batch, model.forward(batch, { training: true, seed: 1 })).loss;
      }, inputs);
      expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
      // The auxiliary heads were among the checked parameters.
      expect(specs.filter((s) => s.name.startsWith('head_')).length).toBe(12);
    });
  }
});

describe('preparing auxiliary targets', () => {
  const split = { train: 0.7, validation: 0.15, seed: 1, stratify: true };
  it('encodes the chosen tasks of Complementary clues, and the model config takes their sizes and weights', () => {
    const raw = generateClues({ count: 90, seed: 2, imageSize: 16 });
    const data = prepareDataset(raw, { task: 'classification', tokenizer: DEFAULT_TOKENIZER, imageSize: 16, split, name: 'clues', report: emptyReport(), extraTasks: [{ name: 'shape', kind: 'classification', weight: 0.5 }] });
    expect(data.extraTargets).toHaveLength(1);
    const shape = data.extraTargets![0];
    expect(shape).toMatchObject({ name: 'shape', weight: 0.5 });
    if (shape.targets.kind !== 'classification' || data.targets.kind !== 'classification') throw new Error('classification expected');
    expect(shape.targets.classes).toEqual(['circle', 'square', 'triangle']);
    const primary = data.targets;
    for (let i = 0; i < data.size; i++) expect(primary.classes[primary.labels[i]].endsWith(shape.targets.classes[shape.targets.labels[i]])).toBe(true);
    const config = resolveModelConfig(defaultModelConfig(), data, null);
    expect(config.extraTasks).toEqual([{ name: 'shape', kind: 'classification', outputSize: 3, weight: 0.5 }]);
    // Without the option nothing changes: no auxiliary targets, no auxiliary heads.
    const plain = prepareDataset(raw, { task: 'classification', tokenizer: DEFAULT_TOKENIZER, imageSize: 16, split, name: 'clues', report: emptyReport() });
    expect(plain.extraTargets).toBeUndefined();
    expect(resolveModelConfig(defaultModelConfig(), plain, null).extraTasks).toBeUndefined();
  });

  it('skips rows whose auxiliary target is empty or of the wrong kind, naming the file, row and task; the rest is kept', () => {
    const raw: RawExample[] = generateClues({ count: 30, seed: 2, imageSize: 16 }).map((e, i) => ({ ...e, source: { file: 'data.csv', row: i + 2 }, extraTargets: { ...e.extraTargets, size: { kind: 'number', value: i } } }));
    raw[3] = { ...raw[3], extraTargets: { ...raw[3].extraTargets, size: { kind: 'none' } } };
    raw[7] = { ...raw[7], extraTargets: { ...raw[7].extraTargets, size: { kind: 'class', label: 'big' } } };
    const data = prepareDataset(raw, {
      task: 'classification',
      tokenizer: DEFAULT_TOKENIZER,
      imageSize: 16,
      split,
      name: 'clues',
      report: emptyReport(),
      extraTasks: [
        { name: 'shape', kind: 'classification', weight: 1 },
        { name: 'size', kind: 'regression', weight: 1 },
      ],
    });
    expect(data.size).toBe(28);
    const bad = data.report.issues.filter((x) => x.code === 'extra-target-invalid');
    expect(bad.map((x) => [x.file, x.row])).toEqual([
      ['data.csv', 5],
      ['data.csv', 9],
    ]);
    expect(bad[0].message).toBe('the target of task "size" is empty; skipped');
    expect(bad[1].message).toBe('the target of task "size" holds class labels, which regression (a number per example) cannot use; skipped');
    const size = data.extraTargets![1].targets;
    if (size.kind !== 'regression') throw new Error('regression expected');
    expect(size.values).not.toContain(3);
    expect(size.std).toBeGreaterThan(1);
  });

  it('refuses bad task options in plain words', () => {
    const raw = generateClues({ count: 9, seed: 2, imageSize: 16 });
    const base = { task: 'classification' as const, tokenizer: DEFAULT_TOKENIZER, imageSize: 16, split, name: 'clues', report: emptyReport() };
    expect(() => prepareDataset(raw, { ...base, extraTasks: [{ name: 'Shape!', kind: 'classification', weight: 1 }] })).toThrow(/task name "Shape!"/);
    expect(() => prepareDataset(raw, { ...base, extraTasks: [{ name: 'shape', kind: 'classification', weight: NaN }] })).toThrow(/loss weight of task "shape"/);
  });
});
