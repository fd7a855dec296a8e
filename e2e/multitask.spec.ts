// Multi-task learning from the UI, on WebGPU (backend=webgpu). Complementary clues with
// "also predict the shape": one small model, two heads (the pair, 9 classes; the shape,
// 3 classes), trained a bounded number of steps; both tasks' validation accuracies are
// read from the Evaluate panel's per-task table and must show both solved. The Train
// panel shows each task's loss weight and the per-task charts; a reload restores the
// session with its tasks. A manifest whose second label column has an empty cell: the
// row is named in the report and the rest imports with both tasks.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

/** 300 examples → 210 for training, batch 16: 14 steps per epoch; 10 epochs = 140 steps. */
const STEPS = 140;
const LINK = `data=clues&clues.n=300&clues.also=shape&img=16&cell=gru&hidden=16&embed=8&channels=8&imgfeat=16&head=32&lr=0.01&batch=16&epochs=10&readback=2&backend=webgpu`;

test('Complementary clues with a second head learns both tasks', async ({ page }) => {
  const { check } = watchErrors(page);
  const started = Date.now();
  await page.goto(`/?${LINK}&tab=data`);
  await expect(page.getByTestId('clues-also-shape')).toBeChecked();
  await expect(page.getByTestId('clues-also-colour')).not.toBeChecked();
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 90_000 });
  await expect(page.getByTestId('task-weight-shape')).toHaveValue('1');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 180_000 });
  expect(await progressStep(page)).toBe(STEPS);
  // One line per task in the per-task charts, measured each epoch.
  const shapeLoss = await chartValues(page, 'chart-task-loss', 'task1');
  const primaryLoss = await chartValues(page, 'chart-task-loss', 'task0');
  expect(shapeLoss).toHaveLength(10);
  expect(shapeLoss[shapeLoss.length - 1]).toBeLessThan(shapeLoss[0]);
  expect(primaryLoss[primaryLoss.length - 1]).toBeLessThan(primaryLoss[0]);
  await page.getByRole('tab', { name: 'Evaluate', exact: true }).click();
  await page.getByTestId('evaluate-split').selectOption('validation');
  await page.getByTestId('evaluate-run').click();
  const rows = page.getByTestId('evaluate-task');
  await expect(rows).toHaveCount(2, { timeout: 60_000 });
  const accuracy = async (task: string) => Number((await page.locator(`[data-testid="evaluate-task"][data-task="${task}"] [data-testid="evaluate-task-accuracy"]`).innerText()).replace('%', '')) / 100;
  const primary = await accuracy('primary');
  const shape = await accuracy('shape');
  console.log(`after ${STEPS} steps: validation accuracy primary ${primary.toFixed(3)}, shape ${shape.toFixed(3)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  // Solved: chance is 1/9 for the pair and 1/3 for the shape.
  expect(primary).toBeGreaterThanOrEqual(0.9);
  expect(shape).toBeGreaterThanOrEqual(0.9);

  // The session keeps it: after a reload the tasks, their charts and the trained heads are back.
  await expect(page.getByTestId('session-saved')).toHaveAttribute('data-saved-step', String(STEPS), { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('session-notice')).toContainText('Session restored from', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await expect.poll(() => chartValues(page, 'chart-task-loss', 'task1'), { timeout: 30_000 }).toEqual(shapeLoss);
  await expect(page.getByTestId('task-weight-shape')).toHaveValue('1');
  await page.getByRole('tab', { name: 'Evaluate', exact: true }).click();
  await page.getByTestId('evaluate-split').selectOption('validation');
  await page.getByTestId('evaluate-run').click();
  await expect(page.getByTestId('evaluate-task')).toHaveCount(2, { timeout: 60_000 });
  expect(await accuracy('shape')).toBeCloseTo(shape, 6);
  expect(await accuracy('primary')).toBeCloseTo(primary, 6);
  console.log(`with the reload and restore: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  check();
});

test('a second label column with an empty cell: the row is reported by file and row, the rest imports with both tasks', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?img=16&hidden=8&embed=8');
  await page.getByTestId('dataset-source-import').check();
  await page.getByTestId('import-file-input').setInputFiles(join(import.meta.dirname, 'fixtures', 'multitask', 'two-labels.csv'));
  await expect(page.getByTestId('column-mapping')).toBeVisible();
  await page.getByTestId('mapping-target').selectOption('label');
  await page.getByTestId('mapping-extra-add').selectOption('topic');
  await expect(page.getByTestId('mapping-extra-target')).toContainText('task “topic”');
  await page.getByTestId('import-load').click();
  const bad = page.locator('[data-testid="report-row"][data-code="extra-target-invalid"]');
  await expect(bad).toHaveCount(1, { timeout: 60_000 });
  await expect(bad).toHaveAttribute('data-file', 'two-labels.csv');
  await expect(bad).toHaveAttribute('data-row', '8');
  await expect(bad).toContainText('column "topic" (task "topic"): it is empty; skipped');
  await expect(page.getByTestId('rows-kept')).toHaveText('11');
  await page.getByRole('tab', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('task-weight-topic')).toBeVisible({ timeout: 60_000 });
  check();
});
