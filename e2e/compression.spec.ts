// Compression from the UI: a small LSTM is trained on Remember the first word, then the
// Export panel's Compression section compares the float32 and int8-weight exports in ONNX
// Runtime (both accuracies, the file sizes and the change shown) and runs the pruning
// sweep, whose 0 % point is the unpruned model's accuracy.
import { expect, test } from '@playwright/test';
import { progressStep, watchErrors } from './helpers.ts';

const QUERY = 'data=memory&memory.n=300&memory.length=6&fusion=text&cell=lstm&hidden=32&embed=16&head=32&lr=0.01&batch=16&epochs=5&readback=2';
const STEPS = 60;

test('int8 export and pruning sweep of a trained model', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?${QUERY}&compress.int8=1&tab=train`);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 90_000 });
  await page.getByTestId('train-start').click();
  // The run ends by itself after its epochs (a pause after N steps would race a fast
  // backend to the end of the run).
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 120_000 });
  const trained = await progressStep(page);
  console.log(`trained ${trained} steps`);
  expect(trained).toBeGreaterThanOrEqual(STEPS);

  await page.getByRole('tab', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('compress-int8')).toBeChecked(); // from the URL
  await page.getByTestId('compress-compare').click();
  await expect(page.getByTestId('compress-int8-result')).toBeVisible({ timeout: 60_000 });
  const f32Row = await page.getByTestId('compress-row-f32').innerText();
  const int8Row = await page.getByTestId('compress-row-int8').innerText();
  const summary = await page.getByTestId('compress-int8-summary').innerText();
  console.log(`float32: ${f32Row} | int8: ${int8Row} | ${summary}`);
  const acc = (s: string) => Number(/([\d.]+)%\s*$/.exec(s)![1]);
  const kb = (s: string) => Number(/([\d.]+) KB/.exec(s)![1]);
  // The model learned the task; int8 weights keep it within 5 points, and the file is at most
  // half the size (measured: 42 %).
  expect(acc(f32Row)).toBeGreaterThanOrEqual(90);
  expect(Math.abs(acc(int8Row) - acc(f32Row))).toBeLessThanOrEqual(5);
  expect(kb(int8Row)).toBeLessThan(0.5 * kb(f32Row));
  expect(summary).toMatch(/accuracy change [+−][\d.]+ points/);

  await page.getByTestId('compress-sweep').click();
  await expect(page.getByTestId('compress-sweep-result')).toBeVisible({ timeout: 90_000 });
  const rows = await page.getByTestId('compress-sweep-row').allInnerTexts();
  console.log(`sweep: ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' | ')}`);
  expect(rows.map((r) => Number(/^(\d+)%/.exec(r)![1]))).toEqual([0, 25, 50, 70, 80, 90, 95]);
  expect(acc(rows[0])).toBe(acc(f32Row));
  expect(acc(rows[6])).toBeLessThan(acc(rows[0]));
  await expect(page.locator('[data-testid="compress-sweep-result"] .recharts-line')).toHaveCount(1);
  check();
});
