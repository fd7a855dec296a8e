// Numeric sequences (time series) as a dataset: `seriesDataset` turns windows of frames
// and their k-step-ahead targets into a PreparedDataset (forecasting is regression with
// k outputs), and two seeded built-ins make such windows:
//   Sines  — noisy sums of two sines whose frequencies and amplitudes switch at a random
//            point of the window (a regime change); forecast the next k values.
//   Spike  — noise with one spike of random sign and height near the start; the next k
//            values sit at the spike's height. Everything between is noise, so the model
//            has to carry one number across the whole window (a "Why LSTM?" story).
// Pure: runs in Node, the page and workers.
import { Random } from '../random.ts';
import { makeSplits } from './splits.ts';
import { SPECIAL_TOKENS, type PerSplitStats, type PreparedDataset, type SplitConfig, type ValidationReport } from './types.ts';

export type SeriesGenerator = 'sines' | 'spike';

export interface SeriesOptions {
  generator: SeriesGenerator;
  /** Windows in all. */
  count: number;
  /** Input steps per window (T). */
  length: number;
  /** Steps to forecast (k). */
  horizon: number;
  /** Standard deviation of the added noise. */
  noise: number;
  seed: number;
}

export const SERIES_DEFAULTS: SeriesOptions = { generator: 'sines', count: 2000, length: 48, horizon: 8, noise: 0.1, seed: 1 };

/** One example of a series dataset: input frames [length, frameSize] and k targets. */
export interface SeriesWindow {
  id: string;
  /** [length · frameSize] raw values. */
  frames: Float32Array;
  /** Real frames (≤ the dataset's slot count). */
  length: number;
  /** The next k values, raw units. */
  target: Float32Array;
}

function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= Math.max(1, values.length);
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / Math.max(1, values.length)) || 1 };
}

function stats(indices: Int32Array, lengths: Int32Array): PerSplitStats {
  return { count: indices.length, textLengths: Array.from(indices, (i) => lengths[i]), withImage: 0, withText: indices.length, truncated: 0 };
}

/**
 * Windows → PreparedDataset: frames [N, T, F] (T = the longest window), targets
 * [N, k] as regression of width k, split by `split` (no stratification), and the
 * training split's mean/std of the frames (per feature) and of the targets.
 */
export function seriesDataset(windows: readonly SeriesWindow[], options: { name: string; frameSize: number; split: SplitConfig; report: ValidationReport; origin?: 'files' }): PreparedDataset {
  const N = windows.length;
  if (N === 0) throw new Error(`${options.name}: no series to train on`);
  const F = options.frameSize;
  const k = windows[0].target.length;
  const T = Math.max(1, ...windows.map((w) => w.length));
  const frames = new Float32Array(N * T * F);
  const values = new Float32Array(N * k);
  const lengths = new Int32Array(N);
  windows.forEach((w, i) => {
    if (w.target.length !== k) throw new Error(`${options.name}: example ${w.id} has ${w.target.length} target values, the others ${k}`);
    frames.set(w.frames.subarray(0, w.length * F), i * T * F);
    values.set(w.target, i * k);
    lengths[i] = w.length;
  });
  const splits = makeSplits(N, { ...options.split, stratify: false });
  const mean: number[] = [];
  const std: number[] = [];
  for (let f = 0; f < F; f++) {
    const xs: number[] = [];
    for (const i of splits.train) for (let t = 0; t < lengths[i]; t++) xs.push(frames[(i * T + t) * F + f]);
    const m = meanStd(xs);
    mean.push(m.mean);
    std.push(m.std);
  }
  const y: number[] = [];
  for (const i of splits.train) for (let j = 0; j < k; j++) y.push(values[i * k + j]);
  const ys = meanStd(y);
  return {
    name: options.name,
    task: 'regression',
    size: N,
    imageSize: 16,
    images: new Float32Array(N * 3 * 16 * 16),
    hasImage: new Uint8Array(N),
    vocab: { tokens: [...SPECIAL_TOKENS], level: 'word' },
    maxLength: T,
    tokens: new Int32Array(N * T),
    lengths,
    hasText: new Uint8Array(N).fill(1),
    targets: { kind: 'regression', values, mean: ys.mean, std: ys.std, width: k },
    series: { frames, length: T, frameSize: F, mean, std, ...(options.origin ? { origin: options.origin } : {}) },
    splits,
    stats: { train: stats(splits.train, lengths), validation: stats(splits.validation, lengths), test: stats(splits.test, lengths) },
    texts: new Array<string | null>(N).fill(null),
    ids: windows.map((w) => w.id),
    tags: new Array(N).fill(undefined),
    report: options.report,
  };
}

/** A sum of two sines, noise added; the frequencies, amplitudes and phases switch once at `switchAt`. */
function sinesWindow(rng: Random, T: number, k: number, noise: number): Float32Array {
  const regime = () =>
    Array.from({ length: 2 }, () => ({ freq: rng.uniform(0.02, 0.12), amp: rng.uniform(0.3, 1), phase: rng.uniform(0, 2 * Math.PI) }));
  const before = regime();
  const after = regime();
  const switchAt = Math.floor(rng.uniform(T / 4, (3 * T) / 4));
  const out = new Float32Array(T + k);
  for (let t = 0; t < T + k; t++) {
    const parts = t < switchAt ? before : after;
    let v = 0;
    for (const p of parts) v += p.amp * Math.sin(2 * Math.PI * p.freq * t + p.phase);
    out[t] = v + noise * rng.normal();
  }
  return out;
}

/** Noise with a spike of sign ± and height 1–2 at one of the first 4 steps; the k values after the window sit at the spike's value. */
function spikeWindow(rng: Random, T: number, k: number, noise: number): Float32Array {
  const out = new Float32Array(T + k);
  const level = (rng.next() < 0.5 ? -1 : 1) * rng.uniform(1, 2);
  const at = rng.int(Math.min(4, T));
  for (let t = 0; t < T; t++) out[t] = t === at ? 2 * level : noise * rng.normal();
  for (let t = T; t < T + k; t++) out[t] = level + noise * rng.normal();
  return out;
}

/**
 * Settings of the spike story ("Why LSTM?" with numbers): T = 100, memory-gate bias 5
 * (σ(5) ≈ 0.993, so a memory lasts ≈ 150 steps before training begins). Measured with
 * GateScope's CPU backend (seed 1, 1000 windows, 300 steps): the tanh RNN stays at the
 * naive RMSE (≈ 1.53, no better than predicting 0), the LSTM reaches ≈ 0.28 and the GRU
 * ≈ 0.10 within 100–200 steps. At T = 48 the RNN learns it too (≈ 0.5 after 200 steps),
 * and with the memory-gate bias 0 (PyTorch's start) neither LSTM nor GRU does in 300 steps.
 */
export const SPIKE_PRESET = {
  length: 100,
  embeddingSize: 8,
  hiddenSize: 16,
  forgetBias: 5,
  learningRate: 0.01,
  clipNorm: 1,
  batchSize: 32,
  /** 1000 windows, 700 for training: 22 steps per epoch, 10 epochs = 220 steps. */
  count: 1000,
  horizon: 8,
  epochs: 10,
} as const;

export const SERIES_TITLES: Record<SeriesGenerator, string> = { sines: 'Sines with regime changes', spike: 'Remember the spike' };

/** The built-in series dataset: `count` windows, split 70/15/15 with the given seed. */
export function generateSeries(options: Partial<SeriesOptions> = {}): PreparedDataset {
  const o = { ...SERIES_DEFAULTS, ...options };
  if (!Number.isInteger(o.length) || o.length < 2) throw new Error(`series: the window needs at least 2 steps, got ${o.length}`);
  if (!Number.isInteger(o.horizon) || o.horizon < 1) throw new Error(`series: the horizon must be at least 1 step, got ${o.horizon}`);
  if (!Number.isInteger(o.count) || o.count < 10) throw new Error(`series: at least 10 windows are needed, got ${o.count}`);
  const rng = new Random(o.seed);
  const make = o.generator === 'spike' ? spikeWindow : sinesWindow;
  const windows: SeriesWindow[] = [];
  for (let i = 0; i < o.count; i++) {
    const v = make(rng, o.length, o.horizon, o.noise);
    windows.push({ id: `${o.generator}-${i}`, frames: v.slice(0, o.length), length: o.length, target: v.slice(o.length) });
  }
  const report = { issues: [], rowsSeen: o.count, rowsKept: o.count, rowsSkipped: 0 };
  return seriesDataset(windows, {
    name: `${SERIES_TITLES[o.generator]} (T = ${o.length}, k = ${o.horizon})`,
    frameSize: 1,
    split: { train: 0.7, validation: 0.15, seed: o.seed, stratify: false },
    report,
  });
}

/**
 * The frames of the examples at `indices`, standardised per feature with the training
 * split's mean and std, [B, T, F] (steps past an example's length stay 0). The trainer,
 * the ONNX feeds and the PyTorch samples all read the series this way.
 */
export function standardisedFrames(data: PreparedDataset, indices: ArrayLike<number>): Float32Array {
  const s = data.series;
  if (!s) throw new Error(`${data.name} has no series frames`);
  const T = s.length;
  const F = s.frameSize;
  const out = new Float32Array(indices.length * T * F);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    for (let t = 0; t < data.lengths[i]; t++) {
      for (let f = 0; f < F; f++) out[(k * T + t) * F + f] = (s.frames[(i * T + t) * F + f] - s.mean[f]) / (s.std[f] || 1);
    }
  }
  return out;
}

/**
 * The naive forecast "repeat the last value": for each example, its last real frame's
 * first feature repeated k times, [N, k] in raw units (the baseline a forecaster must beat).
 */
export function naiveForecast(data: PreparedDataset, indices: ArrayLike<number>): Float32Array {
  const s = data.series;
  const t = data.targets;
  if (!s || t.kind !== 'regression') throw new Error(`${data.name} is not a series dataset`);
  const k = t.width ?? 1;
  const out = new Float32Array(indices.length * k);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    const last = s.frames[(i * s.length + Math.max(0, data.lengths[i] - 1)) * s.frameSize];
    out.fill(last, r * k, (r + 1) * k);
  }
  return out;
}
