// ROC curves (one-vs-rest per class, or the positive class of a binary task) with the
// AUC of each in the legend; recharts without animation or dots, long curves thinned.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { visibleText } from '../../state/for-ui.ts';
import type { RocCurve } from '../../metrics/roc.ts';
import { lineStyle } from '../common/colormap.ts';

export interface RocChartProps {
  classes: readonly string[];
  curves: readonly RocCurve[];
  /** Macro (or binary) AUC. */
  auc: number;
}

const MAX_POINTS = 200;

/** Keeps at most MAX_POINTS points of a monotone curve, always the first and last. */
function thin(curve: RocCurve): { fpr: number; tpr: number }[] {
  const n = curve.fpr.length;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const out: { fpr: number; tpr: number }[] = [];
  for (let k = 0; k < n; k += step) out.push({ fpr: curve.fpr[k], tpr: curve.tpr[k] });
  if ((n - 1) % step !== 0) out.push({ fpr: curve.fpr[n - 1], tpr: curve.tpr[n - 1] });
  return out;
}

export function aucText(auc: number): string {
  return Number.isNaN(auc) ? 'AUC n/a' : `AUC ${auc.toFixed(3)}`;
}

export function RocChart({ classes, curves, auc }: RocChartProps) {
  const binary = curves.length === 1 && classes.length === 2;
  // Legend names: class names escaped (visibleText).
  const names = (binary ? [`${classes[1]} vs ${classes[0]}`] : classes).map((c) => visibleText(c));
  return (
    <section className="gs-roc" aria-label="ROC curves" data-testid="roc-chart">
      <p className="gs-note">
        {binary ? 'Positive class' : 'One-vs-rest, macro'} {aucText(auc)}. The dashed diagonal is chance.
      </p>
      <div className="gs-roc-box">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="gs-chart-grid" />
            <XAxis type="number" dataKey="fpr" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} label={{ value: 'false-positive rate', position: 'insideBottom', offset: -8 }} />
            <YAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} width={72} label={{ value: 'true-positive rate', angle: -90, position: 'insideLeft', offset: 8, style: { textAnchor: 'middle' } }} />
            <Tooltip isAnimationActive={false} formatter={(v) => Number(v).toFixed(3)} labelFormatter={(v) => `FPR ${Number(v).toFixed(3)}`} />
            <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} strokeDasharray="4 4" className="gs-chance" ifOverflow="visible" />
            <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 8 }} />
            {curves.map((c, k) => (
              <Line
                key={k}
                data={thin(c)}
                dataKey="tpr"
                name={`${names[k]} (${aucText(c.auc)})`}
                type="linear"
                dot={false}
                activeDot={false}
                isAnimationActive={false}
                strokeWidth={2}
                {...lineStyle(k)}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
