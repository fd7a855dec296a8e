// Forecast metrics: predictions and truths [n, k] (k steps ahead, target units) scored
// over every value (MSE, RMSE, MAE, as regression.ts) and per horizon step.
import { regressionReport, type RegressionReport } from './regression.ts';

export interface ForecastReport {
  /** Over all n·k values. */
  overall: RegressionReport;
  /** Step j + 1 ahead: RMSE and MAE over the n examples. */
  perStep: { rmse: number; mae: number }[];
}

export function forecastReport(predicted: ArrayLike<number>, truth: ArrayLike<number>, k: number): ForecastReport {
  if (!(k >= 1) || truth.length % k !== 0) throw new Error(`forecastReport: ${truth.length} values are not rows of ${k}`);
  const n = truth.length / k;
  const perStep: ForecastReport['perStep'] = [];
  for (let j = 0; j < k; j++) {
    let se = 0;
    let ae = 0;
    for (let i = 0; i < n; i++) {
      const d = predicted[i * k + j] - truth[i * k + j];
      se += d * d;
      ae += Math.abs(d);
    }
    perStep.push({ rmse: n ? Math.sqrt(se / n) : NaN, mae: n ? ae / n : NaN });
  }
  return { overall: regressionReport(predicted, truth), perStep };
}
