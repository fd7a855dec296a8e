// Loads the WebAssembly SIMD engine for the app's CPU backend: the relaxed-SIMD build where
// the browser validates it (fused multiply-add), else the plain SIMD build; none where
// WebAssembly SIMD is missing, and then the CPU backend runs the plain JavaScript reference.
// `engineNote` says which, for the backend badge.
import { CpuBackend } from './cpu.ts';
import { loadWasmGemm, type WasmGemm } from './wasm-gemm.ts';

const BUILDS = {
  plain: new URL('../../wasm/build/engine.wasm', import.meta.url),
  relaxed: new URL('../../wasm/build/engine-relaxed.wasm', import.meta.url),
};

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

let loading: Promise<EngineLoad> | null = null;

/** Loads the engine once per worker or page. */
export function loadCpuEngine(): Promise<EngineLoad> {
  loading ??= (async () => {
    try {
      const [plain, relaxed] = await Promise.all([fetchBytes(BUILDS.plain), fetchBytes(BUILDS.relaxed).catch(() => null)]);
      return await engineFromBytes(plain, relaxed);
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
