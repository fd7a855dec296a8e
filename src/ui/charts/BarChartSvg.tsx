// A small bar chart drawn as one SVG: stacked bars per category, a y axis of whole
// counts, category labels (every label when they fit, else evenly thinned), a legend
// and a native tooltip (<title>) per bar. It draws in one pass with no layout reads, so
// a dataset with thousands of rows and hundreds of categories renders in a few
// milliseconds; it is drawn at its container's width in pixels (the data panel's histograms; recharts' per-bar components took 100+ ms).
import { useRef } from 'react';
import { useElementWidth } from './useElementWidth.ts';
import { linearTicks } from './ticks.ts';

export interface BarSeries {
  key: string;
  name: string;
  color: string;
}

export interface BarChartSvgProps {
  /** One entry per category, drawn left to right. */
  categories: string[];
  /** Stacked bottom to top; `values[s][c]` is series s at category c. */
  series: BarSeries[];
  values: number[][];
  xLabel: string;
  yLabel: string;
  /** Tilt the category labels (long names). */
  tilt?: boolean;
  height?: number;
}

/** Width before the container is measured (px). */
const INITIAL_WIDTH = 640;
/** Widest bar drawn (px): two classes do not make two walls. */
const MAX_BAR = 56;
const MARGIN = { left: 64, right: 8, top: 8 };
/** Labels narrower than this many units are thinned (every k-th shown). */
const MIN_LABEL_SPACING = 28;

export function BarChartSvg({ categories, series, values, xLabel, yLabel, tilt = false, height = 220 }: BarChartSvgProps) {
  // Drawn at the container's width in pixels, so text keeps its size.
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box, INITIAL_WIDTH);
  const n = categories.length;
  const totals = categories.map((_, c) => series.reduce((sum, _s, s) => sum + (values[s][c] ?? 0), 0));
  const y = linearTicks(0, Math.max(1, ...totals), { integer: true });
  const [, yMax] = y.domain;
  const bottom = tilt ? 64 : 34;
  const legend = series.length > 1 ? 18 : 0;
  const plotTop = MARGIN.top + legend;
  const plotH = height - plotTop - bottom;
  const plotW = width - MARGIN.left - MARGIN.right;
  const band = plotW / Math.max(1, n);
  const barW = Math.max(1, Math.min(MAX_BAR, band * 0.8));
  const yOf = (v: number) => plotTop + plotH - (v / yMax) * plotH;
  const every = Math.max(1, Math.ceil(MIN_LABEL_SPACING / band));
  return (
    <div ref={box} className="bar-chart-box">
    <svg className="bar-chart" width={width} height={height} role="img" aria-label={`${yLabel} per ${xLabel}`}>
      {series.length > 1 && (
        <g className="bar-legend" fontSize={12}>
          {series.map((s, i) => (
            <g key={s.key} transform={`translate(${MARGIN.left + i * 110},${MARGIN.top})`}>
              <rect width={10} height={10} fill={s.color} />
              <text x={14} y={9} fill="currentColor">{s.name}</text>
            </g>
          ))}
        </g>
      )}
      <g className="bar-y-axis" fontSize={12} fill="var(--muted)">
        {y.ticks.map((t) => (
          <g key={t}>
            <line x1={MARGIN.left} x2={width - MARGIN.right} y1={yOf(t)} y2={yOf(t)} stroke="var(--muted)" strokeOpacity={0.25} strokeDasharray="3 3" />
            <text x={MARGIN.left - 6} y={yOf(t) + 4} textAnchor="end">{y.format(t)}</text>
          </g>
        ))}
        <text transform={`translate(14,${plotTop + plotH / 2}) rotate(-90)`} textAnchor="middle">{yLabel}</text>
      </g>
      <g className="bar-bars">
        {categories.map((name, c) => {
          let base = 0;
          const x = MARGIN.left + c * band + (band - barW) / 2;
          return series.map((s, si) => {
            const v = values[si][c] ?? 0;
            if (v <= 0) return null;
            const y0 = yOf(base);
            base += v;
            return (
              <rect key={`${c}-${s.key}`} x={x} y={yOf(base)} width={barW} height={y0 - yOf(base)} fill={s.color} data-series={s.key} data-category={name} data-value={v}>
                <title>{series.length > 1 ? `${name} — ${s.name}: ${v}` : `${name}: ${v}`}</title>
              </rect>
            );
          });
        })}
      </g>
      <g className="bar-x-axis" fontSize={11} fill="var(--muted)">
        <line x1={MARGIN.left} x2={width - MARGIN.right} y1={plotTop + plotH} y2={plotTop + plotH} stroke="var(--muted)" />
        {categories.map((name, c) => {
          if (c % every !== 0 && c !== n - 1) return null;
          if (c === n - 1 && c % every !== 0 && n - 1 - Math.floor((n - 1) / every) * every < every / 2) return null;
          const x = MARGIN.left + (c + 0.5) * band;
          const label = name.length > 16 ? `${name.slice(0, 15)}…` : name;
          return tilt ? (
            <text key={c} transform={`translate(${x},${plotTop + plotH + 12}) rotate(-35)`} textAnchor="end">{label}</text>
          ) : (
            <text key={c} x={x} y={plotTop + plotH + 14} textAnchor="middle">{label}</text>
          );
        })}
        <text x={MARGIN.left + plotW / 2} y={height - 4} textAnchor="middle">{xLabel}</text>
      </g>
    </svg>
    </div>
  );
}
