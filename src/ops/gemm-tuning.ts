// The GEMM tuner: `tuneGemm` times the GEMM candidates once per adapter, checks the
// winner against a host product, caches its name in localStorage (or an injected
// storage, e.g. in a worker) and makes matmul use it. Only the benchmark page calls it
// (`npm run bench`); the app never does.
import { fourWideSubgroups } from '../backend/subgroups.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { tuningCandidates, variantByName, type GemmVariant } from './gemm-kernels.ts';
import { encodeGemm, setMatmulVariant } from './matmul.ts';

/** The part of the Web Storage API the tuner uses. */
export interface TuningStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

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
