// A small SVG line plot of one series window: the input steps 1…T, then what follows
// (the truth, a forecast, the naive forecast) at steps T+1…T+k. The values drawn are
// also listed in a hidden list (data-line, data-values) for tests and screen readers.
import { CATEGORICAL } from '../common/colormap.ts';
import { formatValue } from '../inspect/traces.ts';

export interface SeriesLine {
  key: string;
  label: string;
  /** Values from step `start` + 1 on (1-based step numbers on the x axis). */
  values: ArrayLike<number>;
  start: number;
  color: string;
  dashed?: boolean;
}

const W = 320;
const H = 120;
const PAD = { left: 34, right: 6, top: 6, bottom: 16 };

export function SeriesPlot({ lines, testId, title }: { lines: SeriesLine[]; testId: string; title: string }) {
  const all = lines.flatMap((l) => Array.from(l.values));
  const finite = all.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const steps = Math.max(2, ...lines.map((l) => l.start + l.values.length));
  const x = (step: number) => PAD.left + ((step - 1) / (steps - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const inputEnd = lines[0] ? lines[0].start + lines[0].values.length : 0;
  return (
    <figure className="series-plot" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title}>
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0 >= lo && 0 <= hi ? 0 : lo)} y2={y(0 >= lo && 0 <= hi ? 0 : lo)} className="series-plot-axis" />
        {inputEnd > 0 && inputEnd < steps && <line x1={x(inputEnd + 0.5)} x2={x(inputEnd + 0.5)} y1={PAD.top} y2={H - PAD.bottom} className="series-plot-axis" strokeDasharray="2 3" />}
        <text x={PAD.left - 3} y={PAD.top + 8} textAnchor="end" className="series-plot-tick">
          {formatValue(hi, 2)}
        </text>
        <text x={PAD.left - 3} y={H - PAD.bottom} textAnchor="end" className="series-plot-tick">
          {formatValue(lo, 2)}
        </text>
        <text x={PAD.left} y={H - 3} className="series-plot-tick">
          t=1
        </text>
        <text x={W - PAD.right} y={H - 3} textAnchor="end" className="series-plot-tick">
          t={steps}
        </text>
        {lines.map((l) => {
          const pts = Array.from(l.values, (v, i) => `${x(l.start + i + 1).toFixed(1)},${y(v).toFixed(1)}`);
          return <polyline key={l.key} points={pts.join(' ')} fill="none" stroke={l.color} strokeWidth={1.5} strokeDasharray={l.dashed ? '4 3' : undefined} data-line={l.key} />;
        })}
      </svg>
      <figcaption className="series-plot-legend">
        {lines.map((l) => (
          <span key={l.key} style={{ color: l.color }}>
            {l.dashed ? '╌ ' : '— '}
            {l.label}
          </span>
        ))}
      </figcaption>
      <ul className="visually-hidden" data-testid={`${testId}-values`}>
        {lines.map((l) => (
          <li key={l.key} data-line={l.key} data-start={l.start} data-values={Array.from(l.values).join(',')}>
            {l.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}

export const SERIES_COLORS = { input: CATEGORICAL[0], truth: CATEGORICAL[2], forecast: CATEGORICAL[3], naive: CATEGORICAL[4] };
