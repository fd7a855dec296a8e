// One chart card: a title, a recharts line chart (no animation, no dots), and a one-line
// text summary that screen readers and tests read instead of pixels. Each line's values
// are also in `data-values` on its legend item (JSON), for end-to-end tests.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useContext, type ReactNode } from 'react';
import { PanelActive } from './useLive.ts';

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
  logY = false,
  yDomain,
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
  xLabel?: string;
  logY?: boolean;
  yDomain?: [number | 'auto' | 'dataMin' | 'dataMax', number | 'auto' | 'dataMin' | 'dataMax'];
  summary: string;
  height?: number;
  empty?: string;
  /** Spans the whole row of the chart grid. */
  wide?: boolean;
  children?: ReactNode;
}) {
  // Charts of hidden panels are not drawn (their container has no size).
  const active = useContext(PanelActive);
  const hasData = rows.some((r) => series.some((s) => r[s.key] !== null && r[s.key] !== undefined));
  return (
    <figure className={`chart-card${wide ? ' chart-wide' : ''}`} data-testid={testId} data-points={rows.length}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-summary">{summary}</span>
      </figcaption>
      <div className="chart-area" style={{ height }}>
        {!active ? null : hasData ? (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 6, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
              <XAxis dataKey={xKey} type="number" domain={['dataMin', 'dataMax']} tick={tickStyle} tickFormatter={shortNumber} allowDecimals={false} label={{ value: xLabel, position: 'insideBottomRight', offset: -2, fontSize: 11, fill: 'var(--muted)' }} height={30} />
              <YAxis
                scale={logY ? 'log' : 'auto'}
                domain={yDomain ?? (logY ? ['auto', 'auto'] : ['auto', 'auto'])}
                allowDataOverflow={logY}
                tick={tickStyle}
                tickFormatter={shortNumber}
                width={52}
              />
              <Tooltip
                isAnimationActive={false}
                formatter={(v) => (typeof v === 'number' ? shortNumber(v) : String(v))}
                labelFormatter={(l) => `${xLabel} ${l}`}
                contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--fg)' }}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {series.map((s) => (
                <Line
                  key={s.key}
                  type="linear"
                  dataKey={s.key}
                  name={s.name}
                  stroke={s.color}
                  strokeWidth={s.width ?? 1.5}
                  strokeDasharray={s.dashed ? '5 3' : undefined}
                  dot={false}
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
      </ul>
      {children}
    </figure>
  );
}
