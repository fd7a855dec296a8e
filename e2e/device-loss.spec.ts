// A GPU device lost mid-training (driver reset, GPU process killed) costs a few steps, not
// the run: the page's test hook `__gatescope.loseGpuDevice()` destroys the training
// worker's device; the notice says where it happened and where training resumed, the run
// goes on learning from its trained weights, and the session saved after the loss holds
// them (a reload continues from them). Tiny model (hidden 8, 90 examples, a high learning rate) to keep
// the three pipeline builds (first device, new device, after the reload) short. On WebGPU
// by choice (backend=webgpu): on this machine's software adapter the app would otherwise
// choose the faster CPU engine for this model, and there is then no device to lose.
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

const TINY = 'data=clues&clues.n=90&img=16&hidden=8&embed=8&epochs=100&lr=0.03&backend=webgpu';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('training survives a lost GPU device and keeps learning from where it was', async ({ page }) => {
  const { check } = watchErrors(page);
  const t0 = Date.now();
  const mark = (what: string) => console.log(`${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.goto(`/?${TINY}&tab=train`);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await page.getByTestId('train-start').click();
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'validation')).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  const validationBefore = await chartValues(page, 'chart-loss', 'validation');
  const accuracyBefore = await chartValues(page, 'chart-metric', 'accuracy');
  const firstLosses = (await chartValues(page, 'chart-loss', 'loss')).slice(0, 3);
  const stepBefore = await progressStep(page);
  mark('device lost');

  await page.evaluate(() => (window as unknown as { __gatescope: { loseGpuDevice(): void } }).__gatescope.loseGpuDevice());
  const notice = page.getByTestId('device-notice');
  await expect(notice).toContainText('training resumed from step', { timeout: 60_000 });
  mark('recovered');
  const text = await notice.innerText();
  console.log(text);
  const m = text.match(/The GPU was reset at step (\d+); training resumed from step (\d+) on a new GPU device\. (\d+|No) steps? (?:was|were|had to be) repeated\./);
  expect(m, text).not.toBeNull();
  const lostAt = Number(m![1]);
  const resumedFrom = Number(m![2]);
  expect(lostAt).toBeGreaterThanOrEqual(stepBefore);
  expect(resumedFrom).toBeGreaterThan(0);
  expect(resumedFrom).toBeLessThanOrEqual(lostAt);
  await expect(page.getByTestId('run-status')).not.toContainText('Paused');

  // Trains on past the step it was lost at, from the trained weights: two more epochs.
  const kept = (await chartValues(page, 'chart-loss', 'validation')).length;
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBeGreaterThan(lostAt);
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'validation')).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(kept + 2);
  mark('two epochs later');
  const validationAfter = await chartValues(page, 'chart-loss', 'validation');
  const accuracyAfter = await chartValues(page, 'chart-metric', 'accuracy');
  console.log(`validation loss ${validationBefore.map((v) => v.toFixed(3)).join(' ')} | after ${validationAfter.map((v) => v.toFixed(3)).join(' ')}`);
  console.log(`accuracy ${accuracyBefore.map((v) => v.toFixed(2)).join(' ')} | after ${accuracyAfter.map((v) => v.toFixed(2)).join(' ')}`);
  const recent = validationAfter.slice(-2);
  // Not an untrained model again: the epochs after the reset are below the first epoch and
  // at least as good as the epochs just before it.
  expect(mean(recent)).toBeLessThan(validationBefore[0]);
  expect(mean(recent)).toBeLessThanOrEqual(mean(validationBefore.slice(-2)) + 0.02);
  expect(mean(accuracyAfter.slice(-2))).toBeGreaterThanOrEqual(accuracyBefore[0]);

  // Saved after the loss, without an error.
  await expect.poll(async () => Number(await page.getByTestId('session-saved').getAttribute('data-saved-step')), { timeout: 30_000 }).toBeGreaterThanOrEqual(resumedFrom);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused at step \d+$/, { timeout: 30_000 });
  const paused = await progressStep(page);
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', String(paused), { timeout: 30_000 });

  // The saved session holds the trained weights: after a reload, one more step's loss is
  // far below the untrained model's first losses.
  mark('saved');
  await page.reload();
  await expect(page.getByTestId('session-notice')).toContainText('Session restored from', { timeout: 60_000 });
  mark('restored');
  expect(await progressStep(page)).toBe(paused);
  await page.getByTestId('train-step').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(paused + 1);
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).length).toBeGreaterThan(paused);
  mark('stepped after the reload');
  const losses = await chartValues(page, 'chart-loss', 'loss');
  const last = losses[losses.length - 1];
  console.log(`first losses ${firstLosses.map((v) => v.toFixed(3)).join(' ')} | after the reload ${last.toFixed(3)}`);
  expect(last).toBeLessThan(0.8 * mean(firstLosses));
  check();
});
