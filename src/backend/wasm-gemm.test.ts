// The WebAssembly SIMD GEMM (wasm/gemm.ts via src/backend/wasm-gemm.ts) against the CPU
// backend's matmul kernel (src/ops/matmul-cpu.ts, float64 accumulation) on the same f32
// inputs: every transpose, odd sizes (tile edges in M and N), K across the 256-step
// blocks, M across the 64-row blocks.
//
// Tolerance: the f32 error bound of a length-K sum of products,
//   |c − ref| ≤ 2·(K + 1)·2⁻²⁴·Σₖ |a_ik·b_kj|,
// per element. A wrong index or a missed edge gives errors of the size of the values
// themselves, far outside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWasmGemm, type WasmGemm } from './wasm-gemm.ts';
import { gemm as cpuGemm, pack } from '../ops/matmul-cpu.ts';
import { Random } from '../random.ts';
import { engineBytes as bytesOf } from './wasm-engine.support.ts';
import { nodePooledEngine } from './wasm-pool.support.ts';
import { SPLIT_MIN_FLOPS, type GemmPool } from './wasm-pool.ts';

function randomArray(n: number, rng: Random): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

/** Checks wasm's C against the float64 reference for one shape and transpose pair. */
function check(engine: WasmGemm, M: number, N: number, K: number, transA: boolean, transB: boolean, rng: Random): void {
  const a = randomArray(M * K, rng);
  const b = randomArray(K * N, rng);
  const got = engine.gemm(a, b, M, N, K, transA, transB);
  const ref = new Float64Array(M * N);
  cpuGemm({ data: a, trans: transA }, { data: b, trans: transB }, ref, M, N, K);
  // Σₖ |a_ik·b_kj|: the same GEMM on absolute values.
  const absRef = new Float64Array(M * N);
  cpuGemm({ data: pack({ data: a.map(Math.abs), trans: transA }, M, K), trans: false }, { data: b.map(Math.abs), trans: transB }, absRef, M, N, K);
  const unit = 2 ** -24;
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < M * N; i++) {
    const bound = 2 * (K + 1) * unit * absRef[i] + 1e-30;
    const ratio = Math.abs(got[i] - ref[i]) / bound;
    if (ratio > worst) {
      worst = ratio;
      worstAt = i;
    }
  }
  const where = `M=${M} N=${N} K=${K} transA=${transA} transB=${transB}`;
  expect(worst, `${where}: C[${Math.floor(worstAt / N)}, ${worstAt % N}] = ${got[worstAt]}, reference ${ref[worstAt]}`).toBeLessThanOrEqual(1);
}

/**
 * B packed once (WasmGemm.packB) gives C bit for bit equal to the same GEMM packing B
 * itself (checked against the reference above), in every block of k and columns.
 */
function checkPacked(engine: WasmGemm, M: number, N: number, K: number, transA: boolean, transB: boolean, rng: Random): void {
  const a = randomArray(M * K, rng);
  const b = randomArray(K * N, rng);
  const mark = engine.mark();
  const pa = engine.alloc(a.length);
  const pb = engine.alloc(b.length);
  engine.f32(pa, a.length).set(a);
  engine.f32(pb, b.length).set(b);
  const pc = engine.alloc(M * N);
  engine.gemmAt(pa, pb, pc, M, N, K, transA, transB);
  const plain = engine.f32(pc, M * N).slice();
  const packed = engine.packB(pb, N, K, transB);
  const pc2 = engine.alloc(M * N);
  engine.gemmAt(pa, packed, pc2, M, N, K, transA, 'packed');
  const got = engine.f32(pc2, M * N).slice();
  engine.release(mark);
  let differ = 0;
  for (let i = 0; i < M * N; i++) if (!Object.is(got[i], plain[i])) differ++;
  expect(differ, `M=${M} N=${N} K=${K} transA=${transA} transB=${transB}: ${differ} of ${M * N} values differ`).toBe(0);
}

const sizes = [1, 3, 8, 17, 33, 65, 127];
const ks = [1, 3, 17, 127, 257, 300];
const transposes: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function sweep(engine: () => WasmGemm, seed: number): void {
  for (const [transA, transB] of transposes) {
    it(`every M, N in [${sizes.join(', ')}] and K in [${ks.join(', ')}], transA=${transA} transB=${transB}`, () => {
      const rng = new Random(seed);
      for (const M of sizes) for (const N of sizes) for (const K of ks) check(engine(), M, N, K, transA, transB, rng);
    });
  }
}

describe('wasm SIMD GEMM (engine.wasm, plain memory)', () => {
  let engine: WasmGemm;
  beforeAll(async () => {
    engine = await loadWasmGemm(bytesOf('engine'));
  });
  sweep(() => engine, 17);

  it('larger shapes across several row and k blocks (200×300·300×130, 512³)', () => {
    const rng = new Random(5);
    check(engine, 200, 130, 300, false, false, rng);
    check(engine, 200, 130, 300, true, true, rng);
    check(engine, 512, 512, 512, false, true, rng);
  });

  it('a B packed once (packB, transB = packed) gives the same C as packing it in each GEMM', () => {
    const rng = new Random(7);
    for (const [transA, transB] of transposes) {
      for (const M of [1, 5, 32, 70]) for (const N of [1, 8, 13, 128, 512]) for (const K of [1, 17, 128, 256, 300, 512]) checkPacked(engine, M, N, K, transA, transB, rng);
    }
  });

  it('overwrites C: the same call twice gives the same result', () => {
    const rng = new Random(9);
    const a = randomArray(33 * 17, rng);
    const b = randomArray(17 * 65, rng);
    const first = engine.gemm(a, b, 33, 65, 17);
    const second = engine.gemm(a, b, 33, 65, 17);
    expect(Array.from(second)).toEqual(Array.from(first));
  });

  it('gemmAt with accumulate adds op(A)·op(B) to C in place; release frees what was allocated', () => {
    const rng = new Random(11);
    const [M, N, K] = [19, 37, 41];
    const a = randomArray(K * M, rng); // stored [K, M]: transA
    const b = randomArray(N * K, rng); // stored [N, K]: transB
    const c0 = randomArray(M * N, rng);
    const mark = engine.mark();
    const pa = engine.alloc(a.length);
    const pb = engine.alloc(b.length);
    const pc = engine.alloc(c0.length);
    engine.f32(pa, a.length).set(a);
    engine.f32(pb, b.length).set(b);
    engine.f32(pc, c0.length).set(c0);
    engine.gemmAt(pa, pb, pc, M, N, K, true, true, true);
    const got = engine.f32(pc, M * N).slice();
    engine.release(mark);
    expect(engine.mark()).toBe(mark);
    const ref = new Float64Array(M * N);
    cpuGemm({ data: a, trans: true }, { data: b, trans: true }, ref, M, N, K);
    for (let i = 0; i < M * N; i++) expect(Math.abs(got[i] - (c0[i] + ref[i]))).toBeLessThan(1e-5 * (K + 1));
  });

  it('rejects arrays that do not match the sizes', () => {
    expect(() => engine.gemm(new Float32Array(5), new Float32Array(6), 2, 3, 2)).toThrow(/A has 5 values, M·K = 2·2 = 4/);
  });
});

describe('wasm SIMD GEMM (engine-shared.wasm, shared memory)', () => {
  let engine: WasmGemm;
  beforeAll(async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16384, shared: true });
    engine = await loadWasmGemm(bytesOf('engine-shared'), { memory });
  });
  it('runs on a SharedArrayBuffer', () => {
    expect(engine.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
  sweep(() => engine, 23);
});

describe('wasm SIMD GEMM split between 2 threads (engine-shared.wasm, worker pool)', () => {
  let engine: WasmGemm;
  let pool: GemmPool;
  beforeAll(async () => {
    ({ engine, pool } = await nodePooledEngine('engine-shared', { threads: 2, adaptive: false }));
  });
  afterAll(() => pool.close());

  describe('every GEMM split (split threshold 0)', () => {
    beforeAll(() => {
      pool.splitMinFlops = 0;
    });
    afterAll(() => {
      pool.splitMinFlops = Infinity;
    });
    sweep(() => engine, 31);
    it('larger shapes, split by rows and by columns, with accumulate', () => {
      const rng = new Random(37);
      check(engine, 200, 130, 300, false, false, rng);
      check(engine, 200, 130, 300, true, true, rng);
      check(engine, 32, 512, 128, false, false, rng);
      check(engine, 1024, 512, 64, false, true, rng);
      check(engine, 512, 128, 1024, true, false, rng);
    });
    it('a B packed once, split by rows and by columns: the same C as packing it in each part', () => {
      const rng = new Random(43);
      for (const [transA, transB] of transposes) {
        for (const [M, N, K] of [[32, 512, 128], [32, 128, 512], [200, 130, 300], [7, 77, 260]]) checkPacked(engine, M, N, K, transA, transB, rng);
      }
    });
  });

  it('splits GEMMs at and above the default threshold, not below, and each result is right', () => {
    pool.splitMinFlops = SPLIT_MIN_FLOPS;
    const rng = new Random(41);
    // 2·M·N·K around the threshold: M = 32, N = 128, K = kAt − 1 / kAt / kAt + 1.
    const kAt = Math.ceil(SPLIT_MIN_FLOPS / (2 * 32 * 128));
    for (const [K, split] of [[kAt - 1, false], [kAt, true], [kAt + 1, true]] as const) {
      for (const [transA, transB] of transposes) {
        const before = pool.chunksDone().reduce((x, y) => x + y, 0);
        check(engine, 32, 128, K, transA, transB, rng);
        const ran = pool.chunksDone().reduce((x, y) => x + y, 0) - before;
        // Split: N = 128 has 16 column panels, M = 32 has 8 row blocks: 2 threads × 2 chunks.
        expect(ran, `K=${K} transA=${transA} transB=${transB}`).toBe(split ? 4 : 0);
      }
    }
  });
});

// Relaxed SIMD: Node 20 validates these builds only with --experimental-wasm-relaxed-simd
// (Chrome ≥ 114 by default); where the runtime lacks it the block is skipped. To run it:
//   node --experimental-wasm-relaxed-simd node_modules/vitest/vitest.mjs run --pool=threads \
//     --project node src/backend/wasm-gemm.test.ts
// (threads: V8 flags are per process, and vitest's default forks do not get them).
const relaxed = WebAssembly.validate(bytesOf('engine-relaxed'));
describe.skipIf(!relaxed)('wasm SIMD GEMM (engine-relaxed.wasm, f32x4.relaxed_madd)', () => {
  let engine: WasmGemm;
  beforeAll(async () => {
    engine = await loadWasmGemm(bytesOf('engine-relaxed'));
  });
  sweep(() => engine, 29);
});
