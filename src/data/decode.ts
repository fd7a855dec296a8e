// Image decoding for imports. The importer takes an ImageDecoder so that its logic stays
// pure: in the browser a pool of workers (decode.worker.ts) decodes with
// createImageBitmap and resizes on an OffscreenCanvas, off the main thread; in Node
// (tests) the PNG decoder of png.ts does the work. Cancellation goes through an
// AbortSignal: pending decodes reject with an AbortError and the workers are stopped.
import { decodePng } from './png.ts';
import type { RgbaImage } from './types.ts';

/** Decodes one file's bytes to RGBA; rejects with an Error naming the problem. */
export type ImageDecoder = (bytes: Uint8Array, path: string, signal?: AbortSignal) => Promise<RgbaImage>;

/** Messages to the decode worker. */
export type DecodeRequest = { type: 'decode'; id: number; bytes: ArrayBuffer; path: string; size: number };

/** Messages from the decode worker. */
export type DecodeResponse =
  | { type: 'decoded'; id: number; width: number; height: number; data: ArrayBuffer }
  | { type: 'failed'; id: number; message: string };

export function abortError(what = 'Import'): DOMException {
  return new DOMException(`${what} cancelled`, 'AbortError');
}

/** PNG-only decoder without DOM (Node, tests). */
export const pngDecoder: ImageDecoder = async (bytes, path, signal) => {
  if (signal?.aborted) throw abortError();
  try {
    return decodePng(bytes);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
};

/**
 * Decodes with the browser's codecs and resizes to size×size on an OffscreenCanvas
 * (high-quality smoothing, transparent pixels composited over white). Works on the
 * main thread and in workers.
 */
export async function decodeWithCanvas(bytes: Uint8Array | ArrayBuffer, size: number): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  } catch (e) {
    throw new Error(`the browser cannot decode it (${(e as Error).message || 'unknown format'})`, { cause: e });
  }
  try {
    if (bitmap.width === 0 || bitmap.height === 0) throw new Error('the image has no pixels');
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('OffscreenCanvas 2D context unavailable');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, size, size);
    const { data } = ctx.getImageData(0, 0, size, size);
    return { width: size, height: size, data };
  } finally {
    bitmap.close();
  }
}

/** A pool of decode workers; `decode` resizes to `size`×`size`. */
export interface DecoderPool {
  decode: ImageDecoder;
  dispose(): void;
}

/**
 * Starts `workers` decode workers (default: 2, or fewer cores). Without Worker support
 * decoding falls back to the main thread with the same function.
 */
export function createDecoderPool(size: number, workers = Math.max(1, Math.min(2, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1))): DecoderPool {
  if (typeof Worker === 'undefined') {
    return { decode: (bytes, path) => decodeWithCanvas(bytes, size).catch((e: Error) => Promise.reject(new Error(`${path}: ${e.message}`))), dispose() {} };
  }
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'gatescope-decode' }));
  const pending = new Map<number, { resolve: (img: RgbaImage) => void; reject: (e: Error) => void; path: string; worker: number }>();
  const load = new Array<number>(workers).fill(0);
  let nextId = 0;
  let disposed = false;
  pool.forEach((w, k) => {
    w.onmessage = (ev: MessageEvent<DecodeResponse>) => {
      const m = ev.data;
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      load[k]--;
      if (m.type === 'decoded') p.resolve({ width: m.width, height: m.height, data: new Uint8ClampedArray(m.data) });
      else p.reject(new Error(`${p.path}: ${m.message}`));
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      for (const [id, p] of pending) {
        if (p.worker !== k) continue;
        pending.delete(id);
        p.reject(new Error(`${p.path}: decode worker failed (${ev.message})`));
      }
      load[k] = 0;
    };
  });
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const w of pool) w.terminate();
    for (const p of pending.values()) p.reject(abortError());
    pending.clear();
  };
  const decode: ImageDecoder = (bytes, path, signal) =>
    new Promise<RgbaImage>((resolve, reject) => {
      if (disposed) return reject(new Error(`${path}: the decoder pool was stopped`));
      if (signal?.aborted) return reject(abortError());
      const id = nextId++;
      let k = 0;
      for (let j = 1; j < workers; j++) if (load[j] < load[k]) k = j;
      load[k]++;
      pending.set(id, { resolve, reject, path, worker: k });
      signal?.addEventListener('abort', () => {
        if (pending.delete(id)) reject(abortError());
      });
      // Copy: the caller may keep its bytes (duplicate detection, re-reads).
      const copy = bytes.slice().buffer;
      const msg: DecodeRequest = { type: 'decode', id, bytes: copy, path, size };
      pool[k].postMessage(msg, [copy]);
    });
  return { decode, dispose };
}
