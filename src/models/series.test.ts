// The series encoder on the CPU backend: frames → Linear → recurrent stack → k outputs
// builds, gives every parameter a gradient, and passes a float64 gradient check of the
// whole model for each cell; the config rules say what a series model cannot be.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { gradcheck } from '../autograd/gradcheck.ts';
import { backward } from '../ops/grad.ts';
import { scope, type Tensor } from '../tensor.ts';
import { makeBatch } from '../train/batch.ts';
import { generateSeries } from '../data/series.ts';
import type { CellKind } from '../ops/recurrent.ts';
import { Random } from '../random.ts';
import { defaultModelConfig, validateModelConfig, type ModelConfig } from './config.ts';
import { resolveModelConfig, fittingFusion } from './dataset-fit.ts';
import { MultimodalModel, modelSpecs, parameterCount, taskLoss } from './model.ts';
import { Params, initialValues } from './params.ts';

const data = generateSeries({ count: 20, length: 6, horizon: 3, seed: 2 });

function seriesConfig(cell: CellKind, numLayers = 1, bidirectional = false): ModelConfig {
  const base = defaultModelConfig({
    fusion: 'text',
    text: { cell, vocabSize: 4, embeddingSize: 3, hiddenSize: 3, numLayers, bidirectional, dropout: 0 },
    head: { hiddenSize: 3, dropout: 0 },
  });
  return resolveModelConfig(base, data, null);
}

describe('series model', () => {
  it('takes the series shape from the dataset and is a valid config', () => {
    const c = seriesConfig('lstm');
    expect(c.task).toBe('regression');
    expect(c.outputSize).toBe(3);
    expect(c.series).toEqual({ frameSize: 1 });
    expect(validateModelConfig(c)).toEqual([]);
    expect(modelSpecs(c).map((s) => s.name)).toContain('series_encoder.input.weight');
    expect(modelSpecs(c).some((s) => s.name.startsWith('text_encoder'))).toBe(false);
    expect(validateModelConfig({ ...c, fusion: 'late' })[0]).toMatch(/sequence-only model/);
    expect(validateModelConfig({ ...c, text: { ...c.text, peephole: true } })).toEqual(['Peephole connections are for text encoders; a series model uses the plain LSTM (turn peephole off).']);
    expect(fittingFusion(defaultModelConfig({ fusion: 'gated' }), data)?.fusion).toBe('text');
  });

  for (const cell of ['rnn_tanh', 'lstm', 'gru'] as CellKind[]) {
    it(`${cell}: forward gives [B, k] and every parameter but the unused missing-text vector a gradient`, () => {
      const cpu = new CpuBackend();
      const c = seriesConfig(cell, 2, true);
      const model = MultimodalModel.create(cpu, c, 1);
      scope(() => {
        const batch = makeBatch(cpu, data, c, [0, 1, 2, 3, 4]);
        const out = model.forward(batch, { training: true, seed: 1 });
        expect(out.output.shape).toEqual([5, 3]);
        expect(out.text!.embedded.shape).toEqual([5, 6, 3]);
        backward(taskLoss(batch, out.output).loss);
      });
      const without = model.params.names().filter((n) => !model.params.get(n).grad);
      expect(without).toEqual(['fusion.missing_text']);
      expect(parameterCount(c)).toBe(model.params.list().reduce((s, t) => s + t.size, 0));
      model.dispose();
    });

    it(`${cell}: float64 gradient check of the whole model`, () => {
      const c = seriesConfig(cell);
      const specs = modelSpecs(c);
      const rng = new Random(3);
      const inputs = specs.map((s) => ({ data: initialValues(s, rng), shape: s.shape }));
      const result = gradcheck((ts, backend) => {
        const params = new Params(new Map(specs.map((s, k) => [s.name, ts[k]] as [string, Tensor])));
        const model = MultimodalModel.fromParams(c, params);
        const batch = makeBatch(backend, data, c, [0, 1, 2, 3]);
        return taskLoss(batch, model.forward(batch, { training: true, seed: 1 }).output).loss;
      }, inputs);
      expect(result.ok, result.reports.filter((x) => !x.ok).map((x) => x.message).join('\n')).toBe(true);
      expect(result.reports).toHaveLength(specs.length);
    });
  }

  it('standardises the frames with the training split statistics', () => {
    const cpu = new CpuBackend();
    const c = seriesConfig('gru');
    const batch = makeBatch(cpu, data, c, [5]);
    const s = data.series!;
    const got = cpu.data(batch.text!.frames!);
    for (let t = 0; t < 6; t++) expect(got[t]).toBeCloseTo((s.frames[5 * 6 + t] - s.mean[0]) / s.std[0], 5);
    const y = cpu.data((batch.target as { values: Tensor }).values);
    const tg = data.targets as { values: Float32Array; mean: number; std: number };
    for (let j = 0; j < 3; j++) expect(y[j]).toBeCloseTo((tg.values[5 * 3 + j] - tg.mean) / tg.std, 5);
  });
});

describe('inspecting a series model', () => {
  it('traces every frame, labels the steps t=1…T and predicts all k values', async () => {
    const { inspect, scanUnits } = await import('../train/inspect.ts');
    const cpu = new CpuBackend();
    const c = seriesConfig('gru');
    const model = MultimodalModel.create(cpu, c, 4);
    const r = await inspect(model, data, { example: 3 }, { saliency: false });
    expect(r.tokens).toEqual(['t=1', 't=2', 't=3', 't=4', 't=5', 't=6']);
    expect(r.traces).toHaveLength(1);
    expect(r.traces[0].length).toBe(6);
    expect(r.prediction.kind).toBe('value');
    if (r.prediction.kind === 'value') expect(r.prediction.values).toHaveLength(3);
    const scan = await scanUnits(model, data, { split: 'train', limit: 2, layer: 0, direction: 0, state: 'h', units: [0] });
    expect(scan.examples[0].tokens).toHaveLength(6);
    await expect(inspect(model, data, { text: 'hello', imageExample: null }, { saliency: false })).rejects.toThrow(/reads numbers/);
    model.dispose();
  });
});
