// One chart card: a title, a recharts line chart (no animation; no dots, except a series
// with a single point, which would otherwise be invisible), titled axes with ticks we
// choose (distinct labels, whole numbers on the x axis, decades on log axes, an axis
// wide enough for its labels), labelled reference levels, and a one-line text summary
// that screen readers and tests read instead of pixels. The rows are reduced to two per
// pixel column (decimate.ts) and drawn as one SVG path per line (recharts draws the axes,
// legend and tooltip from a coarser copy: its per-point work is what made long runs
// stutter); the chart is redrawn only while it is on screen in the visible panel,
// through the shared per-frame budget (frameBudget.ts); the text summary follows at once. Each line's values (as reduced) are also in `data-values` on its
// legend item (JSON), each reference level in `data-reference`, and the last x drawn in
// the figure's `data-drawn-x`, for end-to-end tests.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, usePlotArea, useXAxisScale, useYAxisScale, XAxis, YAxis } from 'recharts';
import { memo, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { PanelActive } from './useLive.ts';
import { axisWidth, linearTicks, logTicks, type AxisTicks } from './ticks.ts';
import { decimateMinMax } from './decimate.ts';
import { requestDraw } from './frameBudget.ts';

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

/** Everything one drawing of the chart depends on. */
interface ChartView {
  rows: ChartRow[];
  /** A coarser copy for recharts' tooltip (about one row per TOOLTIP_PIXELS). */
  tooltipRows: ChartRow[];
  series: SeriesSpec[];
  /** Present values per series (a series with one is drawn as a dot). */
  counts: number[];
  hasData: boolean;
  levels: ReferenceLevel[];
  xKey: string;
  xLabel: string;
  xReversed: boolean;
  yLabel: string;
  logY: boolean;
  xTicks: AxisTicks;
  yTicks: AxisTicks;
  yWidth: number;
  /** Largest x with a value (null without data). */
  xMax: number | null;
  width: number;
  height: number;
}

/** Pixels per column of the drawn lines (two rows each: about one point per pixel). */
const PIXELS_PER_COLUMN = 2;

/** Least time between two drawings of one chart (ms); the text summary is not held back. */
const REDRAW_MS = 1000;

/** Pixels per tooltip column. */
const TOOLTIP_PIXELS = 8;

function chartView(
  rows: ChartRow[],
  series: SeriesSpec[],
  o: { xKey: string; xLabel: string; xReversed: boolean; yLabel: string; logY: boolean; yDomain?: [number | 'auto', number | 'auto']; references: ReferenceLevel[]; width: number; height: number },
): ChartView {
  const { xKey, logY, yDomain } = o;
  const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && (!logY || v > 0);
  // Two rows per pixel column at most; before the first measurement nothing is reduced.
  const drawnRows = o.width > 0 ? decimateMinMax(rows, xKey, series.map((s) => s.key), o.width / PIXELS_PER_COLUMN) : rows;
  const counts = series.map((s) => drawnRows.reduce((n, r) => n + (present(r[s.key]) ? 1 : 0), 0));
  const levels = mergeLevels(o.references).filter((l) => !logY || l.value > 0);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const r of drawnRows) {
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
  return {
    rows: drawnRows,
    tooltipRows: o.width > 0 ? decimateMinMax(rows, xKey, series.map((s) => s.key), o.width / TOOLTIP_PIXELS) : rows,
    series,
    counts,
    hasData: counts.some((n) => n > 0),
    levels,
    xKey,
    xLabel: o.xLabel,
    xReversed: o.xReversed,
    yLabel: o.yLabel,
    logY,
    xTicks,
    yTicks,
    yWidth,
    xMax: Number.isFinite(xMax) ? xMax : null,
    width: o.width,
    height: o.height,
  };
}

/**
 * Every line of the view as one path (gaps where a value is null or NaN, unless the
 * series connects them; rows without the series' key are not its points), and a dot for
 * a series with a single point, clipped to the plot area.
 */
function FullLines({ view }: { view: ChartView }) {
  const clip = useId();
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  if (!x || !y || !area) return null;
  return (
    <g className="chart-lines" clipPath={`url(#${CSS.escape(clip)})`}>
      <defs>
        <clipPath id={clip}>
          <rect x={area.x} y={area.y} width={area.width} height={area.height} />
        </clipPath>
      </defs>
      {view.series.map((s, i) => {
        let d = '';
        let open = false;
        let last: [number, number] | null = null;
        for (const r of view.rows) {
          if (!(s.key in r)) continue;
          const v = r[s.key];
          const px = x(r[view.xKey]);
          const py = typeof v === 'number' && Number.isFinite(v) && (!view.logY || v > 0) ? y(v) : undefined;
          if (px === undefined || py === undefined || !Number.isFinite(px) || !Number.isFinite(py)) {
            if (!(s.connect ?? false)) open = false;
            continue;
          }
          d += `${open ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`;
          open = true;
          last = [px, py];
        }
        if (view.counts[i] === 1 && last) return <circle key={s.key} className="chart-line-dot" data-series={s.key} cx={last[0]} cy={last[1]} r={3.5} fill={s.color} stroke={s.color} />;
        return <path key={s.key} className="chart-line" data-series={s.key} d={d} fill="none" stroke={s.color} strokeWidth={s.width ?? 1.5} strokeDasharray={s.dashed ? '5 3' : undefined} strokeLinejoin="round" />;
      })}
    </g>
  );
}

/** The recharts drawing of one view; re-rendered only when the view drawn changes. */
const ChartDrawing = memo(function ChartDrawing({ view }: { view: ChartView }) {
  const { xTicks, yTicks, xLabel } = view;
  return (
    <LineChart width={view.width} height={view.height} data={view.tooltipRows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
      <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
      <XAxis
        dataKey={view.xKey}
        type="number"
        domain={xTicks.domain}
        ticks={xTicks.ticks}
        reversed={view.xReversed}
        tick={tickStyle}
        tickFormatter={xTicks.format}
        allowDecimals={false}
        interval="preserveStartEnd"
        label={{ value: xLabel, position: 'insideBottom', offset: -2, fontSize: 11, fill: 'var(--muted)' }}
        height={34}
      />
      <YAxis
        type="number"
        scale={view.logY ? 'log' : 'linear'}
        domain={yTicks.domain}
        ticks={yTicks.ticks}
        allowDataOverflow
        tick={tickStyle}
        tickFormatter={yTicks.format}
        interval={0}
        width={view.yWidth}
        label={{ value: view.yLabel, angle: -90, position: 'insideLeft', offset: 0, fontSize: 11, fill: 'var(--muted)', style: { textAnchor: 'middle' } }}
      />
      <Tooltip
        isAnimationActive={false}
        formatter={(v) => (typeof v === 'number' ? shortNumber(v) : String(v))}
        labelFormatter={(l) => `${xLabel} ${l}`}
        contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--fg)' }}
      />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      {view.levels.map((l, i) => (
        <ReferenceLine
          key={l.label}
          y={l.value}
          stroke={l.color ?? 'var(--muted)'}
          strokeDasharray="2 4"
          ifOverflow="hidden"
          label={{ value: l.label, position: i % 2 ? 'insideBottomLeft' : 'insideTopRight', fontSize: 11, fill: 'var(--muted)' }}
        />
      ))}
      {/* For the legend and the tooltip only; FullLines draws the lines. */}
      {view.series.map((s) => (
        <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeOpacity={0} dot={false} activeDot={false} isAnimationActive={false} connectNulls={s.connect ?? false} />
      ))}
      <FullLines view={view} />
    </LineChart>
  );
});

const NO_LEVELS: ReferenceLevel[] = [];

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
  references = NO_LEVELS,
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
  // Charts of hidden panels and charts scrolled out of view are not redrawn.
  const active = useContext(PanelActive);
  const area = useRef<HTMLDivElement>(null);
  // The chart area's last non-zero width (it has none while its panel is hidden).
  const [width, setWidth] = useState(0);
  const [onScreen, setOnScreen] = useState(false);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const resize = new ResizeObserver(() => {
      const w = Math.floor(el.clientWidth);
      if (w > 0) setWidth(w);
    });
    resize.observe(el);
    const visible = new IntersectionObserver((entries) => setOnScreen(entries[entries.length - 1].isIntersecting), { rootMargin: '100px' });
    visible.observe(el);
    return () => {
      resize.disconnect();
      visible.disconnect();
    };
  }, []);
  // Parents rebuild these small props on every render: their content decides a redraw.
  const shape = JSON.stringify([series, yDomain ?? null, references]);
  const view = useMemo(
    () => chartView(rows, series, { xKey, xLabel, xReversed, yLabel, logY, yDomain, references, width, height }),
    [rows, shape, xKey, xLabel, xReversed, yLabel, logY, width, height], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const values = useMemo(() => view.series.map((s) => JSON.stringify(view.rows.map((r) => r[s.key]).filter((v) => v !== null && v !== undefined))), [view]);
  const [drawn, setDrawn] = useState<ChartView | null>(null);
  const owner = useRef({}).current;
  const lastDraw = useRef(-Infinity);
  useEffect(() => {
    if (!active || !onScreen || width === 0 || !view.hasData || drawn === view) return;
    const draw = () => {
      lastDraw.current = performance.now();
      setDrawn(view);
    };
    let withdraw = () => {};
    const wait = lastDraw.current + REDRAW_MS - performance.now();
    if (wait <= 0) return requestDraw(owner, draw);
    const timer = setTimeout(() => (withdraw = requestDraw(owner, draw)), wait);
    return () => {
      clearTimeout(timer);
      withdraw();
    };
  }, [view, active, onScreen, width, drawn, owner]);
  return (
    <figure className={`chart-card${wide ? ' chart-wide' : ''}`} data-testid={testId} data-points={rows.length} data-drawn-x={drawn?.hasData && drawn.xMax !== null ? drawn.xMax : undefined}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-summary">{summary}</span>
      </figcaption>
      <div className="chart-area" style={{ height }} ref={area}>
        {view.hasData ? drawn?.hasData ? <ChartDrawing view={drawn} /> : null : <p className="chart-empty">{empty}</p>}
      </div>
      <ul className="visually-hidden" data-testid={`${testId}-values`}>
        {view.series.map((s, i) => (
          <li key={s.key} data-series={s.key} data-values={values[i]}>
            {s.name}
          </li>
        ))}
        {view.levels.map((l) => (
          <li key={`ref-${l.label}`} data-reference={l.label} data-value={l.value}>
            {l.label}
          </li>
        ))}
      </ul>
      {children}
    </figure>
  );
}
