// Image helpers that need no DOM: recognise a file's format from its bytes, check that
// it is complete before a decoder sees it, and turn a decoded RGBA image into the
// model's input: composited over white, resized to S×S (area averaging when shrinking,
// bilinear with half-pixel centres when enlarging, as PyTorch's align_corners=False),
// normalised per channel as (v/255 − 0.5)/0.5 ∈ [−1, 1], written CHW.
import { readPngChunks } from './png.ts';
import type { RgbaImage } from './types.ts';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';

/** File extensions treated as images (lower case, without the dot). */
export const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp']);

/** The format named by the first bytes, or null when none is recognised. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && String.fromCharCode(...b.subarray(0, 6)).match(/^GIF8[79]a$/)) return 'gif';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

/**
 * Why these bytes cannot be a complete image, or null when they look whole. Catches
 * zero-byte files, unknown formats, truncated or corrupt PNGs (every chunk and CRC),
 * JPEGs without an end marker, GIFs without a trailer, short RIFF/BMP files.
 */
export function checkImageBytes(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'the file is empty (0 bytes)';
  const format = sniffImageFormat(bytes);
  if (!format) return 'not a PNG, JPEG, GIF, WebP or BMP image (unrecognised first bytes)';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png':
      try {
        readPngChunks(bytes);
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    case 'jpeg': {
      for (let i = bytes.length - 2; i >= 2; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return null;
      return 'JPEG truncated (no end-of-image marker)';
    }
    case 'gif': {
      let end = bytes.length - 1;
      while (end > 0 && bytes[end] === 0) end--;
      return bytes[end] === 0x3b ? null : 'GIF truncated (no trailer byte)';
    }
    case 'webp':
      return view.getUint32(4, true) + 8 <= bytes.length ? null : 'WebP truncated (shorter than its RIFF size)';
    case 'bmp':
      return bytes.length >= 26 && view.getUint32(2, true) <= bytes.length ? null : 'BMP truncated (shorter than its header says)';
  }
}

/**
 * Width and height as the file's header declares them, read without decoding (PNG
 * IHDR, JPEG start-of-frame, GIF screen, WebP VP8/VP8L/VP8X, BMP info header); null
 * when the header is too short or unknown.
 */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  const format = sniffImageFormat(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (n: number) => bytes.length >= n;
  switch (format) {
    case 'png':
      // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
      return has(24) && String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR' ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
    case 'gif':
      return has(10) ? { width: view.getUint16(6, true), height: view.getUint16(8, true) } : null;
    case 'bmp': {
      if (!has(26)) return null;
      const header = view.getUint32(14, true);
      if (header === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
      return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
    }
    case 'webp': {
      if (!has(30)) return null;
      const chunk = String.fromCharCode(...bytes.subarray(12, 16));
      if (chunk === 'VP8X') return { width: 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)), height: 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)) };
      if (chunk === 'VP8L') {
        const b = view.getUint32(21, true);
        return { width: 1 + (b & 0x3fff), height: 1 + ((b >>> 14) & 0x3fff) };
      }
      if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
      return null;
    }
    case 'jpeg': {
      // Walk the marker segments up to a start-of-frame (SOF0–SOF15 except DHT, JPG, DAC).
      let p = 2;
      while (p + 9 <= bytes.length) {
        if (bytes[p] !== 0xff) return null;
        const marker = bytes[p + 1];
        if (marker === 0xff) {
          p++;
          continue;
        }
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { width: view.getUint16(p + 7), height: view.getUint16(p + 5) };
        }
        if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
          p += 2;
          continue;
        }
        p += 2 + view.getUint16(p + 2);
      }
      return null;
    }
    default:
      return null;
  }
}

interface AxisWeights {
  /** For output index i: taps [start[i], start[i] + count[i]) with weights[offset[i] + k]. */
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  weights: Float64Array;
}

/** Per-axis resampling weights: box (area) when shrinking, bilinear when enlarging. */
function axisWeights(src: number, dst: number): AxisWeights {
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const offset = new Int32Array(dst);
  const list: number[] = [];
  const scale = src / dst;
  for (let i = 0; i < dst; i++) {
    offset[i] = list.length;
    if (scale >= 1) {
      // Output pixel i covers source [i·scale, (i+1)·scale); weight = overlap / scale.
      const lo = i * scale;
      const hi = lo + scale;
      const first = Math.floor(lo);
      const last = Math.min(src - 1, Math.ceil(hi) - 1);
      start[i] = first;
      for (let s = first; s <= last; s++) list.push((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
      count[i] = last - first + 1;
    } else {
      const x = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), src - 1);
      const x0 = Math.floor(x);
      const x1 = Math.min(x0 + 1, src - 1);
      const t = x - x0;
      start[i] = x0;
      if (x1 === x0) {
        list.push(1);
        count[i] = 1;
      } else {
        list.push(1 - t, t);
        count[i] = 2;
      }
    }
  }
  return { start, count, offset, weights: Float64Array.from(list) };
}

/**
 * Writes one image as [3, size, size] normalised floats into out[offset…]. Transparent
 * pixels are composited over white first (c·a + 255·(1 − a)), so emoji and cut-outs
 * keep their edges.
 */
export function imageToTensor(image: RgbaImage, size: number, out: Float32Array, offset = 0): void {
  const { width: w, height: h, data } = image;
  if (w <= 0 || h <= 0 || data.length !== w * h * 4) {
    throw new Error(`imageToTensor: image ${w}×${h} has ${data.length} bytes, expected ${w * h * 4}`);
  }
  if (out.length < offset + 3 * size * size) throw new Error(`imageToTensor: output too small for [3, ${size}, ${size}] at ${offset}`);
  // rgb: [h, w, 3] composited over white, 0..255
  const rgb = new Float64Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const a = data[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * 4 + c] * a + 255 * (1 - a);
  }
  const wx = axisWeights(w, size);
  const wy = axisWeights(h, size);
  // Horizontal pass: tmp [h, size, 3]
  const tmp = new Float64Array(h * size * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < wx.count[x]; k++) {
        const s = (y * w + wx.start[x] + k) * 3;
        const wt = wx.weights[wx.offset[x] + k];
        r += rgb[s] * wt;
        g += rgb[s + 1] * wt;
        b += rgb[s + 2] * wt;
      }
      const o = (y * size + x) * 3;
      tmp[o] = r;
      tmp[o + 1] = g;
      tmp[o + 2] = b;
    }
  }
  // Vertical pass into CHW, normalised.
  const plane = size * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < wy.count[y]; k++) {
        const s = ((wy.start[y] + k) * size + x) * 3;
        const wt = wy.weights[wy.offset[y] + k];
        r += tmp[s] * wt;
        g += tmp[s + 1] * wt;
        b += tmp[s + 2] * wt;
      }
      const o = offset + y * size + x;
      out[o] = (r / 255 - 0.5) / 0.5;
      out[o + plane] = (g / 255 - 0.5) / 0.5;
      out[o + 2 * plane] = (b / 255 - 0.5) / 0.5;
    }
  }
}

/** Inverse of the normalisation for display: [3, S, S] floats → RGBA bytes. */
export function tensorToImage(images: Float32Array, index: number, size: number): RgbaImage {
  const plane = size * size;
  const base = index * 3 * plane;
  const data = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round((images[base + c * plane + i] * 0.5 + 0.5) * 255);
    data[i * 4 + 3] = 255;
  }
  return { width: size, height: size, data };
}
