// "Bring your own image encoder": an ONNX file (here a tiny one built in the test: global
// average pooling, so its 3 features are the mean colour) is run over the dataset in
// ONNX Runtime Web from the Model panel; the model then trains on the frozen features.
import { expect, test } from '@playwright/test';
import { encodeModel, ONNX_FLOAT } from '../src/export/onnx-proto.ts';
import { progressStep, watchErrors } from './helpers.ts';

function meanColourEncoder(): Buffer {
  const bytes = encodeModel({
    name: 'mean-colour',
    nodes: [
      { opType: 'GlobalAveragePool', inputs: ['image'], outputs: ['pooled'] },
      { opType: 'Flatten', inputs: ['pooled'], outputs: ['features'], attributes: { axis: 1 } },
    ],
    initializers: [],
    inputs: [{ name: 'image', elemType: ONNX_FLOAT, shape: ['batch', 3, 16, 16] }],
    outputs: [{ name: 'features', elemType: ONNX_FLOAT, shape: ['batch', 3] }],
  });
  return Buffer.from(bytes);
}

test('an ONNX image encoder provides the features the model trains on', async ({ page }) => {
  const { check } = watchErrors(page);
  await page.goto('/?data=clues&clues.n=90&img=16&encoder=features&tab=model');
  await expect(page.getByTestId('model-problems')).toContainText('choose an ONNX image encoder file');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await page.getByTestId('onnx-file').setInputFiles({ name: 'mean-colour.onnx', mimeType: 'application/octet-stream', buffer: meanColourEncoder() });
  await expect(page.getByTestId('onnx-features')).toContainText('mean-colour.onnx: 3 features per image', { timeout: 60_000 });
  await expect(page.getByTestId('model-problems')).toHaveCount(0);
  await expect(page.getByTestId('run-status')).toHaveText('Ready to train', { timeout: 60_000 });
  await page.getByTestId('train-step').click();
  await expect.poll(() => progressStep(page), { timeout: 60_000 }).toBe(1);
  await page.screenshot({ path: 'e2e/screenshots/model-onnx-encoder.png', fullPage: true });
  check();
});
