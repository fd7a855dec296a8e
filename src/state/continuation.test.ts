// Train or Step after a run ended: continue the same model, ask before another replaces it.
import { describe, expect, it } from 'vitest';
import type { PreparedDataset } from '../data/types.ts';
import { defaultModelConfig } from '../models/config.ts';
import { continuedEpochs, nextRun, sameRun, type RunShape } from './continuation.ts';
import { defaultSetup } from './settings.ts';

const dataset = {} as PreparedDataset;
function shape(edit?: (s: RunShape) => void): RunShape {
  const s = defaultSetup();
  const r: RunShape = { dataset, model: defaultModelConfig(), train: s.train, features: null };
  edit?.(r);
  return r;
}

describe('after a run ended', () => {
  it('continues the same model despite other epochs or a live learning rate', () => {
    const t = shape((r) => (r.train = { ...r.train, epochs: 3, optimizer: { ...r.train.optimizer, lr: 0.5 } }));
    expect(sameRun(shape(), t)).toBe(true);
    expect(nextRun({ ended: true, trainedSteps: 4, session: shape(), target: t, before: defaultSetup(), after: defaultSetup() })).toEqual({ kind: 'continue' });
  });

  it('asks, naming the changes, when the settings describe another model', () => {
    const after = defaultSetup();
    after.model.text.hiddenSize = 128;
    const t = shape((r) => (r.model = { ...r.model, text: { ...r.model.text, hiddenSize: 128 } }));
    expect(sameRun(shape(), t)).toBe(false);
    expect(nextRun({ ended: true, trainedSteps: 4, session: shape(), target: t, before: defaultSetup(), after })).toEqual({ kind: 'ask', changes: [`hidden ${defaultSetup().model.text.hiddenSize} → 128`] });
    expect(sameRun(shape(), shape((r) => (r.dataset = {} as PreparedDataset)))).toBe(false);
    expect(sameRun(shape(), shape((r) => (r.train = { ...r.train, batchSize: 7 })))).toBe(false);
  });

  it('builds a new model when nothing trained would be lost', () => {
    const t = shape((r) => (r.model = { ...r.model, fusionSize: 3 }));
    expect(nextRun({ ended: true, trainedSteps: 0, session: shape(), target: t, before: null, after: defaultSetup() })).toEqual({ kind: 'new' });
    expect(nextRun({ ended: false, trainedSteps: 9, session: shape(), target: t, before: null, after: defaultSetup() })).toEqual({ kind: 'new' });
  });

  it('gives a finished run as many epochs again, a stopped one up to the setting', () => {
    expect(continuedEpochs(1, 1)).toBe(2);
    expect(continuedEpochs(10, 10)).toBe(20);
    expect(continuedEpochs(2, 5)).toBe(5);
  });
});
