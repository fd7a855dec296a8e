// Loads the WebAssembly SIMD engine for the app's CPU backend. Where the context can run
// threads (cross-origin isolated, so shared memory exists; a worker, where Atomics.wait is
// allowed; more than one core) it loads the shared-memory build and starts the worker pool
// (src/backend/wasm-pool.ts), which splits large GEMMs between threads. Else the plain
// build on one thread, and the engine says why (describe(), shown in the backend badge):
// "1 thread: the page is not cross-origin isolated". In both, the relaxed-SIMD build
// where the browser validates it (fused multiply-add); no engine where WebAssembly SIMD is
// missing, and then the CPU backend runs the plain JavaScript reference.
import { CpuBackend } from './cpu.ts';
import { loadWasmGemm, type WasmGemm } from './wasm-gemm.ts';
import { DEFAULT_MAX_THREADS, startPool, type PoolHelper } from './wasm-pool.ts';
import { MAX_THREADS, type HelperReply, type HelperStart } from './wasm-pool-helper.ts';

const BUILDS = {
  plain: new URL('../../wasm/build/engine.wasm', import.meta.url),
  relaxed: new URL('../../wasm/build/engine-relaxed.wasm', import.meta.url),
  shared: new URL('../../wasm/build/engine-shared.wasm', import.meta.url),
  relaxedShared: new URL('../../wasm/build/engine-relaxed-shared.wasm', import.meta.url),
};

/** Maximum size of the shared memory in 64 KiB pages (1 GiB): the shared builds declare it (scripts/build-wasm.mjs). */
const SHARED_MAX_PAGES = 16384;

export interface EngineLoad {
  engine: WasmGemm | null;
  /** Why there is no engine, in the user's words; null when there is one. */
  problem: string | null;
}

async function fetchBytes(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The engine from the builds' bytes (fetched in the app; read from disk in Node tests). */
export async function engineFromBytes(plain: Uint8Array<ArrayBuffer>, relaxed: Uint8Array<ArrayBuffer> | null): Promise<EngineLoad> {
  if (typeof WebAssembly === 'undefined') return { engine: null, problem: 'this browser has no WebAssembly' };
  if (relaxed && WebAssembly.validate(relaxed)) return { engine: await loadWasmGemm(relaxed, { relaxed: true }), problem: null };
  if (!WebAssembly.validate(plain)) return { engine: null, problem: 'this browser has no WebAssembly SIMD' };
  return { engine: await loadWasmGemm(plain), problem: null };
}

/** True where Atomics.wait may block (workers); a page's main thread throws. */
function canWait(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Threads the engine may use here (min(hardwareConcurrency, DEFAULT_MAX_THREADS)), or why
 * it must stay on one, in the user's words.
 */
export function threadPlan(): { threads: number } | { problem: string } {
  if (typeof SharedArrayBuffer === 'undefined' || globalThis.crossOriginIsolated !== true) return { problem: 'the page is not cross-origin isolated' };
  if (typeof Worker === 'undefined') return { problem: 'this context cannot start workers' };
  if (!canWait()) return { problem: "it runs on the page's main thread" };
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  const threads = Math.min(cores, DEFAULT_MAX_THREADS, MAX_THREADS);
  if (threads < 2) return { problem: 'this device reports one core' };
  return { threads };
}

/** A helper of the pool in a module Worker (wasm-pool.worker.ts). */
function workerHelper(index: number): PoolHelper {
  const worker = new Worker(new URL('./wasm-pool.worker.ts', import.meta.url), { type: 'module', name: `gatescope-gemm-${index}` });
  return {
    start: (message: HelperStart) =>
      new Promise<HelperReply>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<HelperReply>) => resolve(event.data);
        worker.onerror = (event: ErrorEvent) => reject(new Error(`helper worker ${index}: ${event.message || 'failed to load'}`));
        worker.postMessage(message);
      }),
    terminate: () => worker.terminate(),
  };
}

/** The shared build (relaxed where it validates) on a new shared memory, with a pool of `threads`. */
async function pooledEngine(threads: number): Promise<WasmGemm> {
  const relaxed = await fetchBytes(BUILDS.relaxedShared).catch(() => null);
  const useRelaxed = relaxed !== null && WebAssembly.validate(relaxed);
  const bytes = useRelaxed ? relaxed : await fetchBytes(BUILDS.shared);
  const module = await WebAssembly.compile(bytes);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
  const engine = await loadWasmGemm(module, { memory, relaxed: useRelaxed });
  await startPool(engine, module, { threads, spawn: workerHelper });
  return engine;
}

let loading: Promise<EngineLoad> | null = null;

/** Loads the engine once per worker or page. */
export function loadCpuEngine(): Promise<EngineLoad> {
  loading ??= (async () => {
    const plan = typeof WebAssembly === 'undefined' ? { problem: 'this browser has no WebAssembly' } : threadPlan();
    let singleThreadReason = 'problem' in plan ? plan.problem : null;
    if ('threads' in plan) {
      try {
        return { engine: await pooledEngine(plan.threads), problem: null };
      } catch (e) {
        singleThreadReason = `the worker pool did not start (${e instanceof Error ? e.message : String(e)})`;
      }
    }
    try {
      const [plain, relaxed] = await Promise.all([fetchBytes(BUILDS.plain), fetchBytes(BUILDS.relaxed).catch(() => null)]);
      const load = await engineFromBytes(plain, relaxed);
      if (load.engine) load.engine.singleThreadReason = singleThreadReason;
      return load;
    } catch (e) {
      return { engine: null, problem: `the WebAssembly engine did not load (${e instanceof Error ? e.message : String(e)})` };
    }
  })();
  return loading;
}

/** The app's CPU backend: on the SIMD engine when it loads, else the plain reference. */
export async function createCpuBackend(): Promise<CpuBackend> {
  const { engine } = await loadCpuEngine();
  return new CpuBackend(engine ? { engine } : {});
}
