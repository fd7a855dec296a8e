// Where WebGPU is missing the app says so in plain words and trains on the CPU backend
// (DESIGN.md, "Rules of the app"). navigator.gpu is deleted in the page (init script) and
// in every worker (its script is served with the same deletion in front), because the
// training worker picks its backend itself. A tiny model trains for a number of steps and
// its loss falls.
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

const TINY = 'data=clues&clues.n=90&img=16&hidden=8&embed=8&epochs=100&lr=0.03';
const DELETE_GPU = 'delete Object.getPrototypeOf(navigator).gpu;\n';
const STEPS = 40;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('without WebGPU the app says so and trains on the CPU', async ({ page, context }) => {
  const { check } = watchErrors(page);
  await page.addInitScript(DELETE_GPU);
  await context.route(/\/assets\/[^/]*\.worker-[^/]*\.js$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: DELETE_GPU + (await response.text()) });
  });
  await page.goto(`/?${TINY}&tab=train`);
  expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);

  const badge = page.getByTestId('backend-badge');
  // Before the training worker reports, the page's own probe says "CPU — …"; once it has, the
  // badge names the CPU engine it trains on: the WebAssembly SIMD engine, not the JS reference.
  const cpuWords = /^CPU( \(WebAssembly SIMD[^)]*\))? — WebGPU unavailable: this browser has no WebGPU \(navigator\.gpu is missing\)/;
  const engineWords = /^CPU \(WebAssembly SIMD, relaxed FMA, \d+ threads?[^)]*\) — WebGPU unavailable: this browser has no WebGPU \(navigator\.gpu is missing\)/;
  await expect(badge).toHaveText(cpuWords);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });

  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  // The training worker reported the CPU backend and why (a worker that found WebGPU would
  // have replaced this with the adapter's name).
  await expect(badge).toHaveText(engineWords);
  await expect(badge).toHaveClass(/\bbackend-cpu\b/);

  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(STEPS);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused/);
  const loss = await chartValues(page, 'chart-loss', 'loss');
  console.log(`CPU loss over ${loss.length} steps: first ten ${mean(loss.slice(0, 10)).toFixed(3)}, last ten ${mean(loss.slice(-10)).toFixed(3)}`);
  expect(loss.every((v) => Number.isFinite(v))).toBe(true);
  expect(mean(loss.slice(-10))).toBeLessThan(mean(loss.slice(0, 10)));
  await expect(badge).toHaveClass(/\bbackend-cpu\b/);
  check();
});
