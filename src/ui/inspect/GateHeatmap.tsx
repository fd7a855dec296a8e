// One heatmap of a gate or state: units (rows) × tokens (columns) on a canvas drawn at
// device-pixel resolution (crisp on a projector), with a legend, a token axis, and a
// tooltip (token, unit, value) for the hovered cell or the keyboard cursor. The heatmap
// is focusable: arrow keys move the cursor, Enter selects the cell. Tokens are shown
// escaped (visibleText); data-token keeps the raw token.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { visibleText } from '../../state/for-ui.ts';
import { cssGradient, lookupTable, tableIndex } from '../common/colormap.ts';
import { formatValue, type ColorScale, type StateView } from './traces.ts';

export interface CellRef {
  t: number;
  unit: number;
}

export interface GateHeatmapProps {
  /** [T, H] row-major; the first L steps are drawn. */
  values: Float32Array;
  H: number;
  L: number;
  tokens: readonly string[];
  state: StateView;
  scale: ColorScale;
  /** e.g. "Layer 1 · forward", for labels. */
  traceLabel: string;
  /** CSS pixels per cell. */
  cellWidth: number;
  cellHeight: number;
  /** The selected cell (shown in the cell diagram), if it is in this heatmap's trace. */
  selected: CellRef | null;
  /** Selected token span, inclusive. */
  span: readonly [number, number] | null;
  /** Units shown on the line chart (marked at the left edge). */
  chartUnits: readonly number[];
  onSelect(cell: CellRef): void;
}

/** Packs the colour map into ABGR words for a Uint32 view of ImageData (little-endian). */
function packedTable(map: ColorScale['map']): Uint32Array {
  const t = lookupTable(map);
  const out = new Uint32Array(256);
  for (let k = 0; k < 256; k++) out[k] = ((t[4 * k + 3] << 24) | (t[4 * k + 2] << 16) | (t[4 * k + 1] << 8) | t[4 * k]) >>> 0;
  return out;
}

function useDevicePixelRatio(): number {
  const [dpr, setDpr] = useState(() => (typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1));
  useEffect(() => {
    const query = window.matchMedia(`(resolution: ${dpr}dppx)`);
    const update = () => setDpr(window.devicePixelRatio || 1);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [dpr]);
  return dpr;
}

export function GateHeatmap(props: GateHeatmapProps) {
  const { values, H, L, tokens, state, scale, cellWidth, cellHeight, selected, span, chartUnits, onSelect } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<CellRef | null>(null);
  const [cursor, setCursor] = useState<CellRef | null>(null);
  const [focused, setFocused] = useState(false);
  const dpr = useDevicePixelRatio();
  const tooltipId = useId();
  const width = L * cellWidth;
  const height = H * cellHeight;

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || L === 0 || H === 0) return;
    const W = Math.max(1, Math.round(width * dpr));
    const Hp = Math.max(1, Math.round(height * dpr));
    canvas.width = W;
    canvas.height = Hp;
    const image = ctx.createImageData(W, Hp);
    const words = new Uint32Array(image.data.buffer);
    const table = packedTable(scale.map);
    // Column x of the device image belongs to token floor(x·L/W), row y to unit floor(y·H/Hp):
    // every cell gets whole device pixels, so edges stay sharp at any zoom.
    const colToken = new Int32Array(W);
    for (let x = 0; x < W; x++) colToken[x] = Math.min(L - 1, Math.floor((x * L) / W));
    for (let y = 0; y < Hp; y++) {
      const unit = Math.min(H - 1, Math.floor((y * H) / Hp));
      const row = y * W;
      for (let x = 0; x < W; x++) words[row + x] = table[tableIndex(values[colToken[x] * H + unit], scale.min, scale.max)];
    }
    ctx.putImageData(image, 0, 0);
  }, [values, H, L, scale.map, scale.min, scale.max, width, height, dpr]);

  const cellAt = (e: MouseEvent<HTMLElement>): CellRef | null => {
    const rect = canvasRef.current!.getBoundingClientRect();
    const x = (e.clientX - rect.left) / rect.width;
    const y = (e.clientY - rect.top) / rect.height;
    if (!(x >= 0 && x < 1 && y >= 0 && y < 1)) return null;
    return { t: Math.floor(x * L), unit: Math.floor(y * H) };
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const c = cursor ?? selected ?? { t: 0, unit: 0 };
    let next: CellRef;
    switch (e.key) {
      case 'ArrowLeft':
        next = { t: Math.max(0, c.t - 1), unit: c.unit };
        break;
      case 'ArrowRight':
        next = { t: Math.min(L - 1, c.t + 1), unit: c.unit };
        break;
      case 'ArrowUp':
        next = { t: c.t, unit: Math.max(0, c.unit - 1) };
        break;
      case 'ArrowDown':
        next = { t: c.t, unit: Math.min(H - 1, c.unit + 1) };
        break;
      case 'PageUp':
        next = { t: c.t, unit: Math.max(0, c.unit - 8) };
        break;
      case 'PageDown':
        next = { t: c.t, unit: Math.min(H - 1, c.unit + 8) };
        break;
      case 'Home':
        next = { t: 0, unit: c.unit };
        break;
      case 'End':
        next = { t: L - 1, unit: c.unit };
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        onSelect(c);
        setCursor(c);
        return;
      default:
        return;
    }
    e.preventDefault();
    setCursor(next);
  };

  const shown = hover ?? (focused ? (cursor ?? selected ?? { t: 0, unit: 0 }) : null);
  const shownValue = shown ? values[shown.t * H + shown.unit] : NaN;
  const label = `${state.symbol} (${state.title}), ${props.traceLabel}: ${H} units × ${L} tokens`;

  return (
    <figure className="gs-heatmap" data-state={state.name}>
      <figcaption>
        <b>{state.symbol}</b> <span className="gs-muted">{state.title}</span>
      </figcaption>
      <div
        className="gs-heatmap-frame"
        style={{ width, height }}
        tabIndex={0}
        role="group"
        aria-label={`${label}. Arrow keys move, Enter selects the cell.`}
        aria-describedby={shown ? tooltipId : undefined}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onMouseMove={(e) => setHover(cellAt(e))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const c = cellAt(e);
          if (c) {
            setCursor(c);
            onSelect(c);
          }
        }}
      >
        <canvas ref={canvasRef} style={{ width, height }} data-testid="gate-heatmap" aria-hidden="true" />
        {span && (
          <div
            className="gs-heatmap-span"
            style={{ left: Math.min(span[0], span[1]) * cellWidth, width: (Math.abs(span[1] - span[0]) + 1) * cellWidth, height }}
          />
        )}
        {chartUnits.map((u) => (
          <div key={u} className="gs-heatmap-unitmark" style={{ top: u * cellHeight, height: Math.max(2, cellHeight) }} />
        ))}
        {selected && <div className="gs-heatmap-cell gs-heatmap-selected" style={{ left: selected.t * cellWidth, top: selected.unit * cellHeight, width: cellWidth, height: cellHeight }} />}
        {hover && <div className="gs-heatmap-cell gs-heatmap-hover" style={{ left: hover.t * cellWidth, top: hover.unit * cellHeight, width: cellWidth, height: cellHeight }} />}
        {focused && cursor && <div className="gs-heatmap-cell gs-heatmap-cursor" style={{ left: cursor.t * cellWidth, top: cursor.unit * cellHeight, width: cellWidth, height: cellHeight }} />}
        {shown && (
          <div
            id={tooltipId}
            role="tooltip"
            className="gs-tooltip"
            data-testid="heatmap-tooltip"
            data-token={tokens[shown.t] ?? ''}
            data-t={shown.t}
            data-unit={shown.unit}
            data-value={shownValue}
            style={{
              left: Math.min(width, (shown.t + 1) * cellWidth) + 6,
              top: Math.max(0, shown.unit * cellHeight - 8),
            }}
          >
            <span className="gs-tooltip-token">“{visibleText(tokens[shown.t] ?? '')}”</span> <span className="gs-muted">t = {shown.t}</span>
            <br />
            unit {shown.unit} · {state.symbol} = <b>{formatValue(shownValue)}</b>
          </div>
        )}
      </div>
      <div className="gs-token-axis" style={{ width }} aria-hidden="true">
        {tokens.slice(0, L).map((raw, t) => {
          const tok = visibleText(raw);
          return (
            <span
              key={t}
              style={{ width: cellWidth }}
              title={tok}
              className={span && t >= Math.min(span[0], span[1]) && t <= Math.max(span[0], span[1]) ? 'in-span' : undefined}
            >
              {tok}
            </span>
          );
        })}
      </div>
      <div className="gs-legend" style={{ width: Math.max(width, 96) }}>
        <div className="gs-legend-bar" style={{ background: cssGradient(scale.map) }} />
        <div className="gs-legend-labels">
          <span>{formatValue(scale.min, 2)}</span>
          <span>{formatValue((scale.min + scale.max) / 2, 2)}</span>
          <span>{formatValue(scale.max, 2)}</span>
        </div>
      </div>
    </figure>
  );
}
