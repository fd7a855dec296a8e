// The data layer in the browser: decoding with createImageBitmap + OffscreenCanvas (on
// the page and through the worker pool) and the whole layer inside a Web Worker.
import { describe, expect, it } from 'vitest';
import { createDecoderPool, decodeWithCanvas } from './decode.ts';

/** An 8×8 PNG, opaque red with a transparent top-left pixel, made by the page's canvas. */
async function redPng(): Promise<Uint8Array> {
  const c = new OffscreenCanvas(8, 8);
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = 'rgb(255, 0, 0)';
  ctx.fillRect(0, 0, 8, 8);
  ctx.clearRect(0, 0, 1, 1);
  return new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

describe('browser decoding', () => {
  it('decodeWithCanvas resizes and composites transparency over white', async () => {
    const img = await decodeWithCanvas(await redPng(), 8);
    expect([img.width, img.height]).toEqual([8, 8]);
    expect(Array.from(img.data.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(img.data.subarray(4 * 9, 4 * 9 + 4))).toEqual([255, 0, 0, 255]);
    const big = await decodeWithCanvas(await redPng(), 32);
    expect(big.width).toBe(32);
    expect(Array.from(big.data.subarray(4 * (16 * 32 + 16), 4 * (16 * 32 + 16) + 4))).toEqual([255, 0, 0, 255]);
  });
  it('rejects bytes the browser cannot decode, naming why', async () => {
    await expect(decodeWithCanvas(new TextEncoder().encode('not an image'), 8)).rejects.toThrow(/the browser cannot decode it/);
  });
  it('the worker pool decodes off the main thread and stops on abort', async () => {
    const pool = createDecoderPool(16, 2);
    try {
      const png = await redPng();
      const images = await Promise.all([1, 2, 3].map((k) => pool.decode(png, `p${k}.png`)));
      for (const img of images) expect([img.width, img.height, ...img.data.subarray(4 * 136, 4 * 136 + 4)]).toEqual([16, 16, 255, 0, 0, 255]); // (8, 8) is red
      await expect(pool.decode(new TextEncoder().encode('junk'), 'junk.png')).rejects.toThrow(/^junk\.png: the browser cannot decode it/);
      const controller = new AbortController();
      const pending = pool.decode(png, 'late.png', controller.signal);
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      pool.dispose();
    }
  });
});

describe('data layer in a Web Worker', () => {
  it('generates, prepares, decodes and loads OpenMoji without the DOM', async () => {
    const worker = new Worker(new URL('./worker-check.support.worker.ts', import.meta.url), { type: 'module' });
    const png = (await redPng()).buffer as ArrayBuffer;
    const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.onmessage = (ev) => resolve(ev.data);
      worker.onerror = (ev) => reject(new Error(ev.message));
      worker.postMessage({ png, openmoji: new URL('/openmoji/', location.href).href }, [png]);
    });
    worker.terminate();
    expect(result.ok, String(result.message)).toBe(true);
    expect(result.size).toBeGreaterThanOrEqual(200);
    expect(result.images).toBe((result.size as number) * 3 * 32 * 32);
    expect(result.decoded).toEqual([16, 16, [255, 255, 255, 255]]);
    expect(result.emoji).toBeGreaterThan(1800);
  });
});
