// Time left in a run, shown only once the step times have settled: the first steps of a
// session build GPU pipelines and take seconds each, so an estimate made from them is
// wildly off (it once read "1 h 06 min" for a ten-minute run).

export interface EtaOptions {
  /** Steps after each (re)start that are not timed: pipeline building, first uploads. */
  warmupSteps: number;
  /** Step durations compared for stability: the two halves of the last `2 · window`. */
  window: number;
  /** Largest relative difference between the halves' median durations that counts as stable. */
  tolerance: number;
  /** Durations kept for the estimate, counted from the settled ones (their mean includes the epoch-end evaluations). */
  keep: number;
}

const DEFAULT_ETA: EtaOptions = { warmupSteps: 2, window: 5, tolerance: 0.25, keep: 200 };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times steps and estimates the time left. `estimate` returns null ("estimating…") until
 * at least `2 · window` steps after the warm-up were timed and the median step time of
 * the older half of them agrees with the newer half within `tolerance`; once stable, it
 * stays shown until the next restart (one slow epoch-end evaluation does not hide it).
 */
export class EtaEstimator {
  private last: number | null = null;
  private stepsSinceStart = 0;
  private durations: number[] = [];
  private stable = false;

  constructor(private options: EtaOptions = DEFAULT_ETA) {}

  /** A (re)start at time `now` (ms): pauses and the warm-up are not counted. */
  restart(now: number): void {
    this.last = now;
    this.stepsSinceStart = 0;
    this.durations = [];
    this.stable = false;
  }

  /** One step ended at time `now` (ms). */
  record(now: number): void {
    if (this.last === null) {
      this.last = now;
      return;
    }
    const duration = now - this.last;
    this.last = now;
    this.stepsSinceStart++;
    if (this.stepsSinceStart <= this.options.warmupSteps) return;
    this.durations.push(duration);
    if (this.durations.length > this.options.keep) this.durations.shift();
    if (!this.stable && this.settled()) {
      this.stable = true;
      // The estimate starts from the newer half: slower steps before it
      // would keep pulling it down for the rest of the run.
      this.durations = this.durations.slice(-this.options.window);
    }
  }

  private settled(): boolean {
    const w = this.options.window;
    if (this.durations.length < 2 * w) return false;
    const recent = this.durations.slice(-2 * w);
    const older = median(recent.slice(0, w));
    const newer = median(recent.slice(w));
    return Math.abs(older - newer) <= this.options.tolerance * Math.max(older, newer);
  }

  /** Seconds left for `stepsLeft` more steps, or null while the step times have not settled. */
  estimate(stepsLeft: number): number | null {
    if (!this.stable) return null;
    const mean = this.durations.reduce((a, b) => a + b, 0) / this.durations.length;
    return (Math.max(0, stepsLeft) * mean) / 1000;
  }
}
