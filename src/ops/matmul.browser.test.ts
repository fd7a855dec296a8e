// Every GEMM variant against the CPU reference on shapes that hit tile edges, for all
// transpose combinations with bias and activation epilogues (subgroup-shared variants
// where the adapter's subgroups are 4 wide).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { CpuBackend } from '../backend/cpu.ts';
import { allclose } from '../autograd/gradcheck.ts';
import { scope } from '../tensor.ts';
import { GEMM_VARIANTS } from './gemm-kernels.ts';
import { matmul, setMatmulVariant } from './matmul.ts';
import { fourWideSubgroups } from '../gpu/tuning.ts';
import { seededValues } from './testing.ts';

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
