// Regression metrics: mean squared error, its root, mean absolute error, R².

export interface RegressionReport {
  mse: number;
  rmse: number;
  mae: number;
  /** Coefficient of determination; NaN when the targets are constant. */
  r2: number;
  count: number;
}

export function regressionReport(predicted: ArrayLike<number>, truth: ArrayLike<number>): RegressionReport {
  const n = truth.length;
  if (predicted.length !== n) throw new Error(`regressionReport: ${predicted.length} predictions for ${n} targets`);
  if (n === 0) return { mse: NaN, rmse: NaN, mae: NaN, r2: NaN, count: 0 };
  let se = 0;
  let ae = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i];
  mean /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = predicted[i] - truth[i];
    se += d * d;
    ae += Math.abs(d);
    total += (truth[i] - mean) ** 2;
  }
  const mse = se / n;
  return { mse, rmse: Math.sqrt(mse), mae: ae / n, r2: total > 0 ? 1 - se / total : NaN, count: n };
}
