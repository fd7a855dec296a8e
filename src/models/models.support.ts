// Tiny synthetic PreparedDatasets for model and trainer tests (random images and texts;
// only shapes and determinism matter here, learning is tested on real built-ins).
import { BOS, EOS, PAD, type EncodedTargets, type PreparedDataset, type TaskKind } from '../data/types.ts';
import { Random } from '../random.ts';

export interface TinyOptions {
  task: TaskKind;
  size?: number;
  imageSize?: number;
  maxLength?: number;
  vocabSize?: number;
  classes?: number;
  seed?: number;
  /** Fraction of examples without an image / without a text. */
  missingImage?: number;
  missingText?: number;
}

export function tinyDataset(o: TinyOptions): PreparedDataset {
  const N = o.size ?? 8;
  const S = o.imageSize ?? 8;
  const T = o.maxLength ?? 4;
  const V = o.vocabSize ?? 8;
  const C = o.classes ?? 3;
  const rng = new Random(o.seed ?? 7);
  const images = new Float32Array(N * 3 * S * S);
  const hasImage = new Uint8Array(N);
  const tokens = new Int32Array(N * T);
  const lengths = new Int32Array(N);
  const hasText = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    if (rng.next() >= (o.missingImage ?? 0)) {
      hasImage[i] = 1;
      for (let p = 0; p < 3 * S * S; p++) images[i * 3 * S * S + p] = rng.uniform(-1, 1);
    }
    if (rng.next() >= (o.missingText ?? 0)) {
      hasText[i] = 1;
      lengths[i] = 1 + rng.int(T);
      for (let t = 0; t < lengths[i]; t++) tokens[i * T + t] = 4 + rng.int(V - 4);
    }
  }
  const classes = Array.from({ length: C }, (_, c) => `class ${c}`);
  let targets: EncodedTargets;
  switch (o.task) {
    case 'classification':
      targets = { kind: 'classification', classes, labels: Int32Array.from({ length: N }, () => rng.int(C)) };
      break;
    case 'multilabel':
      targets = { kind: 'multilabel', classes, labels: Float32Array.from({ length: N * C }, () => (rng.next() < 0.4 ? 1 : 0)) };
      break;
    case 'regression':
      targets = { kind: 'regression', values: Float32Array.from({ length: N }, () => rng.uniform(10, 20)), mean: 15, std: 3 };
      break;
    case 'captioning': {
      const L = T + 2;
      const capTokens = new Int32Array(N * L);
      const capLengths = new Int32Array(N);
      const references: string[] = [];
      const words = ['<pad>', '<unk>', '<bos>', '<eos>', ...Array.from({ length: V - 4 }, (_, k) => `w${k}`)];
      for (let i = 0; i < N; i++) {
        const n = 1 + rng.int(T);
        capTokens[i * L] = BOS;
        const ws: string[] = [];
        for (let t = 1; t <= n; t++) {
          const id = 4 + rng.int(V - 4);
          capTokens[i * L + t] = id;
          ws.push(words[id]);
        }
        capTokens[i * L + n + 1] = EOS;
        for (let t = n + 2; t < L; t++) capTokens[i * L + t] = PAD;
        capLengths[i] = n + 2;
        references.push(ws.join(' '));
        hasImage[i] = 1;
      }
      targets = { kind: 'captioning', vocab: { tokens: words, level: 'word' }, tokens: capTokens, lengths: capLengths, maxLength: T, references };
      break;
    }
  }
  const all = Int32Array.from({ length: N }, (_, i) => i);
  const cut = Math.max(1, Math.floor(N * 0.75));
  const stats = { count: 0, textLengths: [], withImage: 0, withText: 0, truncated: 0 };
  return {
    name: 'tiny',
    task: o.task,
    size: N,
    imageSize: S,
    images,
    hasImage,
    vocab: { tokens: ['<pad>', '<unk>', '<bos>', '<eos>', ...Array.from({ length: V - 4 }, (_, k) => `t${k}`)], level: 'word' },
    maxLength: T,
    tokens,
    lengths,
    hasText,
    targets,
    splits: { train: all.slice(0, cut), validation: all.slice(cut), test: new Int32Array(0) },
    stats: { train: { ...stats }, validation: { ...stats }, test: { ...stats } },
    texts: Array.from({ length: N }, (_, i) => (hasText[i] ? `text ${i}` : null)),
    ids: Array.from({ length: N }, (_, i) => `ex${i}`),
    tags: new Array(N).fill(undefined),
    report: { issues: [], rowsSeen: N, rowsKept: N, rowsSkipped: 0 },
  };
}
