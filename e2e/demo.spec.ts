// The "Why LSTM?" demo from the first screen: it loads the long-memory task with a plain
// RNN, trains it, and the gradient-over-time chart shows the vanishing gradient (the
// first word gets a much smaller gradient than the last) and calls it so.
import { expect, test } from '@playwright/test';
import { chartValues, watchErrors } from './helpers.ts';

test('Why LSTM? drives the app and shows the vanishing gradient', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('demo-why-lstm').click();
  await expect(page.getByTestId('demo-guide')).toContainText('step 1 of');
  await expect(page.getByTestId('demo-text')).toContainText('first word');
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('dataset-source-memory')).toBeChecked();
  await expect(page.getByTestId('dataset-name')).toContainText('Remember the first word (T = 60)');
  await page.screenshot({ path: 'e2e/screenshots/demo-why-lstm.png' });
  await page.getByTestId('demo-next').click();
  await expect(page.getByTestId('demo-guide')).toContainText('step 2 of');
  await page.getByTestId('demo-action').click();
  await expect(page.getByRole('tab', { name: 'Train' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('session-summary')).toContainText('RNN (tanh) · text fusion');
  await expect.poll(async () => (await chartValues(page, 'chart-time', 'mean')).length, { timeout: 120_000 }).toBe(60);
  // Values are ordered by distance from the last token: [0] is the last word, [59] the first.
  const profile = await chartValues(page, 'chart-time', 'mean');
  expect(profile[59]).toBeLessThan(profile[0] / 10);
  await expect(page.getByTestId('chart-time')).toContainText('vanishing —');
  await expect(page.getByTestId('chart-time-note')).toContainText('padding never counts');
  // The demo's four epochs (176 steps) take seconds on either backend: let them finish.
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 120_000 });
  await page.screenshot({ path: 'e2e/screenshots/demo-why-lstm-train.png', fullPage: true });
  await page.getByRole('button', { name: 'Close the demo' }).click();
  await expect(page.getByTestId('demo-guide')).toHaveCount(0);
  check();
});

test('Why clip? shows the loss becoming NaN without clipping, and learning with it', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('demo-why-clip').click();
  await expect(page.getByTestId('demo-text')).toContainText('1.1 × the identity');
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('model-cell')).toHaveValue('rnn_relu');
  await expect(page.getByTestId('model-identity')).toHaveValue('1.1');
  await expect(page.getByTestId('dataset-name')).toContainText('Remember the first word (T = 20)');

  // Without clipping: a few steps, then NaN; the run pauses and says where.
  await page.getByTestId('demo-next').click();
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('nan-notice')).toContainText(/Training paused: .* became NaN or infinite at step \d/, { timeout: 120_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/^Paused/);
  // The chart redraws on its own throttle: its values can lag the notice. Wait until it has
  // a value for every step up to the one the notice names.
  const nanStep = Number((await page.getByTestId('nan-notice').innerText()).match(/at step (\d+)/)![1]);
  await expect.poll(async () => (await chartValues(page, 'chart-grad', 'gradNorm')).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(nanStep);
  // The chart's values up to the first non-finite one (NaN arrives as null).
  const norms0 = await chartValues(page, 'chart-grad', 'gradNorm');
  const cut = norms0.findIndex((v) => v === null || !Number.isFinite(v));
  const exploded = cut < 0 ? norms0 : norms0.slice(0, cut);
  console.log(`why clip, gradient norms: ${norms0.map(String).join(' ')}`);
  expect(exploded.length).toBeGreaterThanOrEqual(2);
  expect(exploded.length).toBeLessThanOrEqual(5);
  // Four orders of magnitude or more within those few steps.
  expect(Math.max(...exploded)).toBeGreaterThan(1e4 * exploded[0]);
  await page.screenshot({ path: 'e2e/screenshots/demo-why-clip-nan.png', fullPage: true });

  // With clipping, nothing else changed: the same model learns the task within 2 epochs.
  await page.getByTestId('demo-next').click();
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('nan-notice')).toHaveCount(0);
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 150_000 });
  const accuracy = await chartValues(page, 'chart-metric', 'accuracy');
  expect(accuracy).toHaveLength(2);
  expect(accuracy[1]).toBeGreaterThanOrEqual(0.95);
  const norms = await chartValues(page, 'chart-grad', 'gradNorm');
  expect(norms.every(Number.isFinite)).toBe(true);
  await page.screenshot({ path: 'e2e/screenshots/demo-why-clip-clipped.png', fullPage: true });
  check();
});

// The acceptance of "Why fuse?" through the app: the demo's own buttons load the colour
// questions and queue text only, image only and late fusion in Compare. Text and image
// alone must end at chance (1/3 ± 5 points) and late fusion at ≥ 90 % validation accuracy,
// each within 600 training steps. About 7 minutes on SwiftShader (3 × 594 steps).
test('Why fuse? queues three runs: text and image alone at chance, late fusion above 90 %', async ({ page }) => {
  test.setTimeout(1_500_000);
  const { check } = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('demo-why-fuse').click();
  await page.getByTestId('demo-action').click();
  await expect(page.getByTestId('dataset-name')).toContainText('Shapes & Questions');
  await page.getByTestId('demo-next').click();
  await page.getByTestId('demo-action').click();
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  const rows = page.getByTestId('compare-row');
  await expect(rows).toHaveCount(3);
  await expect(page.locator('[data-testid=compare-row][data-status=done]')).toHaveCount(3, { timeout: 1_400_000 });
  const final: Record<string, number> = {};
  for (let i = 0; i < 3; i++) {
    const row = rows.nth(i);
    const name = (await row.locator('th').innerText()).trim();
    const steps = Number(await row.locator('td').nth(2).innerText());
    const accuracy = await chartValues(page, 'chart-compare-metric', (await row.getAttribute('data-run'))!);
    console.log(`why fuse · ${name}: ${steps} steps, validation accuracy by epoch ${accuracy.map((a) => a.toFixed(3)).join(' ')}`);
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThanOrEqual(600);
    final[name] = accuracy[accuracy.length - 1];
  }
  const [text, image, late] = Object.keys(final);
  expect(text).toMatch(/text/i);
  expect(image).toMatch(/image/i);
  expect(late).toMatch(/late/i);
  expect(Math.abs(final[text] - 1 / 3)).toBeLessThanOrEqual(0.05);
  expect(Math.abs(final[image] - 1 / 3)).toBeLessThanOrEqual(0.05);
  expect(final[late]).toBeGreaterThanOrEqual(0.9);
  await page.screenshot({ path: 'e2e/screenshots/demo-why-fuse.png', fullPage: true });
  check();
});
