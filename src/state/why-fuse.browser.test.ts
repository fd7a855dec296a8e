// Acceptance of the "Why fuse?" demo on WebGPU, with the demo's own settings: colour
// questions on Shapes & Questions (text alone and image alone exactly at 1/3), the app's
// default model and training settings with the CNN's global max pooling, and the demo's
// epochs. Text only and image only must stay at chance (± 5 points) and late fusion must
// pass 90 % validation accuracy, each within 600 training steps. The numbers seen are printed.
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { DEFAULT_TOKENIZER, emptyReport, generateShapes, prepareDataset } from '../data/index.ts';
import { WHY_FUSE_PRESET } from '../data/shapes.ts';
import type { FusionKind } from '../models/config.ts';
import { Trainer } from '../train/trainer.ts';
import { defaultModelSettings, defaultTrainSettings, resolveModelConfig } from './settings.ts';

const P = WHY_FUSE_PRESET;
const data = prepareDataset(generateShapes({ count: P.count, seed: 1, imageSize: P.imageSize, kinds: P.kinds }).examples, {
  task: 'classification',
  tokenizer: DEFAULT_TOKENIZER,
  imageSize: P.imageSize,
  split: { train: 0.7, validation: 0.15, seed: 1, stratify: true },
  name: 'why fuse',
  report: emptyReport(),
});
const gpuPromise = WebGpuBackend.create();

async function run(fusion: FusionKind): Promise<{ accuracy: number; steps: number }> {
  const gpu = await gpuPromise;
  const base = defaultModelSettings();
  const model = resolveModelConfig({ ...base, fusion, image: { ...base.image, pool: P.pool } }, data, null);
  const t = new Trainer(gpu, data, model, { ...defaultTrainSettings(), epochs: P.epochs }, () => {});
  await t.start();
  const accuracy = t.history[t.history.length - 1].validation.accuracy!;
  console.log(`why fuse · ${fusion}: validation accuracy by epoch ${t.history.map((h) => h.validation.accuracy!.toFixed(3)).join(' ')} (${t.step} steps)`);
  const out = { accuracy, steps: t.step };
  t.dispose();
  t.model.dispose();
  return out;
}

describe('"Why fuse?" makes its point', () => {
  it('text only and image only stay at chance (1/3 ± 5 points)', async () => {
    for (const fusion of ['text', 'image'] as const) {
      const r = await run(fusion);
      expect(r.steps).toBeLessThanOrEqual(600);
      expect(Math.abs(r.accuracy - 1 / 3)).toBeLessThanOrEqual(0.05);
    }
  }, 600_000);
  it('late fusion passes 90 % within 600 steps', async () => {
    const r = await run('late');
    expect(r.steps).toBeLessThanOrEqual(600);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
  }, 600_000);
});
