// One chart card: a title, a line chart drawn as plain SVG in one pass (no dots, except
// a series with a single point, which would otherwise be invisible), titled axes with
// ticks we choose (distinct labels, whole numbers on the x axis, decades on log axes, an
// axis wide enough for its labels), labelled reference levels, a legend, a tooltip that
// follows the pointer, and a one-line text summary that screen readers and tests read
// instead of pixels. The rows are reduced to two per pixel column (decimate.ts) and each
// line is one SVG path; the chart is redrawn only while it is on screen in the visible
// panel, at most once a second, through the shared per-frame budget (frameBudget.ts);
// the text summary follows at once. (A charting library's per-point and per-component
// work is what made long runs stutter: 150–270 ms per redraw of a few charts.) Each
// line's values (as reduced) are also in `data-values` on its legend item (JSON), each
// reference level in `data-reference`, and the last x drawn in the figure's
// `data-drawn-x` (the newest data's in `data-latest-x`), for end-to-end tests.
import { memo, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { PanelActive } from './useLive.ts';
import { axisWidth, linearTicks, logTicks, type AxisTicks } from './ticks.ts';
import { decimateMinMax, type ChartRow } from './decimate.ts';
import { requestDraw } from './frameBudget.ts';
import { useElementWidth } from './useElementWidth.ts';

export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
  width?: number;
  dashed?: boolean;
  /** Join points across gaps (sparse series such as per-epoch validation). */
  connect?: boolean;
}

export type { ChartRow };

/** A horizontal level drawn across the chart with its label (e.g. chance accuracy). */
export interface ReferenceLevel {
  value: number;
  label: string;
  color?: string;
}

/** Levels closer than this (in y units) are drawn as one line with both labels. */
const SAME_LEVEL = 0.005;

/** Merges near-equal levels so their labels do not overprint: "chance = majority class". */
function mergeLevels(levels: ReferenceLevel[]): ReferenceLevel[] {
  const sorted = [...levels].filter((l) => Number.isFinite(l.value)).sort((a, b) => a.value - b.value);
  const out: ReferenceLevel[] = [];
  for (const l of sorted) {
    const prev = out[out.length - 1];
    if (prev && Math.abs(prev.value - l.value) < SAME_LEVEL) out[out.length - 1] = { ...prev, label: `${prev.label} = ${l.label}` };
    else out.push(l);
  }
  return out;
}

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
  /** A coarser copy for the tooltip (about one row per TOOLTIP_PIXELS). */
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

/** Space around the plot area (px): x axis ticks and title below, legend under them. */
const MARGIN = { top: 8, right: 16, left: 4 };
const X_AXIS_HEIGHT = 34;
const LEGEND_ROW = 20;
/** Approximate advance of one character of the 12 px chart font. */
const CHAR_PX = 7;

/** Where things go in the svg: the plot area and the two scales. */
interface Frame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  legendRows: { name: string; color: string; dashed: boolean; x: number }[][];
  x: (v: number) => number;
  y: (v: number) => number;
}

function frameOf(view: ChartView): Frame {
  // The legend: items placed left to right, wrapped to the width, each row centred.
  const rows: Frame['legendRows'] = [[]];
  let used = 0;
  const items = view.series.map((s) => ({ name: s.name, color: s.color, dashed: s.dashed ?? false, w: 22 + s.name.length * CHAR_PX + 12 }));
  for (const it of items) {
    if (used > 0 && used + it.w > view.width - 8) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push({ name: it.name, color: it.color, dashed: it.dashed, x: used });
    used += it.w;
  }
  const legendRows = rows.map((row) => {
    const last = row[row.length - 1];
    const w = last ? last.x + 22 + last.name.length * CHAR_PX : 0;
    const shift = Math.max(0, (view.width - w) / 2);
    return row.map((it) => ({ ...it, x: it.x + shift }));
  });
  const x0 = MARGIN.left + view.yWidth;
  const x1 = Math.max(x0 + 1, view.width - MARGIN.right);
  const y0 = MARGIN.top;
  const y1 = Math.max(y0 + 1, view.height - X_AXIS_HEIGHT - legendRows.length * LEGEND_ROW);
  const [xa, xb] = view.xTicks.domain;
  const [ya, yb] = view.yTicks.domain;
  const xSpan = xb - xa || 1;
  const x = view.xReversed ? (v: number) => x1 - ((v - xa) / xSpan) * (x1 - x0) : (v: number) => x0 + ((v - xa) / xSpan) * (x1 - x0);
  let y: (v: number) => number;
  if (view.logY) {
    const la = Math.log10(ya);
    const span = Math.log10(yb) - la || 1;
    y = (v) => y1 - ((Math.log10(v) - la) / span) * (y1 - y0);
  } else {
    const span = yb - ya || 1;
    y = (v) => y1 - ((v - ya) / span) * (y1 - y0);
  }
  return { x0, x1, y0, y1, legendRows, x, y };
}

/**
 * Every line of the view as one path (gaps where a value is null or NaN, unless the
 * series connects them; rows without the series' key are not its points), and a dot for
 * a series with a single point, clipped to the plot area.
 */
function Lines({ view, frame }: { view: ChartView; frame: Frame }) {
  const clip = useId();
  const { x, y } = frame;
  return (
    <g className="chart-lines" clipPath={`url(#${CSS.escape(clip)})`}>
      <defs>
        <clipPath id={clip}>
          <rect x={frame.x0} y={frame.y0 - 2} width={frame.x1 - frame.x0} height={frame.y1 - frame.y0 + 4} />
        </clipPath>
      </defs>
      {view.series.map((s, i) => {
        let d = '';
        let open = false;
        let last: [number, number] | null = null;
        for (const r of view.rows) {
          if (!(s.key in r)) continue;
          const v = r[s.key];
          const xv = r[view.xKey];
          const px = typeof xv === 'number' ? x(xv) : NaN;
          const py = typeof v === 'number' && Number.isFinite(v) && (!view.logY || v > 0) ? y(v) : NaN;
          if (!Number.isFinite(px) || !Number.isFinite(py)) {
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

/** A tick label's anchor that keeps it inside [0, width] (labels at the ends move inwards). */
function tickAnchor(px: number, label: string, width: number): 'start' | 'middle' | 'end' {
  const half = (label.length * CHAR_PX) / 2;
  if (px + half > width) return 'end';
  if (px - half < 0) return 'start';
  return 'middle';
}

/** Grid, axes, reference levels, lines and legend of one view, as plain SVG in one pass. */
const Drawing = memo(function Drawing({ view, frame }: { view: ChartView; frame: Frame }) {
  const { xTicks, yTicks } = view;
  const { x0, x1, y0, y1, x, y } = frame;
  const inX = (t: number) => t >= Math.min(...xTicks.domain) - 1e-9 && t <= Math.max(...xTicks.domain) + 1e-9;
  const inY = (t: number) => t >= yTicks.domain[0] * (1 - 1e-9) - 1e-12 && t <= yTicks.domain[1] * (1 + 1e-9) + 1e-12;
  return (
    <>
      <g className="chart-grid" stroke="var(--grid)" strokeDasharray="3 3">
        {yTicks.ticks.filter(inY).map((t) => (
          <line key={`y${t}`} x1={x0} x2={x1} y1={y(t)} y2={y(t)} />
        ))}
        {xTicks.ticks.filter(inX).map((t) => (
          <line key={`x${t}`} x1={x(t)} x2={x(t)} y1={y0} y2={y1} />
        ))}
      </g>
      <g className="chart-axis chart-x-axis" fontSize={12} fill="var(--muted)">
        <line x1={x0} x2={x1} y1={y1} y2={y1} stroke="var(--muted)" />
        {xTicks.ticks.filter(inX).map((t) => {
          const label = xTicks.format(t);
          return (
            <text key={t} className="chart-tick" x={x(t)} y={y1 + 15} textAnchor={tickAnchor(x(t), label, view.width)}>
              {label}
            </text>
          );
        })}
        <text className="chart-axis-title" x={(x0 + x1) / 2} y={y1 + X_AXIS_HEIGHT - 3} textAnchor="middle" fontSize={11}>
          {view.xLabel}
        </text>
      </g>
      <g className="chart-axis chart-y-axis" fontSize={12} fill="var(--muted)">
        <line x1={x0} x2={x0} y1={y0} y2={y1} stroke="var(--muted)" />
        {yTicks.ticks.filter(inY).map((t) => (
          <text key={t} className="chart-tick" x={x0 - 5} y={y(t) + 4} textAnchor="end">
            {yTicks.format(t)}
          </text>
        ))}
        <text className="chart-axis-title" transform={`translate(${MARGIN.left + 8},${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11}>
          {view.yLabel}
        </text>
      </g>
      <g className="chart-references">
        {view.levels.map((l, i) => {
          const py = y(l.value);
          if (!Number.isFinite(py) || py < y0 - 0.5 || py > y1 + 0.5) return null;
          // Alternate sides so neighbouring labels do not overprint.
          return (
            <g key={l.label} className="chart-reference" data-reference-line={l.label}>
              <line x1={x0} x2={x1} y1={py} y2={py} stroke={l.color ?? 'var(--muted)'} strokeDasharray="2 4" />
              <text className="chart-reference-label" x={i % 2 ? x0 + 4 : x1 - 4} y={i % 2 ? py - 4 : py + 12} textAnchor={i % 2 ? 'start' : 'end'} fontSize={11} fill="var(--muted)">
                {l.label}
              </text>
            </g>
          );
        })}
      </g>
      <Lines view={view} frame={frame} />
      <g className="chart-legend" fontSize={12}>
        {frame.legendRows.map((row, ri) =>
          row.map((it) => {
            const ly = view.height - (frame.legendRows.length - ri) * LEGEND_ROW + 12;
            return (
              <g key={it.name} className="chart-legend-item" transform={`translate(${it.x},${ly})`}>
                <line x1={0} x2={16} y1={-4} y2={-4} stroke={it.color} strokeWidth={2} strokeDasharray={it.dashed ? '5 3' : undefined} />
                <text x={22} y={0} fill="var(--fg)">
                  {it.name}
                </text>
              </g>
            );
          }),
        )}
      </g>
    </>
  );
});

/** Index of the tooltip row nearest to pixel column `px`, or -1. */
function nearestRow(view: ChartView, frame: Frame, px: number): number {
  let best = -1;
  let dist = Infinity;
  view.tooltipRows.forEach((r, i) => {
    const xv = r[view.xKey];
    if (typeof xv !== 'number') return;
    if (!view.series.some((s) => typeof r[s.key] === 'number' && Number.isFinite(r[s.key]))) return;
    const d = Math.abs(frame.x(xv) - px);
    if (d < dist) {
      dist = d;
      best = i;
    }
  });
  return best;
}

/**
 * The drawing of one view, and a tooltip that follows the pointer over the plot (the
 * values of the nearest row); moving the pointer re-renders only the tooltip.
 */
const ChartDrawing = memo(function ChartDrawing({ view }: { view: ChartView }) {
  const frame = useMemo(() => frameOf(view), [view]);
  const [hover, setHover] = useState(-1);
  const row = hover >= 0 ? view.tooltipRows[hover] : undefined;
  const hx = row && typeof row[view.xKey] === 'number' ? frame.x(row[view.xKey] as number) : null;
  return (
    <div className="chart-drawing" style={{ position: 'relative', width: view.width, height: view.height }}>
      <svg
        className="chart-svg"
        width={view.width}
        height={view.height}
        onPointerMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const px = e.clientX - r.left;
          setHover(px >= frame.x0 && px <= frame.x1 ? nearestRow(view, frame, px) : -1);
        }}
        onPointerLeave={() => setHover(-1)}
      >
        <Drawing view={view} frame={frame} />
        {hx !== null && <line className="chart-cursor" x1={hx} x2={hx} y1={frame.y0} y2={frame.y1} stroke="var(--muted)" />}
      </svg>
      {row && hx !== null && (
        <div className="chart-tooltip" role="status" style={{ left: hx > view.width / 2 ? undefined : hx + 10, right: hx > view.width / 2 ? view.width - hx + 10 : undefined, top: frame.y0 }}>
          <div className="chart-tooltip-x">
            {view.xLabel} {String(row[view.xKey])}
          </div>
          {view.series.map((s) =>
            typeof row[s.key] === 'number' && Number.isFinite(row[s.key]) ? (
              <div key={s.key} style={{ color: s.color }}>
                {s.name}: {shortNumber(row[s.key] as number)}
              </div>
            ) : null,
          )}
        </div>
      )}
    </div>
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
  const width = useElementWidth(area, 0);
  const [onScreen, setOnScreen] = useState(false);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const visible = new IntersectionObserver((entries) => setOnScreen(entries[entries.length - 1].isIntersecting), { rootMargin: '100px' });
    visible.observe(el);
    return () => visible.disconnect();
  }, []);
  // Parents rebuild these small props on every render: their content decides a redraw.
  const shape = JSON.stringify([series, yDomain ?? null, references]);
  const view = useMemo(
    () => chartView(rows, series, { xKey, xLabel, xReversed, yLabel, logY, yDomain, references, width, height }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- series, yDomain and references are compared by content through `shape`: parents rebuild them every render, and a redraw per render is what this memo avoids.
    [rows, shape, xKey, xLabel, xReversed, yLabel, logY, width, height],
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
    <figure className={`chart-card${wide ? ' chart-wide' : ''}`} data-testid={testId} data-points={rows.length} data-drawn-x={drawn?.hasData && drawn.xMax !== null ? drawn.xMax : undefined} data-latest-x={view.xMax ?? undefined}>
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
