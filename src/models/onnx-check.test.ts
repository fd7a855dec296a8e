// The ONNX encoder check reads declared shapes without running the model: a good encoder
// passes with its feature width, and broken or oversized ones are refused in plain words.
import { describe, expect, it } from 'vitest';
import { encodeModel, ONNX_FLOAT, ONNX_INT64, type OnnxValueInfo } from '../export/onnx-proto.ts';
import { checkOnnxEncoder, readOnnxSignature } from './onnx-check.ts';

function encoder(input: Partial<OnnxValueInfo>, output: Partial<OnnxValueInfo>, withWeights = false): Uint8Array {
  return encodeModel({
    name: 'test',
    nodes: [
      { opType: 'GlobalAveragePool', inputs: ['image'], outputs: ['pooled'] },
      { opType: 'Flatten', inputs: ['pooled'], outputs: ['features'], attributes: { axis: 1 } },
    ],
    initializers: withWeights ? [{ name: 'w', dims: [1000], data: new Float32Array(1000).fill(0.5) }] : [],
    inputs: [{ name: 'image', elemType: ONNX_FLOAT, shape: ['batch', 3, 16, 16], ...input }, ...(withWeights ? [{ name: 'w', elemType: ONNX_FLOAT, shape: [1000] }] : [])],
    outputs: [{ name: 'features', elemType: ONNX_FLOAT, shape: ['batch', 3], ...output }],
  });
}

const target = { count: 90, imageSize: 16, batchSize: 16 };

describe('reading an ONNX model', () => {
  it('reads inputs, outputs and their shapes, leaving initializers out of the inputs', () => {
    const s = readOnnxSignature(encoder({}, {}, true));
    expect(s.nodes).toBe(2);
    expect(s.inputs).toEqual([{ name: 'image', elemType: ONNX_FLOAT, shape: ['batch', 3, 16, 16] }]);
    expect(s.outputs).toEqual([{ name: 'features', elemType: ONNX_FLOAT, shape: ['batch', 3] }]);
  });

  it('passes a small encoder with its feature width', () => {
    expect(checkOnnxEncoder(encoder({}, { shape: ['batch', 3, 1, 1] }), target)).toMatchObject({ ok: true, featureSize: 3 });
    expect(checkOnnxEncoder(encoder({}, { shape: ['batch', 'features'] }), target)).toMatchObject({ ok: true, featureSize: null });
  });

  it('refuses a truncated file, random bytes and an empty file as unreadable', () => {
    const good = encoder({}, {}, true);
    for (const bytes of [good.subarray(0, good.length - 700), new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24), new Uint8Array(0)]) {
      const r = checkOnnxEncoder(bytes, target);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).toMatch(/^this file is not a readable ONNX model \(.+\)\.$/);
    }
  });

  it('refuses an output too large to hold, with its size', () => {
    // 90 images × 33,554,432 features × 4 bytes = 11.25 GiB.
    const r = checkOnnxEncoder(encoder({}, { shape: ['batch', 1024, 1024, 32] }), target);
    expect(r).toEqual({
      ok: false,
      problem: "the encoder's output would need 11.25 GiB (90 images × 33,554,432 features × 4 bytes); GateScope holds at most 1 GiB of features. Use an encoder with fewer output features.",
    });
  });

  it('refuses inputs that are no image batch or too large', () => {
    expect(checkOnnxEncoder(encoder({ elemType: ONNX_INT64 }, {}), target)).toEqual({ ok: false, problem: 'its input "image" is int64; an image encoder needs float32 NCHW input.' });
    expect(checkOnnxEncoder(encoder({ shape: ['batch', 1, 16, 16] }, {}), target)).toEqual({ ok: false, problem: 'its input "image" has 1 channels; GateScope images have 3 (RGB).' });
    expect(checkOnnxEncoder(encoder({ shape: [16, 3, 65536, 65536] }, {}), target)).toEqual({
      ok: false,
      problem: "the encoder's input would need 768 GiB per run (16 images of 3 × 65536 × 65536); GateScope allows 1 GiB.",
    });
  });
});
