// The kernel tuner's cache and budget, kept free of GPU code so that Node tests drive
// them with an injected storage and clock. One localStorage entry per adapter
// (vendor / architecture / device / description) holds, per tuning job (the GEMM, the
// step kernels of one recurrent shape), the candidates that were timed and the one
// chosen. An entry written by another cache version or another browser version
// (navigator.userAgent), or one that does not parse, is ignored and retuned.

/** The part of the Web Storage API the tuner uses. */
export interface TuningStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Bump when the entry's layout or the way candidates are timed changes. */
export const TUNING_CACHE_VERSION = 2;

/** localStorage keys of tuning entries start with this (the page hands them to the training worker). */
export const TUNING_KEY_PREFIX = 'gatescope.tuning|';

export interface AdapterIdentity {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** How a candidate was timed: GPU timestamps written at compute-pass begin/end, or wall time around the submit. */
export type TimingSource = 'timestamp-query' | 'wall-clock';

export interface TunedChoice {
  name: string;
  /** Median time of one timed round of the job's shapes, ms. */
  ms: number;
  gflops: number;
  source: TimingSource;
}

export interface TuningJobEntry {
  /** Names of the candidates, in the order the tuner was given them. */
  candidates: string[];
  /**
   * How many of them were timed before the budget ran out. 0: none (the budget was spent
   * by earlier jobs); the built-in default is used and `choice` (ms 0) names the first
   * candidate only for display.
   */
  measured: number;
  choice: TunedChoice;
}

export interface TuningEntry {
  version: number;
  userAgent: string;
  adapter: AdapterIdentity;
  jobs: Record<string, TuningJobEntry>;
}

/** The localStorage key of an adapter's entry. */
export function tuningCacheKey(a: AdapterIdentity): string {
  return `${TUNING_KEY_PREFIX}${a.vendor}|${a.architecture}|${a.device}|${a.description}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validChoice(v: unknown): v is TunedChoice {
  return isObject(v) && typeof v.name === 'string' && Number.isFinite(v.ms) && (v.ms as number) >= 0 && Number.isFinite(v.gflops) && (v.source === 'timestamp-query' || v.source === 'wall-clock');
}

function validJob(v: unknown): v is TuningJobEntry {
  return (
    isObject(v) &&
    Array.isArray(v.candidates) &&
    v.candidates.every((c) => typeof c === 'string') &&
    Number.isInteger(v.measured) &&
    validChoice(v.choice) &&
    // A timed choice has a time; an untimed one (budget spent: the built-in default) has none.
    (v.measured as number) > 0 === v.choice.ms > 0 &&
    v.candidates.includes(v.choice.name)
  );
}

/**
 * The adapter's entry, or null when it is missing, does not parse, or was written by
 * another cache version or browser version. Jobs that do not validate are dropped (and
 * so retuned); the others are kept.
 */
export function readTuningEntry(storage: TuningStorage | null, key: string, userAgent: string): TuningEntry | null {
  let raw: string | null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled by the browser
  }
  if (!raw) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(v) || v.version !== TUNING_CACHE_VERSION || v.userAgent !== userAgent || !isObject(v.adapter) || !isObject(v.jobs)) return null;
  const jobs: Record<string, TuningJobEntry> = {};
  for (const [name, job] of Object.entries(v.jobs)) if (validJob(job)) jobs[name] = job;
  return { version: TUNING_CACHE_VERSION, userAgent, adapter: v.adapter as unknown as AdapterIdentity, jobs };
}

/** The cached choice of a job, or null when there is none or it was made among other candidates. */
export function cachedChoice(entry: TuningEntry | null, job: string, candidates: readonly string[]): TuningJobEntry | null {
  const j = entry?.jobs[job];
  if (!j || j.candidates.join(',') !== candidates.join(',')) return null;
  return j;
}

/** Writes the entry; a full or disabled storage only costs a retune next time. */
export function writeTuningEntry(storage: TuningStorage | null, key: string, entry: TuningEntry): void {
  try {
    storage?.setItem(key, JSON.stringify(entry));
  } catch {
    // ignored: see above
  }
}

/** An in-memory TuningStorage over a plain record (the training worker's copy of the page's entries). */
export function recordStorage(items: Record<string, string>): TuningStorage & { written: Map<string, string> } {
  const written = new Map<string, string>();
  return {
    written,
    getItem: (k) => written.get(k) ?? items[k] ?? null,
    setItem: (k, v) => void written.set(k, v),
  };
}

/** A shared time budget: `now` is the injected clock (ms), `budgetMs` the whole tuning's allowance. */
export interface Budget {
  now(): number;
  start: number;
  budgetMs: number;
}

/**
 * Measures candidates in order until the budget would be exceeded: a candidate starts only
 * while the budget is not spent and, after the first, when the time spent so far plus the
 * costliest candidate measured so far (compilation included; at least `expectedMs`, the
 * cost expected of a candidate before any is measured, e.g. one pipeline compile) fits in
 * it. So the budget is exceeded by at most the candidate in flight, and only when it costs
 * more than every earlier one. `measure` returns the candidate's time (ms) or null when it
 * could not be timed.
 */
export async function measureWithinBudget<C>(
  candidates: readonly C[],
  measure: (c: C) => Promise<number | null>,
  budget: Budget,
  onMeasured: () => void = () => {},
  expectedMs = 0,
): Promise<{ measured: { candidate: C; ms: number }[]; skipped: number }> {
  const measured: { candidate: C; ms: number }[] = [];
  let costliest = expectedMs;
  let i = 0;
  for (; i < candidates.length; i++) {
    const spent = budget.now() - budget.start;
    if (spent >= budget.budgetMs || (i > 0 && spent + costliest > budget.budgetMs)) break;
    const t0 = budget.now();
    const ms = await measure(candidates[i]);
    costliest = Math.max(costliest, budget.now() - t0);
    if (ms !== null) measured.push({ candidate: candidates[i], ms });
    onMeasured();
  }
  return { measured, skipped: candidates.length - i };
}
