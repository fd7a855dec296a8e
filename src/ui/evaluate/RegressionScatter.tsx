// Regression: predicted against true values (recharts scatter, the y = x line for a
// perfect model), the error metrics, and the largest errors as links to the inspector.
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { PreparedDataset } from '../../data/types.ts';
import type { RegressionReport } from '../../metrics/regression.ts';
import { CATEGORICAL } from '../common/colormap.ts';
import { formatValue } from '../inspect/traces.ts';
import { ExampleCards } from './ExampleCards.tsx';

export interface RegressionScatterProps {
  dataset: PreparedDataset;
  indices: Int32Array;
  predictions: Float32Array;
  report: RegressionReport;
  onInspectExample(index: number): void;
}

const MAX_POINTS = 2000;

export function RegressionScatter({ dataset, indices, predictions, report, onInspectExample }: RegressionScatterProps) {
  const targets = dataset.targets;
  if (targets.kind !== 'regression') return null;
  const step = Math.max(1, Math.ceil(indices.length / MAX_POINTS));
  const points: { truth: number; predicted: number; index: number }[] = [];
  for (let k = 0; k < indices.length; k += step) points.push({ truth: targets.values[indices[k]], predicted: predictions[k], index: indices[k] });
  const all = [...points.map((p) => p.truth), ...points.map((p) => p.predicted)];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const worst = Array.from(indices, (i, k) => ({ i, k, err: Math.abs(predictions[k] - targets.values[i]) }))
    .sort((a, b) => b.err - a.err)
    .slice(0, 8);
  return (
    <section className="gs-card" aria-label="Regression" data-testid="regression">
      <h3>Predicted vs true</h3>
      <p>
        MSE <b>{formatValue(report.mse, 4)}</b> · RMSE <b>{formatValue(report.rmse, 4)}</b> · MAE <b>{formatValue(report.mae, 4)}</b> · R² <b>{formatValue(report.r2, 3)}</b> ·{' '}
        {report.count} examples{step > 1 ? ` (every ${step}th plotted)` : ''}
      </p>
      <div className="gs-scatter-box" data-testid="regression-scatter" data-points={points.length}>
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="gs-chart-grid" />
            <XAxis type="number" dataKey="truth" name="true" domain={[lo, hi]} tickFormatter={(v: number) => formatValue(v, 2)} label={{ value: 'true', position: 'insideBottom', offset: -8 }} />
            <YAxis type="number" dataKey="predicted" name="predicted" domain={[lo, hi]} tickFormatter={(v: number) => formatValue(v, 2)} width={72} label={{ value: 'predicted', angle: -90, position: 'insideLeft', offset: 8, style: { textAnchor: 'middle' } }} />
            <Tooltip isAnimationActive={false} formatter={(v) => formatValue(Number(v), 3)} />
            <ReferenceLine segment={[{ x: lo, y: lo }, { x: hi, y: hi }]} strokeDasharray="4 4" className="gs-chance" ifOverflow="visible" />
            <Scatter data={points} isAnimationActive={false} fill={CATEGORICAL[0]} className="gs-scatter-points" onClick={(p: { payload?: { index?: number } }) => p.payload?.index !== undefined && onInspectExample(p.payload.index)} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <h4>Largest errors</h4>
      <ExampleCards
        dataset={dataset}
        label="Largest errors"
        cards={worst.map((w) => ({ index: w.i, truth: formatValue(targets.values[w.i], 3), predicted: formatValue(predictions[w.k], 3) }))}
        onInspectExample={onInspectExample}
      />
    </section>
  );
}
