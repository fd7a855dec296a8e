// The distillation queue and its URL parameters: the rows built from a trained teacher,
// the problems that keep it from starting, agreement with the teacher, and distill.*.
import { describe, expect, it } from 'vitest';
import { defaultModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from '../train/config.ts';
import { agreement } from './compare-runner.ts';
import { defaultDistillSettings, distillRuns, teacherProblem } from './distill.ts';
import { defaultSetup } from './settings.ts';
import type { SessionSpec } from './slices/run.ts';
import { distillFromQuery } from './url-distill.ts';
import { setupFromQuery } from './url.ts';

const dataset = tinyDataset({ task: 'classification', size: 24, seed: 4 });
const model = defaultModelConfig({ fusion: 'text', text: { cell: 'lstm', vocabSize: 8, embeddingSize: 4, hiddenSize: 32, numLayers: 1, bidirectional: false, dropout: 0 }, outputSize: 3 });
const session: SessionSpec = { key: 'k', dataset, model, train: defaultTrainConfig({ epochs: 4 }), setup: defaultSetup(), datasetSource: null, features: null, featureValues: null };

describe('distillation queue', () => {
  it('has the teacher (done, not trained again), the student with T and α, and the labels-only student of the same size and steps', () => {
    const settings = defaultDistillSettings(model, 6);
    expect(settings).toEqual({ hiddenSize: 8, numLayers: 1, cell: 'lstm', temperature: 3, alpha: 0.5, epochs: 6 });
    const { runs, problems } = distillRuns({ session, parameters: 5000, history: [], steps: 40 }, settings);
    expect(problems).toEqual([]);
    expect(runs.map((r) => [r.distill?.role, r.status])).toEqual([
      ['teacher', 'done'],
      ['student', 'queued'],
      ['baseline', 'queued'],
    ]);
    expect(runs[0].model.text.hiddenSize).toBe(32);
    expect(runs[0].parameters).toBe(5000);
    expect(runs[1].model.text.hiddenSize).toBe(8);
    expect(runs[1].model).toEqual(runs[2].model);
    expect(runs[1].train).toEqual(runs[2].train);
    expect(runs[1].train.epochs).toBe(6);
    expect(runs[1].distill).toMatchObject({ temperature: 3, alpha: 0.5, teacher: 'LSTM, 32 units, 1 layer, 40 steps' });
  });

  it('names what keeps it from starting', () => {
    expect(teacherProblem(null, 0, false)).toMatch(/Train a model first/);
    expect(teacherProblem(session, 0, false)).toMatch(/Train a model first/);
    expect(teacherProblem({ ...session, model: { ...model, task: 'regression' } }, 10, false)).toMatch(/classification task.*a regression model has none/);
    expect(teacherProblem(session, 10, true)).toMatch(/data changed/);
    expect(teacherProblem(session, 10, false)).toBeNull();
    const bad = distillRuns({ session, parameters: 1, history: [], steps: 1 }, { ...defaultDistillSettings(model, 2), temperature: 0, alpha: 2, hiddenSize: 0 });
    expect(bad.runs).toEqual([]);
    expect(bad.problems.join(' ')).toMatch(/temperature must be a positive number \(got 0\).*α must be from 0 to 1 \(got 2\).*Student: Hidden size/);
  });

  it('measures agreement as the share of matching argmax classes', () => {
    // Teacher rows by example index 0..3; the outputs are for examples 3 and 1, in that order.
    const teacher = Float32Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 5, 0, 0]);
    // Teacher classes: example 1 → 1, example 3 → 0.
    expect(agreement(Float32Array.from([1, 0, 0, 0, 1, 0]), teacher, [3, 1])).toBe(1);
    expect(agreement(Float32Array.from([0, 0, 1, 0, 1, 0]), teacher, [3, 1])).toBe(0.5);
    expect(agreement(Float32Array.from([0, 0, 1, 1, 0, 0]), teacher, [3, 1])).toBe(0);
  });
});

describe('distill.* URL parameters', () => {
  it('reads valid values and is not reported as unknown', () => {
    const q = '?distill.hidden=8&distill.layers=2&distill.cell=gru&distill.T=4&distill.alpha=0.7&distill.epochs=5';
    expect(distillFromQuery(q)).toEqual({ hiddenSize: 8, numLayers: 2, cell: 'gru', temperature: 4, alpha: 0.7, epochs: 5, problems: [] });
    expect(setupFromQuery(q).problems).toEqual([]);
  });

  it('reports values that do not parse and leaves them out', () => {
    const r = distillFromQuery('?distill.T=0&distill.alpha=1.5&distill.cell=tcn&distill.hidden=2.5');
    expect(r).toEqual({
      problems: [
        '"distill.hidden=2.5": the student\'s hidden size must be a whole number from 1 to 4096. Kept the default.',
        '"distill.T=0": the distillation temperature must be a number above 0, at most 100. Kept the default.',
        '"distill.alpha=1.5": the distillation weight α must be a number from 0 to 1. Kept the default.',
        '"distill.cell=tcn": the student\'s cell must be one of rnn_tanh, rnn_relu, lstm, gru. Kept the teacher\'s.',
      ],
    });
    expect(setupFromQuery('?distill.T=abc').problems).toHaveLength(1);
  });
});
