// Classification metrics from predicted and true class indices: accuracy, confusion
// matrix, per-class and macro precision / recall / F1. Classes with no support and no
// predictions get precision = recall = F1 = 0 and are left out of the macro average
// only when they have neither (they cannot be scored).

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true examples of this class. */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  /** confusion[t][p] = count of examples of true class t predicted as p. */
  confusion: number[][];
  perClass: ClassReport[];
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  count: number;
}

/** Index of the largest value in each row of a [N, C] score matrix. */
export function argmaxRows(scores: ArrayLike<number>, classes: number): Int32Array {
  const n = Math.floor(scores.length / classes);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = scores[i * classes + c];
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  if (truth.length !== predicted.length) {
    throw new Error(`confusionMatrix: ${truth.length} labels vs ${predicted.length} predictions`);
  }
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (t < 0 || t >= classes || p < 0 || p >= classes) {
      throw new Error(`confusionMatrix: example ${i} has class ${t} / prediction ${p} outside [0, ${classes})`);
    }
    m[t][p]++;
  }
  return m;
}

/** Scores predictions against labels; `labels` names the classes (its length is C). */
export function classificationReport(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: readonly string[],
): ClassificationReport {
  const C = labels.length;
  const confusion = confusionMatrix(truth, predicted, C);
  let correct = 0;
  for (let c = 0; c < C; c++) correct += confusion[c][c];
  const perClass: ClassReport[] = labels.map((label, c) => {
    let predictedAs = 0;
    let support = 0;
    for (let k = 0; k < C; k++) {
      predictedAs += confusion[k][c];
      support += confusion[c][k];
    }
    const tp = confusion[c][c];
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const scored = perClass.filter((_, c) => perClass[c].support > 0 || confusion.some((row) => row[c] > 0));
  const mean = (f: (r: ClassReport) => number) => (scored.length ? scored.reduce((s, r) => s + f(r), 0) / scored.length : 0);
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    confusion,
    perClass,
    macroPrecision: mean((r) => r.precision),
    macroRecall: mean((r) => r.recall),
    macroF1: mean((r) => r.f1),
    count: truth.length,
  };
}
