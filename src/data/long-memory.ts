// Built-in "Remember the first word": a text-only teaching task for the "Why LSTM?" demo.
// Each text is one of K signal words followed by T − 1 random filler words; the class
// is the signal word. Everything after the first token is noise, so the model must carry
// one piece of information across the whole sequence. A vanilla RNN's gradient from the
// last step to the first shrinks roughly geometrically with T (vanishing gradients), so
// it fails once T is long enough; LSTM and GRU keep the signal in their gated state.
//
// Measured with GateScope and with PyTorch (same settings, 2 classes, 8 fillers, 1400
// training texts, Adam 0.01, clip 1, batch 32): at T = 60 the tanh RNN stays at chance
// for 10 epochs, while LSTM and GRU whose memory gate starts open (bias 3, see
// TextEncoderConfig.forgetBias) reach 100 % within 1–4 epochs. With PyTorch's default
// initialisation (gate ≈ ½, a memory fades in a couple of steps) all three cells stay at
// chance at this length; at T = 30 the RNN and GRU learn it and the LSTM does not yet.
import { Random } from '../random.ts';
import { SPECIAL_TOKENS, type PreparedDataset, type PerSplitStats } from './types.ts';

export interface LongMemoryOptions {
  /** Examples in all. */
  count: number;
  /** Tokens per text (signal + fillers). */
  length: number;
  /** Number of signal words (= classes). */
  classes: number;
  /** Number of distinct filler words. */
  fillers: number;
  seed: number;
}

export const LONG_MEMORY_DEFAULTS: LongMemoryOptions = { count: 2000, length: 60, classes: 2, fillers: 8, seed: 1 };

/**
 * Settings of the "Why LSTM?" demo (text only): change only the cell. The memory-gate
 * bias of 3 starts the LSTM forget gate / GRU update gate at σ(3) ≈ 0.95, so a memory
 * lasts ≈ 1 / (1 − 0.95) ≈ 20 steps before training even begins; the RNN has no gate.
 */
export const WHY_LSTM_PRESET = {
  embeddingSize: 8,
  hiddenSize: 16,
  forgetBias: 3,
  learningRate: 0.01,
  clipNorm: 1,
  batchSize: 32,
  epochs: 4,
} as const;

/**
 * Settings of the "Why clip?" demo: a ReLU RNN whose recurrent weights start at 1.1·I
 * amplifies its state, and its gradient back through time, at every step. With plain SGD
 * (lr 0.1) and no clipping the loss is NaN within 3–4 steps; clipping the gradient to
 * norm 1 and nothing else changed, it reaches 100 % within 2 epochs (both measured with
 * seeds 1–3, T = 20, 2000 texts).
 */
export const WHY_CLIP_PRESET = {
  length: 20,
  cell: 'rnn_relu',
  identityInit: 1.1,
  embeddingSize: 8,
  hiddenSize: 16,
  learningRate: 0.1,
  clipNorm: 1,
  batchSize: 32,
  epochs: 2,
} as const;

const SIGNALS = ['apple', 'river', 'stone', 'cloud', 'flame', 'grass', 'storm', 'pearl'];

function splitStats(indices: Int32Array, labels: Int32Array, classes: number, length: number): PerSplitStats {
  const classCounts = new Array<number>(classes).fill(0);
  for (const i of indices) classCounts[labels[i]]++;
  return { count: indices.length, classCounts, textLengths: Array.from(indices, () => length), withImage: 0, withText: indices.length, truncated: 0 };
}

/** Generates the dataset (text only, classification), split 70/15/15, balanced classes. */
export function generateLongMemory(options: Partial<LongMemoryOptions> = {}): PreparedDataset {
  const o = { ...LONG_MEMORY_DEFAULTS, ...options };
  if (o.classes < 2 || o.classes > SIGNALS.length) throw new Error(`long-memory task: classes must be 2–${SIGNALS.length}, got ${o.classes}`);
  if (o.length < 2) throw new Error(`long-memory task: texts need at least 2 tokens, got ${o.length}`);
  const rng = new Random(o.seed);
  const signals = SIGNALS.slice(0, o.classes);
  const fillers = Array.from({ length: o.fillers }, (_, k) => `filler${k}`);
  const vocabTokens = [...SPECIAL_TOKENS, ...signals, ...fillers];
  const firstSignal = SPECIAL_TOKENS.length;
  const firstFiller = firstSignal + signals.length;
  const N = o.count;
  const T = o.length;
  const tokens = new Int32Array(N * T);
  const labels = new Int32Array(N);
  const texts: string[] = [];
  for (let i = 0; i < N; i++) {
    const label = i % o.classes;
    labels[i] = label;
    tokens[i * T] = firstSignal + label;
    const words = [signals[label]];
    for (let t = 1; t < T; t++) {
      const f = rng.int(o.fillers);
      tokens[i * T + t] = firstFiller + f;
      words.push(fillers[f]);
    }
    texts.push(words.join(' '));
  }
  const order = rng.shuffle(Array.from({ length: N }, (_, i) => i));
  const nTrain = Math.round(N * 0.7);
  const nVal = Math.round(N * 0.15);
  const train = Int32Array.from(order.slice(0, nTrain));
  const validation = Int32Array.from(order.slice(nTrain, nTrain + nVal));
  const test = Int32Array.from(order.slice(nTrain + nVal));
  return {
    name: `Remember the first word (T = ${T})`,
    task: 'classification',
    size: N,
    imageSize: 16,
    images: new Float32Array(N * 3 * 16 * 16),
    hasImage: new Uint8Array(N),
    vocab: { tokens: vocabTokens, level: 'word' },
    maxLength: T,
    tokens,
    lengths: new Int32Array(N).fill(T),
    hasText: new Uint8Array(N).fill(1),
    targets: { kind: 'classification', classes: signals, labels },
    splits: { train, validation, test },
    stats: {
      train: splitStats(train, labels, o.classes, T),
      validation: splitStats(validation, labels, o.classes, T),
      test: splitStats(test, labels, o.classes, T),
    },
    texts,
    ids: Array.from({ length: N }, (_, i) => `memory-${i}`),
    tags: new Array(N).fill(undefined),
    report: { issues: [], rowsSeen: N, rowsKept: N, rowsSkipped: 0 },
  };
}
