// Log-mel spectrogram frames of a mono signal, the features GateScope's audio input reads
// (issue 16: a recurrent encoder over audio frames). Written here, not taken from a
// library: it is a radix-2 FFT, a Hann window and a triangular mel filterbank, it runs the
// same in the page, in workers and in node tests, and its every choice (framing, window
// padding, mel scale, log floor) must be the one the exported PyTorch module repeats.
// Checked against torch.stft and torchaudio's HTK filterbank formula written out in torch
// (scripts/make_audio_fixtures.py → src/data/fixtures/logmel.json).
//
//   frames:  t = 0 … 1 + ⌊(N − nFft) / hop⌋ − 1 (no centring padding: torch.stft center=False)
//   window:  periodic Hann of `win` samples, centred in nFft (torch.stft's padding of a shorter window)
//   power:   P[t, k] = |Σ_n w[n] x[t·hop + n] e^{−2πi k n / nFft}|², k = 0 … nFft/2
//   mel:     M[t, m] = Σ_k F[m, k] P[t, k], F triangular on the HTK mel scale, mel(f) = 2595 log10(1 + f/700)
//   output:  log(M + 1e-6), [frames, nMels] row-major

export interface LogMelConfig {
  sampleRate: number;
  /** FFT size, a power of two. */
  nFft: number;
  /** Window length in samples (≤ nFft). */
  win: number;
  /** Samples between frame starts. */
  hop: number;
  nMels: number;
  fMin: number;
  fMax: number;
}

/** 16 kHz; 25 ms windows every 10 ms in a 512-point FFT; 40 mel bands up to 8 kHz. */
export const LOG_MEL: LogMelConfig = { sampleRate: 16000, nFft: 512, win: 400, hop: 160, nMels: 40, fMin: 0, fMax: 8000 };

/** Added to the mel energies before the log (silence gives log(1e-6) ≈ −13.8, not −∞). */
export const LOG_FLOOR = 1e-6;

/** Frames a signal of `samples` samples gives (0 when it is shorter than one FFT). */
export function frameCount(samples: number, c: LogMelConfig = LOG_MEL): number {
  return samples < c.nFft ? 0 : 1 + Math.floor((samples - c.nFft) / c.hop);
}

/** Periodic Hann window of `win` samples, zero-padded to nFft with the window centred (torch.stft). */
export function hannWindow(c: LogMelConfig): Float64Array {
  const w = new Float64Array(c.nFft);
  const left = Math.floor((c.nFft - c.win) / 2);
  for (let n = 0; n < c.win; n++) w[left + n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / c.win);
  return w;
}

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/**
 * Triangular filters [nMels, nFft/2 + 1] on the HTK mel scale, unnormalised (peak 1): the
 * filter m rises from mel point m to m + 1 and falls to m + 2, evaluated at the FFT bin
 * frequencies k·sampleRate/nFft.
 */
export function melFilterbank(c: LogMelConfig): Float64Array {
  const bins = c.nFft / 2 + 1;
  const lo = hzToMel(c.fMin);
  const hi = hzToMel(c.fMax);
  const points = Array.from({ length: c.nMels + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (c.nMels + 1)));
  const f = new Float64Array(c.nMels * bins);
  for (let m = 0; m < c.nMels; m++) {
    const [a, b, d] = [points[m], points[m + 1], points[m + 2]];
    for (let k = 0; k < bins; k++) {
      const hz = (k * c.sampleRate) / c.nFft;
      const up = (hz - a) / (b - a);
      const down = (d - hz) / (d - b);
      f[m * bins + k] = Math.max(0, Math.min(up, down));
    }
  }
  return f;
}

let twiddleTable: { n: number; cos: Float64Array; sin: Float64Array } | null = null;

/** cos and sin of −2πj/n for j < n/2, kept for the last n (a spectrogram runs many FFTs of one size). */
function twiddles(n: number): [Float64Array, Float64Array] {
  if (twiddleTable?.n !== n) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let j = 0; j < n / 2; j++) {
      cos[j] = Math.cos((-2 * Math.PI * j) / n);
      sin[j] = Math.sin((-2 * Math.PI * j) / n);
    }
    twiddleTable = { n, cos, sin };
  }
  return [twiddleTable.cos, twiddleTable.sin];
}

/** In-place iterative radix-2 FFT of (re, im), length a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n !== im.length || n < 1 || (n & (n - 1)) !== 0) throw new Error(`fft: length must be a power of two, got ${n}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const [cos, sin] = twiddles(n);
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const stride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride];
        const wi = sin[k * stride];
        const i = start + k;
        const j = i + half;
        const tr = re[j] * wr - im[j] * wi;
        const ti = re[j] * wi + im[j] * wr;
        re[j] = re[i] - tr;
        im[j] = im[i] - ti;
        re[i] += tr;
        im[i] += ti;
      }
    }
  }
}

/** Window, filterbank and each filter's non-zero bins of the last config used (a dataset calls logMel per clip). */
let tables: { c: LogMelConfig; window: Float64Array; filters: Float64Array; from: Int32Array; to: Int32Array } | null = null;

function tablesFor(c: LogMelConfig): NonNullable<typeof tables> {
  if (tables && JSON.stringify(tables.c) === JSON.stringify(c)) return tables;
  const bins = c.nFft / 2 + 1;
  const filters = melFilterbank(c);
  const from = new Int32Array(c.nMels);
  const to = new Int32Array(c.nMels);
  for (let m = 0; m < c.nMels; m++) {
    let lo = bins;
    let hi = 0;
    for (let k = 0; k < bins; k++) {
      if (filters[m * bins + k] !== 0) {
        lo = Math.min(lo, k);
        hi = k + 1;
      }
    }
    from[m] = lo;
    to[m] = Math.max(lo, hi);
  }
  tables = { c: { ...c }, window: hannWindow(c), filters, from, to };
  return tables;
}

/** Log-mel frames of a mono signal at c.sampleRate: [frames, nMels] row-major (float32). */
export function logMel(signal: ArrayLike<number>, c: LogMelConfig = LOG_MEL): { frames: number; data: Float32Array } {
  if (c.win > c.nFft) throw new Error(`logMel: the window (${c.win}) is longer than the FFT (${c.nFft})`);
  const frames = frameCount(signal.length, c);
  const bins = c.nFft / 2 + 1;
  // The zero weights outside a filter's triangle are skipped (adding them changes nothing).
  const { window, filters, from, to } = tablesFor(c);
  const out = new Float32Array(frames * c.nMels);
  const re = new Float64Array(c.nFft);
  const im = new Float64Array(c.nFft);
  const power = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    const start = t * c.hop;
    for (let n = 0; n < c.nFft; n++) {
      re[n] = window[n] * signal[start + n];
      im[n] = 0;
    }
    fft(re, im);
    for (let k = 0; k < bins; k++) power[k] = re[k] * re[k] + im[k] * im[k];
    for (let m = 0; m < c.nMels; m++) {
      let e = 0;
      const row = m * bins;
      for (let k = from[m]; k < to[m]; k++) e += filters[row + k] * power[k];
      out[t * c.nMels + m] = Math.log(e + LOG_FLOOR);
    }
  }
  return { frames, data: out };
}
