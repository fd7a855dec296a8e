// Models on the CPU backend: every fusion strategy × cell builds and trains a step; one
// model per strategy (and per task head) passes a float64 gradient check of the whole
// model; parameter specs are consistent.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { backward } from '../ops/grad.ts';
import { gradcheck } from '../autograd/gradcheck.ts';
import { scope, type Tensor } from '../tensor.ts';
import { makeBatch } from '../train/batch.ts';
import { defaultModelConfig, FUSION_KINDS, validateModelConfig, type FusionKind, type ModelConfig } from './config.ts';
import { MultimodalModel, modelCost, modelSpecs, parameterCount, taskLoss } from './model.ts';
import { Params, initialValues } from './params.ts';
import { tinyDataset } from './models.support.ts';
import { Random } from '../random.ts';
import type { CellKind } from '../ops/recurrent.ts';
import type { TaskKind } from '../data/types.ts';
import { beamSearch, greedyDecode } from './decode.ts';

function tinyConfig(fusion: FusionKind, cell: CellKind, task: TaskKind = 'classification', extra: Partial<ModelConfig> = {}): ModelConfig {
  return defaultModelConfig({
    task,
    fusion,
    text: { cell, vocabSize: 8, embeddingSize: 3, hiddenSize: 3, numLayers: 1, bidirectional: false, dropout: 0 },
    image: { encoder: 'cnn', imageSize: 8, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: 3 },
    head: { hiddenSize: 3, dropout: 0 },
    fusionSize: 3,
    outputSize: task === 'regression' ? 1 : task === 'captioning' ? 8 : 3,
    caption: { conditioning: 'init', maxLength: 4 },
    ...extra,
  });
}

/** Float64 gradient check of the task loss with respect to every parameter. */
function checkModel(config: ModelConfig, dataOptions: Parameters<typeof tinyDataset>[0]) {
  const data = tinyDataset(dataOptions);
  const specs = modelSpecs(config);
  const rng = new Random(3);
  const inputs = specs.map((s) => {
    const v = initialValues(s, rng);
    // Constant-initialised parameters (missing vectors, α) get small random values so
    // their gradient paths are not degenerate.
    // Buffers (batch norm's running statistics) are not differentiated.
    if (s.buffer) return { data: v, shape: s.shape, grad: false };
    if (s.init.kind === 'constant') for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-0.5, 0.5);
    return { data: v, shape: s.shape };
  });
  const rows = [0, 1, 2, 3];
  return gradcheck((ts, backend) => {
    const params = new Params(new Map(specs.map((s, k) => [s.name, ts[k]] as [string, Tensor])));
    const model = MultimodalModel.fromParams(config, params);
    const batch = makeBatch(backend, data, config, rows);
    return taskLoss(batch, model.forward(batch, { training: true, seed: 1 }).output).loss;
  }, inputs);
}

describe('every fusion strategy × cell', () => {
  const cpu = new CpuBackend();
  for (const fusion of FUSION_KINDS) {
    for (const cell of ['rnn_tanh', 'lstm', 'gru'] as CellKind[]) {
      it(`${fusion} × ${cell} builds, runs and yields gradients for its parameters`, () => {
        const config = tinyConfig(fusion, cell);
        const data = tinyDataset({ task: 'classification', size: 6, missingImage: 0.3, missingText: 0.3 });
        const model = MultimodalModel.create(cpu, config, 1);
        scope(() => {
          const batch = makeBatch(cpu, data, config, [0, 1, 2, 3, 4, 5]);
          const out = model.forward(batch, { training: true, seed: 1 });
          expect(out.output.shape).toEqual([6, 3]);
          const { loss } = taskLoss(batch, out.output);
          const value = cpu.data(loss)[0];
          expect(Number.isFinite(value)).toBe(true);
          backward(loss);
        });
        const withGrad = model.params.names().filter((n) => model.params.get(n).grad);
        // Every encoder/head weight receives a gradient; only unused "missing" vectors may not.
        const without = model.params.names().filter((n) => !withGrad.includes(n) && !n.includes('missing'));
        expect(without).toEqual([]);
        expect(parameterCount(config)).toBe(model.params.list().reduce((s, t) => s + t.size, 0));
        model.dispose();
      });
    }
  }
});

describe('float64 gradient check of the whole model', () => {
  const cells: CellKind[] = ['lstm', 'gru', 'rnn_tanh'];
  FUSION_KINDS.forEach((fusion, k) => {
    it(`${fusion} (${cells[k % 3]}, some rows missing a modality)`, () => {
      const r = checkModel(tinyConfig(fusion, cells[k % 3]), { task: 'classification', size: 6, missingImage: 0.3, missingText: 0.3, seed: 11 + k });
      expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
    });
  });
  it('bidirectional 2-layer GRU with late fusion and the MLP image encoder', () => {
    const config = tinyConfig('late', 'gru', 'classification', {
      image: { encoder: 'mlp', imageSize: 8, channels: [2], mlpHidden: 4, inputFeatures: 0, featureSize: 3 },
    });
    config.text = { ...config.text, bidirectional: true, numLayers: 2 };
    const r = checkModel(config, { task: 'classification', size: 6, seed: 5 });
    expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
  });
  it('cnn with batch norm, 2 blocks (training mode: gradients through the batch statistics)', () => {
    const config = tinyConfig('late', 'gru', 'classification', {
      image: { encoder: 'cnn', imageSize: 8, channels: [2, 3], batchNorm: true, mlpHidden: 4, inputFeatures: 0, featureSize: 3 },
    });
    const r = checkModel(config, { task: 'classification', size: 6, seed: 12 });
    expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
  });
  it('multi-label head (sigmoid cross-entropy)', () => {
    const r = checkModel(tinyConfig('gated', 'lstm', 'multilabel'), { task: 'multilabel', size: 6, seed: 6 });
    expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
  });
  it('regression head (MSE on standardised targets)', () => {
    const r = checkModel(tinyConfig('film', 'gru', 'regression'), { task: 'regression', size: 6, seed: 8 });
    expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
  });
  for (const conditioning of ['init', 'early'] as const) {
    it(`captioning decoder conditioned by ${conditioning} (teacher forcing)`, () => {
      const config = tinyConfig(conditioning, 'lstm', 'captioning', { caption: { conditioning, maxLength: 4 } });
      const r = checkModel(config, { task: 'captioning', size: 6, seed: 9 });
      expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
    });
  }
});

describe('peephole LSTM in the model', () => {
  // checkModel gives the peephole weights (constant-initialised at 0) random values.
  for (const fusion of ['late', 'additive', 'init'] as const) {
    it(`float64 gradient check: ${fusion} fusion, 2 bidirectional peephole LSTM layers`, () => {
      const config = tinyConfig(fusion, 'lstm');
      config.text = { ...config.text, bidirectional: true, numLayers: 2, peephole: true };
      expect(modelSpecs(config).filter((s) => s.name.includes('weight_peephole')).map((s) => s.name)).toEqual([
        'text_encoder.rnn.weight_peephole_l0',
        'text_encoder.rnn.weight_peephole_l0_reverse',
        'text_encoder.rnn.weight_peephole_l1',
        'text_encoder.rnn.weight_peephole_l1_reverse',
      ]);
      const r = checkModel(config, { task: 'classification', size: 6, missingImage: 0.3, missingText: 0.3, seed: 21 });
      expect(r.ok, r.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
    });
  }
  it('starts with zero peephole weights, counts them, and is refused for other cells and for captioning', () => {
    const config = tinyConfig('late', 'lstm');
    const plainCount = parameterCount(config);
    config.text = { ...config.text, peephole: true };
    expect(validateModelConfig(config).filter((m) => m.includes('eephole'))).toEqual([]);
    expect(parameterCount(config)).toBe(plainCount + 3 * config.text.hiddenSize);
    const p = modelSpecs(config).find((s) => s.name === 'text_encoder.rnn.weight_peephole_l0')!;
    expect(Array.from(initialValues(p, new Random(1)))).toEqual(new Array(3 * config.text.hiddenSize).fill(0));
    expect(validateModelConfig({ ...config, text: { ...config.text, cell: 'gru' } })).toContain('Peephole connections need the LSTM cell (the cell is gru).');
    const caption = tinyConfig('init', 'lstm', 'captioning', { caption: { conditioning: 'init', maxLength: 4 } });
    caption.text = { ...caption.text, peephole: true };
    expect(validateModelConfig(caption).some((m) => m.includes('caption decoder uses the plain cell'))).toBe(true);
  });
});

describe('captioning decoding', () => {
  it('greedy and beam search return captions of at most maxLength tokens', async () => {
    const cpu = new CpuBackend();
    const config = tinyConfig('init', 'gru', 'captioning');
    const data = tinyDataset({ task: 'captioning', size: 4 });
    const model = MultimodalModel.create(cpu, config, 2);
    const pixels = scope(() => makeBatch(cpu, data, config, [0, 1, 2]).pixels!);
    const greedy = await greedyDecode(model, pixels);
    const beam1 = await beamSearch(model, pixels, 1);
    const beam3 = await beamSearch(model, pixels, 3);
    expect(greedy).toHaveLength(3);
    for (const g of [...greedy, ...beam3]) {
      expect(g.length).toBeLessThanOrEqual(config.caption.maxLength);
      for (const id of g) expect(id).toBeGreaterThanOrEqual(0);
    }
    // A beam of width 1 is greedy decoding.
    expect(beam1).toEqual(greedy);
  });
});

describe('model configs', () => {
  it('explains invalid combinations instead of fixing them', () => {
    const bad = tinyConfig('late', 'lstm', 'captioning');
    bad.text.bidirectional = true;
    const problems = validateModelConfig(bad);
    expect(problems.some((p) => p.includes('"late"'))).toBe(true);
    expect(problems.some((p) => p.includes('bidirectional'))).toBe(true);
    expect(validateModelConfig(defaultModelConfig())).toEqual([]);
    expect(validateModelConfig({ ...defaultModelConfig(), version: 99 })[0]).toMatch(/version 99/);
  });
  it('identityInit starts every gate block of W_hh at s·I and leaves W_ih uniform', () => {
    for (const cell of ['rnn_relu', 'gru'] as CellKind[]) {
      const c = tinyConfig('text', cell, 'classification');
      c.text.identityInit = 1.1;
      const specs = modelSpecs(c);
      const hh = specs.find((p) => p.name.endsWith('weight_hh_l0'))!;
      const [rows, H] = hh.shape;
      const v = initialValues(hh, new Random(1));
      for (let r = 0; r < rows; r++) for (let k = 0; k < H; k++) expect(v[r * H + k]).toBeCloseTo(k === r % H ? 1.1 : 0, 6);
      const ih = initialValues(specs.find((p) => p.name.endsWith('weight_ih_l0'))!, new Random(1));
      expect(ih.every((x) => Math.abs(x) <= 1 / Math.sqrt(H) && x !== 0)).toBe(true);
      expect(validateModelConfig(c).filter((p) => p.includes('identity'))).toEqual([]);
      expect(validateModelConfig({ ...c, text: { ...c.text, identityInit: -1 } }).find((p) => p.includes('identity'))).toMatch(/identity start .* from 0 to 4/);
    }
  });
  it('counts parameters from the specs and estimates FLOPs', () => {
    const c = defaultModelConfig();
    const cost = modelCost(c, 32, 12);
    expect(cost.parameters).toBe(parameterCount(c));
    expect(cost.flopsPerStep).toBeGreaterThan(0);
    const bigger = modelCost({ ...c, text: { ...c.text, hiddenSize: 128 } }, 32, 12);
    expect(bigger.parameters).toBeGreaterThan(cost.parameters);
    expect(bigger.flopsPerStep).toBeGreaterThan(cost.flopsPerStep);
  });
  it('parameter names are unique and PyTorch-style', () => {
    for (const fusion of FUSION_KINDS) {
      const names = modelSpecs(tinyConfig(fusion, 'lstm')).map((s) => s.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z_]+(\.[a-z0-9_]+)+$/);
    }
  });
});

describe('batch norm in the cnn image encoder', () => {
  const config = tinyConfig('image', 'gru', 'classification', {
    image: { encoder: 'cnn', imageSize: 8, channels: [2], batchNorm: true, mlpHidden: 4, inputFeatures: 0, featureSize: 3 },
  });
  it('drops the conv bias, adds torch-named parameters and buffers, and counts only the parameters', () => {
    const names = modelSpecs(config).map((s) => s.name);
    expect(names).not.toContain('image_encoder.conv0.bias');
    for (const n of ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']) expect(names).toContain(`image_encoder.bn0.${n}`);
    const model = MultimodalModel.create(new CpuBackend(), config, 1);
    expect(model.params.trainableNames().filter((n) => n.includes('running') || n.includes('num_batches'))).toEqual([]);
    expect(parameterCount(config)).toBe(model.params.trainable().reduce((s, t) => s + t.size, 0));
    expect(model.params.list().length - model.params.trainable().length).toBe(3);
    model.dispose();
  });
  it('training steps update the running statistics; evaluation reads them and changes nothing', async () => {
    const cpu = new CpuBackend();
    const data = tinyDataset({ task: 'classification', size: 6 });
    const model = MultimodalModel.create(cpu, config, 1);
    const read = async (n: string) => Array.from(await model.params.get(`image_encoder.bn0.${n}`).read());
    scope(() => model.forward(makeBatch(cpu, data, config, [0, 1, 2, 3]), { training: false, seed: 1 }));
    expect(await read('running_mean')).toEqual([0, 0]);
    expect(await read('num_batches_tracked')).toEqual([0]);
    scope(() => model.forward(makeBatch(cpu, data, config, [0, 1, 2, 3]), { training: true, seed: 1 }));
    scope(() => model.forward(makeBatch(cpu, data, config, [2, 3, 4, 5]), { training: true, seed: 2 }));
    expect(await read('num_batches_tracked')).toEqual([2]);
    expect((await read('running_mean')).every((v) => v !== 0)).toBe(true);
    expect((await read('running_var')).every((v) => v !== 1 && v > 0)).toBe(true);
    const before = await read('running_var');
    const out = (rows: number[]) => scope(() => model.forward(makeBatch(cpu, data, config, rows), { training: false, seed: 1 }).output.read());
    // Evaluation mode: an example's output does not depend on the rest of the batch.
    const alone = await out([4]);
    const inBatch = await out([0, 4]);
    Array.from(alone).forEach((v, i) => expect(inBatch[3 + i]).toBeCloseTo(v, 5));
    expect(await read('running_var')).toEqual(before);
    model.dispose();
  });
});
