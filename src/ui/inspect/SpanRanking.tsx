// LSTMVis-style matching: rank the units most active on the selected span of tokens
// (mean on the span minus mean elsewhere), then scan a split for where the chosen units
// fire (their mean reaches a threshold) and list those examples with the firing tokens
// highlighted. Tokens are rendered as text, escaped (visibleText).
import { useEffect, useId, useMemo, useState } from 'react';
import { visibleText } from '../../state/for-ui.ts';
import type { PreparedDataset } from '../../data/types.ts';
import type { GateTrace } from '../../ops/recurrent.ts';
import type { UnitScanResult } from '../../train/protocol.ts';
import type { InspectApi } from './useInspection.ts';
import { formatValue, matchExamples, meanOfUnits, rankUnits, type StateView } from './traces.ts';

export interface SpanRankingProps {
  api: InspectApi | null;
  dataset: PreparedDataset;
  traces: readonly GateTrace[];
  traceLabels: readonly string[];
  traceIndex: number;
  onTrace(k: number): void;
  states: readonly StateView[];
  H: number;
  L: number;
  tokens: readonly string[];
  span: readonly [number, number] | null;
  /** The inspected dataset example (left out of the matches), or null for own text. */
  example: number | null;
  onPlot(units: number[], traceIndex: number, state: string): void;
  onSelectExample(index: number): void;
}

const SHOWN = 10;
const CHOSEN = 3;
type Split = 'train' | 'validation' | 'test';

export function SpanRanking(props: SpanRankingProps) {
  const { dataset, traces, traceIndex, H, L, tokens, span } = props;
  const [state, setState] = useState('h');
  const [chosen, setChosen] = useState<number[]>([]);
  const [split, setSplit] = useState<Split>(dataset.splits.validation.length ? 'validation' : 'train');
  const [limit, setLimit] = useState(200);
  const [scan, setScan] = useState<{ key: string; result: UnitScanResult } | null>(null);
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [threshold, setThreshold] = useState(0);
  const ids = { state: useId(), split: useId(), limit: useId(), threshold: useId(), layer: useId() };
  const trace = traces[traceIndex];
  const values = trace?.values[state] ?? trace?.values.h;

  const ranking = useMemo(() => (span && values ? rankUnits(values, H, L, span[0], span[1]) : []), [values, H, L, span]);
  const rankKey = ranking
    .slice(0, CHOSEN)
    .map((r) => r.unit)
    .join(',');
  useEffect(() => {
    setChosen(rankKey ? rankKey.split(',').map(Number) : []);
  }, [rankKey]);

  const scanKey = JSON.stringify([traceIndex, state, [...chosen].sort((a, b) => a - b), split, limit]);
  const current = scan && scan.key === scanKey ? scan.result : null;
  const matches = useMemo(() => (current ? matchExamples(current, threshold, props.example) : []), [current, threshold, props.example]);

  if (!trace) return null;
  const runScan = async () => {
    if (!props.api || chosen.length === 0 || !span || !values) return;
    setScanning(true);
    setError(null);
    try {
      const result = await props.api.scanUnits({ layer: trace.layer, direction: trace.direction, state, units: chosen, split, limit });
      // Default threshold: halfway between the chosen units' mean on the span and elsewhere.
      const m = meanOfUnits(values, H, L, chosen);
      const lo = Math.min(span[0], span[1]);
      const hi = Math.max(span[0], span[1]);
      const inside = m.slice(lo, hi + 1);
      const outside = [...m.slice(0, lo), ...m.slice(hi + 1)];
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
      setThreshold(outside.length ? (mean(inside) + mean(outside)) / 2 : mean(inside) * 0.8);
      setScan({ key: scanKey, result });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setScanning(false);
    }
  };
  const scanned = current?.examples.flatMap((e) => e.values) ?? [];
  const vmin = scanned.length ? Math.min(...scanned) : -1;
  const vmax = scanned.length ? Math.max(...scanned) : 1;
  const spanText = span
    ? tokens
        .slice(Math.min(span[0], span[1]), Math.max(span[0], span[1]) + 1)
        .map((tok) => visibleText(tok))
        .join(' ')
    : '';

  return (
    <section className="gs-ranking" aria-label="Units most active on the span" data-testid="span-ranking">
      <div className="gs-row">
        {traces.length > 1 && (
          <label>
            In{' '}
            <select value={traceIndex} onChange={(e) => props.onTrace(Number(e.target.value))}>
              {props.traceLabels.map((l, k) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        )}
        <label htmlFor={ids.state}>state</label>
        <select id={ids.state} value={state} onChange={(e) => setState(e.target.value)}>
          {props.states.map((s) => (
            <option key={s.name} value={s.name}>
              {s.symbol} — {s.title}
            </option>
          ))}
        </select>
      </div>
      {!span ? (
        <p className="gs-note">Choose a span of tokens above (click, shift-click or drag) to rank the units that are most active on it.</p>
      ) : (
        <>
          <p>
            Units most active on <q className="gs-span-text">{spanText}</q> (mean on the span − mean on the other tokens):
          </p>
          <table className="gs-table" data-testid="ranking-table">
            <thead>
              <tr>
                <th scope="col">scan</th>
                <th scope="col">unit</th>
                <th scope="col">on span</th>
                <th scope="col">elsewhere</th>
                <th scope="col">difference</th>
              </tr>
            </thead>
            <tbody>
              {ranking.slice(0, SHOWN).map((r) => (
                <tr key={r.unit} data-unit={r.unit}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Scan unit ${r.unit}`}
                      checked={chosen.includes(r.unit)}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, r.unit] : c.filter((u) => u !== r.unit)))}
                    />
                  </td>
                  <th scope="row">{r.unit}</th>
                  <td className="gs-num">{formatValue(r.spanMean, 3)}</td>
                  <td className="gs-num">{formatValue(r.restMean, 3)}</td>
                  <td className="gs-num">{formatValue(r.score, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="gs-row">
            <button type="button" onClick={() => props.onPlot(chosen, traceIndex, state)} disabled={chosen.length === 0}>
              Plot chosen units
            </button>
            <label htmlFor={ids.split}>Find where they fire in</label>
            <select id={ids.split} value={split} onChange={(e) => setSplit(e.target.value as Split)}>
              {(['train', 'validation', 'test'] as const).map((s) => (
                <option key={s} value={s} disabled={dataset.splits[s].length === 0}>
                  {s} ({dataset.splits[s].length})
                </option>
              ))}
            </select>
            <label htmlFor={ids.limit}>first</label>
            <input id={ids.limit} type="number" min={1} max={5000} value={limit} onChange={(e) => setLimit(Math.max(1, Math.min(5000, Math.round(Number(e.target.value)) || 1)))} />
            <button type="button" onClick={runScan} disabled={!props.api || chosen.length === 0 || scanning} data-testid="scan-units">
              {scanning ? 'Scanning…' : 'Find matches'}
            </button>
          </div>
        </>
      )}
      {error && (
        <p role="alert" className="gs-danger">
          {error}
        </p>
      )}
      {current && (
        <div className="gs-matches" data-testid="scan-matches">
          <div className="gs-row">
            <label htmlFor={ids.threshold}>Fires when mean ≥</label>
            <input id={ids.threshold} type="range" min={vmin} max={vmax} step={(vmax - vmin) / 200 || 0.01} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} />
            <output htmlFor={ids.threshold}>{formatValue(threshold, 3)}</output>
            <span className="gs-muted">
              {matches.length} of {current.examples.length} scanned examples (best first)
            </span>
          </div>
          <ol className="gs-match-list">
            {matches.map((m) => (
              <li key={m.index}>
                <button type="button" className="gs-link" onClick={() => props.onSelectExample(m.index)}>
                  #{m.index}
                </button>{' '}
                <span className="gs-match-tokens">
                  {m.tokens.map((tok, t) =>
                    m.firing[t] ? (
                      <mark key={t} title={formatValue(m.values[t], 3)}>
                        {visibleText(tok)}
                      </mark>
                    ) : (
                      <span key={t} title={formatValue(m.values[t], 3)}>
                        {visibleText(tok)}
                      </span>
                    ),
                  )}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
