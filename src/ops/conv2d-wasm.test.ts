// The engine's convolutions over several chunks of the batch (src/ops/conv2d-wasm.ts
// splits the batch so that one chunk's im2col stays within 512 KiB): the op suite's cases
// are small enough for one chunk, these need two or more, the last one short. Each output
// against the f32 reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeEngine } from '../backend/wasm-engine.support.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { allclose } from '../autograd/gradcheck.ts';
import { Random } from '../random.ts';
import { conv2dInputGradOp, conv2dOp, conv2dWeightGradOp } from './conv2d.ts';

let engine: WasmGemm;
beforeAll(async () => {
  engine = await nodeEngine();
});

const random = (n: number, rng: Random) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));

describe('conv2d on the engine over several chunks of the batch', () => {
  // [N, C, H, W], [O, C, K, K], stride, padding: im2col per image 166 KiB (3 images a chunk: 3 + 2), and a 1×1 kernel at 147 KiB.
  const cases: [number[], number[], number, number][] = [
    [[5, 8, 24, 24], [4, 8, 3, 3], 1, 1],
    [[5, 64, 24, 24], [6, 64, 1, 1], 1, 0],
  ];
  for (const [xShape, wShape, stride, padding] of cases) {
    it(`x [${xShape}], w [${wShape}], ReLU`, () => {
      const rng = new Random(11);
      const [N, , H, W] = xShape;
      const [O] = wShape;
      const OH = Math.floor((H + 2 * padding - wShape[2]) / stride) + 1;
      const OW = Math.floor((W + 2 * padding - wShape[2]) / stride) + 1;
      const x = random(xShape.reduce((a, b) => a * b), rng);
      const w = random(wShape.reduce((a, b) => a * b), rng);
      const b = random(O, rng);
      const dy = random(N * O * OH * OW, rng);
      const attrs = { stride, padding, relu: true };
      const ctx = { attrs, inputShapes: [xShape, wShape, [O]], outputShapes: [[N, O, OH, OW]] };
      const gradCtx = { attrs: { ...attrs, inputShape: xShape, weightShape: wShape, bias: true }, inputShapes: [], outputShapes: [] };
      const run = (impl: 'reference' | 'wasm') => {
        const y = new Float32Array(dy.length);
        const dx = new Float32Array(x.length);
        const dw = new Float32Array(w.length);
        const db = new Float32Array(O);
        if (impl === 'reference') {
          conv2dOp.reference([x, w, b], [y], ctx);
          conv2dInputGradOp.reference([dy, w, y], [dx], gradCtx);
          conv2dWeightGradOp.reference([dy, x, y], [dw, db], gradCtx);
        } else {
          conv2dOp.wasm!(engine, [x, w, b], [y], ctx);
          conv2dInputGradOp.wasm!(engine, [dy, w, y], [dx], gradCtx);
          conv2dWeightGradOp.wasm!(engine, [dy, x, y], [dw, db], gradCtx);
        }
        return { y, dx, dw, db };
      };
      const want = run('reference');
      const got = run('wasm');
      for (const key of ['y', 'dx', 'dw', 'db'] as const) {
        const r = allclose(got[key], want[key], 1e-4, 1e-4, key);
        expect(r.ok, r.message).toBe(true);
      }
    });
  }
});
