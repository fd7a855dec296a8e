// Every GEMM variant against the CPU reference on shapes that hit tile edges, for all
// transpose combinations with bias and activation epilogues (subgroup-shared variants
// where the adapter's subgroups are 4 wide).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourWideSubgroups } from '../backend/subgroups.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { allclose } from '../autograd/gradcheck.ts';
import { scope } from '../tensor.ts';
import { GEMM_VARIANTS } from './gemm-kernels.ts';
import { gemmPlan, matmul, matmulVariant, setMatmulVariant } from './matmul.ts';
import { seededValues } from './ops.support.ts';

let gpu: WebGpuBackend;
const cpu = new CpuBackend({ precision: 'f64' });
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => setMatmulVariant(gpu, null));

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [65, 33, 129],
  [17, 1, 9],
  [5, 40, 1],
  [64, 64, 64],
  // Odd sizes, none a multiple of a tile or of 4 (the tiled variants' scalar edges).
  [37, 29, 19],
  [130, 67, 129],
  // K split over workgroups (gemmPlan): equal chunks, and an uneven last chunk.
  [16, 2048, 27],
  [3, 1000, 5],
];

describe('GEMM variants vs CPU reference', () => {
  for (const variant of GEMM_VARIANTS) {
    it(variant.name, async (ctx) => {
      if (variant.subgroups && !fourWideSubgroups(gpu)) ctx.skip();
      setMatmulVariant(gpu, variant);
      for (const [M, K, N] of shapes) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const a = seededValues(M * K, M + 3 * K);
            const b = seededValues(K * N, N + 7 * K);
            const bias = seededValues(N, 11);
            const aShape = transA ? [K, M] : [M, K];
            const bShape = transB ? [N, K] : [K, N];
            const activation = transA ? 'tanh' : 'none';
            const run = (backend: CpuBackend | WebGpuBackend) =>
              scope(() =>
                matmul(backend.fromArray(a, aShape), backend.fromArray(b, bShape), {
                  transA,
                  transB,
                  bias: backend.fromArray(bias, [N]),
                  activation,
                }).read(),
              );
            const r = allclose(await run(gpu), await run(cpu), 1e-4, 1e-4, `${variant.name} ${M}×${K}×${N} tA=${transA} tB=${transB}`);
            expect(r.ok, r.message).toBe(true);
          }
        }
      }
    });
  }
});

describe('per-shape GEMM plan (no pinned variant)', () => {
  it('narrow outputs take a narrower tile, long K with few outputs is split, and the results match the CPU', async () => {
    setMatmulVariant(gpu, null);
    const wide = matmulVariant(gpu);
    // The first conv layer's output (16 channels) and its weight gradient (16 × 27 over 32·32·32 pixels).
    const narrow = gemmPlan(gpu, { M: 32768, N: 16, K: 27 });
    expect(narrow.variant.tileN).toBeLessThan(wide.tileN);
    expect(narrow.kChunk).toBe(0);
    const long = gemmPlan(gpu, { M: 16, N: 27, K: 32768 });
    expect(long.kChunk).toBeGreaterThan(0);
    expect(long.kChunk).toBeLessThan(32768);
    expect(gemmPlan(gpu, { M: 256, N: 256, K: 256 })).toEqual({ variant: wide, kChunk: 0 });
    // A GRU's recurrent weight gradient at H 128 (M 384, N 128, K = B·T 1024): a fallback
    // adapter's few CPU threads are busy without splitting K; other adapters split it.
    const gruWeightGrad = gemmPlan(gpu, { M: 384, N: 128, K: 1024 });
    const gruTiles = Math.ceil(128 / gruWeightGrad.variant.tileN) * Math.ceil(384 / gruWeightGrad.variant.tileM);
    if (gpu.gpu.info.isFallbackAdapter && gruTiles >= 24) expect(gruWeightGrad.kChunk).toBe(0);
    if (!gpu.gpu.info.isFallbackAdapter && gruTiles < 32) expect(gruWeightGrad.kChunk).toBeGreaterThan(0);
    for (const [M, K, N] of [[300, 27, 16], [130, 144, 32], [16, 4096, 27], [32, 2100, 144]]) {
      for (const [transA, transB] of [[false, true], [true, false], [false, false]]) {
        const a = seededValues(M * K, M + 5 * K);
        const b = seededValues(K * N, N + 3 * K);
        const bias = seededValues(N, 7);
        const run = (backend: CpuBackend | WebGpuBackend) =>
          scope(() =>
            matmul(backend.fromArray(a, transA ? [K, M] : [M, K]), backend.fromArray(b, transB ? [N, K] : [K, N]), {
              transA,
              transB,
              bias: backend.fromArray(bias, [N]),
              activation: 'relu',
            }).read(),
          );
        const r = allclose(await run(gpu), await run(cpu), 1e-4, 1e-4, `plan ${M}×${K}×${N} tA=${transA} tB=${transB}`);
        expect(r.ok, r.message).toBe(true);
      }
    }
  });
});
