// Building a comparison: one run per value, everything else equal; values that do not
// make a valid model are named with their problem instead of being queued.
import { describe, expect, it } from 'vitest';
import { tinyDataset } from '../models/testing.ts';
import { applySetting, compareRuns } from './compare-runner.ts';
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
