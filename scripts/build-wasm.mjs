// Builds the WebAssembly SIMD engine (wasm/*.ts, AssemblyScript) with asc from npm:
//   wasm/build/engine.wasm       memory imported from env.memory, not shared: runs anywhere
//   wasm/build/engine-shared.wasmmemory imported and shared (threads feature): one
//                                SharedArrayBuffer that a later worker pool instantiates the
//                                same module on, so every worker sees the same tensors
//   wasm/build/engine-relaxed.wasm, engine-relaxed-shared.wasm  the same with relaxed SIMD
//                                (f32x4 relaxed_madd): Chrome ≥ 114 runs them; Node 20 only
//                                with --experimental-wasm-relaxed-simd
//   and a .wat beside each (text format, for reading which instructions are used).
// Both use SIMD (128-bit), -O3, --runtime stub (the module allocates nothing; the loader
// lays out memory). The memory is imported rather than exported so that the page (or the
// main thread) creates it once and passes the same WebAssembly.Memory to every worker's
// instance; a module that exports its own memory would give each instance a separate one.
// Shared and plain builds because a module that imports shared memory cannot be given a plain one, and
// a page without cross-origin isolation cannot create shared memory.
// The outputs are not committed (.gitignore): `npm install` builds them (the `prepare`
// script) and `npm test` rebuilds them when missing or older than their sources.
// `node scripts/build-wasm.mjs` builds; `--if-stale` builds only when needed.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'wasm');
const outDir = join(srcDir, 'build');
/** Maximum memory of the shared build, in 64 KiB pages (required for shared memory): 1 GiB. */
const SHARED_MAX_PAGES = 16384;

const SHARED = ['--sharedMemory', '--maximumMemory', String(SHARED_MAX_PAGES), '--enable', 'threads'];
/** Relaxed SIMD: the micro-kernel uses f32x4 relaxed_madd (ASC_FEATURE_RELAXED_SIMD in wasm/gemm.ts). */
const RELAXED = ['--enable', 'relaxed-simd'];

const variants = [
  { name: 'engine', entry: 'engine.ts', flags: [] },
  { name: 'engine-shared', entry: 'engine.ts', flags: SHARED },
  { name: 'engine-relaxed', entry: 'engine.ts', flags: RELAXED },
  { name: 'engine-relaxed-shared', entry: 'engine.ts', flags: [...RELAXED, ...SHARED] },
];

export const wasmOutputs = variants.map((v) => join(outDir, `${v.name}.wasm`));

/** True when an output is missing or older than a source (wasm/*.ts) or this script. */
export function wasmStale() {
  const sources = readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(srcDir, f));
  sources.push(fileURLToPath(import.meta.url));
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  return wasmOutputs.some((o) => !existsSync(o) || statSync(o).mtimeMs < newest);
}

export async function buildWasm() {
  let asc;
  try {
    ({ default: asc } = await import('assemblyscript/asc'));
  } catch (e) {
    throw new Error(`build-wasm: cannot load the AssemblyScript compiler (assemblyscript/asc): run \`npm install\` (${e.message})`, { cause: e });
  }
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  for (const v of variants) {
    const args = [
      join(srcDir, v.entry),
      '--outFile', join(outDir, `${v.name}.wasm`),
      '--textFile', join(outDir, `${v.name}.wat`),
      '-O3', '--noAssert',
      '--runtime', 'stub',
      '--importMemory',
      '--enable', 'simd',
      ...v.flags,
    ];
    const { error, stderr } = await asc.main(args);
    if (error) {
      console.error(stderr.toString());
      throw new Error(`build-wasm: asc failed for wasm/${v.entry} (${v.name}): ${error.message}`);
    }
  }
  console.log(`build-wasm: ${variants.map((v) => `wasm/build/${v.name}.wasm`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && !wasmStale()) console.log('build-wasm: up to date');
  else await buildWasm();
}
