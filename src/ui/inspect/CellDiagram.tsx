// The recurrent cell as a dataflow diagram (SVG) with every intermediate value of one
// unit at one timestep, plus the same equations as text with the numbers substituted.
// Values come from what the forward pass saved (GateTrace); the gate pre-activations of
// the LSTM and the GRU's reset/update gates are recovered by inverting σ or tanh.
//   LSTM  c = f⊙c_prev + i⊙g,  h = o⊙tanh(c)   (peephole: z_i, z_f + p⊙c_prev, z_o + p_o⊙c)
//   GRU   n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),  h = (1−z)⊙n + z⊙h_prev   (PyTorch)
//   RNN   h = tanh(pre) or relu(pre),  pre = W_ih x + b_ih + W_hh h + b_hh
import type { KeyboardEvent, ReactNode } from 'react';
import type { FusionKind } from '../../models/config.ts';
import { visibleText } from '../../state/for-ui.ts';
import type { CellKind, GateTrace } from '../../ops/recurrent.ts';
import { formatValue, previousStep, valueAt } from './traces.ts';

export interface CellDiagramProps {
  cell: CellKind;
  trace: GateTrace;
  /** Hidden units per direction. */
  H: number;
  /** Real steps of the text. */
  L: number;
  tokens: readonly string[];
  t: number;
  unit: number;
  fusion: FusionKind;
  /** e.g. "Layer 1 · forward". */
  traceLabel: string;
  /** LSTM with peephole connections: the gates also see the cell state. */
  peephole?: boolean;
  onChange(next: { t: number; unit: number }): void;
}

const logit = (p: number) => Math.log(p / (1 - p));

/** One box of the diagram. `value` is a number, or text (the token) for the input. */
interface Node {
  id: string;
  label: string;
  value: number | string;
  /** Smaller third line, e.g. the gate's pre-activation. */
  sub?: string;
  col: number;
  row: number;
  kind: 'input' | 'gate' | 'op' | 'output';
}

/** One line of the text version: name = formula = substituted numbers = value. */
interface Equation {
  name: string;
  lhs: string;
  formula?: string;
  numbers?: string;
  value: number;
  note?: string;
}

interface Graph {
  nodes: Node[];
  edges: [string, string, string?][];
  equations: Equation[];
  notes: string[];
}

const f = (v: number) => formatValue(v);

function lstmGraph(p: CellDiagramProps, hPrev: number, token: string): Graph {
  const v = (n: string) => valueAt(p.trace, n, p.t, p.unit, p.H);
  const [i, fg, g, o, c, cPrev, h] = ['i', 'f', 'g', 'o', 'c', 'c_prev', 'h'].map(v);
  const fc = fg * cPrev;
  const ig = i * g;
  const tc = Math.tanh(c);
  // Peephole terms in the pre-activations (their weights are not in the trace).
  const peep = (term: string) => (p.peephole ? ` + ${term}` : '');
  const graph: Graph = {
    nodes: [
      { id: 'c_prev', label: 'cₜ₋₁', value: cPrev, col: 0, row: 0, kind: 'input' },
      { id: 'h_prev', label: 'hₜ₋₁', value: hPrev, col: 0, row: 2.1, kind: 'input' },
      { id: 'x', label: 'xₜ', value: token, col: 0, row: 3.1, kind: 'input' },
      { id: 'f', label: 'f = σ(z_f)', value: fg, sub: `z_f = ${f(logit(fg))}`, col: 1, row: 0.6, kind: 'gate' },
      { id: 'i', label: 'i = σ(z_i)', value: i, sub: `z_i = ${f(logit(i))}`, col: 1, row: 1.6, kind: 'gate' },
      { id: 'g', label: 'g = tanh(z_g)', value: g, sub: `z_g = ${f(Math.atanh(g))}`, col: 1, row: 2.6, kind: 'gate' },
      { id: 'o', label: 'o = σ(z_o)', value: o, sub: `z_o = ${f(logit(o))}`, col: 1, row: 3.6, kind: 'gate' },
      { id: 'fc', label: 'f · cₜ₋₁', value: fc, col: 2, row: 0.3, kind: 'op' },
      { id: 'ig', label: 'i · g', value: ig, col: 2, row: 2.1, kind: 'op' },
      { id: 'c', label: 'cₜ', value: c, sub: 'f·cₜ₋₁ + i·g', col: 3, row: 1.2, kind: 'output' },
      { id: 'tanh_c', label: 'tanh(cₜ)', value: tc, col: 4, row: 2.4, kind: 'op' },
      { id: 'h', label: 'hₜ', value: h, sub: 'o · tanh(cₜ)', col: 5, row: 3.6, kind: 'output' },
    ],
    edges: [
      ['x', 'f'], ['x', 'i'], ['x', 'g'], ['x', 'o'],
      ['h_prev', 'f'], ['h_prev', 'i'], ['h_prev', 'g'], ['h_prev', 'o'],
      ['f', 'fc'], ['c_prev', 'fc'], ['i', 'ig'], ['g', 'ig'],
      ['fc', 'c'], ['ig', 'c'], ['c', 'tanh_c'], ['tanh_c', 'h'], ['o', 'h'],
    ],
    equations: [
      { name: 'pre_f', lhs: 'z_f', formula: `W_if·x + b_if + W_hf·hₜ₋₁ + b_hf${peep('p_f·cₜ₋₁')}`, value: logit(fg) },
      { name: 'pre_i', lhs: 'z_i', formula: `W_ii·x + b_ii + W_hi·hₜ₋₁ + b_hi${peep('p_i·cₜ₋₁')}`, value: logit(i) },
      { name: 'pre_g', lhs: 'z_g', formula: 'W_ig·x + b_ig + W_hg·hₜ₋₁ + b_hg', value: Math.atanh(g) },
      { name: 'pre_o', lhs: 'z_o', formula: `W_io·x + b_io + W_ho·hₜ₋₁ + b_ho${peep('p_o·cₜ')}`, value: logit(o) },
      { name: 'f', lhs: 'f', formula: 'σ(z_f)', value: fg },
      { name: 'i', lhs: 'i', formula: 'σ(z_i)', value: i },
      { name: 'g', lhs: 'g', formula: 'tanh(z_g)', value: g },
      { name: 'o', lhs: 'o', formula: 'σ(z_o)', value: o },
      { name: 'c_prev', lhs: 'cₜ₋₁', value: cPrev },
      { name: 'fc', lhs: 'f·cₜ₋₁', numbers: `${f(fg)} × ${f(cPrev)}`, value: fc },
      { name: 'ig', lhs: 'i·g', numbers: `${f(i)} × ${f(g)}`, value: ig },
      { name: 'c', lhs: 'cₜ', formula: 'f·cₜ₋₁ + i·g', numbers: `${f(fc)} + ${f(ig)}`, value: c },
      { name: 'tanh_c', lhs: 'tanh(cₜ)', value: tc },
      { name: 'h', lhs: 'hₜ', formula: 'o·tanh(cₜ)', numbers: `${f(o)} × ${f(tc)}`, value: h },
    ],
    notes: ['z = pre-activations, recovered from the saved gates as σ⁻¹ and tanh⁻¹ (±∞ means the gate is saturated in float32).'],
  };
  if (p.peephole) {
    // Peephole connections (dashed): i and f see cₜ₋₁, o sees the new cₜ.
    graph.edges.push(['c_prev', 'f', 'p_f'], ['c_prev', 'i', 'p_i'], ['c', 'o', 'p_o']);
    graph.notes.push('Peephole LSTM: the gates also see the cell state — z_i and z_f include p·cₜ₋₁, z_o includes p_o·cₜ (the new state); the z shown include these terms.');
  }
  return graph;
}

function gruGraph(p: CellDiagramProps, token: string): Graph {
  const v = (n: string) => valueAt(p.trace, n, p.t, p.unit, p.H);
  const [r, z, n, hn, hPrev, h] = ['r', 'z', 'n', 'hn', 'h_prev', 'h'].map(v);
  const rhn = r * hn;
  const an = Math.atanh(n) - rhn;
  const zh = z * hPrev;
  const zn = (1 - z) * n;
  return {
    nodes: [
      { id: 'h_prev', label: 'hₜ₋₁', value: hPrev, col: 0, row: 0, kind: 'input' },
      { id: 'x', label: 'xₜ', value: token, col: 0, row: 3.2, kind: 'input' },
      { id: 'z', label: 'z = σ(z_z)', value: z, sub: `z_z = ${f(logit(z))}`, col: 1, row: 0.5, kind: 'gate' },
      { id: 'r', label: 'r = σ(z_r)', value: r, sub: `z_r = ${f(logit(r))}`, col: 1, row: 1.5, kind: 'gate' },
      { id: 'hn', label: 'W_hn·hₜ₋₁ + b_hn', value: hn, col: 1, row: 2.5, kind: 'op' },
      { id: 'an', label: 'W_in·xₜ + b_in', value: an, col: 1, row: 3.5, kind: 'op' },
      { id: 'rhn', label: 'r · (W_hn·h + b)', value: rhn, col: 2, row: 2, kind: 'op' },
      { id: 'n', label: 'n', value: n, sub: 'tanh(W_in·x + b_in + r·…)', col: 3, row: 2.8, kind: 'gate' },
      { id: 'zh', label: 'z · hₜ₋₁', value: zh, col: 4, row: 0.3, kind: 'op' },
      { id: 'zn', label: '(1 − z) · n', value: zn, col: 4, row: 1.9, kind: 'op' },
      { id: 'h', label: 'hₜ', value: h, sub: '(1−z)·n + z·hₜ₋₁', col: 5, row: 1.1, kind: 'output' },
    ],
    edges: [
      ['x', 'z'], ['x', 'r'], ['x', 'an'],
      ['h_prev', 'z'], ['h_prev', 'r'], ['h_prev', 'hn'],
      ['r', 'rhn'], ['hn', 'rhn'], ['rhn', 'n'], ['an', 'n'],
      ['z', 'zh'], ['h_prev', 'zh'], ['z', 'zn', '1 − z'], ['n', 'zn'],
      ['zh', 'h'], ['zn', 'h'],
    ],
    equations: [
      { name: 'pre_r', lhs: 'z_r', formula: 'W_ir·x + b_ir + W_hr·hₜ₋₁ + b_hr', value: logit(r) },
      { name: 'pre_z', lhs: 'z_z', formula: 'W_iz·x + b_iz + W_hz·hₜ₋₁ + b_hz', value: logit(z) },
      { name: 'r', lhs: 'r', formula: 'σ(z_r)', value: r },
      { name: 'z', lhs: 'z', formula: 'σ(z_z)', value: z },
      { name: 'hn', lhs: 'W_hn·hₜ₋₁ + b_hn', value: hn },
      { name: 'rhn', lhs: 'r·(W_hn·hₜ₋₁ + b_hn)', numbers: `${f(r)} × ${f(hn)}`, value: rhn },
      { name: 'an', lhs: 'W_in·x + b_in', formula: 'tanh⁻¹(n) − r·(W_hn·hₜ₋₁ + b_hn)', value: an },
      { name: 'n', lhs: 'n', formula: 'tanh(W_in·x + b_in + r·(W_hn·hₜ₋₁ + b_hn))', numbers: `tanh(${f(an)} + ${f(rhn)})`, value: n },
      { name: 'h_prev', lhs: 'hₜ₋₁', value: hPrev },
      { name: 'zn', lhs: '(1−z)·n', numbers: `${f(1 - z)} × ${f(n)}`, value: zn },
      { name: 'zh', lhs: 'z·hₜ₋₁', numbers: `${f(z)} × ${f(hPrev)}`, value: zh },
      { name: 'h', lhs: 'hₜ', formula: '(1−z)·n + z·hₜ₋₁', numbers: `${f(zn)} + ${f(zh)}`, value: h },
    ],
    notes: ['PyTorch GRU: the reset gate multiplies W_hn·hₜ₋₁ + b_hn after the matmul. Gate pre-activations are recovered as σ⁻¹; the input side of n as tanh⁻¹(n) − r·(W_hn·hₜ₋₁ + b_hn).'],
  };
}

function rnnGraph(p: CellDiagramProps, hPrev: number, token: string): Graph {
  const v = (n: string) => valueAt(p.trace, n, p.t, p.unit, p.H);
  const pre = v('pre');
  const h = v('h');
  const act = p.cell === 'rnn_relu' ? 'relu' : 'tanh';
  return {
    nodes: [
      { id: 'h_prev', label: 'hₜ₋₁', value: hPrev, col: 0, row: 0, kind: 'input' },
      { id: 'x', label: 'xₜ', value: token, col: 0, row: 1.4, kind: 'input' },
      { id: 'pre', label: 'pre', value: pre, sub: 'W_ih·x + W_hh·h + b', col: 1, row: 0.7, kind: 'op' },
      { id: 'h', label: 'hₜ', value: h, sub: `${act}(pre)`, col: 2, row: 0.7, kind: 'output' },
    ],
    edges: [['x', 'pre'], ['h_prev', 'pre'], ['pre', 'h', act]],
    equations: [
      { name: 'h_prev', lhs: 'hₜ₋₁', value: hPrev },
      { name: 'pre', lhs: 'pre', formula: 'W_ih·x + b_ih + W_hh·hₜ₋₁ + b_hh', value: pre },
      { name: 'h', lhs: 'hₜ', formula: `${act}(pre)`, numbers: `${act}(${f(pre)})`, value: h },
    ],
    notes: [],
  };
}

const COL_W = 172;
const ROW_H = 72;
const BOX_W = 132;
const BOX_H = 60;
const PAD = 8;

function DiagramSvg({ graph, title }: { graph: Graph; title: string }) {
  const cols = Math.max(...graph.nodes.map((n) => n.col)) + 1;
  const width = (cols - 1) * COL_W + BOX_W + 2 * PAD;
  const height = Math.max(...graph.nodes.map((n) => n.row)) * ROW_H + BOX_H + 2 * PAD;
  const at = (n: Node) => ({ x: PAD + n.col * COL_W + BOX_W / 2, y: PAD + n.row * ROW_H + BOX_H / 2 });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <svg className="gs-diagram-svg" style={{ maxWidth: width }} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid="cell-diagram-svg">
      <defs>
        <marker id="gs-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" className="gs-diagram-arrowhead" />
        </marker>
      </defs>
      {graph.edges.map(([from, to, label], k) => {
        const a = at(byId.get(from)!);
        const b = at(byId.get(to)!);
        // Peephole edges (labelled p_…) are dashed; one runs back from cₜ to o, below the boxes.
        const peephole = label?.startsWith('p_') ?? false;
        if (b.x < a.x) {
          const y1 = a.y + BOX_H / 2;
          const x2 = b.x + BOX_W / 2;
          // Ends below the middle of the target's right side, clear of its outgoing edge.
          const y2 = b.y + BOX_H / 4;
          const low = Math.max(y1, y2) + 0.6 * BOX_H;
          return (
            <g key={k}>
              <path className={`gs-diagram-edge${peephole ? ' gs-diagram-peephole' : ''}`} d={`M${a.x},${y1} C${a.x},${low} ${x2 + BOX_W / 2},${y2} ${x2},${y2}`} markerEnd="url(#gs-arrow)" />
              {label && (
                <text className="gs-diagram-edge-label" x={(a.x + x2) / 2} y={low - 4} textAnchor="middle">
                  {label}
                </text>
              )}
            </g>
          );
        }
        const x1 = a.x + BOX_W / 2;
        const x2 = b.x - BOX_W / 2;
        const mid = (x1 + x2) / 2;
        return (
          <g key={k}>
            <path className={`gs-diagram-edge${peephole ? ' gs-diagram-peephole' : ''}`} d={`M${x1},${a.y} C${mid},${a.y} ${mid},${b.y} ${x2},${b.y}`} markerEnd="url(#gs-arrow)" />
            {label && (
              <text className="gs-diagram-edge-label" x={mid} y={(a.y + b.y) / 2 - 4} textAnchor="middle">
                {label}
              </text>
            )}
          </g>
        );
      })}
      {graph.nodes.map((n) => {
        const { x, y } = at(n);
        return (
          <g key={n.id} className={`gs-diagram-node ${n.kind}`} data-node={n.id}>
            <rect x={x - BOX_W / 2} y={y - BOX_H / 2} width={BOX_W} height={BOX_H} rx={6} />
            <text x={x} y={y - (n.sub ? 12 : 6)} textAnchor="middle" className="gs-diagram-label">
              {n.label}
            </text>
            <text x={x} y={y + (n.sub ? 7 : 14)} textAnchor="middle" className="gs-diagram-value" data-value={typeof n.value === 'number' ? n.value : undefined}>
              {typeof n.value === 'number' ? formatValue(n.value) : `“${n.value}”`}
            </text>
            {n.sub && (
              <text x={x} y={y + 23} textAnchor="middle" className="gs-diagram-sub">
                {n.sub}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Where the initial state comes from, in words, per fusion strategy. */
function fusionNote(fusion: FusionKind): string | null {
  switch (fusion) {
    case 'init':
      return 'Init fusion: the initial state h₀ (and c₀) is computed from the image.';
    case 'early':
      return 'Early fusion: xₜ is the token embedding concatenated with the image feature.';
    case 'additive':
      return 'Additive fusion: the image term W_a·v + b_a is part of the input side of every pre-activation (first layer).';
    default:
      return null;
  }
}

export function CellDiagram(props: CellDiagramProps) {
  const { cell, trace, H, L, tokens, t, unit, fusion, onChange } = props;
  const prev = previousStep(t, trace.direction, L);
  // h_{t−1}: the previous step's output, or the initial state (zero unless the image sets it).
  const hPrev = prev !== null ? valueAt(trace, 'h', prev, unit, H) : fusion === 'init' ? NaN : 0;
  // Only displayed (node xₜ, step label, SVG label): escaped.
  const token = visibleText(tokens[t] ?? '');
  const graph = cell === 'lstm' ? lstmGraph(props, hPrev, token) : cell === 'gru' ? gruGraph(props, token) : rnnGraph(props, hPrev, token);
  const notes = [...graph.notes];
  if (prev === null && cell !== 'gru' && fusion === 'init') notes.push('hₜ₋₁ here is h₀, set by the image (not saved for this cell).');
  const fn = fusionNote(fusion);
  if (fn) notes.push(fn);
  if (trace.direction === 1) notes.push('Reverse direction: the recurrence runs from the last token to the first, so hₜ₋₁ is the state after token t + 1.');

  const step = (dt: number) => onChange({ t: Math.min(L - 1, Math.max(0, t + dt)), unit });
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === 'ArrowLeft') step(-1);
    else if (e.key === 'ArrowRight') step(1);
    else return;
    e.preventDefault();
  };
  const title = `${cell.toUpperCase()} cell, ${props.traceLabel}, unit ${unit}, token ${t} “${token}”`;
  const rows: ReactNode[] = graph.equations.map((eq) => (
    <li key={eq.name} data-name={eq.name}>
      <span className="gs-eq-lhs">{eq.lhs}</span>
      {eq.formula && <span className="gs-eq-formula"> = {eq.formula}</span>}
      {eq.numbers && <span className="gs-eq-numbers"> = {eq.numbers}</span>}
      {' = '}
      <output className="gs-eq-value" data-testid={`diagram-${eq.name}`} data-value={eq.value}>
        {formatValue(eq.value)}
      </output>
    </li>
  ));
  return (
    <section className="gs-diagram" aria-label="Cell diagram" data-testid="cell-diagram" onKeyDown={onKeyDown}>
      <div className="gs-diagram-controls">
        <label>
          Unit{' '}
          <input
            type="number"
            min={0}
            max={H - 1}
            value={unit}
            onChange={(e) => {
              const u = Number(e.target.value);
              if (Number.isInteger(u) && u >= 0 && u < H) onChange({ t, unit: u });
            }}
          />
        </label>
        <button type="button" onClick={() => step(-1)} disabled={t <= 0} aria-label="Previous token">
          ◀ t − 1
        </button>
        <span className="gs-diagram-step" aria-live="polite">
          t = {t} <span className="gs-token-chip">{token}</span> <span className="gs-muted">({props.traceLabel})</span>
        </span>
        <button type="button" onClick={() => step(1)} disabled={t >= L - 1} aria-label="Next token">
          t + 1 ▶
        </button>
      </div>
      <div className="gs-diagram-body">
        <DiagramSvg graph={graph} title={title} />
        <ol className="gs-equations" data-testid="diagram-equations">
          {rows}
        </ol>
      </div>
      {notes.map((n) => (
        <p key={n} className="gs-note">
          {n}
        </p>
      ))}
    </section>
  );
}
