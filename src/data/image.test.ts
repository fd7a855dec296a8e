// PNG decoding (every colour type, bit depth, filter and Adam7, against an encoder
// written here), completeness checks on image bytes, and the resize + normalisation
// that produces the model input.
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkImageBytes, imageToTensor, sniffImageFormat, tensorToImage } from './image.ts';
import { crc32, decodePng } from './png.ts';
import type { RgbaImage } from './types.ts';

interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  interlace?: boolean;
  /** Sample value of channel ch at (x, y), in [0, 2^depth). */
  sample: (x: number, y: number, ch: number) => number;
  palette?: number[][];
  trns?: number[];
}

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** Encodes a PNG; row r of each pass uses filter type r % 5 so every filter is exercised. */
function buildPng(s: PngSpec): Uint8Array {
  const ch = CHANNELS[s.colorType];
  const bitsPP = ch * s.depth;
  const bpp = Math.max(1, bitsPP >> 3);
  const passes = s.interlace
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]
    : [[0, 0, 1, 1]];
  const stream: number[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((s.width - x0) / dx);
    const ph = Math.ceil((s.height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const stride = Math.ceil((pw * bitsPP) / 8);
    let prev = new Uint8Array(stride);
    for (let r = 0; r < ph; r++) {
      const raw = new Uint8Array(stride);
      for (let c = 0; c < pw; c++) {
        for (let k = 0; k < ch; k++) {
          const v = s.sample(x0 + c * dx, y0 + r * dy, k);
          const bit = (c * ch + k) * s.depth;
          if (s.depth === 16) {
            raw[bit >> 3] = v >> 8;
            raw[(bit >> 3) + 1] = v & 0xff;
          } else if (s.depth === 8) raw[bit >> 3] = v;
          else raw[bit >> 3] |= v << (8 - s.depth - (bit & 7));
        }
      }
      const f = r % 5;
      const line = new Uint8Array(stride);
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? raw[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c;
        const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][f];
        line[i] = (raw[i] - pred) & 0xff;
      }
      stream.push(f, ...line);
      prev = raw;
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, s.width);
  v.setUint32(4, s.height);
  ihdr.set([s.depth, s.colorType, 0, 0, s.interlace ? 1 : 0], 8);
  const parts = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (s.palette) parts.push(chunk('PLTE', Uint8Array.from(s.palette.flat())));
  if (s.trns) parts.push(chunk('tRNS', Uint8Array.from(s.trns)));
  const z = zlibSync(Uint8Array.from(stream));
  parts.push(chunk('IDAT', z.subarray(0, 7)), chunk('IDAT', z.subarray(7)), chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const pattern = (x: number, y: number, ch: number, max: number) => (x * 37 + y * 91 + ch * 53 + x * y * 7) % (max + 1);

function expectPixels(img: RgbaImage, w: number, h: number, rgba: (x: number, y: number) => number[]) {
  expect(img.width).toBe(w);
  expect(img.height).toBe(h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(Array.from(img.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 4)), `pixel (${x}, ${y})`).toEqual(rgba(x, y));
}

describe('decodePng', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
  for (const interlace of [false, true]) {
    it(`RGBA 8-bit${interlace ? ', Adam7' : ''}, odd size, all five filters`, () => {
      const s = (x: number, y: number, c: number) => pattern(x, y, c, 255);
      const img = decodePng(buildPng({ width: 7, height: 5, colorType: 6, depth: 8, interlace, sample: s }));
      expectPixels(img, 7, 5, (x, y) => [0, 1, 2, 3].map((c) => s(x, y, c)));
    });
  }
  it('RGB 8-bit and RGB 16-bit (high byte kept)', () => {
    const s8 = (x: number, y: number, c: number) => pattern(x, y, c, 255);
    expectPixels(decodePng(buildPng({ width: 6, height: 4, colorType: 2, depth: 8, sample: s8 })), 6, 4, (x, y) => [s8(x, y, 0), s8(x, y, 1), s8(x, y, 2), 255]);
    const s16 = (x: number, y: number, c: number) => pattern(x, y, c, 255) * 257 + 3;
    expectPixels(decodePng(buildPng({ width: 3, height: 3, colorType: 2, depth: 16, sample: s16 })), 3, 3, (x, y) => [0, 1, 2].map((c) => s16(x, y, c) >> 8).concat(255));
  });
  for (const depth of [1, 2, 4, 8] as const) {
    it(`grey ${depth}-bit scales to 0..255`, () => {
      const max = (1 << depth) - 1;
      const s = (x: number, y: number) => pattern(x, y, 0, max);
      const img = decodePng(buildPng({ width: 9, height: 3, colorType: 0, depth, sample: s }));
      expectPixels(img, 9, 3, (x, y) => {
        const g = Math.round((s(x, y) * 255) / max);
        return [g, g, g, 255];
      });
    });
  }
  it('grey + alpha, and palette 4-bit with tRNS', () => {
    const ga = (x: number, y: number, c: number) => pattern(x, y, c, 255);
    expectPixels(decodePng(buildPng({ width: 4, height: 4, colorType: 4, depth: 8, sample: ga })), 4, 4, (x, y) => [ga(x, y, 0), ga(x, y, 0), ga(x, y, 0), ga(x, y, 1)]);
    const palette = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 8, 7]];
    const idx = (x: number, y: number) => (x + y) % 4;
    const img = decodePng(buildPng({ width: 5, height: 2, colorType: 3, depth: 4, sample: idx, palette, trns: [255, 128] }));
    expectPixels(img, 5, 2, (x, y) => [...palette[idx(x, y)], [255, 128][idx(x, y)] ?? 255]);
  });
  it('names what is wrong with broken files', () => {
    const good = buildPng({ width: 4, height: 4, colorType: 6, depth: 8, sample: (x) => x });
    expect(() => decodePng(good.subarray(0, good.length - 20))).toThrow(/truncated/);
    const flipped = good.slice();
    flipped[44] ^= 0xff; // inside the first IDAT data
    expect(() => decodePng(flipped)).toThrow(/CRC mismatch/);
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
  });
});

describe('checkImageBytes', () => {
  const png = buildPng({ width: 2, height: 2, colorType: 2, depth: 8, sample: () => 9 });
  it('accepts whole files and recognises formats by their bytes', () => {
    expect(checkImageBytes(png)).toBeNull();
    expect(sniffImageFormat(png)).toBe('png');
    expect(sniffImageFormat(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(checkImageBytes(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 0xff, 0xd9]))).toBeNull();
    expect(checkImageBytes(new TextEncoder().encode('GIF89a....;'))).toBeNull();
  });
  it('rejects empty, truncated, corrupt and unknown files with a reason', () => {
    expect(checkImageBytes(new Uint8Array(0))).toMatch(/empty/);
    expect(checkImageBytes(png.subarray(0, 30))).toMatch(/truncated/);
    expect(checkImageBytes(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))).toMatch(/JPEG truncated/);
    expect(checkImageBytes(new TextEncoder().encode('<html>not an image</html>'))).toMatch(/not a PNG, JPEG/);
    expect(checkImageBytes(new TextEncoder().encode('GIF89a....'))).toMatch(/GIF truncated/);
  });
});

function solid(w: number, h: number, f: (x: number, y: number) => [number, number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 4);
  return { width: w, height: h, data };
}
const norm = (v: number) => (v / 255 - 0.5) / 0.5;

describe('imageToTensor', () => {
  it('normalises to [−1, 1] and writes CHW planes', () => {
    const out = new Float32Array(3 * 16 * 16);
    imageToTensor(solid(16, 16, () => [0, 255, 51, 255]), 16, out);
    expect(out[0]).toBe(-1);
    expect(out[256]).toBe(1);
    expect(out[512]).toBeCloseTo(norm(51), 6);
    expect(out[511]).toBe(1);
  });
  it('area-averages when shrinking (exact block means, fractional overlaps)', () => {
    const img = solid(4, 4, (x, y) => [x * 10 + y * 40, 0, 0, 255]);
    const out = new Float32Array(3 * 2 * 2);
    imageToTensor(img, 2, out);
    // top-left block: x∈{0,1}, y∈{0,1}: mean of 0, 10, 40, 50 = 25
    expect(out[0]).toBeCloseTo(norm(25), 6);
    expect(out[3]).toBeCloseTo(norm((100 + 110 + 140 + 150) / 4), 6);
    // 3 → 2: output 0 covers source [0, 1.5): weights 2/3, 1/3
    const row = solid(3, 1, (x) => [[0, 90, 180][x], 0, 0, 255]);
    const o2 = new Float32Array(3 * 2 * 2);
    imageToTensor(row, 2, o2);
    expect(o2[0]).toBeCloseTo(norm(30), 5);
    expect(o2[1]).toBeCloseTo(norm(150), 5);
  });
  it('enlarges bilinearly with half-pixel centres (PyTorch align_corners=False)', () => {
    const img = solid(2, 2, (x) => [x * 255, 0, 0, 255]);
    const out = new Float32Array(3 * 4 * 4);
    imageToTensor(img, 4, out);
    expect(Array.from(out.subarray(0, 4), (v) => +((v * 0.5 + 0.5) * 255).toFixed(3))).toEqual([0, 63.75, 191.25, 255]);
  });
  it('composites transparency over white', () => {
    const out = new Float32Array(3 * 16 * 16);
    imageToTensor(solid(16, 16, (x) => (x < 8 ? [0, 0, 0, 0] : [0, 0, 0, 128])), 16, out);
    expect(out[0]).toBe(1);
    expect(out[8]).toBeCloseTo(norm(255 * (1 - 128 / 255)), 5);
  });
  it('round-trips through tensorToImage at the same size', () => {
    const img = solid(16, 16, (x, y) => [x * 16, y * 16, 200, 255]);
    const out = new Float32Array(3 * 16 * 16);
    imageToTensor(img, 16, out);
    expect(Array.from(tensorToImage(out, 0, 16).data)).toEqual(Array.from(img.data));
  });
  it('rejects inconsistent images', () => {
    expect(() => imageToTensor({ width: 2, height: 2, data: new Uint8ClampedArray(3) }, 16, new Float32Array(768))).toThrow(/2×2 has 3 bytes/);
  });
});
