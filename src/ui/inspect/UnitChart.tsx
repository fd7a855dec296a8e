// Line chart of the selected units' values over the tokens (recharts; no animation, no
// dots). Tokens in ticks and the tooltip are escaped (visibleText).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { visibleText } from '../../state/for-ui.ts';
import type { GateTrace } from '../../ops/recurrent.ts';
import { lineStyle } from '../common/colormap.ts';
import { formatValue, type StateView } from './traces.ts';

export interface UnitChartProps {
  trace: GateTrace;
  traceLabel: string;
  states: readonly StateView[];
  state: string;
  units: readonly number[];
  H: number;
  L: number;
  tokens: readonly string[];
  onState(state: string): void;
  onRemoveUnit(unit: number): void;
  onClear(): void;
}

export function UnitChart(props: UnitChartProps) {
  const { trace, state, units, H, L, tokens } = props;
  const values = trace.values[state];
  const rows = Array.from({ length: L }, (_, t) => {
    const row: Record<string, number | string> = { t };
    for (const u of units) row[`u${u}`] = values ? values[t * H + u] : NaN;
    return row;
  });
  const view = props.states.find((s) => s.name === state);
  const domain: [number | 'auto', number | 'auto'] = view?.scale === 'gate' ? [0, 1] : view?.scale === 'signed' ? [-1, 1] : ['auto', 'auto'];
  const short = (s: string) => (s.length > 8 ? `${s.slice(0, 7)}…` : s);
  return (
    <section className="gs-unit-chart" aria-label="Selected units over the tokens" data-testid="unit-chart">
      <div className="gs-row">
        <label>
          Plot{' '}
          <select value={state} onChange={(e) => props.onState(e.target.value)}>
            {props.states.map((s) => (
              <option key={s.name} value={s.name}>
                {s.symbol} — {s.title}
              </option>
            ))}
          </select>
        </label>
        <span className="gs-muted">{props.traceLabel}</span>
        {units.map((u, k) => (
          <button key={u} type="button" className="gs-chip" onClick={() => props.onRemoveUnit(u)} aria-label={`Remove unit ${u} from the chart`} style={{ borderColor: lineStyle(k).stroke }}>
            unit {u} ✕
          </button>
        ))}
        {units.length > 0 && (
          <button type="button" className="gs-link" onClick={props.onClear}>
            clear
          </button>
        )}
      </div>
      {units.length === 0 ? (
        <p className="gs-note gs-chart-placeholder">Click a cell of a heatmap (or press Enter on it) to plot that unit here.</p>
      ) : (
        <div className="gs-chart-box">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" className="gs-chart-grid" />
              <XAxis dataKey="t" type="number" domain={[0, Math.max(0, L - 1)]} ticks={rows.map((r) => r.t as number)} tickFormatter={(t: number) => short(visibleText(tokens[t] ?? ''))} interval={L > 16 ? 'preserveStartEnd' : 0} label={{ value: 'token', position: 'insideBottomRight', offset: -2, fontSize: 11 }} />
              <YAxis domain={domain} tickFormatter={(v: number) => formatValue(v, 2)} width={60} label={{ value: 'value', angle: -90, position: 'insideLeft', offset: 8, fontSize: 11, style: { textAnchor: 'middle' } }} />
              <Tooltip isAnimationActive={false} labelFormatter={(t) => `t = ${t} “${visibleText(tokens[Number(t)] ?? '')}”`} formatter={(v) => formatValue(Number(v))} />
              <Legend />
              {units.map((u, k) => (
                <Line key={u} type="linear" dataKey={`u${u}`} name={`unit ${u}`} dot={L === 1 ? { r: 3.5 } : false} activeDot={false} isAnimationActive={false} strokeWidth={2} {...lineStyle(k)} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
