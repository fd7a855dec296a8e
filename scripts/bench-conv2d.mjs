// `node scripts/bench-conv2d.mjs [--quick] [--encoder] [--plain] [--out f]`: serves bench/conv2d.html with
// Vite, opens it in headless Chromium (WebGPU on the available adapter), prints the
// conv2d kernel timings and writes bench/conv2d-results.json. --encoder: only the two
// convolutions of the first-run CNN; --plain: the tiles without subgroups.
import { writeFileSync } from 'node:fs';
import { createServer } from 'vite';
import { chromium } from 'playwright';
import { browserArgs, ensureBrowser } from './browser.mjs';

const quick = process.argv.includes('--quick');
const encoder = process.argv.includes('--encoder');
const plain = process.argv.includes('--plain');
// --out f: write the results to f instead of bench/conv2d-results.json.
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'bench/conv2d-results.json';
const port = Number(process.env.GATESCOPE_BENCH_PORT ?? 5184);
const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', port, strictPort: true }, logLevel: 'error' });
await server.listen();
const browser = await chromium.launch({ executablePath: ensureBrowser(), args: browserArgs() });
let results;
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`[page] ${m.text()}`));
  await page.goto(`http://127.0.0.1:${port}/bench/conv2d.html?${[quick && 'quick', encoder && 'encoder', plain && 'plain'].filter(Boolean).join('&')}`);
  await page.waitForFunction(() => window.__benchResults, null, { timeout: 3_600_000, polling: 1000 });
  results = await page.evaluate(() => window.__benchResults);
} finally {
  await browser.close();
  await server.close();
}
if (results.error) {
  console.error(results.error);
  process.exit(1);
}
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2));
console.log(`wrote ${out}`);
