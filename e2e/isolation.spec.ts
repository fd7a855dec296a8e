// Cross-origin isolation of the built app (vite preview sends the COOP/COEP headers of
// vite.config.ts; README "Deploying"): the page can create shared memory, so the training
// worker's CPU backend loads the WebAssembly engine's shared build and starts its worker
// pool (src/backend/cpu-engine.ts). A tiny model then trains a few steps on it.
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

const TINY = 'data=clues&clues.n=90&img=16&hidden=8&embed=8&epochs=100&lr=0.03';
const STEPS = 20;

test('the built app is cross-origin isolated and the CPU engine trains with its worker pool', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?${TINY}&backend=cpu&tab=train`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });

  // The helpers are nested workers of the training worker, one per thread beyond the first.
  const threads = await page.evaluate(() => Math.min(navigator.hardwareConcurrency, 4));
  const helpers = () => page.workers().filter((w) => /wasm-pool\.worker/.test(w.url())).length;
  await expect.poll(helpers, { timeout: 30_000 }).toBe(threads - 1);

  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(STEPS);
  await page.getByTestId('train-pause').click();
  const loss = await chartValues(page, 'chart-loss', 'loss');
  expect(loss.every((v) => Number.isFinite(v))).toBe(true);
  check();
});
