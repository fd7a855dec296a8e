// Multi-label metrics: each label is a yes/no decision at a threshold on its sigmoid
// probability. Reports per-label precision/recall/F1, their macro average, micro F1
// (pooled counts), subset accuracy (every label right) and Hamming accuracy.

export interface MultilabelReport {
  perLabel: { label: string; precision: number; recall: number; f1: number; support: number }[];
  macroF1: number;
  microF1: number;
  subsetAccuracy: number;
  hammingAccuracy: number;
  count: number;
}

/** probabilities and truth are [N, C] row-major; truth holds 0/1. */
export function multilabelReport(probabilities: ArrayLike<number>, truth: ArrayLike<number>, labels: readonly string[], threshold = 0.5): MultilabelReport {
  const C = labels.length;
  const N = C ? Math.floor(truth.length / C) : 0;
  if (probabilities.length !== truth.length) throw new Error(`multilabelReport: ${probabilities.length} scores for ${truth.length} targets`);
  const tp = new Array<number>(C).fill(0);
  const fp = new Array<number>(C).fill(0);
  const fn = new Array<number>(C).fill(0);
  let exact = 0;
  let right = 0;
  for (let i = 0; i < N; i++) {
    let all = true;
    for (let c = 0; c < C; c++) {
      const p = probabilities[i * C + c] >= threshold;
      const t = truth[i * C + c] > 0.5;
      if (p && t) tp[c]++;
      else if (p) fp[c]++;
      else if (t) fn[c]++;
      if (p === t) right++;
      else all = false;
    }
    if (all) exact++;
  }
  const f1 = (a: number, b: number, c: number) => (2 * a + b + c > 0 ? (2 * a) / (2 * a + b + c) : 0);
  const perLabel = labels.map((label, c) => ({
    label,
    precision: tp[c] + fp[c] > 0 ? tp[c] / (tp[c] + fp[c]) : 0,
    recall: tp[c] + fn[c] > 0 ? tp[c] / (tp[c] + fn[c]) : 0,
    f1: f1(tp[c], fp[c], fn[c]),
    support: tp[c] + fn[c],
  }));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    perLabel,
    macroF1: C ? sum(perLabel.map((r) => r.f1)) / C : 0,
    microF1: f1(sum(tp), sum(fp), sum(fn)),
    subsetAccuracy: N ? exact / N : 0,
    hammingAccuracy: N * C ? right / (N * C) : 0,
    count: N,
  };
}
