// Knowledge distillation from the UI: a 32-unit LSTM teacher trains on Remember the first
// word, then the Compare panel's "Distil the trained model" trains an 8-unit student on the
// teacher's softened logits (T = 3, α = 0.5, from the URL) and the same student on the
// labels alone. The table shows the three side by side; the student must have learned the
// task and agree with the teacher, with far fewer parameters; made the app's model, it
// exports to ONNX and matches GateScope in ONNX Runtime ("Verify").
import { expect, test } from '@playwright/test';
import { chartValues, progressStep, watchErrors } from './helpers.ts';

const QUERY = 'data=memory&memory.n=300&memory.length=6&fusion=text&cell=lstm&hidden=32&embed=16&head=0&lr=0.01&batch=16&epochs=5&readback=2';
const DISTILL = 'distill.hidden=8&distill.T=3&distill.alpha=0.5&distill.epochs=4';
const TEACHER_STEPS = 60;

test('a student distilled from a trained teacher, against the labels-only student', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto(`/?${QUERY}&${DISTILL}&tab=train`);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 90_000 });
  await page.getByTestId('train-start').click();
  // The run ends by itself after its epochs (a pause after N steps would race a fast
  // backend to the end of the run).
  await expect(page.getByTestId('run-status')).toHaveText(/^Finished/, { timeout: 120_000 });
  const trained = await progressStep(page);
  console.log(`trained ${trained} steps`);
  expect(trained).toBeGreaterThanOrEqual(TEACHER_STEPS);

  await page.getByRole('tab', { name: 'Compare', exact: true }).click();
  await expect(page.getByTestId('distill-hidden')).toHaveValue('8'); // from the URL
  await expect(page.getByTestId('distill-problem')).toHaveCount(0);
  await page.getByTestId('distill-start').click();
  await expect(page.getByTestId('compare-progress')).toHaveText('3 of 3 runs done.', { timeout: 120_000 });
  const rows = page.getByTestId('compare-row');
  await expect(rows).toHaveCount(3);
  const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  console.log(`distillation: ${texts.join(' | ')}`);
  console.log(await page.getByTestId('distill-summary').innerText());
  const pct = async (row: number, cell: string) => Number(/([\d.]+) %/.exec(await rows.nth(row).getByTestId(cell).innerText())![1]);
  const params = async (row: number) => Number((await rows.nth(row).locator('td').nth(1).innerText()).replace(/[^\d]/g, ''));
  expect(texts[0]).toMatch(/^teacher \(32 units\)/);
  expect(texts[1]).toMatch(/^student \(8 units, T = 3, α = 0.5\) done/);
  expect(texts[2]).toMatch(/^labels only \(8 units\) done/);
  expect(await pct(0, 'compare-metric')).toBeGreaterThanOrEqual(90);
  // The student learned the task and its teacher's decisions, with under a fifth of the parameters.
  expect(await pct(1, 'compare-metric')).toBeGreaterThanOrEqual(90);
  expect(await pct(1, 'compare-agreement')).toBeGreaterThanOrEqual(90);
  expect(await params(1)).toBeLessThan(0.2 * (await params(0)));
  expect(await params(2)).toBe(await params(1));
  await expect(page.getByTestId('distill-summary')).toContainText('The same student trained on the labels alone');
  // The student's run is charted like any compared run: its training loss by step falls.
  const studentId = (await rows.nth(1).getAttribute('data-run'))!;
  await expect.poll(async () => (await chartValues(page, 'chart-compare-train', studentId)).length).toBeGreaterThanOrEqual(10);
  const loss = await chartValues(page, 'chart-compare-train', studentId);
  expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);

  // The student becomes the app's model and exports like any other: its ONNX file matches
  // GateScope's outputs in ONNX Runtime.
  await page.getByTestId('distill-use-student').click();
  await expect(page.getByTestId('distill-use-status')).toHaveText(/The student is now the model/, { timeout: 60_000 });
  await expect(page.getByTestId('settings-change')).toContainText('32 → 8');
  await page.getByRole('tab', { name: 'Export', exact: true }).click();
  await page.getByTestId('verify-onnx').click();
  await expect(page.getByTestId('verify-result')).toContainText('within 0.0001', { timeout: 120_000 });
  console.log(`student export: ${await page.getByTestId('verify-result').innerText()}`);
  check();
});
