// The part of the WebAssembly engine's worker pool that runs on every thread: the control
// block's layout, how a GEMM is cut into chunks, and the helper threads' loop. It imports
// nothing, so that Node tests can run it in worker_threads after a plain TypeScript
// transpile (src/backend/wasm-pool.support.ts); in the browser it runs in
// wasm-pool.worker.ts. The calling side is src/backend/wasm-pool.ts.
//
// Control block: CONTROL_INTS i32 values in the engine's shared memory, at a byte offset
// every thread is given. A job (one GEMM) is cut into CHUNKS blocks of rows or columns of
// C. The calling thread writes the job's parameters (prepareJob), sets the claim word
// CLAIM to the number of chunks, bumps GENERATION and notifies (openJob); then it claims
// and runs chunks itself. Helpers wake (from a short spin, else Atomics.wait on
// GENERATION) and claim chunks too. Each finished chunk adds 1 to FINISHED; the calling
// thread, out of chunks to claim, waits until FINISHED = CHUNKS. So a helper that the OS
// has not scheduled yet costs nothing: the calling thread runs its chunks, and only chunks
// a helper has claimed are waited for.
//
// The claim word is the number of chunks of the open job not yet claimed, and a claim is
// a compareExchange of it from r to r − 1 (claimChunk), which gives chunk CHUNKS − r.
// Between jobs the word is 0, so nothing can be claimed while the calling thread writes
// the next job, and any successful claim takes a chunk of the job open at that moment,
// whatever job the claiming thread thinks it is in: a helper that loaded the word long
// ago and finds the same value again (another job, the same count left) claims that
// job's next chunk, which is right. (An earlier word, generation tag · 2¹⁵ + next chunk,
// compared `next` with a CHUNKS the next job could already have rewritten: a helper could
// claim a chunk of a half-written job and push FINISHED past CHUNKS, which hung CI.)
// Atomics' sequentially consistent operations order a helper's plain reads of the
// parameters after its claim, and the next job's writes after the FINISHED count that
// includes its chunk.

/** Index (in i32s) of each field of the control block. */
export const CONTROL = {
  /** Job counter: bumped once per job. Helpers wait for it to change. */
  GENERATION: 0,
  /** Chunks of the current job that have been run. */
  FINISHED: 1,
  /** Nonzero: helpers return from their loop. */
  STOP: 2,
  /** 1 + the index of a helper whose part threw (0: none). */
  FAILED: 3,
  /** The job: gemmPart's arguments (byte offsets, sizes, flags). */
  A: 4,
  B: 5,
  C: 6,
  M: 7,
  N: 8,
  K: 9,
  TRANS_A: 10,
  TRANS_B: 11,
  ACCUMULATE: 12,
  /** 0: parts are blocks of rows of C; 1: blocks of columns. */
  AXIS: 13,
  /** Chunks the job is cut into. */
  CHUNKS: 14,
  /** Spin iterations a thread polls before it sleeps in Atomics.wait. */
  SPIN: 15,
  /** Claim word: chunks of the open job not yet claimed (0 between jobs). */
  CLAIM: 16 + 16 + 16,
  /** WORK + t: byte offset of thread t's packing workspace. */
  WORK: 16,
  /** DONE + t: chunks thread t has run since the pool started (for tests and the record). */
  DONE: 16 + 16,
} as const;

/** Most threads the control block has room for. */
export const MAX_THREADS = 16;
/** i32 values of the control block. */
export const CONTROL_INTS = CONTROL.CLAIM + 1;
/** Most chunks in one job. */
export const MAX_CHUNKS = 2 ** 15 - 1;

/** The rows of C come in blocks of MR = 4 rows and its columns in panels of NR = 8 (wasm/gemm.ts). */
export const ROW_UNIT = 4;
export const COLUMN_UNIT = 8;

/** The engine's gemmPart export (wasm/gemm.ts). */
export type GemmPart = (a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number, work: number, i0: number, i1: number, j0: number, j1: number) => void;

/**
 * Part `index` of `parts` of [0, total) in whole units (the last unit may be short): the
 * first `units % parts` parts get one unit more. Returns [start, end).
 */
export function partRange(total: number, unit: number, parts: number, index: number): [number, number] {
  const units = Math.ceil(total / unit);
  const per = Math.floor(units / parts);
  const extra = units % parts;
  const start = index * per + Math.min(index, extra);
  const count = per + (index < extra ? 1 : 0);
  return [Math.min(start * unit, total), Math.min((start + count) * unit, total)];
}

/** Runs chunk `chunk` of the job in the control block, in thread `thread`'s workspace. */
export function runChunk(gemmPart: GemmPart, control: Int32Array, chunk: number, thread: number): void {
  const M = control[CONTROL.M];
  const N = control[CONTROL.N];
  const chunks = control[CONTROL.CHUNKS];
  let i0 = 0;
  let i1 = M;
  let j0 = 0;
  let j1 = N;
  if (control[CONTROL.AXIS] === 0) [i0, i1] = partRange(M, ROW_UNIT, chunks, chunk);
  else [j0, j1] = partRange(N, COLUMN_UNIT, chunks, chunk);
  if (i1 > i0 && j1 > j0) {
    gemmPart(
      control[CONTROL.A], control[CONTROL.B], control[CONTROL.C], M, N, control[CONTROL.K],
      control[CONTROL.TRANS_A], control[CONTROL.TRANS_B], control[CONTROL.ACCUMULATE],
      control[CONTROL.WORK + thread], i0, i1, j0, j1,
    );
  }
  control[CONTROL.DONE + thread]++;
}

/** A job's parameters, as prepareJob writes them. */
export interface GemmJob {
  a: number;
  b: number;
  c: number;
  M: number;
  N: number;
  K: number;
  transA: number;
  transB: number;
  accumulate: number;
  /** 0: chunks are blocks of rows of C; 1: blocks of columns. */
  axis: number;
  chunks: number;
  /** Byte offset of each thread's packing workspace. */
  work: number[];
}

/**
 * First half of announcing a job, on the calling thread once the last job's chunks are all
 * claimed and finished (the claim word is 0): writes the job.
 */
export function prepareJob(control: Int32Array, job: GemmJob): void {
  for (let t = 0; t < job.work.length; t++) control[CONTROL.WORK + t] = job.work[t];
  control[CONTROL.A] = job.a;
  control[CONTROL.B] = job.b;
  control[CONTROL.C] = job.c;
  control[CONTROL.M] = job.M;
  control[CONTROL.N] = job.N;
  control[CONTROL.K] = job.K;
  control[CONTROL.TRANS_A] = job.transA;
  control[CONTROL.TRANS_B] = job.transB;
  control[CONTROL.ACCUMULATE] = job.accumulate;
  control[CONTROL.AXIS] = job.axis;
  Atomics.store(control, CONTROL.CHUNKS, job.chunks);
  Atomics.store(control, CONTROL.FAILED, 0);
  Atomics.store(control, CONTROL.FINISHED, 0);
}

/** Second half: opens the job's chunks to claims and wakes the helpers. Returns the new generation. */
export function openJob(control: Int32Array): number {
  const generation = (Atomics.load(control, CONTROL.GENERATION) + 1) | 0;
  Atomics.store(control, CONTROL.CLAIM, Atomics.load(control, CONTROL.CHUNKS));
  Atomics.store(control, CONTROL.GENERATION, generation);
  Atomics.notify(control, CONTROL.GENERATION);
  return generation;
}

/** claimChunk's answers besides a chunk index. */
export const NO_CHUNK = -1;
export const LOST_RACE = -2;

/**
 * One attempt to claim a chunk, given the claim word as the thread last loaded it: the
 * chunk's index in the open job, NO_CHUNK when the word said none is left, LOST_RACE when
 * the word changed since it was loaded (load it again).
 */
export function claimChunk(control: Int32Array, word: number): number {
  if (word <= 0) return NO_CHUNK;
  if (Atomics.compareExchange(control, CONTROL.CLAIM, word, word - 1) !== word) return LOST_RACE;
  // The job cannot change before this chunk is counted in FINISHED, so CHUNKS is its own.
  return Atomics.load(control, CONTROL.CHUNKS) - word;
}

/**
 * Claims and runs chunks of the open job until none is left; returns how many this
 * thread ran. A chunk that throws is recorded in FAILED and still counted as finished,
 * so that no thread waits for it forever. The thread that finishes the last chunk
 * notifies FINISHED.
 */
export function workOn(gemmPart: GemmPart, control: Int32Array, thread: number): number {
  let ran = 0;
  for (;;) {
    const next = claimChunk(control, Atomics.load(control, CONTROL.CLAIM));
    if (next === NO_CHUNK) return ran;
    if (next === LOST_RACE) continue;
    const chunks = control[CONTROL.CHUNKS];
    try {
      runChunk(gemmPart, control, next, thread);
    } catch {
      Atomics.store(control, CONTROL.FAILED, thread + 1);
    }
    ran++;
    if (Atomics.add(control, CONTROL.FINISHED, 1) + 1 === chunks) Atomics.notify(control, CONTROL.FINISHED);
  }
}

/** What the calling thread sends a helper once: the engine, its memory and its seat. */
export interface HelperStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block. */
  control: number;
  /** The helper's thread index (1 .. threads − 1; the calling thread is 0). */
  index: number;
}

/** What a helper answers once it has instantiated the engine (then it only runs jobs). */
export type HelperReply = { ready: true } | { ready: false; error: string };

/**
 * A helper thread's life: instantiates the engine on the shared memory (the module has no
 * data segments and no start function, so this writes nothing to the memory), says it is
 * ready, then runs jobs until STOP. Blocks its thread for good: only for workers.
 */
export async function runHelper(start: HelperStart, reply: (message: HelperReply) => void): Promise<void> {
  let gemmPart: GemmPart;
  try {
    const instance = await WebAssembly.instantiate(start.module, { env: { memory: start.memory } });
    gemmPart = instance.exports.gemmPart as GemmPart;
  } catch (e) {
    reply({ ready: false, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  const control = new Int32Array(start.memory.buffer, start.control, CONTROL_INTS);
  reply({ ready: true });
  let seen = Atomics.load(control, CONTROL.GENERATION);
  for (;;) {
    for (let spins = control[CONTROL.SPIN]; spins > 0 && Atomics.load(control, CONTROL.GENERATION) === seen; spins--);
    while (Atomics.load(control, CONTROL.GENERATION) === seen) Atomics.wait(control, CONTROL.GENERATION, seen);
    seen = Atomics.load(control, CONTROL.GENERATION);
    if (Atomics.load(control, CONTROL.STOP) !== 0) return;
    workOn(gemmPart, control, start.index);
  }
}
