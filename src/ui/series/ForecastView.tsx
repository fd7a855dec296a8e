// Evaluate panel, series datasets: the model's forecast against the truth and against the
// naive forecast "repeat the last input value" — MSE, RMSE and MAE in the target's units,
// RMSE per step ahead, and plots of a few windows (input, truth, forecast, naive).
import type { PreparedDataset } from '../../data/types.ts';
import type { EvalResult } from '../../train/evaluate.ts';
import { formatValue } from '../inspect/traces.ts';
import { SeriesPlot, SERIES_COLORS } from './SeriesPlot.tsx';

const SHOWN = 6;

export function ForecastView({ dataset, result, onInspectExample }: { dataset: PreparedDataset; result: EvalResult; onInspectExample(index: number): void }) {
  const f = result.forecast;
  const s = dataset.series;
  const t = dataset.targets;
  if (!f || !s || t.kind !== 'regression') return null;
  const k = f.horizon;
  const m = f.model.overall;
  const n = f.naive.overall;
  const rows = Array.from(result.indices.subarray(0, SHOWN), (i, r) => ({ i, r }));
  return (
    <section className="gs-card" aria-label="Forecast" data-testid="forecast">
      <h3>Forecast of the next {k} values</h3>
      <table className="gs-table" data-testid="forecast-metrics">
        <thead>
          <tr>
            <th />
            <th>MSE</th>
            <th>RMSE</th>
            <th>MAE</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="forecast-model" data-rmse={m.rmse} data-mse={m.mse} data-mae={m.mae}>
            <th>model</th>
            <td>{formatValue(m.mse, 4)}</td>
            <td>{formatValue(m.rmse, 4)}</td>
            <td>{formatValue(m.mae, 4)}</td>
          </tr>
          <tr data-testid="forecast-naive" data-rmse={n.rmse} data-mse={n.mse} data-mae={n.mae}>
            <th>naive (repeat the last value)</th>
            <td>{formatValue(n.mse, 4)}</td>
            <td>{formatValue(n.rmse, 4)}</td>
            <td>{formatValue(n.mae, 4)}</td>
          </tr>
        </tbody>
      </table>
      <p className="gs-muted">
        RMSE per step ahead (model / naive): {f.model.perStep.map((p, j) => `${j + 1}: ${formatValue(p.rmse, 3)} / ${formatValue(f.naive.perStep[j].rmse, 3)}`).join(' · ')}. {result.count} windows, values in the
        target’s units.
      </p>
      <div className="series-grid">
        {rows.map(({ i, r }) => {
          const L = dataset.lengths[i];
          const input = Array.from({ length: L }, (_, step) => s.frames[(i * s.length + step) * s.frameSize]);
          return (
            <div key={i}>
              <SeriesPlot
                testId={`forecast-plot-${r}`}
                title={`${dataset.ids[i]}: input, truth, forecast and naive forecast`}
                lines={[
                  { key: 'input', label: 'input', values: input, start: 0, color: SERIES_COLORS.input },
                  { key: 'truth', label: 'truth', values: t.values.subarray(i * k, (i + 1) * k), start: L, color: SERIES_COLORS.truth },
                  { key: 'forecast', label: 'forecast', values: result.predictions.subarray(r * k, (r + 1) * k), start: L, color: SERIES_COLORS.forecast },
                  { key: 'naive', label: 'naive', values: f.naivePredictions.subarray(r * k, (r + 1) * k), start: L, color: SERIES_COLORS.naive, dashed: true },
                ]}
              />
              <button type="button" className="gs-link" onClick={() => onInspectExample(i)}>
                Inspect {dataset.ids[i]}
              </button>
            </div>
          );
        })}
      </div>
    </section>
  );
}
