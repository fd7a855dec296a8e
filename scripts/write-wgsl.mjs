// Writes every WGSL module the app can create (src/ops/kernel-registry.ts: the .wgsl
// files that compile alone and every composed module) to a folder, one file per shader
// key, to read or diff them:
//   node scripts/write-wgsl.mjs [out-dir]     (default: wgsl-out/)
// Loads the registry through Vite, which resolves the ?raw imports and the glob.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'vite';

const out = resolve(process.argv[2] ?? 'wgsl-out');
const server = await createServer({ configFile: false, root: resolve(import.meta.dirname, '..'), server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
try {
  const { kernelModules } = await server.ssrLoadModule('/src/ops/kernel-registry.ts');
  const modules = kernelModules();
  for (const m of modules) {
    const file = join(out, `${m.key}.wgsl`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, m.code);
  }
  console.log(`wrote ${modules.length} WGSL modules to ${out}`);
} finally {
  await server.close();
}
