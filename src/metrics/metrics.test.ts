// Metrics against values worked out by hand (and matching scikit-learn / the BLEU paper).
import { describe, expect, it } from 'vitest';
import { argmaxRows, classificationReport, confusionMatrix } from './classification.ts';
import { macroAuc, rocCurve, rocOneVsRest } from './roc.ts';
import { regressionReport } from './regression.ts';
import { corpusBleu, exactMatch } from './caption.ts';

describe('classification', () => {
  const truth = [0, 0, 1, 1, 2, 2];
  const pred = [0, 1, 1, 1, 2, 0];
  it('confusion matrix and accuracy', () => {
    const r = classificationReport(truth, pred, ['a', 'b', 'c']);
    expect(r.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
  });
  it('per-class and macro precision / recall / F1', () => {
    const r = classificationReport(truth, pred, ['a', 'b', 'c']);
    expect(r.perClass.map((c) => c.precision)).toEqual([0.5, 2 / 3, 1]);
    expect(r.perClass.map((c) => c.recall)).toEqual([0.5, 1, 0.5]);
    expect(r.perClass[1].f1).toBeCloseTo(0.8, 12);
    expect(r.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
    expect(r.perClass.map((c) => c.support)).toEqual([2, 2, 2]);
  });
  it('rejects out-of-range classes naming the example', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/example 1/);
  });
  it('argmax of score rows', () => {
    expect([...argmaxRows([0.1, 0.7, 0.2, 0.5, 0.1, 0.4], 3)]).toEqual([1, 0]);
  });
});

describe('ROC / AUC', () => {
  it('binary AUC matches the rank statistic', () => {
    const r = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(r.auc).toBeCloseTo(0.75, 12);
    expect(r.fpr[0]).toBe(0);
    expect(r.tpr[r.tpr.length - 1]).toBe(1);
    expect(r.fpr[r.fpr.length - 1]).toBe(1);
  });
  it('ties count one half', () => {
    expect(rocCurve([0.5, 0.5], [1, 0]).auc).toBeCloseTo(0.5, 12);
  });
  it('NaN scores (a model whose weights became NaN) end the curve as one group instead of looping', () => {
    const r = rocCurve([NaN, 0.8, NaN, 0.1], [1, 1, 0, 0]);
    expect(r.fpr).toEqual([0, 0, 0.5, 1]);
    expect(r.tpr).toEqual([0, 0.5, 0.5, 1]);
    expect(Number.isNaN(r.thresholds[3])).toBe(true);
    expect(rocCurve([NaN, NaN], [1, 0]).auc).toBeCloseTo(0.5, 12);
  });
  it('AUC is undefined without both classes', () => {
    expect(rocCurve([0.2, 0.3], [1, 1]).auc).toBeNaN();
  });
  it('one-vs-rest on a perfect classifier gives 1 for every class', () => {
    const probs = [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6];
    const curves = rocOneVsRest(probs, [0, 1, 2], 3);
    expect(curves.map((c) => c.auc)).toEqual([1, 1, 1]);
    expect(macroAuc(curves)).toBe(1);
  });
});

describe('regression', () => {
  it('MSE, RMSE, MAE, R²', () => {
    const r = regressionReport([1, 2, 3], [1, 2, 5]);
    expect(r.mse).toBeCloseTo(4 / 3, 12);
    expect(r.rmse).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(r.mae).toBeCloseTo(2 / 3, 12);
    expect(r.r2).toBeCloseTo(1 - 4 / (26 / 3), 12);
  });
});

describe('captions', () => {
  it('identical captions score BLEU 1', () => {
    const ref = 'a red circle above a blue square'.split(' ');
    expect(corpusBleu([ref], [[ref]]).bleu).toBeCloseTo(1, 12);
  });
  it('clipped unigram precision of the BLEU paper example is 2/7', () => {
    const hyp = 'the the the the the the the'.split(' ');
    const refs = ['the cat is on the mat'.split(' '), 'there is a cat on the mat'.split(' ')];
    expect(corpusBleu([hyp], [refs]).precisions[0]).toBeCloseTo(2 / 7, 12);
  });
  it('brevity penalty for a short hypothesis', () => {
    const r = corpusBleu([['a', 'b']], [[['a', 'b', 'c', 'd']]], { maxN: 2 });
    expect(r.brevityPenalty).toBeCloseTo(Math.exp(1 - 2), 12);
    expect(r.bleu).toBeCloseTo(Math.exp(1 - 2), 12);
  });
  it('a wrong caption scores far below a right one', () => {
    const ref = [['a', 'red', 'circle', 'left', 'of', 'a', 'blue', 'square']];
    const good = corpusBleu([['a', 'red', 'circle', 'left', 'of', 'a', 'blue', 'square']], [ref]).bleu;
    const bad = corpusBleu([['two', 'green', 'triangles']], [ref]).bleu;
    expect(good).toBeGreaterThan(0.99);
    expect(bad).toBeLessThan(0.05);
  });
  it('exact match', () => {
    expect(exactMatch([['a'], ['b']], [[['a']], [['c'], ['d']]])).toBe(0.5);
  });
});
