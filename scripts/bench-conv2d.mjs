// `node scripts/bench-conv2d.mjs [--quick] [--encoder] [--plain]`: serves bench/conv2d.html with
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
writeFileSync('bench/conv2d-results.json', JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2));
console.log('wrote bench/conv2d-results.json');
