// maxPool2d on the WebAssembly engine (wasm/conv.ts) where random cases do not reach: ties
// (the first maximum in row-major window order wins) and NaN (a NaN wins, a later NaN over
// an earlier one), in the four-wide 2×2 path and in the scalar path, value for value and
// index for index against the reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { nodeEngine } from '../backend/wasm-engine.support.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { maxPool2d, maxPool2dOp } from './pool.ts';

let engine: WasmGemm;
beforeAll(async () => {
  engine = await nodeEngine();
});

/** A [1, 1, 4, W] plane of small integers (many ties) with NaN at a few places. */
function tiedPlane(W: number): Float32Array {
  const x = Float32Array.from({ length: 4 * W }, (_, i) => (i * 7) % 3);
  for (const i of [1, 5, W + 4, W + 5, 3 * W + 10, 2 * W + 3]) if (i < x.length) x[i] = NaN;
  return x;
}

describe('maxPool2d on the engine: ties and NaN', () => {
  for (const [W, size, stride] of [
    [18, 2, 2],
    [18, 3, 2],
    [19, 3, 3],
  ]) {
    it(`[1, 1, 4, ${W}], window ${size}, stride ${stride}`, () => {
      const x = tiedPlane(W);
      const ctx = { attrs: { size, stride }, inputShapes: [[1, 1, 4, W]], outputShapes: [] };
      const OH = Math.floor((4 - size) / stride) + 1;
      const OW = Math.floor((W - size) / stride) + 1;
      const want = { y: new Float32Array(OH * OW), arg: new Int32Array(OH * OW) };
      const got = { y: new Float32Array(OH * OW), arg: new Int32Array(OH * OW) };
      maxPool2dOp.reference([x], [want.y, want.arg], ctx);
      maxPool2dOp.wasm!(engine, [x], [got.y, got.arg], ctx);
      expect(want.y.some(Number.isNaN)).toBe(true);
      expect(Array.from(got.arg)).toEqual(Array.from(want.arg));
      expect(Array.from(got.y)).toEqual(Array.from(want.y));
    });
  }
  it('runs on a CpuBackend with the engine like the reference', async () => {
    const x = tiedPlane(18);
    const plain = new CpuBackend();
    const fast = new CpuBackend({ engine });
    const a = await maxPool2d(plain.fromArray(x, [1, 1, 4, 18]), { size: 2 }).read();
    const b = await maxPool2d(fast.fromArray(x, [1, 1, 4, 18]), { size: 2 }).read();
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
