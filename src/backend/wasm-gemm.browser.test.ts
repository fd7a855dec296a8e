// The WebAssembly SIMD GEMM in Chromium (the engine's real target): the plain and the
// relaxed-SIMD builds load from the dev server and agree with the CPU backend's matmul
// kernel within the f32 rounding bound (see wasm-gemm.test.ts, which sweeps every size
// in Node). Also records whether the page could create shared memory (it needs
// cross-origin isolation), which the worker pool will depend on.
import { describe, expect, it } from 'vitest';
import { loadWasmGemm } from './wasm-gemm.ts';
import { gemm as cpuGemm } from '../ops/matmul-cpu.ts';
import { Random } from '../random.ts';

async function bytesOf(url: URL): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status} (run \`node scripts/build-wasm.mjs\`)`);
  return r.arrayBuffer();
}

const builds = {
  plain: new URL('../../wasm/build/engine.wasm', import.meta.url),
  relaxed: new URL('../../wasm/build/engine-relaxed.wasm', import.meta.url),
};

describe('wasm SIMD GEMM in Chromium', () => {
  for (const [name, url] of Object.entries(builds)) {
    it(`${name} build: every transpose at odd sizes matches the CPU kernel`, async () => {
      const bytes = await bytesOf(url);
      // Chromium ≥ 114 runs relaxed SIMD by default; the plain build needs SIMD only.
      expect(WebAssembly.validate(bytes), `${name} build does not validate in this browser`).toBe(true);
      const engine = await loadWasmGemm(bytes);
      const rng = new Random(3);
      for (const [M, N, K] of [[1, 1, 1], [17, 33, 65], [65, 127, 300]]) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const a = Float32Array.from({ length: M * K }, () => rng.uniform(-1, 1));
            const b = Float32Array.from({ length: K * N }, () => rng.uniform(-1, 1));
            const got = engine.gemm(a, b, M, N, K, transA, transB);
            const ref = new Float64Array(M * N);
            cpuGemm({ data: a, trans: transA }, { data: b, trans: transB }, ref, M, N, K);
            const absRef = new Float64Array(M * N);
            cpuGemm({ data: a.map(Math.abs), trans: transA }, { data: b.map(Math.abs), trans: transB }, absRef, M, N, K);
            for (let i = 0; i < M * N; i++) {
              const bound = 2 * (K + 1) * 2 ** -24 * absRef[i] + 1e-30;
              if (Math.abs(got[i] - ref[i]) > bound) {
                expect.fail(`${name} M=${M} N=${N} K=${K} transA=${transA} transB=${transB}: C[${i}] = ${got[i]}, reference ${ref[i]}`);
              }
            }
          }
        }
      }
      // Speed in this browser, for the record (not asserted): 256³, best of 20 calls after
      // 300 ms of warm-up (Chromium first compiles with its baseline tier, then optimizes).
      const n = 256;
      const a = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
      const b = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
      const out = new Float32Array(n * n);
      for (const start = performance.now(); performance.now() - start < 300; ) engine.gemm(a, b, n, n, n, false, false, out);
      let ms = Infinity;
      for (let r = 0; r < 20; r++) {
        const t0 = performance.now();
        engine.gemm(a, b, n, n, n, false, false, out);
        ms = Math.min(ms, performance.now() - t0);
      }
      console.log(`wasm GEMM (${name}) in Chromium: 256³ in ${ms.toFixed(2)} ms = ${((2 * n ** 3) / (ms * 1e6)).toFixed(1)} GFLOP/s; crossOriginIsolated=${globalThis.crossOriginIsolated}`);
    });
  }
});
