// Sessions survive a reload: train, pause (the session is saved at once), reload, see the
// "restored from" notice with the same step and metrics history, resume training. Then a
// corrupt checkpoint is refused with its file name and the session stays as it was.
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

test('a reload restores the session, training resumes, a corrupt checkpoint changes nothing', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?data=clues&clues.n=90&img=16&epochs=200&tab=train');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await page.getByTestId('train-start').click();
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'validation')).length, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused at step \d+$/, { timeout: 30_000 });
  const step = await progressStep(page);
  expect(step).toBeGreaterThan(0);
  // Saved at once on pause, with every finished epoch (the last may end after the pause).
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', String(step), { timeout: 30_000 });
  const epochs = Number(await page.getByTestId('session-saved').getAttribute('data-saved-epochs'));
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'validation')).length).toBe(epochs);
  const validation = await chartValues(page, 'chart-loss', 'validation');
  // The per-step line reads the live buffer on its own tick: wait until it holds every step.
  await expect.poll(async () => (await chartValues(page, 'chart-loss', 'loss')).length).toBe(step);
  const losses = await chartValues(page, 'chart-loss', 'loss');

  await page.reload();
  await expect(page.getByTestId('session-notice')).toContainText('Session restored from', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused at step \d+$/, { timeout: 60_000 });
  expect(await progressStep(page)).toBe(step);
  await expect.poll(() => chartValues(page, 'chart-loss', 'validation')).toEqual(validation);
  // The per-step series comes from the live buffer, which the chart reads on its own tick.
  await expect.poll(() => chartValues(page, 'chart-loss', 'loss')).toEqual(losses);

  // Resume: the step count goes on from where it was.
  await page.getByTestId('train-start').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBeGreaterThan(step + 2);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused at step \d+$/, { timeout: 30_000 });
  const resumed = await progressStep(page);
  expect((await chartValues(page, 'chart-loss', 'validation')).slice(0, validation.length)).toEqual(validation);

  // A corrupt checkpoint: a clear message naming the file; the session is untouched.
  await page.getByRole('tab', { name: 'Export', exact: true }).click();
  await page.getByTestId('load-checkpoint').setInputFiles({ name: 'broken.gatescope.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a checkpoint at all') });
  await expect(page.getByTestId('checkpoint-status')).toContainText('broken.gatescope.safetensors');
  await expect(page.getByTestId('checkpoint-status')).toContainText('The current session was not changed.');
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused at step \d+$/);
  expect(await progressStep(page)).toBe(resumed);

  // The trained model, exported and run in ONNX Runtime, agrees with GateScope.
  await page.getByTestId('verify-onnx').click();
  await expect(page.getByTestId('verify-result')).toContainText('within 0.0001', { timeout: 120_000 });
  await page.screenshot({ path: 'e2e/screenshots/export.png', fullPage: true });
  check();
});

test('a link to another setup keeps its setup and offers the saved session', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?data=clues&clues.n=90&img=16&epochs=200&tab=train');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  for (let k = 1; k <= 3; k++) {
    await page.getByTestId('train-step').click();
    await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(k);
  }
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', '3', { timeout: 30_000 });

  // The same data with another hidden size: the link wins, the saved session is offered.
  await page.goto('/?data=clues&clues.n=90&img=16&epochs=200&hidden=16&tab=model');
  await expect(page.getByTestId('restore-offer')).toContainText('was not restored because this link sets up another model');
  await expect(page.getByTestId('model-hidden')).toHaveValue('16');
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  expect(await progressStep(page)).toBe(0);

  await page.getByTestId('restore-offer-accept').click();
  await expect(page.getByTestId('session-notice')).toContainText('Session restored from', { timeout: 60_000 });
  await expect(page.getByTestId('restore-offer')).toHaveCount(0);
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(3);
  await expect(page.getByTestId('model-hidden')).toHaveValue('64');
  check();
});
