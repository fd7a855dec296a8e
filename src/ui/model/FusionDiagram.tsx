// A small block diagram of each fusion strategy: where the text encoder's feature u and
// the image feature v meet. Boxes and arrows only; the equation beside it says the rest.
import type { FusionKind } from '../../models/config.ts';

interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  label: string;
  /** Drawn faint: the strategy ignores it. */
  off?: boolean;
  accent?: boolean;
}

type Edge = [from: string, to: string, label?: string];

const H = 26;
const TEXT_Y = 14;
const IMAGE_Y = 84;

function base(textOff = false, imageOff = false): Box[] {
  return [
    { id: 'text', x: 4, y: TEXT_Y, w: 50, label: 'text', off: textOff },
    { id: 'rnn', x: 80, y: TEXT_Y, w: 64, label: 'RNN → u', off: textOff },
    { id: 'image', x: 4, y: IMAGE_Y, w: 50, label: 'image', off: imageOff },
    { id: 'enc', x: 80, y: IMAGE_Y, w: 64, label: 'enc → v', off: imageOff },
  ];
}

interface Layout {
  boxes: Box[];
  edges: Edge[];
}

/** Drawn layouts; a strategy without one gets `mergedLayout`. */
const LAYOUTS: Partial<Record<FusionKind, Layout>> = {
  text: {
    boxes: [...base(false, true), { id: 'head', x: 250, y: TEXT_Y, w: 56, label: 'head', accent: true }, { id: 'out', x: 326, y: TEXT_Y, w: 30, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['rnn', 'head'], ['head', 'out']],
  },
  image: {
    boxes: [...base(true, false), { id: 'head', x: 250, y: IMAGE_Y, w: 56, label: 'head', accent: true }, { id: 'out', x: 326, y: IMAGE_Y, w: 30, label: 'ŷ' }],
    edges: [['image', 'enc'], ['enc', 'head'], ['head', 'out']],
  },
  early: {
    boxes: [...base(), { id: 'head', x: 250, y: TEXT_Y, w: 56, label: 'head' }, { id: 'out', x: 326, y: TEXT_Y, w: 30, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['enc', 'rnn', '[e(xₜ); v] every token'], ['rnn', 'head'], ['head', 'out'], ['image', 'enc']],
  },
  init: {
    boxes: [...base(), { id: 'head', x: 250, y: TEXT_Y, w: 56, label: 'head' }, { id: 'out', x: 326, y: TEXT_Y, w: 30, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['enc', 'rnn', 'h₀ = tanh(W v)'], ['rnn', 'head'], ['head', 'out'], ['image', 'enc']],
  },
  additive: {
    boxes: [...base(), { id: 'head', x: 250, y: TEXT_Y, w: 56, label: 'head' }, { id: 'out', x: 326, y: TEXT_Y, w: 30, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['enc', 'rnn', '+ W_a v in every step'], ['rnn', 'head'], ['head', 'out'], ['image', 'enc']],
  },
  late: {
    boxes: [...base(), { id: 'cat', x: 172, y: 49, w: 56, label: '[u ; v]', accent: true }, { id: 'head', x: 250, y: 49, w: 56, label: 'head' }, { id: 'out', x: 326, y: 49, w: 30, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['image', 'enc'], ['rnn', 'cat'], ['enc', 'cat'], ['cat', 'head'], ['head', 'out']],
  },
  weighted: {
    boxes: [
      ...base(),
      { id: 'ht', x: 172, y: TEXT_Y, w: 60, label: 'head_t' },
      { id: 'hv', x: 172, y: IMAGE_Y, w: 60, label: 'head_v' },
      { id: 'mix', x: 256, y: 49, w: 62, label: 'σ(α) mix', accent: true },
      { id: 'out', x: 330, y: 49, w: 26, label: 'ŷ' },
    ],
    edges: [['text', 'rnn'], ['image', 'enc'], ['rnn', 'ht'], ['enc', 'hv'], ['ht', 'mix'], ['hv', 'mix'], ['mix', 'out']],
  },
  gated: {
    boxes: [...base(), { id: 'gate', x: 172, y: 49, w: 60, label: 'gate z', accent: true }, { id: 'head', x: 256, y: 49, w: 52, label: 'head' }, { id: 'out', x: 328, y: 49, w: 28, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['image', 'enc'], ['rnn', 'gate'], ['enc', 'gate'], ['gate', 'head'], ['head', 'out']],
  },
  film: {
    boxes: [...base(), { id: 'film', x: 172, y: TEXT_Y, w: 66, label: '(1+γ)u+β', accent: true }, { id: 'head', x: 256, y: TEXT_Y, w: 52, label: 'head' }, { id: 'out', x: 328, y: TEXT_Y, w: 28, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['image', 'enc'], ['rnn', 'film'], ['enc', 'film', 'γ, β from v'], ['film', 'head'], ['head', 'out']],
  },
};

/** u and v meet in one box named after the strategy, then the head. */
function mergedLayout(kind: FusionKind): Layout {
  return {
    boxes: [...base(), { id: 'fuse', x: 172, y: 49, w: 56, label: kind, accent: true }, { id: 'head', x: 250, y: 49, w: 56, label: 'head' }, { id: 'out', x: 326, y: 49, w: 30, label: 'ŷ' }],
    edges: [['text', 'rnn'], ['image', 'enc'], ['rnn', 'fuse'], ['enc', 'fuse'], ['fuse', 'head'], ['head', 'out']],
  };
}

/** Diagram of `kind` (SVG, 360 × 124 user units, scales with its container). */
/** `caption`: the caption decoder, whose initial state is linear in v (no tanh). */
export function FusionDiagram({ kind, title, caption = false }: { kind: FusionKind; title: string; caption?: boolean }) {
  const layout = LAYOUTS[kind] ?? mergedLayout(kind);
  const { boxes } = layout;
  const edges: Edge[] = caption && kind === 'init' ? layout.edges.map(([from, to, label]) => [from, to, from === 'enc' ? 'h₀ = W v + b' : label]) : layout.edges;
  const at = new Map(boxes.map((b) => [b.id, b]));
  return (
    <svg className="fusion-diagram" viewBox="0 0 360 124" role="img" aria-label={`Diagram of ${title}`} data-testid="fusion-diagram">
      <defs>
        <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" fill="currentColor" />
        </marker>
      </defs>
      {edges.map(([from, to, label]) => {
        const a = at.get(from)!;
        const b = at.get(to)!;
        const vertical = a.x === b.x || (Math.abs(a.y - b.y) > 40 && b.x - (a.x + a.w) < 10);
        const x1 = vertical ? a.x + a.w / 2 : a.x + a.w;
        const y1 = vertical ? (b.y < a.y ? a.y : a.y + H) : a.y + H / 2;
        const x2 = vertical ? b.x + b.w / 2 : b.x;
        const y2 = vertical ? (b.y < a.y ? b.y + H : b.y) : b.y + H / 2;
        const off = a.off || b.off;
        return (
          <g key={`${from}-${to}`} className={off ? 'diagram-off' : undefined}>
            <line x1={x1} y1={y1} x2={x2} y2={y2} stroke="currentColor" strokeWidth={1.4} markerEnd="url(#arrow)" />
            {label && (
              <text x={(x1 + x2) / 2 + 6} y={(y1 + y2) / 2 + 4} className="diagram-label">
                {label}
              </text>
            )}
          </g>
        );
      })}
      {boxes.map((b) => (
        <g key={b.id} className={b.off ? 'diagram-off' : b.accent ? 'diagram-accent' : undefined}>
          <rect x={b.x} y={b.y} width={b.w} height={H} rx={5} className="diagram-box" />
          <text x={b.x + b.w / 2} y={b.y + H / 2 + 4} textAnchor="middle" className="diagram-text">
            {b.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
