// Sizes a link can ask for: a model or a dataset too large for memory is refused before
// anything is built, with its figures in the user's words, and the tab stays small; a
// link with thousands of bad parameters gives a short notice.
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './helpers.ts';

/** The page's JavaScript heap in bytes (Chromium's performance.memory). */
async function heapBytes(page: Page): Promise<number> {
  return page.evaluate(() => (performance as Performance & { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
}

/** The refusal stays: no model gets built while the page settles. */
async function expectNoModel(page: Page): Promise<void> {
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-step')).toBeDisabled();
  // The session refresh runs 500 ms after a change; give it time to (wrongly) start one.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('run-status')).toContainText('Cannot train');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  expect(await heapBytes(page)).toBeLessThan(256 * 1024 ** 2);
}

test('a 134-million-parameter model from a link is refused with its memory', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?hidden=4096&embed=4096&tab=model');
  await expect(page.getByTestId('run-status')).toContainText(/Cannot train: This model needs about [\d.]+ GiB to train \(134\.\d million parameters/);
  await expect(page.getByTestId('model-problems')).toContainText('budget 2 GiB). Lower the hidden size or the embedding size.');
  await expectNoModel(page);
  check();
});

// On the app before this check this link grew the tab to 6 GB until the browser killed it.
test('an 8-layer bidirectional 4096-unit model is refused before anything is allocated', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?hidden=4096&embed=4096&layers=8&bidir=1&tab=model');
  await expect(page.getByTestId('model-problems')).toContainText(/This model needs about [\d.]+ GiB to train \([\d.]+ million parameters/);
  await expect(page.getByTestId('model-problems')).toContainText('Lower the hidden size, the number of layers, bidirectional or the embedding size.');
  await expectNoModel(page);
  check();
});

test('a Shapes dataset too large for memory is refused before it is generated', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?shapes.n=50000&img=128');
  const message = 'Shapes & Questions with 50,000 pictures of 128 × 128 pixels needs about 12.21 GiB of memory (budget 1 GiB). Lower the number of examples to at most 4,096 or the image size.';
  await expect(page.getByTestId('data-error')).toHaveText(message);
  await expect(page.getByTestId('run-status')).toHaveText(`Cannot train: ${message}`);
  await expect(page.getByTestId('data-busy')).toHaveCount(0);
  await expectNoModel(page);
  // A size that fits is then built as usual.
  await page.getByTestId('shapes-count').fill('600');
  await expect(page.getByTestId('dataset-name')).toContainText(/60\d examples/, { timeout: 60_000 });
  await expect(page.getByTestId('data-error')).toHaveCount(0);
  check();
});

test('a link with 3,000 bad parameters gives a short notice', async ({ page }) => {
  const { check } = watchErrors(page);
  const bogus = Array.from({ length: 3000 }, (_, i) => `bogus${i}=${i}`).join('&');
  // The preview server refuses a request line this long (431); the page itself is served from '/'.
  await page.route(/\?bogus0=/, async (route) => route.fulfill({ response: await route.fetch({ url: new URL('/', route.request().url()).href }) }));
  await page.goto(`/?${bogus}`);
  const notice = page.getByTestId('url-problems');
  await expect(notice).toContainText('"bogus0" is not a GateScope setting; it was ignored.');
  await expect(notice.locator('li')).toHaveCount(6);
  await expect(notice.locator('li').last()).toHaveText('…and 2,995 more problems in this link.');
  expect((await notice.innerText()).length).toBeLessThan(1000);
  check();
});
