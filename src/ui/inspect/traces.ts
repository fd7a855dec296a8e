// Pure helpers over gate traces for the inspector: which states each cell shows and on
// what colour scale, value lookup, the previous step of the recurrence, span ranking of
// units (LSTMVis-style) and matching of scanned examples. No React here.
import type { ColorMapName } from '../common/colormap.ts';
import type { GateTrace } from '../../ops/recurrent.ts';
import type { CellKind } from '../../ops/recurrent.ts';
import type { UnitScanResult } from '../../train/protocol.ts';

/** How a state's values are coloured. */
export type ScaleKind =
  /** sigmoid gates in [0, 1]: sequential map. */
  | 'gate'
  /** tanh outputs in [−1, 1]: diverging map. */
  | 'signed'
  /** unbounded signed values (cell state, pre-activation): diverging map, ± the largest |value|. */
  | 'unbounded'
  /** ReLU outputs in [0, ∞): sequential map, 0 to the largest value. */
  | 'relu';

export interface StateView {
  /** Name in GateTrace.values. */
  name: string;
  /** Short symbol, e.g. "f". */
  symbol: string;
  /** What it is, e.g. "forget gate". */
  title: string;
  scale: ScaleKind;
}

/** The heatmaps shown for a cell, in order: every gate, then c_t (LSTM), then h_t. */
export function statesFor(cell: CellKind): StateView[] {
  switch (cell) {
    case 'lstm':
      return [
        { name: 'i', symbol: 'i', title: 'input gate', scale: 'gate' },
        { name: 'f', symbol: 'f', title: 'forget gate', scale: 'gate' },
        { name: 'g', symbol: 'g', title: 'candidate (tanh)', scale: 'signed' },
        { name: 'o', symbol: 'o', title: 'output gate', scale: 'gate' },
        { name: 'c', symbol: 'c', title: 'cell state', scale: 'unbounded' },
        { name: 'h', symbol: 'h', title: 'hidden state', scale: 'signed' },
      ];
    case 'gru':
      return [
        { name: 'r', symbol: 'r', title: 'reset gate', scale: 'gate' },
        { name: 'z', symbol: 'z', title: 'update gate', scale: 'gate' },
        { name: 'n', symbol: 'n', title: 'candidate (tanh)', scale: 'signed' },
        { name: 'h', symbol: 'h', title: 'hidden state', scale: 'signed' },
      ];
    case 'rnn_tanh':
      return [
        { name: 'pre', symbol: 'pre', title: 'pre-activation', scale: 'unbounded' },
        { name: 'h', symbol: 'h', title: 'hidden state (tanh)', scale: 'signed' },
      ];
    case 'rnn_relu':
      return [
        { name: 'pre', symbol: 'pre', title: 'pre-activation', scale: 'unbounded' },
        { name: 'h', symbol: 'h', title: 'hidden state (ReLU)', scale: 'relu' },
      ];
  }
}

/** Value of a state at step t and unit j; values are [T, H] row-major. */
export function valueAt(trace: GateTrace, name: string, t: number, unit: number, H: number): number {
  const v = trace.values[name];
  return v ? v[t * H + unit] : NaN;
}

export interface ColorScale {
  map: ColorMapName;
  min: number;
  max: number;
}

/** Largest |value| over the first L steps (at least a tiny positive number). */
function maxAbs(values: Float32Array, H: number, L: number): number {
  let m = 0;
  for (let k = 0; k < L * H; k++) {
    const a = Math.abs(values[k]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m > 0 ? m : 1e-6;
}

/** The colour scale of a state's heatmap over its real steps. */
export function scaleFor(kind: ScaleKind, values: Float32Array, H: number, L: number, sequential: ColorMapName): ColorScale {
  switch (kind) {
    case 'gate':
      return { map: sequential, min: 0, max: 1 };
    case 'signed':
      return { map: 'coolwarm', min: -1, max: 1 };
    case 'unbounded': {
      const m = maxAbs(values, H, L);
      return { map: 'coolwarm', min: -m, max: m };
    }
    case 'relu':
      return { map: sequential, min: 0, max: maxAbs(values, H, L) };
  }
}

/**
 * The step the recurrence came from when it computed step t: t − 1 going forward,
 * t + 1 in the reverse direction; null at the first step it processed.
 */
export function previousStep(t: number, direction: number, length: number): number | null {
  const p = direction === 1 ? t + 1 : t - 1;
  return p >= 0 && p < length ? p : null;
}

/** "Layer 1 · forward" (1-based layers, the direction only when there are two). */
export function traceTitle(trace: GateTrace, directions: number): string {
  const layer = `Layer ${trace.layer + 1}`;
  return directions === 2 ? `${layer} · ${trace.direction === 0 ? 'forward' : 'reverse'}` : layer;
}

export interface UnitRank {
  unit: number;
  /** Mean value of the unit on the span's tokens. */
  spanMean: number;
  /** Mean value on the other tokens of the example (0 when the span is the whole text). */
  restMean: number;
  /** spanMean − restMean. */
  score: number;
}

/**
 * Units ranked by how much more active they are on tokens [from, to] (inclusive) than on
 * the rest of the example: mean on the span minus mean elsewhere, largest first
 * (ties: lower unit first). values are [T, H]; only the first L steps count.
 */
export function rankUnits(values: Float32Array, H: number, L: number, from: number, to: number): UnitRank[] {
  const a = Math.max(0, Math.min(from, to));
  const b = Math.min(L - 1, Math.max(from, to));
  const inside = b - a + 1;
  const outside = L - inside;
  if (inside <= 0) return [];
  const ranks: UnitRank[] = [];
  for (let j = 0; j < H; j++) {
    let sIn = 0;
    let sOut = 0;
    for (let t = 0; t < L; t++) {
      const v = values[t * H + j];
      if (t >= a && t <= b) sIn += v;
      else sOut += v;
    }
    const spanMean = sIn / inside;
    const restMean = outside > 0 ? sOut / outside : 0;
    ranks.push({ unit: j, spanMean, restMean, score: spanMean - restMean });
  }
  return ranks.sort((p, q) => q.score - p.score || p.unit - q.unit);
}

/** Mean over the chosen units, per step (the same reduction the worker's unit scan uses). */
export function meanOfUnits(values: Float32Array, H: number, L: number, units: readonly number[]): number[] {
  const out: number[] = [];
  for (let t = 0; t < L; t++) {
    let s = 0;
    for (const u of units) s += values[t * H + u];
    out.push(units.length ? s / units.length : 0);
  }
  return out;
}

export interface Match {
  index: number;
  tokens: string[];
  values: number[];
  /** Per token: the mean of the chosen units reaches the threshold. */
  firing: boolean[];
  count: number;
  peak: number;
}

/**
 * Scanned examples where the chosen units fire (mean ≥ threshold on at least one token),
 * most firing tokens first, then the highest peak; `exclude` (the inspected example) is left out.
 */
export function matchExamples(result: UnitScanResult, threshold: number, exclude: number | null, limit = 20): Match[] {
  const matches: Match[] = [];
  for (const e of result.examples) {
    if (e.index === exclude) continue;
    const firing = e.values.map((v) => v >= threshold);
    const count = firing.filter(Boolean).length;
    if (count === 0) continue;
    matches.push({ index: e.index, tokens: e.tokens, values: e.values, firing, count, peak: Math.max(...e.values) });
  }
  return matches.sort((p, q) => q.count - p.count || q.peak - p.peak || p.index - q.index).slice(0, limit);
}

/** Fixed-width number for tables and the diagram: 4 decimals, exponent when large. */
export function formatValue(v: number, digits = 4): string {
  if (Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '+∞' : '−∞';
  if (Math.abs(v) >= 1e4) return v.toExponential(2);
  const s = v.toFixed(digits);
  return /^-0\.0*$/.test(s) ? s.slice(1) : s.replace('-', '−');
}
