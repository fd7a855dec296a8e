// ROC curves and the area under them, for binary scores and one-vs-rest over classes.
// Ties in score are handled as one threshold step (the curve moves diagonally), which
// gives the same AUC as the Mann–Whitney statistic with ties counted as one half.

export interface RocCurve {
  /** False-positive rate at each threshold, from (0, 0) to (1, 1). */
  fpr: number[];
  tpr: number[];
  /** Score threshold of each point (Infinity for the first). */
  thresholds: number[];
  auc: number;
  positives: number;
  negatives: number;
}

/** ROC curve of scores against binary truth (1 = positive). AUC is NaN when a class is absent. */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): RocCurve {
  const n = scores.length;
  // NaN scores (a model whose weights became NaN) sort last and form one group; compared
  // with === they would never group and the sweep would never advance.
  const key = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(b) - key(a) || Number(Number.isNaN(scores[a])) - Number(Number.isNaN(scores[b])));
  let P = 0;
  for (let i = 0; i < n; i++) if (positive[i]) P++;
  const N = n - P;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  let i = 0;
  while (i < n) {
    const s = scores[order[i]];
    let dtp = 0;
    let dfp = 0;
    while (i < n && same(scores[order[i]], s)) {
      if (positive[order[i]]) dtp++;
      else dfp++;
      i++;
    }
    const prevTpr = P ? tp / P : 0;
    tp += dtp;
    fp += dfp;
    const x = N ? fp / N : 0;
    const y = P ? tp / P : 0;
    auc += (x - fpr[fpr.length - 1]) * (y + prevTpr) * 0.5;
    fpr.push(x);
    tpr.push(y);
    thresholds.push(s);
  }
  return { fpr, tpr, thresholds, auc: P === 0 || N === 0 ? NaN : auc, positives: P, negatives: N };
}

/** One-vs-rest ROC per class from a [N, C] probability (or score) matrix. */
export function rocOneVsRest(probabilities: ArrayLike<number>, truth: ArrayLike<number>, classes: number): RocCurve[] {
  const n = truth.length;
  if (probabilities.length !== n * classes) {
    throw new Error(`rocOneVsRest: ${probabilities.length} scores for ${n} examples × ${classes} classes`);
  }
  const curves: RocCurve[] = [];
  for (let c = 0; c < classes; c++) {
    const s = new Float64Array(n);
    const pos = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = probabilities[i * classes + c];
      pos[i] = truth[i] === c ? 1 : 0;
    }
    curves.push(rocCurve(s, pos));
  }
  return curves;
}

/** Mean AUC over the classes whose AUC is defined (macro one-vs-rest). */
export function macroAuc(curves: readonly RocCurve[]): number {
  const defined = curves.filter((c) => !Number.isNaN(c.auc));
  return defined.length ? defined.reduce((s, c) => s + c.auc, 0) / defined.length : NaN;
}
