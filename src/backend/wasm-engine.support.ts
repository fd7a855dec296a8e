// Node tests' access to the WebAssembly engine builds (wasm/build/*.wasm, made by
// scripts/build-wasm.mjs; npm install and npm test build them).
import { existsSync, readFileSync } from 'node:fs';
import { engineFromBytes } from './cpu-engine.ts';
import type { WasmGemm } from './wasm-gemm.ts';

/** The bytes of wasm/build/<name>.wasm, or an error that says how to build it. */
export function engineBytes(name: string): Uint8Array<ArrayBuffer> {
  const url = new URL(`../../wasm/build/${name}.wasm`, import.meta.url);
  if (!existsSync(url)) throw new Error(`${url.pathname} is missing: run \`node scripts/build-wasm.mjs\` (npm install and npm test build it)`);
  return new Uint8Array(readFileSync(url));
}

/** The engine the app would load here (relaxed SIMD where this runtime validates it). */
export async function nodeEngine(): Promise<WasmGemm> {
  const { engine, problem } = await engineFromBytes(engineBytes('engine'), engineBytes('engine-relaxed'));
  if (!engine) throw new Error(`no WebAssembly engine: ${problem}`);
  return engine;
}
