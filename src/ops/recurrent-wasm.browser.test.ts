// The recurrent ops on the WebAssembly engine in Chromium, loaded as the app loads it
// (loadCpuEngine: the relaxed-SIMD build where it validates, as here): every output of
// the layer and BPTT ops against the f32 CPU reference (cases in recurrent-wasm-parity.support.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCpuEngine } from '../backend/cpu-engine.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { expectEngineMatches, specName, specs } from './recurrent-wasm-parity.support.ts';

let engine: WasmGemm;

beforeAll(async () => {
  const { engine: loaded, problem } = await loadCpuEngine();
  expect(loaded, problem ?? '').not.toBeNull();
  engine = loaded!;
});

describe('recurrent ops, WebAssembly engine in Chromium vs f32 reference', () => {
  it('runs the relaxed-SIMD build', () => {
    expect(engine.relaxed).toBe(true);
  });
  for (const s of specs) it(specName(s), () => expectEngineMatches(engine, s));
});
