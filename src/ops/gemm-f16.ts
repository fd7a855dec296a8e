// Half precision for the GEMM kernels, in two kinds:
//   f16 storage (`…p16` variants): A and B hold IEEE binary16 values packed two per u32,
//     read with unpack2x16float (core WGSL, no `shader-f16` needed), multiplied and summed
//     in f32. Runs on every adapter; halves the bytes read.
//   f16 arithmetic (`…h16` variants): A and B are array<f16> and the products are formed
//     in f16, then summed in f32. Needs the `shader-f16` feature (SwiftShader has none).
// Both are the tiled kernels of gemm-tiled.ts with other operand loads, with the bindings
// of every GEMM variant, so encodeGemm (matmul.ts) dispatches them; the caller passes A
// and B already converted (packF16 on the host, encodePackF16 on the GPU).
// The app's "Precision" setting (src/ops/precision.ts) uses the weight variants, where
// only B — the weight matrix — is f16 and A stays f32:
//   `…w16`  B f16 packed in u32, A f32, f32 arithmetic (any adapter)
//   `…wh16` B an f16 array, A converted to f16 as it is loaded, f16 products, f32 sums
//           (shader-f16)
//
// Accuracy (u = 2^-11, the unit roundoff of binary16's 11-bit significand): rounding an
// f32 input to f16 changes it by a factor (1 + δ), |δ| ≤ u, as long as it stays in the
// normal range (|x| ≥ 2^-14; below that the absolute change is ≤ 2^-25). A product of two
// rounded inputs is a·b·(1 + δa)(1 + δb), so for C = Σ_k a_k·b_k
//   |C_f16storage − C| ≤ (2u + u²)·Σ_k |a_k·b_k| + (f32 summation: ≤ K·2^-23·Σ_k |a_k·b_k|)
// plus 2^-25·Σ_k (|a_k| + |b_k|) for inputs below the normal range (absolute error), and
// with f16 products one more rounding of each product: (3u + 3u² + u³) instead of
// (2u + u²), plus 2^-25 per product that falls below the normal range. The bound grows
// with Σ|a·b| ≤ K·max|a·b| (worst case: all errors of one sign); for independent
// rounding errors the typical error grows like √K·u·max|a·b|. src/ops/gemm-f16.browser.test.ts
// checks every element against the worst-case bound.
import { workgroupTiled, type TiledShape, type TiledVariant } from './gemm-tiled.ts';

/** binary16 unit roundoff. */
export const F16_UNIT_ROUNDOFF = 2 ** -11;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of x (rounded to nearest, ties to even; overflow to ±Infinity, NaN kept). */
export function f16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal f16 (or zero): shift the significand with its implicit 1 into place.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1) === 1)) m++;
    return sign | m;
  }
  const rest = mant & 0x1fff;
  let m = mant >>> 13;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1) === 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** The value of binary16 bits. */
export function f16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** x rounded to the nearest binary16 value. */
export const roundToF16 = (x: number): number => f16Value(f16Bits(x));

/**
 * Values as binary16 packed two per u32 (element i in the low half of word i/2 when i is
 * even, as pack2x16float), padded with zeros to a whole number of 16-byte quads so that
 * the kernels' 8-byte quad loads stay inside the buffer.
 */
export function packF16(values: ArrayLike<number>): Uint32Array {
  const words = new Uint32Array(Math.max(4, Math.ceil(values.length / 8) * 4));
  for (let i = 0; i < values.length; i++) words[i >> 1] |= f16Bits(values[i]) << ((i & 1) * 16);
  return words;
}

/** Tile shapes of the f16 variants: the 64×64 tiles of gemm-tiled.ts and the 32×32 one for small outputs. */
const F16_SHAPES: TiledShape[] = [
  { BM: 64, BN: 64, TM: 8, TN: 4, BK: 16 },
  { BM: 32, BN: 32, TM: 4, TN: 4, BK: 16 },
];

/** f16 storage, f32 arithmetic: run on any adapter. */
export const F16_STORAGE_GEMM_VARIANTS: TiledVariant[] = F16_SHAPES.map((s) => workgroupTiled(s, 'f16pack'));

/** f16 storage and products (f32 sums): need `shader-f16`. */
export const F16_ARITHMETIC_GEMM_VARIANTS: TiledVariant[] = F16_SHAPES.map((s) => workgroupTiled(s, 'f16'));

/** f16 weights (B), f32 activations (A) and arithmetic: the app's "f16 weights"; the tile shapes of the p16 variants. */
export const F16_WEIGHT_GEMM_VARIANTS: TiledVariant[] = F16_SHAPES.map((s) => workgroupTiled(s, 'w16pack'));

/** f16 weights, A converted to f16, f16 products, f32 sums: the app's "f16 arithmetic" (needs `shader-f16`). */
export const F16_WEIGHT_ARITHMETIC_GEMM_VARIANTS: TiledVariant[] = F16_SHAPES.map((s) => workgroupTiled(s, 'w16'));
