// One chart card: a title, a recharts line chart (no animation; no dots, except a series
// with a single point, which would otherwise be invisible), titled axes with ticks we
// choose (distinct labels, whole numbers on the x axis, decades on log axes, an axis
// wide enough for its labels), labelled reference levels, and a one-line text summary
// that screen readers and tests read instead of pixels. Each line's values are also in
// `data-values` on its legend item (JSON), and each reference level in `data-reference`,
// for end-to-end tests.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useContext, type ReactNode } from 'react';
import { PanelActive } from './useLive.ts';
import { axisWidth, linearTicks, logTicks } from './ticks.ts';

export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
  width?: number;
  dashed?: boolean;
  /** Join points across gaps (sparse series such as per-epoch validation). */
  connect?: boolean;
}

export type ChartRow = Record<string, number | null>;

/** A horizontal level drawn across the chart with its label (e.g. chance accuracy). */
export interface ReferenceLevel {
  value: number;
  label: string;
  color?: string;
}

/** Levels closer than this (in y units) are drawn as one line with both labels. */
const SAME_LEVEL = 0.005;

/** Merges near-equal levels so their labels do not overprint: "chance = majority class". */
export function mergeLevels(levels: ReferenceLevel[]): ReferenceLevel[] {
  const sorted = [...levels].filter((l) => Number.isFinite(l.value)).sort((a, b) => a.value - b.value);
  const out: ReferenceLevel[] = [];
  for (const l of sorted) {
    const prev = out[out.length - 1];
    if (prev && Math.abs(prev.value - l.value) < SAME_LEVEL) out[out.length - 1] = { ...prev, label: `${prev.label} = ${l.label}` };
    else out.push(l);
  }
  return out;
}

const tickStyle = { fontSize: 12, fill: 'var(--muted)' } as const;

/** Formats axis and tooltip numbers compactly. */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  return Number(v.toPrecision(3)).toString();
}

export function LineChartCard({
  title,
  testId,
  rows,
  series,
  xKey = 'step',
  xLabel = 'step',
  xReversed = false,
  yLabel,
  logY = false,
  yDomain,
  references = [],
  summary,
  height = 200,
  empty = 'No data yet: press Train.',
  wide = false,
  children,
}: {
  title: string;
  testId: string;
  rows: ChartRow[];
  series: SeriesSpec[];
  xKey?: string;
  /** Title of the x axis (its values are whole numbers: steps, epochs, positions). */
  xLabel?: string;
  /** Draws the x axis from high to low values. */
  xReversed?: boolean;
  /** Title of the y axis. */
  yLabel: string;
  logY?: boolean;
  yDomain?: [number | 'auto', number | 'auto'];
  /** Horizontal levels with labels, drawn behind the lines. */
  references?: ReferenceLevel[];
  summary: string;
  height?: number;
  empty?: string;
  /** Spans the whole row of the chart grid. */
  wide?: boolean;
  children?: ReactNode;
}) {
  // Charts of hidden panels are not drawn (their container has no size).
  const active = useContext(PanelActive);
  const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && (!logY || v > 0);
  const counts = series.map((s) => rows.reduce((n, r) => n + (present(r[s.key]) ? 1 : 0), 0));
  const hasData = counts.some((n) => n > 0);
  const levels = mergeLevels(references).filter((l) => !logY || l.value > 0);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const r of rows) {
    const x = r[xKey];
    let any = false;
    for (const s of series) {
      const v = r[s.key];
      if (!present(v)) continue;
      any = true;
      yMin = Math.min(yMin, v);
      yMax = Math.max(yMax, v);
    }
    if (any && typeof x === 'number' && Number.isFinite(x)) {
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
    }
  }
  for (const l of levels) {
    yMin = Math.min(yMin, l.value);
    yMax = Math.max(yMax, l.value);
  }
  if (yDomain && typeof yDomain[0] === 'number') yMin = yDomain[0];
  if (yDomain && typeof yDomain[1] === 'number') yMax = yDomain[1];
  const xTicks = linearTicks(xMin, xMax, { integer: true, count: 6 });
  const yTicks = logY ? logTicks(yMin, yMax) : linearTicks(yMin, yMax);
  if (yDomain && typeof yDomain[0] === 'number' && typeof yDomain[1] === 'number') yTicks.domain = [yDomain[0], yDomain[1]];
  const yWidth = axisWidth(yTicks.ticks.map(yTicks.format));
  return (
    <figure className={`chart-card${wide ? ' chart-wide' : ''}`} data-testid={testId} data-points={rows.length}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-summary">{summary}</span>
      </figcaption>
      <div className="chart-area" style={{ height }}>
        {!active ? null : hasData ? (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
              <XAxis
                dataKey={xKey}
                type="number"
                domain={xTicks.domain}
                ticks={xTicks.ticks}
                reversed={xReversed}
                tick={tickStyle}
                tickFormatter={xTicks.format}
                allowDecimals={false}
                interval="preserveStartEnd"
                label={{ value: xLabel, position: 'insideBottom', offset: -2, fontSize: 11, fill: 'var(--muted)' }}
                height={34}
              />
              <YAxis
                type="number"
                scale={logY ? 'log' : 'linear'}
                domain={yTicks.domain}
                ticks={yTicks.ticks}
                allowDataOverflow
                tick={tickStyle}
                tickFormatter={yTicks.format}
                interval={0}
                width={yWidth}
                label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 0, fontSize: 11, fill: 'var(--muted)', style: { textAnchor: 'middle' } }}
              />
              <Tooltip
                isAnimationActive={false}
                formatter={(v) => (typeof v === 'number' ? shortNumber(v) : String(v))}
                labelFormatter={(l) => `${xLabel} ${l}`}
                contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--fg)' }}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {levels.map((l, i) => (
                <ReferenceLine
                  key={l.label}
                  y={l.value}
                  stroke={l.color ?? 'var(--muted)'}
                  strokeDasharray="2 4"
                  ifOverflow="hidden"
                  label={{ value: l.label, position: i % 2 ? 'insideBottomLeft' : 'insideTopRight', fontSize: 11, fill: 'var(--muted)' }}
                />
              ))}
              {series.map((s, i) => (
                <Line
                  key={s.key}
                  type="linear"
                  dataKey={s.key}
                  name={s.name}
                  stroke={s.color}
                  strokeWidth={s.width ?? 1.5}
                  strokeDasharray={s.dashed ? '5 3' : undefined}
                  dot={counts[i] === 1 ? { r: 3.5, fill: s.color, stroke: s.color } : false}
                  activeDot={false}
                  isAnimationActive={false}
                  connectNulls={s.connect ?? false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <p className="chart-empty">{empty}</p>
        )}
      </div>
      <ul className="visually-hidden" data-testid={`${testId}-values`}>
        {series.map((s) => (
          <li key={s.key} data-series={s.key} data-values={JSON.stringify(rows.map((r) => r[s.key]).filter((v) => v !== null && v !== undefined))}>
            {s.name}
          </li>
        ))}
        {levels.map((l) => (
          <li key={`ref-${l.label}`} data-reference={l.label} data-value={l.value}>
            {l.label}
          </li>
        ))}
      </ul>
      {children}
    </figure>
  );
}
