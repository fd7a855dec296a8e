// The ONNX encoder writes what the schema says: decode the bytes and read them back.
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, ONNX_FLOAT, ONNX_INT32 } from './onnx-proto.ts';
import { onnxRecurrentWeights, reorderGates } from './onnx-recurrent.ts';
import type { DecodedModel } from './export.support.ts';

describe('ONNX encoding', () => {
  it('round-trips a small graph', () => {
    const bytes = encodeModel({
      name: 'g',
      nodes: [{ opType: 'Transpose', inputs: ['x'], outputs: ['y'], attributes: { perm: [1, 0, 2], direction: 'forward', hidden_size: 3 } }],
      initializers: [{ name: 'W', dims: [2, 2], data: [1, 2, 3, 4] }],
      inputs: [{ name: 'x', elemType: ONNX_FLOAT, shape: ['batch', 5, 4] }],
      outputs: [{ name: 'y', elemType: ONNX_INT32, shape: [5, 'batch', 4] }],
    });
    const m = decodeModel(bytes) as unknown as DecodedModel;
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport[0].version).toBe(17);
    expect(m.graph.node[0].opType).toBe('Transpose');
    const attrs = Object.fromEntries(m.graph.node[0].attribute.map((a) => [a.name, a]));
    expect(attrs.perm.ints).toEqual([1, 0, 2]);
    expect(attrs.hidden_size.i).toBe(3);
    expect(new TextDecoder().decode(Uint8Array.from(attrs.direction.s ?? []))).toBe('forward');
    expect(new Float32Array(Uint8Array.from(m.graph.initializer[0].rawData).buffer)).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(m.graph.input[0].type.tensorType.shape.dim[0].dimParam).toBe('batch');
    expect(m.graph.input[0].type.tensorType.shape.dim[1].dimValue).toBe(5);
  });
});

describe('gate reordering for ONNX', () => {
  it('LSTM i,f,g,o → i,o,f,c and GRU r,z,n → z,r,h', () => {
    expect([...reorderGates([0, 1, 2, 3], 'lstm', 1, 1)]).toEqual([0, 3, 1, 2]);
    expect([...reorderGates([10, 11, 20, 21, 30, 31], 'gru', 1, 2)]).toEqual([20, 21, 10, 11, 30, 31]);
  });
  it('stacks directions and concatenates Wb, Rb per direction', () => {
    const d = (v: number) => ({ wIh: [v], wHh: [v + 1], bIh: [v + 2], bHh: [v + 3] });
    const { W, R, B } = onnxRecurrentWeights('rnn_tanh', 1, 1, [d(0), d(10)]);
    expect([...W]).toEqual([0, 10]);
    expect([...R]).toEqual([1, 11]);
    expect([...B]).toEqual([2, 3, 12, 13]);
  });
});
