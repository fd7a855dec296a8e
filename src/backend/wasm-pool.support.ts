// Node tests' worker pool: helpers are worker_threads Workers running wasm-pool-helper.ts
// (transpiled from TypeScript to plain JavaScript here: it imports nothing) on the same
// shared WebAssembly.Memory as the test's thread, which plays the calling thread.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { loadWasmGemm, type WasmGemm } from './wasm-gemm.ts';
import { startPool, type GemmPool, type PoolHelper, type PoolOptions } from './wasm-pool.ts';
import type { HelperReply, HelperStart } from './wasm-pool-helper.ts';
import { engineBytes } from './wasm-engine.support.ts';

let helperSource: string | null = null;

/** wasm-pool-helper.ts as CommonJS, plus a start on the first message from the parent. */
function helperCode(): string {
  if (helperSource) return helperSource;
  const source = readFileSync(new URL('./wasm-pool-helper.ts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  helperSource = `${outputText}
const { parentPort } = require('node:worker_threads');
parentPort.once('message', (start) => exports.runHelper(start, (reply) => parentPort.postMessage(reply)));
`;
  return helperSource;
}

/** A helper in a worker_threads Worker. */
export function nodeHelper(): PoolHelper {
  const worker = new Worker(helperCode(), { eval: true });
  return {
    start: (message: HelperStart) =>
      new Promise<HelperReply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(message);
      }),
    terminate: () => void worker.terminate(),
  };
}

/** A shared build (wasm/build/<name>.wasm) on a new shared memory, with a pool of `threads`. */
export async function nodePooledEngine(name: 'engine-shared' | 'engine-relaxed-shared', options: Omit<PoolOptions, 'spawn'>): Promise<{ engine: WasmGemm; pool: GemmPool }> {
  const module = await WebAssembly.compile(engineBytes(name));
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16384, shared: true });
  const engine = await loadWasmGemm(module, { memory, relaxed: name === 'engine-relaxed-shared' });
  const pool = await startPool(engine, module, { ...options, spawn: () => nodeHelper() });
  return { engine, pool };
}
