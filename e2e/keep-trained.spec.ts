// A trained model is never lost silently: single steps from idle read "Paused at step N";
// Step and Train after a finished run go on with the trained model (more epochs) and its
// autosave; settings that describe another model make Train/Step ask first. A checkpoint
// of another model setup says how the settings changed and brings its loss chart back.
// A learning rate changed in the page (and so in the URL) does not block the restore.
// Tiny models (hidden 8, 50–90 examples, 1 epoch of 2 steps) keep these tests short.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

const TINY = 'data=clues&clues.n=90&img=16&hidden=8&embed=8&epochs=1';

test('Step and Train after a finished run continue the trained model; another model is only built after asking', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?${TINY}&tab=train`);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });

  // A single step from idle: paused at that step.
  await page.getByTestId('train-step').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(1);
  await expect(page.getByTestId('run-status')).toHaveText('Paused at step 1');

  // Train to the end of the one epoch.
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  const end = await progressStep(page);
  expect(end).toBeGreaterThan(1);
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', String(end), { timeout: 30_000 });
  await expect(page.getByTestId('train-start')).toContainText('Train more');
  const losses = await chartValues(page, 'chart-loss', 'loss');
  expect(losses.length).toBeGreaterThan(0);

  // Step after the finished run: one more step of the same model, with one more epoch to go.
  await page.getByTestId('train-step').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(end + 1);
  await expect(page.getByTestId('run-status')).toHaveText(`Paused at step ${end + 1}`);
  await expect(page.getByTestId('setting-epochs')).toHaveValue('2');
  // The chart redraws on its own throttle after the session is rebuilt: poll it.
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).slice(0, end)).toEqual(losses);
  const saved = Number(await page.getByTestId('session-saved').getAttribute('data-saved-step'));
  expect(saved).toBeGreaterThanOrEqual(end);

  // Train goes on to the end of the second epoch.
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  expect(await progressStep(page)).toBe(2 * end);
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', String(2 * end), { timeout: 30_000 });

  // Another model in the settings: Step asks; keeping the trained model changes nothing.
  await page.getByRole('tab', { name: 'Model', exact: true }).click();
  await page.getByTestId('model-hidden').fill('16');
  await expect(page.getByTestId('train-start')).toContainText('Train again');
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('replace-question')).toContainText('hidden 8 → 16');
  await expect(page.getByTestId('replace-question')).toContainText(`step ${2 * end}`);
  await page.getByTestId('replace-question-keep').click();
  await expect(page.getByTestId('replace-question')).toHaveCount(0);
  expect(await progressStep(page)).toBe(2 * end);
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', String(2 * end));

  // Asked again and agreed: a new model takes its first step.
  await page.getByTestId('train-step').click();
  await page.getByTestId('replace-question-accept').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(1);
  await expect(page.getByTestId('run-status')).toHaveText('Paused at step 1');
  check();
});

test('a checkpoint of another model says what changed and brings back its loss chart', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?${TINY}&tab=train`);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  const step = await progressStep(page);
  // The chart's value list redraws on its own throttle: read it once it has every step.
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).length).toBe(step);
  const losses = await chartValues(page, 'chart-loss', 'loss');
  await page.getByRole('tab', { name: 'Export', exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-checkpoint').click()]);
  const bytes = await readFile((await download.path())!);

  // A page set up for another model on the same data.
  await page.goto('/?data=clues&clues.n=90&img=16&cell=gru&hidden=12&embed=8&epochs=1&tab=export');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await page.getByTestId('load-checkpoint').setInputFiles({ name: 'tiny.gatescope.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByTestId('checkpoint-status')).toContainText('Loaded tiny.gatescope.safetensors', { timeout: 60_000 });
  await expect(page.getByTestId('settings-change')).toContainText('cell GRU → LSTM');
  await expect(page.getByTestId('settings-change')).toContainText('hidden 12 → 8');
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(step);
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await expect.poll(() => chartValues(page, 'chart-loss', 'loss')).toEqual(losses);
  check();
});

test('a learning rate changed in the page does not keep the session from being restored', async ({ page }) => {
  const { check } = watchErrors(page);
  // Opened without a setup: every setting in the URL afterwards is the app's own writing.
  // A tiny setup, chosen in the panels.
  await page.goto('/?tab=model');
  await page.getByTestId('model-hidden').fill('8');
  await page.getByTestId('model-embedding').fill('8');
  await page.getByRole('tab', { name: 'Data', exact: true }).click();
  await page.getByTestId('setting-image-size').selectOption('16');
  await page.getByTestId('shapes-count').fill('50');
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  // The session of the 50 examples (the default 2400 take 530 steps).
  const totalSteps = async () => Number((await page.getByTestId('progress').innerText()).match(/step \d+\/(\d+)/)?.[1] ?? 1e9);
  await expect.poll(totalSteps, { timeout: 60_000 }).toBeLessThan(100);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await expect.poll(() => page.url()).toContain('shapes.n=50');
  await page.getByTestId('train-step').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(1);
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', '1', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Double the learning rate' }).click();
  await expect(page.getByTestId('setting-lr')).toHaveValue('0.002');
  await expect.poll(() => page.url()).toContain('lr=0.002');

  await page.reload();
  await expect(page.getByTestId('session-notice')).toContainText('Session restored from', { timeout: 60_000 });
  await expect(page.getByTestId('restore-offer')).toHaveCount(0);
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(1);
  await expect(page.getByTestId('setting-lr')).toHaveValue('0.002');
  check();
});
