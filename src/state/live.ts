// High-rate training numbers live here, outside React and outside the store (STYLE §8):
// the session pushes every step's statistics into these buffers, and charts read them on
// animation frames when `version` has changed. Memory stays bounded at any run length.
import type { StepStats } from '../train/trainer.ts';
import { PROFILE_STEPS, timeProfile, type TimeProfile } from '../metrics/time-profile.ts';

export { JUDGE_FACTOR, MIN_JUDGED_SHARE, PROFILE_STEPS, timeProfile, type TimeProfile } from '../metrics/time-profile.ts';

/**
 * The whole history of a run's per-step values in bounded memory: rows of
 * [x, v₀, v₁, …]. When the buffer fills up, neighbouring rows are averaged pairwise and
 * later rows average twice as many steps (`stride`), so a chart always spans the run.
 */
export class History {
  private data: Float64Array;
  private rows = 0;
  /** Raw pushes averaged into one stored row. */
  stride = 1;
  private pending: Float64Array;
  private pendingCount = 0;

  constructor(
    readonly columns: number,
    readonly capacity = 2048,
  ) {
    if (capacity % 2 !== 0 || capacity < 4) throw new Error(`History: capacity must be even and ≥ 4, got ${capacity}`);
    this.data = new Float64Array(capacity * (columns + 1));
    this.pending = new Float64Array(columns + 1);
  }

  get length(): number {
    return this.rows + (this.pendingCount > 0 ? 1 : 0);
  }

  /** Adds one step: x (the step) and one value per column. */
  push(x: number, values: ArrayLike<number>): void {
    const w = this.columns + 1;
    this.pending[0] += x;
    for (let c = 0; c < this.columns; c++) this.pending[c + 1] += values[c] ?? NaN;
    this.pendingCount++;
    if (this.pendingCount < this.stride) return;
    if (this.rows === this.capacity) {
      // Rows now average twice as many steps; the pending one waits for its other half.
      this.compact();
      if (this.pendingCount < this.stride) return;
    }
    for (let c = 0; c < w; c++) this.data[this.rows * w + c] = this.pending[c] / this.pendingCount;
    this.rows++;
    this.pending.fill(0);
    this.pendingCount = 0;
  }

  /** Halves the stored rows by averaging neighbours. */
  private compact(): void {
    const w = this.columns + 1;
    for (let r = 0; r < this.rows / 2; r++) {
      for (let c = 0; c < w; c++) this.data[r * w + c] = (this.data[2 * r * w + c] + this.data[(2 * r + 1) * w + c]) / 2;
    }
    this.rows /= 2;
    this.stride *= 2;
  }

  /** Row r as [x, v…] (the partially filled last row included). */
  row(r: number): number[] {
    const w = this.columns + 1;
    if (r === this.rows && this.pendingCount > 0) return Array.from(this.pending, (v) => v / this.pendingCount);
    return Array.from(this.data.subarray(r * w, (r + 1) * w));
  }

  /** Every stored row as [x, v…], oldest first (the partially filled last row included). */
  all(): number[][] {
    return Array.from({ length: this.length }, (_, r) => this.row(r));
  }

  /**
   * At most `maxPoints` rows for a chart: consecutive rows averaged into equal buckets
   * (the last row is always its own point, so the newest value is shown as it is).
   */
  decimated(maxPoints: number): number[][] {
    const n = this.length;
    if (n <= maxPoints) return Array.from({ length: n }, (_, r) => this.row(r));
    const out: number[][] = [];
    const buckets = maxPoints - 1;
    const per = (n - 1) / buckets;
    for (let b = 0; b < buckets; b++) {
      const start = Math.floor(b * per);
      const end = Math.floor((b + 1) * per);
      const sum = new Array<number>(this.columns + 1).fill(0);
      for (let r = start; r < end; r++) this.row(r).forEach((v, c) => (sum[c] += v));
      out.push(sum.map((v) => v / (end - start)));
    }
    out.push(this.row(n - 1));
    return out;
  }

  clear(): void {
    this.rows = 0;
    this.stride = 1;
    this.pending.fill(0);
    this.pendingCount = 0;
  }
}

/** The last `capacity` rows of a fixed width (per-timestep gradient norms of recent steps). */
export class RowRing {
  private data: Float64Array;
  private steps: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly width: number,
    readonly capacity: number,
  ) {
    this.data = new Float64Array(width * capacity);
    this.steps = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(step: number, row: ArrayLike<number>): void {
    this.data.set(Array.from({ length: this.width }, (_, i) => row[i] ?? NaN), this.next * this.width);
    this.steps[this.next] = step;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Rows oldest first, each with its step. */
  rows(): { step: number; values: Float64Array }[] {
    const out: { step: number; values: Float64Array }[] = [];
    const first = (this.next - this.count + this.capacity) % this.capacity;
    for (let k = 0; k < this.count; k++) {
      const i = (first + k) % this.capacity;
      out.push({ step: this.steps[i], values: this.data.subarray(i * this.width, (i + 1) * this.width) });
    }
    return out;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }
}

/** A step's share per position; steps saved before shares were recorded count every present position as reached by all. */
function shareOf(s: StepStats): ArrayLike<number> {
  return s.timeShare?.length ? s.timeShare : s.timeNorms.map((v) => (Number.isNaN(v) ? 0 : 1));
}

/** Columns of `LiveRun.steps`. */
const STEP_COLUMNS = ['loss', 'lr', 'gradNorm'] as const;

/** Recent steps kept for the per-timestep gradient view. */
const TIME_ROWS = 64;

/** Every per-step number of one run, and a version that changes whenever they do. */
export class LiveRun {
  /** [step, loss, lr, gradNorm]. */
  readonly steps = new History(STEP_COLUMNS.length);
  /** [step, norm of layer group 0, 1, …] (groups named in `layerNames`). */
  layers: History = new History(1);
  layerNames: string[] = [];
  /**
   * Gradient over time of the recurrent layer's input for the last TIME_ROWS steps:
   * column k = mean ‖∂loss/∂x‖ at k tokens before each example's last real token (NaN
   * where no example reached k), see StepStats.timeNorms.
   */
  time: RowRing = new RowRing(1, TIME_ROWS);
  /** Per step and k, the share of the examples that reach k (rows match `time`). */
  timeShare: RowRing = new RowRing(1, TIME_ROWS);
  /** Bumped on every change; readers compare it with the value they last drew. */
  version = 0;
  lastStep = -1;

  /** Starts over for a run whose layer groups are `layerNames`. */
  reset(layerNames: string[]): void {
    this.steps.clear();
    this.layerNames = layerNames;
    this.layers = new History(Math.max(1, layerNames.length));
    this.time = new RowRing(1, TIME_ROWS);
    this.timeShare = new RowRing(1, TIME_ROWS);
    this.lastStep = -1;
    this.version++;
  }

  /** Adds a batch of steps as streamed by the worker. */
  push(stats: StepStats[]): void {
    for (const s of stats) {
      if (s.step <= this.lastStep) continue; // a restored run may resend steps it already showed
      this.lastStep = s.step;
      this.steps.push(s.step, [s.loss, s.lr, s.gradNorm]);
      if (s.layerNorms.length) this.layers.push(s.step, s.layerNorms);
      if (s.timeNorms.length) {
        if (this.time.width !== s.timeNorms.length) {
          this.time = new RowRing(s.timeNorms.length, TIME_ROWS);
          this.timeShare = new RowRing(s.timeNorms.length, TIME_ROWS);
        }
        this.time.push(s.step, s.timeNorms);
        this.timeShare.push(s.step, shareOf(s));
      }
    }
    if (stats.length) this.version++;
  }
}

/** The main run's live numbers (one per page). */
export const liveRun = new LiveRun();

/**
 * Per-step training loss of compare runs, and each run's last gradient-over-time
 * rows (the last PROFILE_STEPS steps, enough for its profile), by run id.
 */
export const compareLive = {
  runs: new Map<string, History>(),
  profiles: new Map<string, { time: RowRing; share: RowRing }>(),
  version: 0,
  push(id: string, stats: StepStats[]): void {
    let h = this.runs.get(id);
    if (!h) this.runs.set(id, (h = new History(1, 1024)));
    for (const s of stats) {
      h.push(s.step, [s.loss]);
      if (!s.timeNorms.length) continue;
      let p = this.profiles.get(id);
      if (!p || p.time.width !== s.timeNorms.length) {
        p = { time: new RowRing(s.timeNorms.length, PROFILE_STEPS), share: new RowRing(s.timeNorms.length, PROFILE_STEPS) };
        this.profiles.set(id, p);
      }
      p.time.push(s.step, s.timeNorms);
      p.share.push(s.step, shareOf(s));
    }
    this.version++;
  },
  /** The run's gradient-over-time profile over its last steps, or null if it recorded none. */
  profile(id: string): TimeProfile | null {
    const p = this.profiles.get(id);
    return p && p.time.length ? timeProfile(p.time.rows(), p.share.rows()) : null;
  },
  clear(): void {
    this.runs.clear();
    this.profiles.clear();
    this.version++;
  },
};
