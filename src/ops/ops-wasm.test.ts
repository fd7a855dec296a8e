// Op suite on the WebAssembly SIMD engine (a CpuBackend with an engine, f32): every case's
// forward outputs and input gradients against the float64 CPU reference, with the same f32
// tolerances as WebGPU. Ops without a `wasm` implementation run their f32 reference here, so
// the list below names the ops the engine itself must implement; the suite fails if one of
// them loses its implementation or is never reached by a case. Then the PyTorch fixtures of
// the nn ops (conv2d, pooling, embedding, BCE, batch norm) on the engine, as on WebGPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { nodeEngine } from '../backend/wasm-engine.support.ts';
import { nodePooledEngine } from '../backend/wasm-pool.support.ts';
import type { GemmPool } from '../backend/wasm-pool.ts';
import { OPS } from './index.ts';
import type { OpName } from './op.ts';
import { allCases, compareWithReference, TOLERANCES } from './ops.support.ts';
import { checkNnFixture, nnFixtures } from './nn-parity.support.ts';

/** Ops that run on the engine (the rest are cheap elementwise or bookkeeping ops). */
export const ENGINE_OPS: OpName[] = ['matmul', 'rnn', 'lstm', 'gru', 'recurrentBackward', 'conv2d', 'conv2dInputGrad', 'conv2dWeightGrad', 'maxPool2d', 'maxPool2dGrad'];

let engine: WasmGemm;

beforeAll(async () => {
  engine = await nodeEngine();
});

describe('WebAssembly engine vs CPU reference', () => {
  it('implements the engine ops, and the cases reach each of them', () => {
    const cases = allCases();
    for (const op of ENGINE_OPS) {
      expect(OPS[op].wasm, `${op} has no wasm implementation`).toBeTypeOf('function');
      expect(cases.some((c) => c.ops.includes(op)), `no case exercises ${op}`).toBe(true);
    }
  });
  for (const c of allCases()) {
    it(c.name, async () => {
      const reports = await compareWithReference(c, new CpuBackend({ engine }));
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('nn ops match PyTorch (WebAssembly engine, f32)', () => {
  for (const fixture of nnFixtures()) {
    it(fixture.name, async () => {
      const reports = await checkNnFixture(new CpuBackend({ engine }), fixture, TOLERANCES.gpuVsCpu);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

// The same cases on a 2-thread engine (worker pool, src/backend/wasm-pool.ts) that splits
// every GEMM however small (threshold 0): ops reach the threads through gemmAt/gemm alone.
describe('WebAssembly engine with a 2-thread worker pool, every GEMM split, vs CPU reference', () => {
  let pooled: WasmGemm;
  let pool: GemmPool;
  beforeAll(async () => {
    ({ engine: pooled, pool } = await nodePooledEngine('engine-shared', { threads: 2, splitMinFlops: 0, adaptive: false }));
  });
  afterAll(() => pool.close());
  for (const c of allCases()) {
    it(c.name, async () => {
      const reports = await compareWithReference(c, new CpuBackend({ engine: pooled }));
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
  it('split the GEMMs of the cases between the threads', () => {
    expect(pool.chunksDone().reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
  });
});
