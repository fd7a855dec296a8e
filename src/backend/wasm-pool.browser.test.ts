// The WebAssembly engine's worker pool in Chromium, loaded the way the app loads it
// (loadCpuEngine, src/backend/cpu-engine.ts). Vitest's browser mode serves the same
// Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy headers as vite dev and preview
// (vite.config.ts), so this page is cross-origin isolated: in a worker the engine loads the
// shared build with the pool; on the page's main thread, where Atomics.wait is not
// allowed, it stays on one thread and says why.
import { describe, expect, it } from 'vitest';
import { loadCpuEngine } from './cpu-engine.ts';
import type { PoolCheck } from './wasm-pool.support.worker.ts';

describe('WebAssembly engine threads in Chromium', () => {
  it('the test page is cross-origin isolated', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it("on the page's main thread the engine runs on one thread and says why", async () => {
    const { engine } = await loadCpuEngine();
    expect(engine?.threads).toBe(1);
    expect(engine?.describe()).toMatch(/1 thread: it runs on the page's main thread$/);
  });

  it('in a worker the engine splits GEMMs between threads, helpers run chunks, results match the reference', async () => {
    const worker = new Worker(new URL('./wasm-pool.support.worker.ts', import.meta.url), { type: 'module' });
    const result = await new Promise<PoolCheck>((resolve, reject) => {
      worker.onmessage = (ev: MessageEvent<PoolCheck>) => resolve(ev.data);
      worker.onerror = (ev) => reject(new Error(ev.message));
      worker.postMessage(null);
    });
    worker.terminate();
    expect(result.ok, result.message).toBe(true);
    expect(result.crossOriginIsolated).toBe(true);
    const cores = Math.min(navigator.hardwareConcurrency, 4);
    expect(result.threads, result.description).toBe(cores);
    expect(result.description).toMatch(new RegExp(`^(relaxed FMA, )?${cores} threads$`));
    expect(result.worstError).toBeLessThan(1e-5);
    const helpers = (result.chunksDone ?? []).slice(1).reduce((x, y) => x + y, 0);
    expect(helpers, `chunks per thread ${JSON.stringify(result.chunksDone)} after ${result.rounds} GEMMs`).toBeGreaterThan(0);
    // Speed in this browser, for the record (not asserted: it depends on other load).
    for (const t of result.timings ?? []) {
      const [M, N, K] = t.shape.split('×').map(Number);
      const gflops = (us: number) => ((2 * M * N * K) / us / 1000).toFixed(1);
      console.log(`${result.description}: ${t.shape} 1 thread ${t.oneUs.toFixed(0)} µs (${gflops(t.oneUs)} GFLOP/s), split ${t.splitUs.toFixed(0)} µs (${gflops(t.splitUs)} GFLOP/s)`);
    }
  });
});
