// A small PNG decoder (all colour types, bit depths 1–16, Adam7, tRNS) on fflate's
// zlib, for places without createImageBitmap: Node tests, and reading the OpenMoji
// atlas where the browser decoder is missing. Also the CRC-32 used to check PNG chunks.
import { unzlibSync } from 'fflate';
import type { RgbaImage } from './types.ts';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as PNG and zip use it) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngChunk {
  type: string;
  /** Offset of the chunk data in the file. */
  start: number;
  length: number;
}

/**
 * Walks the chunks of a PNG file and checks signature, bounds, CRCs, IHDR first and
 * IEND last. Throws an Error saying what is wrong (e.g. "truncated in chunk IDAT").
 */
export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error('not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let p = 8;
  for (;;) {
    if (p + 8 > bytes.length) throw new Error(`PNG truncated after ${chunks.length} chunks (no IEND)`);
    const length = view.getUint32(p);
    const type = String.fromCharCode(bytes[p + 4], bytes[p + 5], bytes[p + 6], bytes[p + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`PNG corrupt: bad chunk type at byte ${p + 4}`);
    if (p + 12 + length > bytes.length) throw new Error(`PNG truncated in chunk ${type} (needs ${p + 12 + length} bytes, file has ${bytes.length})`);
    const stored = view.getUint32(p + 8 + length);
    if (crc32(bytes, p + 4, p + 8 + length) !== stored) throw new Error(`PNG corrupt: CRC mismatch in chunk ${type}`);
    if (chunks.length === 0 && type !== 'IHDR') throw new Error('PNG corrupt: first chunk is not IHDR');
    chunks.push({ type, start: p + 8, length });
    p += 12 + length;
    if (type === 'IEND') return chunks;
  }
}

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
]; // [x0, y0, dx, dy] per pass

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG file to RGBA8 (16-bit samples keep their high byte). */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const chunks = readPngChunks(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ihdr = chunks[0];
  if (ihdr.length !== 13) throw new Error('PNG corrupt: IHDR has the wrong length');
  const width = view.getUint32(ihdr.start);
  const height = view.getUint32(ihdr.start + 4);
  const depth = bytes[ihdr.start + 8];
  const colorType = bytes[ihdr.start + 9];
  const interlace = bytes[ihdr.start + 12];
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!channels) throw new Error(`PNG: unknown colour type ${colorType}`);
  if (![1, 2, 4, 8, 16].includes(depth)) throw new Error(`PNG: unsupported bit depth ${depth}`);
  if (width === 0 || height === 0) throw new Error('PNG: zero width or height');
  if (width * height > 1 << 28) throw new Error(`PNG: ${width}×${height} is too large`);

  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idatParts: Uint8Array[] = [];
  for (const c of chunks) {
    const data = bytes.subarray(c.start, c.start + c.length);
    if (c.type === 'PLTE') palette = data;
    else if (c.type === 'tRNS') trns = data;
    else if (c.type === 'IDAT') idatParts.push(data);
  }
  if (idatParts.length === 0) throw new Error('PNG corrupt: no IDAT chunk');
  if (colorType === 3 && !palette) throw new Error('PNG corrupt: palette image without PLTE');
  let total = 0;
  for (const part of idatParts) total += part.length;
  const compressed = new Uint8Array(total);
  total = 0;
  for (const part of idatParts) {
    compressed.set(part, total);
    total += part.length;
  }
  let raw: Uint8Array;
  try {
    raw = unzlibSync(compressed);
  } catch (e) {
    throw new Error(`PNG corrupt: image data does not inflate (${(e as Error).message})`, { cause: e });
  }

  const bitsPerPixel = channels * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3); // filter byte distance
  const out = new Uint8ClampedArray(width * height * 4);
  const maxSample = (1 << Math.min(depth, 8)) - 1;
  const passes = interlace ? ADAM7 : [[0, 0, 1, 1]];
  let p = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const stride = Math.ceil((pw * bitsPerPixel) / 8);
    let prev = new Uint8Array(stride);
    for (let row = 0; row < ph; row++) {
      if (p + 1 + stride > raw.length) throw new Error(`PNG corrupt: image data ends at row ${row} of ${ph}`);
      const filter = raw[p];
      const line = raw.slice(p + 1, p + 1 + stride);
      p += 1 + stride;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? line[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        if (filter === 1) line[i] += a;
        else if (filter === 2) line[i] += b;
        else if (filter === 3) line[i] += (a + b) >> 1;
        else if (filter === 4) line[i] += paeth(a, b, c);
        else if (filter !== 0) throw new Error(`PNG corrupt: unknown filter ${filter} at row ${row}`);
      }
      prev = line;
      const sample = (index: number): number => {
        if (depth === 8) return line[index];
        if (depth === 16) return line[index * 2];
        const bit = index * depth;
        return (line[bit >> 3] >> (8 - depth - (bit & 7))) & maxSample;
      };
      const y = y0 + row * dy;
      for (let col = 0; col < pw; col++) {
        const o = (y * width + x0 + col * dx) * 4;
        const s = col * channels;
        const scale = depth >= 8 ? 1 : 255 / maxSample;
        let r: number, g: number, bl: number, al = 255;
        if (colorType === 3) {
          const idx = sample(s);
          if (idx * 3 + 2 >= palette!.length) throw new Error(`PNG corrupt: palette index ${idx} out of range`);
          r = palette![idx * 3];
          g = palette![idx * 3 + 1];
          bl = palette![idx * 3 + 2];
          if (trns && idx < trns.length) al = trns[idx];
        } else if (colorType === 0 || colorType === 4) {
          const v = sample(s);
          r = g = bl = v * scale;
          if (colorType === 4) al = sample(s + 1);
          else if (trns && trns.length >= 2) {
            const key = (trns[0] << 8) | trns[1];
            const full = depth === 16 ? (line[s * 2] << 8) | line[s * 2 + 1] : v;
            if (full === key) al = 0;
          }
        } else {
          r = sample(s);
          g = sample(s + 1);
          bl = sample(s + 2);
          if (colorType === 6) al = sample(s + 3);
          else if (trns && trns.length >= 6) {
            const v16 = (k: number) => (depth === 16 ? (line[(s + k) * 2] << 8) | line[(s + k) * 2 + 1] : line[s + k]);
            const key = (k: number) => (trns![k * 2] << 8) | trns![k * 2 + 1];
            if (v16(0) === key(0) && v16(1) === key(1) && v16(2) === key(2)) al = 0;
          }
        }
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = bl;
        out[o + 3] = al;
      }
    }
  }
  return { width, height, data: out };
}
