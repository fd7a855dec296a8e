// Test worker for data.browser.test.ts: runs the data layer inside a dedicated worker
// (no DOM) and reports what it got.
import { decodeWithCanvas } from './decode.ts';
import { loadOpenMoji } from './openmoji.ts';
import { prepareDataset } from './prepare.ts';
import { generateShapes } from './shapes.ts';

const scope = self as unknown as { onmessage: ((ev: MessageEvent<{ png: ArrayBuffer; openmoji: string }>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = async (ev) => {
  try {
    const shapes = generateShapes({ count: 200, seed: 1 });
    const d = prepareDataset(shapes.examples, {
      task: 'classification',
      tokenizer: { level: 'word', minFrequency: 1, maxVocab: 100, maxLength: 16 },
      imageSize: 32,
      split: { train: 0.7, validation: 0.15, seed: 1, stratify: true },
      name: 'shapes',
      report: { issues: [], rowsSeen: 200, rowsKept: 200, rowsSkipped: 0 },
    });
    const img = await decodeWithCanvas(ev.data.png, 16);
    const emoji = await loadOpenMoji(ev.data.openmoji, { task: 'group' });
    scope.postMessage({ ok: true, size: d.size, images: d.images.length, decoded: [img.width, img.height, Array.from(img.data.subarray(0, 4))], emoji: emoji.examples.length });
  } catch (e) {
    scope.postMessage({ ok: false, message: String((e as Error).stack ?? e) });
  }
};
