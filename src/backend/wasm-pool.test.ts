// The WebAssembly engine's worker pool (wasm-pool.ts) in Node: helpers are worker_threads
// running wasm-pool-helper.ts on the same shared memory as the test's thread. The GEMM
// sweep on the pooled engine is in wasm-gemm.test.ts; this file checks the pool itself:
// that helpers really run chunks, that every chunk runs exactly once, that a failing chunk
// is an error rather than a hang, and that helper instances write nothing at start.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { threadPlan } from './cpu-engine.ts';
import { loadWasmGemm, type WasmGemm } from './wasm-gemm.ts';
import { chooseSplit, RECHECK_EVERY, SPLIT_MIN_FLOPS, startPool, type GemmPool } from './wasm-pool.ts';
import { claimChunk, CONTROL, CONTROL_INTS, NO_CHUNK, openJob, partRange, prepareJob, type GemmJob } from './wasm-pool-helper.ts';
import { nodeHelper, nodePooledEngine } from './wasm-pool.support.ts';
import { engineBytes } from './wasm-engine.support.ts';
import { gemm as cpuGemm } from '../ops/matmul-cpu.ts';
import { Random } from '../random.ts';

/** Section ids of a WebAssembly binary, in order (8: start, 11: data, 12: data count). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    ids.push(bytes[p++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++];
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    p += size;
  }
  return ids;
}

const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);

function randomArray(n: number, rng: Random): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** Largest |C − reference| relative to the largest |reference|. */
function relativeError(got: Float32Array, a: Float32Array, b: Float32Array, M: number, N: number, K: number, transA = false, transB = false): number {
  const ref = new Float64Array(M * N);
  cpuGemm({ data: a, trans: transA }, { data: b, trans: transB }, ref, M, N, K);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < M * N; i++) {
    err = Math.max(err, Math.abs(got[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return err / scale;
}

describe('shared builds', () => {
  for (const name of ['engine-shared', 'engine-relaxed-shared']) {
    it(`${name}.wasm has no data segments and no start function: instantiating a helper writes nothing to the shared memory`, () => {
      const ids = sectionIds(engineBytes(name));
      expect(ids.length).toBeGreaterThan(3);
      // If a kernel ever adds static data, each helper's instantiation writes it again:
      // harmless only while nobody modifies it.
      expect(ids.filter((id) => id === 8 || id === 11 || id === 12), `sections ${ids.join(', ')}`).toEqual([]);
    });
  }
});

describe('partRange', () => {
  it('cuts [0, total) into consecutive whole units, sizes differing by at most one unit', () => {
    for (const total of [1, 7, 8, 9, 64, 100, 512]) {
      for (const unit of [4, 8]) {
        for (const parts of [1, 2, 3, 4, 7]) {
          let end = 0;
          const sizes: number[] = [];
          for (let i = 0; i < parts; i++) {
            const [s, e] = partRange(total, unit, parts, i);
            expect(s, `total ${total} unit ${unit} parts ${parts} part ${i}`).toBe(end);
            if (e < total) expect(e % unit).toBe(0);
            sizes.push(Math.ceil(e / unit) - Math.floor(s / unit));
            end = e;
          }
          expect(end).toBe(total);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});

describe('claiming chunks', () => {
  const job = (chunks: number): GemmJob => ({ a: 0, b: 0, c: 0, M: 64, N: 64, K: 8, transA: 0, transB: 0, accumulate: 0, axis: 0, chunks, work: [0, 0] });
  const claim = (control: Int32Array) => claimChunk(control, Atomics.load(control, CONTROL.CLAIM));
  /** A control block with a job of `chunks` chunks written and opened. */
  const opened = (chunks: number, control = new Int32Array(CONTROL_INTS)) => {
    prepareJob(control, job(chunks));
    openJob(control);
    return control;
  };

  it('each chunk of a job is claimed once, in order, then none', () => {
    const control = new Int32Array(CONTROL_INTS);
    expect(claim(control)).toBe(NO_CHUNK);
    prepareJob(control, job(3));
    expect(claim(control)).toBe(NO_CHUNK); // written, not opened yet
    openJob(control);
    expect([claim(control), claim(control), claim(control), claim(control)]).toEqual([0, 1, 2, NO_CHUNK]);
  });

  it('a helper that read the last job’s claim word cannot claim a chunk of the next, larger job', () => {
    // The interleaving that once hung CI: a helper loads the word of job 1 (2 chunks, both
    // claimed); the calling thread writes job 2 (4 chunks) but has not opened it yet; the
    // helper then tries its claim.
    const control = opened(2);
    expect([claim(control), claim(control)]).toEqual([0, 1]);
    const stale = Atomics.load(control, CONTROL.CLAIM);
    prepareJob(control, job(4));
    expect(claimChunk(control, stale)).toBe(NO_CHUNK);
    openJob(control);
    expect(claimChunk(control, stale)).toBe(NO_CHUNK);
    expect([0, 1, 2, 3, NO_CHUNK].map(() => claim(control))).toEqual([0, 1, 2, 3, NO_CHUNK]);
  });

  it('a helper whose loaded word comes round again in a later job claims that job’s next chunk', () => {
    // It loaded "2 left" in job 1 and slept; job 2 (3 chunks) has 2 left when it wakes: its
    // claim is job 2's chunk 1, and no chunk of job 2 is given twice or lost.
    const control = opened(4);
    expect([claim(control), claim(control)]).toEqual([0, 1]);
    const stale = Atomics.load(control, CONTROL.CLAIM);
    expect([claim(control), claim(control), claim(control)]).toEqual([2, 3, NO_CHUNK]);
    opened(3, control);
    expect(claim(control)).toBe(0);
    expect(claimChunk(control, stale)).toBe(1);
    expect([claim(control), claim(control)]).toEqual([2, NO_CHUNK]);
  });
});

describe('worker pool of 2 threads', () => {
  let engine: WasmGemm;
  let pool: GemmPool;
  beforeAll(async () => {
    ({ engine, pool } = await nodePooledEngine('engine-shared', { threads: 2, adaptive: false }));
  });
  afterAll(() => pool.close());

  it('says so in describe()', () => {
    expect(engine.threads).toBe(2);
    expect(engine.describe()).toBe('2 threads');
  });

  it('helpers really run chunks, and every chunk of a GEMM runs exactly once', () => {
    const rng = new Random(3);
    const [M, N, K] = [512, 256, 256];
    const a = randomArray(M * K, rng);
    const b = randomArray(K * N, rng);
    // The calling thread claims chunks too, so a helper the OS has not woken yet may get
    // none of one GEMM; over a few GEMMs of ~4 ms each it must get some.
    let helperChunks = 0;
    for (let round = 0; round < 50 && helperChunks === 0; round++) {
      const before = pool.chunksDone();
      const c = engine.gemm(a, b, M, N, K);
      const after = pool.chunksDone();
      // 128 row blocks of 4 > 64 column panels of 8: rows, 2 threads × 2 chunks.
      expect(sum(after) - sum(before), `round ${round}`).toBe(4);
      helperChunks += after[1] - before[1];
      expect(relativeError(c, a, b, M, N, K)).toBeLessThan(1e-5);
    }
    expect(helperChunks, 'the helper thread never ran a chunk').toBeGreaterThan(0);
  });

  it('a split GEMM gives bit for bit the result of the same GEMM on one thread', () => {
    // Each element of C sees the same sums in the same order whichever chunk computes it,
    // so results do not depend on the thread count.
    const rng = new Random(13);
    for (const [M, N, K] of [[32, 512, 128], [1024, 64, 300], [33, 129, 17]]) {
      for (const [transA, transB] of [[false, false], [true, true], [false, true], [true, false]]) {
        const a = randomArray(M * K, rng);
        const b = randomArray(K * N, rng);
        pool.splitMinFlops = Infinity;
        const alone = engine.gemm(a, b, M, N, K, transA, transB);
        pool.splitMinFlops = 0;
        const before = sum(pool.chunksDone());
        const split = engine.gemm(a, b, M, N, K, transA, transB);
        expect(sum(pool.chunksDone()), `M=${M} N=${N} K=${K}: split`).toBeGreaterThan(before);
        expect(Buffer.from(split.buffer).equals(Buffer.from(alone.buffer)), `M=${M} N=${N} K=${K} transA=${transA} transB=${transB}`).toBe(true);
      }
    }
    pool.splitMinFlops = SPLIT_MIN_FLOPS;
  });

  it('a chunk that traps is an error, not a hang, and the pool still works after it', () => {
    const M = 128; // 4 MFLOP: split
    const outside = engine.memory.buffer.byteLength + (1 << 20);
    expect(() => engine.gemmAt(outside, outside, outside, M, M, M)).toThrow(/worker pool: a chunk of a GEMM \(M=128 N=128 K=128\) failed on thread/);
    const rng = new Random(5);
    const a = randomArray(M * M, rng);
    const b = randomArray(M * M, rng);
    expect(relativeError(engine.gemm(a, b, M, M, M, true, true), a, b, M, M, M, true, true)).toBeLessThan(1e-5);
  });

  it('close() stops the helpers; GEMMs then run on the calling thread alone', async () => {
    const other = await nodePooledEngine('engine-shared', { threads: 2, adaptive: false });
    other.pool.close();
    expect(other.engine.threads).toBe(1);
    const rng = new Random(7);
    const a = randomArray(128 * 128, rng);
    const b = randomArray(128 * 128, rng);
    const before = other.pool.chunksDone();
    expect(relativeError(other.engine.gemm(a, b, 128, 128, 128), a, b, 128, 128, 128)).toBeLessThan(1e-5);
    expect(other.pool.chunksDone()).toEqual(before);
  });
});

describe('adaptive choice between split and alone', () => {
  it('chooseSplit: split first, then alone, then the faster, rechecking the slower every RECHECK_EVERY calls', () => {
    expect(chooseSplit({ split: NaN, alone: NaN, calls: 0 })).toBe(true);
    expect(chooseSplit({ split: 100, alone: NaN, calls: 1 })).toBe(false);
    const faster = (split: number, alone: number) =>
      Array.from({ length: 2 * RECHECK_EVERY }, (_, i) => chooseSplit({ split, alone, calls: 2 + i })).filter((x) => x === split < alone).length;
    // Of 2·RECHECK_EVERY calls, all but 2 take the faster way.
    expect(faster(60, 100)).toBe(2 * RECHECK_EVERY - 2);
    expect(faster(140, 100)).toBe(2 * RECHECK_EVERY - 2);
  });

  it('an adaptive pool times both ways per shape and keeps every result right', async () => {
    const { engine, pool } = await nodePooledEngine('engine-shared', { threads: 2 });
    try {
      const rng = new Random(17);
      const [M, N, K] = [32, 512, 128];
      const a = randomArray(M * K, rng);
      const b = randomArray(K * N, rng);
      for (let i = 0; i < 40; i++) expect(relativeError(engine.gemm(a, b, M, N, K), a, b, M, N, K)).toBeLessThan(1e-5);
      const times = pool.shapeTimes.get(`${M},${N},${K},000`);
      expect(times?.calls).toBe(40);
      expect(times?.split).toBeGreaterThan(0);
      expect(times?.alone).toBeGreaterThan(0);
      // Below the threshold nothing is timed: those GEMMs never split.
      engine.gemm(new Float32Array(4 * 4), new Float32Array(4 * 4), 4, 4, 4);
      expect(pool.shapeTimes.size).toBe(1);
    } finally {
      pool.close();
    }
  });
});

describe('back-to-back jobs of different sizes', () => {
  it('100,000 jobs of 2 and 4 chunks in turn: each chunk runs once, nothing hangs, results stay right', async () => {
    // Jobs this small and this close together are where a helper that finished the last
    // chunk of one job meets the next job half-written (wasm-pool-helper.ts): with the
    // earlier claim word (generation tag + next chunk) this hung within ~6,500 jobs here.
    const { engine, pool } = await nodePooledEngine('engine-shared', { threads: 2, splitMinFlops: 0, adaptive: false });
    try {
      const rng = new Random(5);
      const a = randomArray(4 * 4, rng);
      const b = randomArray(4 * 32, rng);
      const pa = engine.alloc(a.length);
      const pb = engine.alloc(b.length);
      const pc = engine.alloc(4 * 32);
      new Float32Array(engine.memory.buffer, pa, a.length).set(a);
      new Float32Array(engine.memory.buffer, pb, b.length).set(b);
      const before = sum(pool.chunksDone());
      const pairs = 50_000;
      for (let i = 0; i < pairs; i++) {
        engine.gemmAt(pa, pb, pc, 4, 16, 4); // 2 column panels: 2 chunks
        engine.gemmAt(pa, pb, pc, 4, 32, 4); // 4 chunks
      }
      expect(sum(pool.chunksDone()) - before).toBe(pairs * 6);
      const c = new Float32Array(engine.memory.buffer, pc, 4 * 32).slice();
      expect(relativeError(c, a, b, 4, 32, 4)).toBeLessThan(1e-6);
    } finally {
      pool.close();
    }
  });
});

describe('worker pool of 4 threads (more threads than this machine may have cores)', () => {
  it('gives the same results, whichever thread runs which chunk', async () => {
    const { engine, pool } = await nodePooledEngine('engine-shared', { threads: 4, splitMinFlops: 0, adaptive: false });
    try {
      const rng = new Random(11);
      for (const [M, N, K] of [[32, 512, 128], [100, 36, 70], [257, 9, 33], [8, 64, 300]]) {
        for (const [transA, transB] of [[false, false], [true, true], [true, false], [false, true]]) {
          const a = randomArray(M * K, rng);
          const b = randomArray(K * N, rng);
          expect(relativeError(engine.gemm(a, b, M, N, K, transA, transB), a, b, M, N, K, transA, transB), `M=${M} N=${N} K=${K}`).toBeLessThan(1e-5);
        }
      }
      expect(pool.chunksDone()).toHaveLength(4);
    } finally {
      pool.close();
    }
  });
});

describe('startPool', () => {
  it('refuses an engine on plain (not shared) memory', async () => {
    const bytes = engineBytes('engine');
    const engine = await loadWasmGemm(bytes);
    await expect(startPool(engine, await WebAssembly.compile(bytes), { threads: 2, spawn: () => nodeHelper() })).rejects.toThrow(/memory is not shared/);
  });
});

describe('threadPlan: how many threads the app engine loads with, or why one', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  it('one thread where the page is not cross-origin isolated, and describe() says so', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    expect(threadPlan()).toEqual({ problem: 'the page is not cross-origin isolated' });
    const engine = await loadWasmGemm(engineBytes('engine'));
    engine.singleThreadReason = 'the page is not cross-origin isolated';
    expect(engine.describe()).toBe('1 thread: the page is not cross-origin isolated');
  });
  it('one thread where workers cannot be started, or on one core', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('Worker', undefined);
    expect(threadPlan()).toEqual({ problem: 'this context cannot start workers' });
    vi.stubGlobal('Worker', class {});
    vi.stubGlobal('navigator', { hardwareConcurrency: 1 });
    expect(threadPlan()).toEqual({ problem: 'this device reports one core' });
  });
  it('min(hardwareConcurrency, 4) threads where isolated, in a thread that may wait', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('Worker', class {});
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    expect(threadPlan()).toEqual({ threads: 2 });
    vi.stubGlobal('navigator', { hardwareConcurrency: 16 });
    expect(threadPlan()).toEqual({ threads: 4 });
  });
});
