// Building a comparison: one run per value, everything else equal; values that do not
// make a valid model are named with their problem instead of being queued. A k-fold
// queue: every training/validation example validated by exactly one fold, the same setup
// in every fold, and the folds' mean ± sample standard deviation.
import { describe, expect, it } from 'vitest';
import { tinyDataset } from '../models/models.support.ts';
import { summarizeFolds } from '../train/cross-validate.ts';
import { applySetting, compareRuns, foldRuns } from './compare-runner.ts';
import { defaultSetup } from './settings.ts';

const dataset = tinyDataset({ task: 'classification', size: 40, seed: 3, imageSize: 16, classes: 3 });

describe('compare runs', () => {
  it('varies exactly one setting and keeps seed, data and the rest', () => {
    const base = defaultSetup();
    const { runs, problems } = compareRuns({ model: base.model, train: base.train }, dataset, null, 'cell', ['rnn_tanh', 'lstm', 'gru'], 2);
    expect(problems).toEqual([]);
    expect(runs.map((r) => r.model.text.cell)).toEqual(['rnn_tanh', 'lstm', 'gru']);
    for (const r of runs) {
      expect(r.train.seed).toBe(base.train.seed);
      expect(r.train.epochs).toBe(2);
      expect(r.train.stepDelayMs).toBe(0);
      expect(r.model.fusion).toBe(base.model.fusion);
      expect(r.model.outputSize).toBe(3); // resolved from the dataset
      expect(r.model.text.vocabSize).toBe(dataset.vocab.tokens.length);
      expect(r.status).toBe('queued');
    }
    expect(new Set(runs.map((r) => r.id)).size).toBe(3);
  });

  it('parses numeric values and names the bad ones', () => {
    const base = defaultSetup();
    const lr = applySetting(base.model, base.train, 'learningRate', '0.01');
    expect(typeof lr !== 'string' && lr.train.optimizer.lr).toBe(0.01);
    expect(applySetting(base.model, base.train, 'hiddenSize', '2.5')).toMatch(/not a whole number/);
    const { runs, problems } = compareRuns({ model: base.model, train: base.train }, dataset, null, 'hiddenSize', ['16', 'big', '0'], 1);
    expect(runs.map((r) => r.model.text.hiddenSize)).toEqual([16]);
    expect(problems.join(' ')).toContain('big');
    expect(problems.join(' ')).toContain('0');
  });

  it('explains a value that makes an invalid model (captioning needs init or early fusion)', () => {
    const captions = tinyDataset({ task: 'captioning', size: 20, seed: 1, imageSize: 16 });
    const base = defaultSetup();
    base.model.fusion = 'init';
    const { runs, problems } = compareRuns({ model: base.model, train: base.train }, captions, null, 'fusion', ['init', 'late'], 1);
    expect(runs.map((r) => r.model.fusion)).toEqual(['init']);
    expect(problems.join(' ')).toMatch(/fusion strategy = late: .*Captioning conditions the decoder/);
  });

  it('asks for two different values', () => {
    const base = defaultSetup();
    expect(compareRuns({ model: base.model, train: base.train }, dataset, null, 'cell', ['lstm'], 1).problems).toContain('Choose at least two values to compare.');
    expect(compareRuns({ model: base.model, train: base.train }, dataset, null, 'cell', ['lstm', 'lstm'], 1).problems).toContain('Each value can be compared once.');
  });
});

describe('k-fold queue', () => {
  it('validates every training and validation example in exactly one fold and trains on the rest', () => {
    const base = defaultSetup();
    const { runs, problems } = foldRuns({ model: base.model, train: base.train }, dataset, 7, null, 4, 2);
    expect(problems).toEqual([]);
    expect(runs.map((r) => [r.setting, r.value])).toEqual([
      ['fold', '1'],
      ['fold', '2'],
      ['fold', '3'],
      ['fold', '4'],
    ]);
    const pool = [...dataset.splits.train, ...dataset.splits.validation].sort((a, b) => a - b);
    const validated = runs.flatMap((r) => Array.from(r.fold!.splits.validation)).sort((a, b) => a - b);
    expect(validated).toEqual(pool); // each example once: the folds partition the pool
    for (const r of runs) {
      const { train, validation, test } = r.fold!.splits;
      expect(validation.length).toBeGreaterThanOrEqual(Math.floor(pool.length / 4) - 3);
      expect([...train, ...validation].sort((a, b) => a - b)).toEqual(pool);
      expect(Array.from(test)).toEqual(Array.from(dataset.splits.test));
      expect(r.fold!.datasetVersion).toBe(7);
      // The same setup and seed in every fold.
      expect(r.train).toEqual(runs[0].train);
      expect(r.model).toEqual(runs[0].model);
      expect(r.train.seed).toBe(base.train.seed);
      expect(r.train.epochs).toBe(2);
    }
    // Stratified: every fold validates on every class.
    const labels = dataset.targets.kind === 'classification' ? dataset.targets.labels : new Int32Array(0);
    for (const r of runs) expect(new Set(Array.from(r.fold!.splits.validation, (i) => labels[i])).size).toBe(3);
  });

  it('asks for 3 to 10 folds, and for fewer when the data is too small', () => {
    const base = defaultSetup();
    const setup = { model: base.model, train: base.train };
    expect(foldRuns(setup, dataset, 1, null, 2, 1).problems[0]).toMatch(/from 3 to 10 \(got 2\)/);
    expect(foldRuns(setup, dataset, 1, null, 11, 1).problems[0]).toMatch(/from 3 to 10/);
    const tiny = tinyDataset({ task: 'classification', size: 8, seed: 3, imageSize: 16, classes: 3 });
    const few = foldRuns(setup, { ...tiny, splits: { train: Int32Array.from([0, 1, 2, 3]), validation: new Int32Array(0), test: Int32Array.from([4, 5, 6, 7]) } }, 1, null, 5, 1);
    expect(few.runs).toEqual([]);
    expect(few.problems[0]).toMatch(/Choose fewer folds/);
    expect(foldRuns(setup, null, 0, null, 3, 1).problems).toEqual(['No dataset is ready yet.']);
  });

  it('summarises the folds as mean ± sample standard deviation per metric', () => {
    const summary = summarizeFolds([
      { loss: 0.5, accuracy: 0.8, macroF1: 0.7 },
      { loss: 0.7, accuracy: 0.9, macroF1: Number.NaN },
      { loss: 0.6, accuracy: 1.0, macroF1: 0.9 },
    ]);
    expect(summary.loss.mean).toBeCloseTo(0.6, 12);
    expect(summary.loss.std).toBeCloseTo(0.1, 12); // sample std (n − 1)
    expect(summary.accuracy.mean).toBeCloseTo(0.9, 12);
    expect(summary.accuracy.std).toBeCloseTo(0.1, 12);
    // A fold without a finite value is left out of that metric only.
    expect(summary.macroF1.mean).toBeCloseTo(0.8, 12);
    expect(summary.macroF1.std).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(summary.rmse).toBeUndefined();
  });
});
