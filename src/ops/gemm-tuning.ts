// Kernel tuners. `tuneKernels` is the app's: at the first training on an adapter it
// times the GEMM candidates on the model's largest GEMMs and the step-kernel families on
// its recurrent shape, within a time budget, with GPU timestamps where the adapter has
// `timestamp-query` (wall time otherwise), checks each winner against a CPU result,
// applies the choices and caches them per adapter and browser version
// (src/ops/tuning-cache.ts). `tuneGemm` is the benchmark page's (`npm run bench`): it
// times the GEMM candidates on one fixed shape and pins the fastest.
import { fourWideSubgroups } from '../backend/subgroups.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import type { Backend } from '../backend/backend.ts';
import type { AdapterSummary } from '../gpu/device.ts';
import { scope, type Tensor } from '../tensor.ts';
import { DEFAULT_GEMM, DEFAULT_SUBGROUP_GEMM, tuningCandidates, variantByName, type GemmVariant } from './gemm-kernels.ts';
import { encodeGemm, setMatmulVariant, setTunedGemm } from './matmul.ts';
import { CELLS, chooseRecurrencePath, initRecurrentParams, recurrent, type CellKind, type RecurrentConfig, type RecurrentParams } from './recurrent.ts';
import { defaultStepKernels, setStepKernels, stepTuningCandidates, type StepKernelPair } from './recurrent-selection.ts';
import { backward, zeroGrad } from './grad.ts';
import { sum } from './reduce.ts';
import {
  cachedChoice,
  measureWithinBudget,
  readTuningEntry,
  tuningCacheKey,
  TUNING_CACHE_VERSION,
  writeTuningEntry,
  type Budget,
  type TimingSource,
  type TunedChoice,
  type TuningEntry,
  type TuningStorage,
} from './tuning-cache.ts';

export type { TuningStorage };

export interface GemmTiming {
  name: string;
  /** Median wall time of one timed round (all the shapes below), ms. */
  ms: number;
  /** Wall time of the first round, which compiles the pipeline, ms. */
  firstMs: number;
}

export interface GemmTuning {
  variant: GemmVariant;
  /** True when the choice came from the cache (then nothing was compiled or timed). */
  fromCache: boolean;
  /** Per candidate, fastest first; empty when read from the cache. */
  timings: GemmTiming[];
}

/** Bump when the candidates or the timing change, so that old choices are retuned. */
const CACHE_VERSION = 1;

/**
 * Shapes timed per round: one weight gradient of a recurrent layer (TN, the largest
 * GEMMs of a training step), moderate so that compiling dominates the tuner's time.
 */
const TIMED: { M: number; N: number; K: number; transA: boolean; transB: boolean }[] = [{ M: 256, N: 128, K: 512, transA: true, transB: false }];

/** localStorage key of this adapter's entry: vendor / architecture / device / description. */
export function tuningKey(gpu: WebGpuBackend): string {
  const i = gpu.gpu.info;
  return `gatescope.gemm|${i.vendor}|${i.architecture}|${i.device}|${i.description}`;
}

function defaultStorage(): TuningStorage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null; // absent in workers
  } catch {
    return null; // e.g. storage disabled by the browser
  }
}

/** The cached variant, or null when the entry is missing, corrupt, from another version or candidate list. */
function readCache(storage: TuningStorage | null, key: string, candidates: GemmVariant[]): GemmVariant | null {
  let raw: string | null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const entry = JSON.parse(raw) as { version?: unknown; variant?: unknown; candidates?: unknown };
    if (entry.version !== CACHE_VERSION || typeof entry.variant !== 'string') return null;
    const names = candidates.map((c) => c.name);
    if (!Array.isArray(entry.candidates) || entry.candidates.join(',') !== names.join(',')) return null;
    if (!names.includes(entry.variant)) return null;
    return variantByName(entry.variant) ?? null;
  } catch {
    return null;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Chooses the GEMM variant for this adapter and makes matmul use it. Reads the cached
 * choice when there is a valid one; otherwise times every candidate (interleaved rounds,
 * median), checks the fastest against a product computed on the host (falling back to
 * the next one if it disagrees) and stores the choice. Takes a few hundred ms on
 * SwiftShader, mostly pipeline compilation.
 */
export async function tuneGemm(gpu: WebGpuBackend, storage: TuningStorage | null = defaultStorage()): Promise<GemmTuning> {
  const candidates = tuningCandidates(fourWideSubgroups(gpu));
  const key = tuningKey(gpu);
  const cached = readCache(storage, key, candidates);
  if (cached) {
    setMatmulVariant(gpu, cached);
    return { variant: cached, fromCache: true, timings: [] };
  }
  const size = Math.max(...TIMED.map((s) => Math.max(s.M * s.K, s.K * s.N, s.M * s.N)));
  const a = gpu.empty([size], 'f32', 'tuning.a');
  const b = gpu.empty([size], 'f32', 'tuning.b');
  const c = gpu.empty([size], 'f32', 'tuning.c');
  const fill = new Float32Array(size).map((_, i) => ((i * 7919) % 97) / 97 - 0.5);
  gpu.write(a, fill);
  gpu.write(b, fill);
  const buffers = { a: gpu.buffer(a), b: gpu.buffer(b), bias: null, c: gpu.buffer(c) };
  const round = async (v: GemmVariant) => {
    const t0 = performance.now();
    for (const s of TIMED) encodeGemm(gpu, v, buffers, s, { transA: s.transA, transB: s.transB, activation: 'none' });
    await gpu.sync();
    return performance.now() - t0;
  };
  try {
    const first = new Map<string, number>();
    for (const v of candidates) first.set(v.name, await round(v)); // compiles and warms up
    const times = new Map<string, number[]>(candidates.map((v) => [v.name, []]));
    for (let r = 0; r < 3; r++) for (const v of candidates) times.get(v.name)!.push(await round(v));
    const timings = candidates.map((v) => ({ name: v.name, ms: median(times.get(v.name)!), firstMs: first.get(v.name)! })).sort((x, y) => x.ms - y.ms);
    for (const t of timings) {
      const variant = variantByName(t.name)!;
      if (!(await agreesWithHost(gpu, variant, TIMED[0]))) continue;
      setMatmulVariant(gpu, variant);
      try {
        storage?.setItem(key, JSON.stringify({ version: CACHE_VERSION, variant: variant.name, candidates: candidates.map((v) => v.name), timings }));
      } catch {
        // a full or disabled storage only costs a retune next time
      }
      return { variant, fromCache: false, timings };
    }
    throw new Error(`tuneGemm: no GEMM variant agreed with the host product on ${gpu.description}`);
  } finally {
    a.dispose();
    b.dispose();
    c.dispose();
  }
}

/**
 * Checks a variant on an odd-sized product (with the transposes of the timed shape, so
 * the pipeline is already compiled) against the same product on the host.
 */
async function agreesWithHost(gpu: WebGpuBackend, variant: GemmVariant, trans: { transA: boolean; transB: boolean }): Promise<boolean> {
  const M = 37;
  const N = 29;
  const K = 19;
  const av = Float32Array.from({ length: M * K }, (_, i) => ((i * 31) % 17) / 17 - 0.5);
  const bv = Float32Array.from({ length: K * N }, (_, i) => ((i * 13) % 11) / 11 - 0.5);
  // op(A)[i, k] and op(B)[k, j] in the stored layouts.
  const aAt = (i: number, k: number) => (trans.transA ? av[k * M + i] : av[i * K + k]);
  const bAt = (k: number, j: number) => (trans.transB ? bv[j * K + k] : bv[k * N + j]);
  const a = gpu.fromArray(av, trans.transA ? [K, M] : [M, K], 'f32', 'tuning.check_a');
  const b = gpu.fromArray(bv, trans.transB ? [N, K] : [K, N], 'f32', 'tuning.check_b');
  const c = gpu.empty([M, N], 'f32', 'tuning.check_c');
  try {
    encodeGemm(gpu, variant, { a: gpu.buffer(a), b: gpu.buffer(b), bias: null, c: gpu.buffer(c) }, { M, N, K }, { ...trans, activation: 'none' });
    const got = await c.read();
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let want = 0;
        for (let k = 0; k < K; k++) want += aAt(i, k) * bAt(k, j);
        if (!(Math.abs(got[i * N + j] - want) <= 1e-4 + 1e-4 * Math.abs(want))) return false;
      }
    }
    return true;
  } finally {
    a.dispose();
    b.dispose();
    c.dispose();
  }
}

// ---- the in-app tuner ----------------------------------------------------------------

/** One GEMM C[M, N] = op(A)·op(B) a model runs. */
export interface GemmShape {
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
}

/** The recurrent layer a model runs: cell, batch, time steps, input and hidden width. */
export interface RecurrentShape {
  cell: CellKind;
  B: number;
  T: number;
  I: number;
  H: number;
}

/** What to tune for: the model's largest GEMMs and its recurrent shape (null: no recurrent layer). */
export interface TuningShapes {
  gemms: GemmShape[];
  recurrent: RecurrentShape | null;
}

export interface TunedJob {
  /** Cache key of the job: "gemm" or "step:<cell>:B<B>:H<H>". */
  job: string;
  /** What it chose, in words ("GEMM", "LSTM step kernels"). */
  label: string;
  choice: TunedChoice;
  /** Timed candidates, fastest first (empty when the choice came from the cache). */
  timings: { name: string; ms: number; gflops: number }[];
  candidates: number;
  measured: number;
  fromCache: boolean;
}

export interface KernelTuning {
  adapter: AdapterSummary;
  /** How this tuning timed its candidates (or how the cached choices were timed). */
  timing: TimingSource;
  /** True when every choice came from the cache (nothing compiled or timed). */
  fromCache: boolean;
  budgetMs: number;
  /** Time the tuning took (injected clock), ms, without `warmMs`. */
  elapsedMs: number;
  /**
   * Time spent before the budget's clock ran, ms: compiling and running the built-in
   * default kernels once, which the first training step would do anyway.
   */
  warmMs: number;
  jobs: TunedJob[];
  /** localStorage key and entry to store (the worker hands them to the page); null when nothing changed. */
  store: { key: string; entry: TuningEntry } | null;
}

export interface TuneKernelsOptions {
  storage: TuningStorage | null;
  /** navigator.userAgent: a browser update retunes. */
  userAgent: string;
  /** Whole tuning's allowance, ms (default 2000). */
  budgetMs?: number;
  /** Clock of the budget (default performance.now). */
  now?: () => number;
  /** Ignore the cache and time again ("Re-run tuning"). */
  force?: boolean;
  /** Only apply cached choices; time nothing (returns null when a job is not cached). */
  cacheOnly?: boolean;
  /** Candidates timed so far of all jobs. */
  onProgress?: (done: number, total: number) => void;
}

/** Default allowance of one tuning, ms. */
export const TUNING_BUDGET_MS = 2000;
/** Timed rounds per candidate after the compiling one (median). */
const ROUNDS = 3;

const pairName = (p: StepKernelPair) => `${p.forward.name}+${p.backward.name}`;

/** `items` with the one named `first` moved to the front (when it is there). */
function defaultFirst<C>(items: C[], name: (c: C) => string, first: string): C[] {
  const i = items.findIndex((c) => name(c) === first);
  return i <= 0 ? items : [items[i], ...items.slice(0, i), ...items.slice(i + 1)];
}

/**
 * Step-kernel pairs worth timing on this adapter (`stepTuningCandidates`), the built-in
 * default for a batch of B first: when the budget allows only one candidate, the tuner
 * keeps what the app would have used anyway.
 */
export function stepCandidates(gpu: WebGpuBackend, gates: number, B = 16): StepKernelPair[] {
  const usable = stepTuningCandidates(gates, fourWideSubgroups(gpu));
  return defaultFirst(usable, pairName, pairName(defaultStepKernels(gpu, B, gates)));
}

/** The GEMM variants the in-app tuner times here (the bench tuner's candidates), the built-in default first. */
export function gemmCandidates(gpu: WebGpuBackend): GemmVariant[] {
  const usable = tuningCandidates(fourWideSubgroups(gpu)).filter((v) => !v.subgroups || gpu.hasSubgroups);
  return defaultFirst(usable, (v) => v.name, (fourWideSubgroups(gpu) ? DEFAULT_SUBGROUP_GEMM : DEFAULT_GEMM).name);
}

export const stepJobKey = (r: RecurrentShape) => `step:${r.cell}:B${r.B}:H${r.H}`;

/**
 * Times compute work with GPU timestamps (written at the begin and end of every compute
 * pass the recorder opens) where the adapter has `timestamp-query`, else with wall time
 * around the submit and its completion.
 */
class GpuTimer {
  private querySet: GPUQuerySet | null = null;
  private resolve: GPUBuffer | null = null;
  private readback: GPUBuffer | null = null;
  private static readonly SLOTS = 256;
  /** Set when some measurement fell back to wall time (no feature, too many passes, or zero timestamps). */
  usedWallClock = false;

  constructor(private gpu: WebGpuBackend) {
    if (gpu.device.features.has('timestamp-query')) {
      const d = gpu.device;
      this.querySet = d.createQuerySet({ label: 'tuning.timestamps', type: 'timestamp', count: GpuTimer.SLOTS });
      this.resolve = d.createBuffer({ label: 'tuning.timestamps.resolve', size: GpuTimer.SLOTS * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
      this.readback = d.createBuffer({ label: 'tuning.timestamps.readback', size: GpuTimer.SLOTS * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    }
  }

  get source(): TimingSource {
    return this.querySet && !this.usedWallClock ? 'timestamp-query' : 'wall-clock';
  }

  /** Runs `record` (which records dispatches) and returns the time of its compute passes, ms. */
  async time(record: () => void): Promise<number> {
    const gpu = this.gpu;
    await gpu.sync(); // nothing recorded before shares the timed passes
    const rec = gpu.recorder;
    const slots = this.querySet ? { querySet: this.querySet, next: 0, capacity: GpuTimer.SLOTS, overflowed: false } : null;
    rec.timestamps = slots;
    const t0 = performance.now();
    try {
      record();
      await gpu.sync();
    } finally {
      rec.timestamps = null;
    }
    const wall = performance.now() - t0;
    if (!slots || slots.next === 0 || slots.overflowed) {
      this.usedWallClock = true;
      return wall;
    }
    const ms = await this.readPasses(slots.next);
    if (!(ms > 0)) {
      this.usedWallClock = true; // e.g. timestamps quantised to zero
      return wall;
    }
    return ms;
  }

  /** Sum of (end − begin) over the first `count` / 2 passes, ms. */
  private async readPasses(count: number): Promise<number> {
    const d = this.gpu.device;
    const enc = d.createCommandEncoder({ label: 'tuning.timestamps' });
    enc.resolveQuerySet(this.querySet!, 0, count, this.resolve!, 0);
    enc.copyBufferToBuffer(this.resolve!, 0, this.readback!, 0, count * 8);
    d.queue.submit([enc.finish()]);
    await this.readback!.mapAsync(GPUMapMode.READ, 0, count * 8);
    const t = new BigInt64Array(this.readback!.getMappedRange(0, count * 8).slice(0));
    this.readback!.unmap();
    let ns = 0;
    for (let i = 0; i + 1 < count; i += 2) ns += Number(t[i + 1] - t[i]);
    return ns / 1e6;
  }

  dispose(): void {
    this.querySet?.destroy();
    this.resolve?.destroy();
    this.readback?.destroy();
  }
}

/** A tuning job: its candidates by name and how to apply one (cheap), and `bench`, which allocates what timing and checking them needs. */
interface Job {
  /** Cache key: "gemm" or "step:<cell>:B<B>:H<H>". */
  key: string;
  label: string;
  names: string[];
  /** Applies the named candidate, or the built-in default for null. */
  apply(name: string | null): void;
  bench(): {
    /** FLOPs of one timed round. */
    flops: number;
    /** Records one round of the candidate's work (the first call compiles its pipelines). */
    round(name: string): void;
    agrees(name: string): Promise<boolean>;
    dispose(): void;
  };
}

/** The GEMM job: every candidate on the model's GEMMs (repeated so a round does ≥ 20 MFLOP). */
function gemmJob(gpu: WebGpuBackend, shapes: GemmShape[]): Job {
  const byName = new Map(gemmCandidates(gpu).map((v) => [v.name, v]));
  const gemms = shapes.length ? shapes : TIMED;
  return {
    key: 'gemm',
    label: 'GEMM',
    names: [...byName.keys()],
    apply: (name) => setTunedGemm(gpu, name === null ? null : byName.get(name)!),
    bench() {
      const size = Math.max(...gemms.map((s) => Math.max(s.M * s.K, s.K * s.N, s.M * s.N)));
      const a = gpu.empty([size], 'f32', 'tuning.a');
      const b = gpu.empty([size], 'f32', 'tuning.b');
      const c = gpu.empty([size], 'f32', 'tuning.c');
      const fill = new Float32Array(size).map((_, i) => ((i * 7919) % 97) / 97 - 0.5);
      gpu.write(a, fill);
      gpu.write(b, fill);
      const buffers = { a: gpu.buffer(a), b: gpu.buffer(b), bias: null, c: gpu.buffer(c) };
      const once = gemms.reduce((n, s) => n + 2 * s.M * s.N * s.K, 0);
      const reps = Math.min(8, Math.max(1, Math.ceil(2e7 / once)));
      return {
        flops: once * reps,
        round(name) {
          const v = byName.get(name)!;
          for (let r = 0; r < reps; r++) for (const s of gemms) encodeGemm(gpu, v, buffers, s, { transA: s.transA, transB: s.transB, activation: 'none' });
        },
        agrees: (name) => agreesWithHost(gpu, byName.get(name)!, gemms[0]),
        dispose() {
          a.dispose();
          b.dispose();
          c.dispose();
        },
      };
    },
  };
}

/**
 * The step-kernel job: forward and backward of one recurrent layer of the model's shape
 * (at most 8 time steps: every step runs the same kernels) per candidate pair.
 */
function stepJob(gpu: WebGpuBackend, r: RecurrentShape): Job {
  const G = CELLS[r.cell].gates;
  const byName = new Map(stepCandidates(gpu, G, r.B).map((p) => [pairName(p), p]));
  return {
    key: stepJobKey(r),
    label: `${r.cell.toUpperCase()} step kernels`,
    names: [...byName.keys()],
    apply: (name) => setStepKernels(gpu, name === null ? null : byName.get(name)!),
    bench() {
      const T = Math.min(r.T, 8);
      const config: RecurrentConfig = { cell: r.cell, inputSize: r.I, hiddenSize: r.H, numLayers: 1, bidirectional: false, dropout: 0 };
      const params = initRecurrentParams(gpu, config, 1);
      const all = params.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]);
      const x = gpu.fromArray(Float32Array.from({ length: r.B * T * r.I }, (_, i) => ((i * 31) % 23) / 23 - 0.5), [r.B, T, r.I], 'f32', 'tuning.x').keep();
      return {
        flops: 6 * r.B * T * G * r.H * (r.I + r.H),
        round(name) {
          setStepKernels(gpu, byName.get(name)!);
          scope(() => backward(sum(recurrent(x, null, params, config).output)));
          zeroGrad(all);
        },
        agrees: (name) => stepPairAgreesWithCpu(gpu, byName.get(name)!, r.cell, r.H, chooseRecurrencePath(r.B, T, r.H, fourWideSubgroups(gpu))),
        dispose() {
          for (const t of [...all, x]) t.dispose();
        },
      };
    },
  };
}

/**
 * Chooses and applies GEMM variant and step kernels for `shapes` on this adapter: cached
 * choices (same cache version, browser and candidate lists) are applied without timing;
 * the other jobs time their candidates (compile round, then median of ROUNDS), the
 * built-in default first, each job within an equal share of what is left of the budget
 * (measureWithinBudget), keep the fastest that agrees with a CPU result, and are written
 * back. A job left no budget keeps the built-in default (cached as untimed: "Re-run
 * tuning" times it); one whose timed candidates all disagree keeps the default and is not
 * cached. Returns null with `cacheOnly` when a job is not cached.
 */
export async function tuneKernels(gpu: WebGpuBackend, shapes: TuningShapes, options: TuneKernelsOptions): Promise<KernelTuning | null> {
  const now = options.now ?? (() => performance.now());
  const budget: Budget = { now, start: now(), budgetMs: options.budgetMs ?? TUNING_BUDGET_MS };
  const info = gpu.gpu.info;
  const key = tuningCacheKey(info);
  const old = options.force ? null : readTuningEntry(options.storage, key, options.userAgent);
  const plan: Job[] = [gemmJob(gpu, shapes.gemms), ...(shapes.recurrent ? [stepJob(gpu, shapes.recurrent)] : [])];
  const cached = plan.map((job) => cachedChoice(old, job.key, job.names));
  if (options.cacheOnly && cached.some((c) => !c)) return null;
  const total = plan.reduce((n, job, i) => n + (cached[i] ? 0 : job.names.length), 0);
  let done = 0;
  options.onProgress?.(0, total);
  const jobs: TunedJob[] = [];
  const entry: TuningEntry = { version: TUNING_CACHE_VERSION, userAgent: options.userAgent, adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description }, jobs: { ...(old?.jobs ?? {}) } };
  const timer = total > 0 ? new GpuTimer(gpu) : null;
  const sources = new Set<TimingSource>();
  let warmMs = 0;
  try {
    for (let j = 0; j < plan.length; j++) {
      const job = plan[j];
      const hit = cached[j];
      if (hit) {
        job.apply(hit.measured > 0 ? hit.choice.name : null);
        sources.add(hit.choice.source);
        jobs.push({ job: job.key, label: job.label, choice: hit.choice, timings: [], candidates: hit.candidates.length, measured: hit.measured, fromCache: true });
        continue;
      }
      const bench = job.bench();
      try {
        // The built-in default's pipelines are compiled (and run once) before the clock
        // runs: the first training step compiles them anyway, so they are no cost of the
        // tuning. Their compile time is what the next candidate is expected to cost.
        const w0 = now();
        await timer!.time(() => bench.round(job.names[0]));
        const warm = now() - w0;
        warmMs += warm;
        budget.start += warm;
        // Each job still to tune gets an equal share of what is left of the budget.
        const left = cached.slice(j).filter((c) => !c).length;
        const share: Budget = { now, start: now(), budgetMs: Math.max(0, budget.budgetMs - (now() - budget.start)) / left };
        const { measured } = await measureWithinBudget(
          job.names,
          async (name) => {
            await timer!.time(() => bench.round(name)); // compiles and warms up
            const times: number[] = [];
            for (let r = 0; r < ROUNDS; r++) times.push(await timer!.time(() => bench.round(name)));
            return median(times);
          },
          share,
          () => options.onProgress?.(++done, total),
          warm,
        );
        const timings = measured.map((m) => ({ name: m.candidate, ms: m.ms, gflops: bench.flops / (m.ms * 1e6) })).sort((x, y) => x.ms - y.ms);
        let winner: (typeof timings)[number] | null = null;
        for (const t of timings) {
          // The built-in default is what stays when nothing agrees: checking it would change nothing.
          if (t.name === job.names[0] || (await bench.agrees(t.name))) {
            winner = t;
            break;
          }
        }
        job.apply(winner ? winner.name : null);
        if (!winner && measured.length > 0) continue; // nothing agreed with the CPU: the default stays, nothing cached
        // Nothing timed (the budget was spent): the built-in default stays, and is cached as untimed.
        const choice: TunedChoice = winner ? { name: winner.name, ms: winner.ms, gflops: winner.gflops, source: timer!.source } : { name: job.names[0], ms: 0, gflops: 0, source: timer!.source };
        sources.add(choice.source);
        entry.jobs[job.key] = { candidates: job.names, measured: measured.length, choice };
        jobs.push({ job: job.key, label: job.label, choice, timings, candidates: job.names.length, measured: measured.length, fromCache: false });
      } finally {
        bench.dispose();
      }
    }
  } finally {
    timer?.dispose();
  }
  const fromCache = total === 0;
  if (!fromCache) writeTuningEntry(options.storage, key, entry);
  return {
    adapter: info,
    timing: sources.has('wall-clock') ? 'wall-clock' : 'timestamp-query',
    fromCache,
    budgetMs: budget.budgetMs,
    elapsedMs: now() - budget.start,
    warmMs,
    jobs,
    store: fromCache ? null : { key, entry },
  };
}

/**
 * Checks a step-kernel pair on an odd batch (19 rows: no block divides it) with ragged
 * lengths: the layer's output and the gradients of its weights on WebGPU against the
 * same layer on the CPU backend. Hidden size and forward path are the model's, so the
 * pipelines the timing compiled are reused (on SwiftShader a compile costs ~1 s).
 */
async function stepPairAgreesWithCpu(gpu: WebGpuBackend, pair: StepKernelPair, cell: CellKind, H: number, path: 'step' | 'sequence'): Promise<boolean> {
  const B = 19;
  const T = 4;
  const I = 3;
  const lengths = Array.from({ length: B }, (_, b) => 1 + ((b * 7) % T));
  const config: RecurrentConfig = { cell, inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: false, dropout: 0 };
  const xData = Float32Array.from({ length: B * T * I }, (_, i) => ((i * 13) % 17) / 17 - 0.5);
  const run = async (backend: Backend): Promise<Float32Array[]> => {
    const params: RecurrentParams = initRecurrentParams(backend, config, 5);
    const all = params.layers.flatMap((l) => [l.wIh, l.wHh, l.bIh, l.bHh]);
    const x = backend.fromArray(xData, [B, T, I], 'f32', 'tuning.check_x');
    try {
      const out = scope(() => {
        const y = recurrent(x, lengths, params, config, { path }).output;
        backward(sum(y));
        return y.read();
      });
      const values: Tensor[] = all.map((p) => p.grad!);
      return [Float32Array.from(await out), ...(await Promise.all(values.map(async (g) => Float32Array.from(await g.read()))))];
    } finally {
      zeroGrad(all);
      for (const t of [...all, x]) t.dispose();
    }
  };
  setStepKernels(gpu, pair);
  const got = await run(gpu);
  const want = await run(new CpuBackend({ precision: 'f64' }));
  return got.every((g, i) => g.length === want[i].length && g.every((v, k) => Math.abs(v - want[i][k]) <= 1e-4 + 1e-3 * Math.abs(want[i][k])));
}
