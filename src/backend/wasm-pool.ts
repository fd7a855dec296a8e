// The WebAssembly engine's worker pool, calling side: threads − 1 helper workers run the
// shared-memory build of the engine on the SAME WebAssembly.Memory as the calling thread,
// and each large GEMM is cut into chunks (blocks of rows or columns of C, chunksPerThread
// per thread) that the threads claim, the calling thread included. Synchronisation is with
// Atomics on a control block in that memory (layout, claiming and the helpers' loop:
// wasm-pool-helper.ts). The calling thread sleeps in Atomics.wait until the chunks the
// helpers claimed are done, so a pool belongs in a worker (the training session's), never
// on a page's main thread, where Atomics.wait throws.
//
// How helpers are started is the caller's: a browser Worker (src/backend/cpu-engine.ts,
// wasm-pool.worker.ts) or a Node worker_threads Worker (wasm-pool.support.ts, tests).
import { transBCode, type BLayout, type GemmSplitter, type WasmGemm } from './wasm-gemm.ts';
import { COLUMN_UNIT, CONTROL, CONTROL_INTS, MAX_CHUNKS, MAX_THREADS, openJob, prepareJob, ROW_UNIT, workOn, type GemmJob, type GemmPart, type HelperReply, type HelperStart } from './wasm-pool-helper.ts';

/**
 * Smallest GEMM (2·M·N·K flops) that may be split between threads; smaller ones always
 * run on the calling thread alone. Measured with scripts/bench-wasm-pool.mjs on the 2-core
 * development machine, 2 threads: 32×128×64 (0.5 MFLOP) 17.7 µs alone vs 18.1 split,
 * 32×128×128 (1 MFLOP) 34.6 vs 29.3, 32×512×128 (4 MFLOP) 173 vs 109; announcing a job
 * costs the calling thread ~0.7 µs, and a helper's wake-up, its share of packing and the
 * uneven last chunk ~20 µs more, which a GEMM under 1 MFLOP (~30 µs alone) does not win
 * back. Above it the adaptive choice (chooseSplit) decides per shape.
 */
export const SPLIT_MIN_FLOPS = 2 ** 20;

/**
 * Most threads a pool uses by default. The canonical training step's GEMMs are small (the
 * per-timestep one is 4 MFLOP, ~0.1 ms on one thread); cut into more than 4 parts, each
 * part is so short that the wake-up and wait of the extra helpers eat what they add, and
 * the page and the GPU process need cores too.
 */
export const DEFAULT_MAX_THREADS = 4;

/** One started helper, as the pool sees it. */
export interface PoolHelper {
  /** Sends the helper its start message; resolves with its first reply. */
  start(message: HelperStart): Promise<HelperReply>;
  terminate(): void;
}

export interface PoolOptions {
  /** Threads in all, the calling one included (2 .. MAX_THREADS). */
  threads: number;
  /** Starts helper `index` (1 .. threads − 1). */
  spawn: (index: number) => PoolHelper;
  /** Smallest GEMM to split, in flops (default SPLIT_MIN_FLOPS). */
  splitMinFlops?: number;
  /** Iterations a thread polls before it sleeps in Atomics.wait (default 20000: ~130 µs here). */
  spin?: number;
  /** Chunks per thread a GEMM is cut into (default 2): more balance late or slow helpers better, fewer pack A or B fewer times. */
  chunksPerThread?: number;
  /** Choose per shape between split and alone by timing both (default true; see chooseSplit). */
  adaptive?: boolean;
}

/** Times of one GEMM shape, split and alone (µs, running averages; NaN: not timed yet). */
export interface ShapeTimes {
  split: number;
  alone: number;
  /** Calls of this shape so far. */
  calls: number;
}

/** One call in this many runs the way that is currently slower, to notice when that changes. */
export const RECHECK_EVERY = 16;

/**
 * Whether the next GEMM of a shape is split: first split once, then alone once, then the
 * faster on average, except every RECHECK_EVERY-th call, which runs the slower way. On a
 * machine whose cores are busy with other work, a helper that the OS preempts in the
 * middle of a chunk keeps the calling thread waiting; then splitting loses and the pool
 * stops doing it for that shape until a recheck says otherwise. Results are the same bit
 * for bit either way (wasm-pool.test.ts), so the choice changes only speed.
 */
export function chooseSplit(times: ShapeTimes): boolean {
  if (Number.isNaN(times.split)) return true;
  if (Number.isNaN(times.alone)) return false;
  return times.split <= times.alone !== (times.calls % RECHECK_EVERY === 0);
}

/** Shapes whose times are kept (a training step uses a few dozen); beyond it the record starts again. */
const MAX_SHAPES = 256;

/** The longest the helpers may take to start (fetch their script, instantiate the engine). */
const START_MS = 30_000;

/** The longest a GEMM may keep the calling thread waiting for a helper before it is declared lost. */
const STALL_MS = 60_000;

export class GemmPool implements GemmSplitter {
  private readonly control: Int32Array;
  private readonly gemmPart: GemmPart;
  /** The job being announced, rewritten per split GEMM (no allocation per GEMM). */
  private readonly job: GemmJob;
  private closed = false;
  splitMinFlops: number;
  chunksPerThread: number;
  adaptive: boolean;
  /** Per shape (M, N, K, transposes, accumulate): split and alone times, for chooseSplit. */
  readonly shapeTimes = new Map<string, ShapeTimes>();

  constructor(
    private readonly engine: WasmGemm,
    /** Byte offset of the control block in the engine's memory. */
    readonly controlOffset: number,
    readonly threads: number,
    private readonly helpers: PoolHelper[],
    options: { splitMinFlops?: number; spin?: number; chunksPerThread?: number; adaptive?: boolean } = {},
  ) {
    this.control = new Int32Array(engine.memory.buffer, controlOffset, CONTROL_INTS);
    this.gemmPart = engine.exports.gemmPart;
    this.job = { a: 0, b: 0, c: 0, M: 0, N: 0, K: 0, transA: 0, transB: 0, accumulate: 0, axis: 0, chunks: 0, work: new Array<number>(threads).fill(0) };
    this.splitMinFlops = options.splitMinFlops ?? SPLIT_MIN_FLOPS;
    this.chunksPerThread = options.chunksPerThread ?? 2;
    this.adaptive = options.adaptive ?? true;
    Atomics.store(this.control, CONTROL.SPIN, options.spin ?? 20_000);
  }

  tryGemm(pa: number, pb: number, pc: number, M: number, N: number, K: number, transA: boolean, transB: BLayout, accumulate: boolean): boolean {
    const flops = 2 * M * N * K;
    if (this.closed || flops < this.splitMinFlops) return false;
    // Cut along the dimension with more blocks: columns for the per-timestep GEMM
    // [32, 512], rows for the tall input projection and weight gradients.
    const rowUnits = Math.ceil(M / ROW_UNIT);
    const columnUnits = Math.ceil(N / COLUMN_UNIT);
    const byColumns = columnUnits >= rowUnits;
    const units = byColumns ? columnUnits : rowUnits;
    const chunks = Math.min(units, MAX_CHUNKS, this.threads * this.chunksPerThread);
    if (chunks < 2) return false;
    if (!this.adaptive) {
      this.split(pa, pb, pc, M, N, K, transA, transB, accumulate, byColumns, units, chunks);
      return true;
    }
    const key = `${M},${N},${K},${+transA}${transBCode(transB)}${+accumulate}`;
    let times = this.shapeTimes.get(key);
    if (!times) {
      if (this.shapeTimes.size >= MAX_SHAPES) this.shapeTimes.clear();
      times = { split: NaN, alone: NaN, calls: 0 };
      this.shapeTimes.set(key, times);
    }
    const split = chooseSplit(times);
    times.calls++;
    const started = performance.now();
    if (split) this.split(pa, pb, pc, M, N, K, transA, transB, accumulate, byColumns, units, chunks);
    else this.engine.gemmAlone(pa, pb, pc, M, N, K, transA, transB, accumulate);
    const us = (performance.now() - started) * 1000;
    const way = split ? 'split' : 'alone';
    times[way] = Number.isNaN(times[way]) ? us : times[way] + (us - times[way]) / 4;
    return true;
  }

  /** Runs the GEMM cut into `chunks` blocks of `units` row blocks or column panels. */
  private split(pa: number, pb: number, pc: number, M: number, N: number, K: number, transA: boolean, transB: BLayout, accumulate: boolean, byColumns: boolean, units: number, chunks: number): void {
    const per = Math.ceil(units / chunks);
    const chunkM = byColumns ? M : Math.min(M, per * ROW_UNIT);
    const chunkN = byColumns ? Math.min(N, per * COLUMN_UNIT) : N;
    const mark = this.engine.mark();
    const c = this.control;
    const workFloats = this.engine.exports.workspaceBytes(chunkM, chunkN, K) / 4;
    const job = this.job;
    for (let t = 0; t < this.threads; t++) job.work[t] = this.engine.alloc(workFloats);
    job.a = pa;
    job.b = pb;
    job.c = pc;
    job.M = M;
    job.N = N;
    job.K = K;
    job.transA = transA ? 1 : 0;
    job.transB = transBCode(transB);
    job.accumulate = accumulate ? 1 : 0;
    job.axis = byColumns ? 1 : 0;
    job.chunks = chunks;
    prepareJob(c, job);
    openJob(c);
    workOn(this.gemmPart, c, 0);
    try {
      this.waitFor(chunks);
    } finally {
      this.engine.release(mark);
    }
    const failed = Atomics.load(c, CONTROL.FAILED);
    if (failed !== 0) throw new Error(`worker pool: a chunk of a GEMM (M=${M} N=${N} K=${K}) failed on thread ${failed - 1} (a WebAssembly trap: an array outside the memory?)`);
  }

  /** Waits until `chunks` chunks of the current job are finished (the helpers run the last ones). */
  private waitFor(chunks: number): void {
    const c = this.control;
    for (let spins = c[CONTROL.SPIN]; spins > 0 && Atomics.load(c, CONTROL.FINISHED) !== chunks; spins--);
    const started = performance.now();
    for (let done = Atomics.load(c, CONTROL.FINISHED); done !== chunks; done = Atomics.load(c, CONTROL.FINISHED)) {
      if (done > chunks) {
        // A chunk counted that this job never gave out: the claim protocol is broken
        // (wasm-pool-helper.ts). The result cannot be trusted, so nothing goes on.
        this.close();
        throw new Error(`worker pool: ${done} chunks of a GEMM cut into ${chunks} were counted as finished; the pool is closed`);
      }
      Atomics.wait(c, CONTROL.FINISHED, done, 1000);
      if (performance.now() - started > STALL_MS) {
        this.close();
        throw new Error(`worker pool: ${chunks - done} chunk(s) of a GEMM were claimed by a helper thread that did not finish within ${STALL_MS / 1000} s; the pool is closed`);
      }
    }
  }

  /** Chunks each thread has run since the pool started (index 0: the calling thread). */
  chunksDone(): number[] {
    return Array.from({ length: this.threads }, (_, t) => Atomics.load(this.control, CONTROL.DONE + t));
  }

  /** Stops the helpers; GEMMs then run on the calling thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, CONTROL.STOP, 1);
    Atomics.add(this.control, CONTROL.GENERATION, 1);
    Atomics.notify(this.control, CONTROL.GENERATION);
    for (const h of this.helpers) h.terminate();
    this.engine.setSplitter(null);
  }
}

/**
 * Starts threads − 1 helpers on the engine's module and memory (a shared build on a shared
 * WebAssembly.Memory) and attaches the pool to the engine. The control block is taken from
 * the engine's allocator here and kept for good: call this right after loading the engine,
 * before anything else allocates.
 */
export async function startPool(engine: WasmGemm, module: WebAssembly.Module, options: PoolOptions): Promise<GemmPool> {
  const { threads } = options;
  if (!(engine.memory.buffer instanceof SharedArrayBuffer)) throw new Error('worker pool: the engine memory is not shared (load a shared build on a shared WebAssembly.Memory)');
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_THREADS) throw new Error(`worker pool: threads must be 2 .. ${MAX_THREADS}, got ${threads}`);
  const control = engine.alloc(CONTROL_INTS);
  new Int32Array(engine.memory.buffer, control, CONTROL_INTS).fill(0);
  const helpers: PoolHelper[] = [];
  try {
    for (let index = 1; index < threads; index++) helpers.push(options.spawn(index));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the helpers did not start within ${START_MS / 1000} s`)), START_MS);
    });
    const replies = await Promise.race([Promise.all(helpers.map((h, i) => h.start({ module, memory: engine.memory, control, index: i + 1 }))), timeout]).finally(() => clearTimeout(timer));
    const bad = replies.findIndex((r) => !r.ready);
    if (bad >= 0) {
      const reply = replies[bad];
      throw new Error(`worker pool: helper ${bad + 1} did not start: ${reply.ready ? '' : reply.error}`);
    }
  } catch (e) {
    for (const h of helpers) h.terminate();
    throw e;
  }
  const pool = new GemmPool(engine, control, threads, helpers, options);
  engine.setSplitter(pool);
  return pool;
}
