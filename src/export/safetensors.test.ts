// safetensors: round trips (bytes and values), a file written by the reference
// implementation (scripts/make_safetensors_fixture.py), and every malformed header.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, writeSafetensors } from './safetensors.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

/** A file with a hand-written header and `dataBytes` bytes of data. */
function withHeader(header: unknown, dataBytes: number, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors round trip', () => {
  const tensors = {
    'text_encoder.rnn.weight_ih_l0': { shape: [2, 3], data: Float32Array.from([1.5, -2, 3.25, 1e-30, -0, Math.PI]) },
    'fusion.alpha': { shape: [], data: Float32Array.from([0.125]) },
    'order': { shape: [5], data: Int32Array.from([4, 0, -7, 2147483647, -2147483648]) },
    'empty': { shape: [0, 4], data: new Float32Array(0) },
  };

  it('write → parse gives the same names, dtypes, shapes and bit-identical values', () => {
    const bytes = writeSafetensors(tensors, { format: 'pt', note: 'ünïcode' });
    const parsed = parseSafetensors(bytes);
    expect(Object.keys(parsed.tensors)).toEqual(Object.keys(tensors));
    expect(parsed.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    for (const [name, t] of Object.entries(tensors)) {
      const p = parsed.tensors[name];
      expect(p.shape).toEqual(t.shape);
      expect(p.dtype).toBe(t.data instanceof Int32Array ? 'I32' : 'F32');
      expect(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)).toEqual(new Uint8Array(t.data.buffer));
    }
    expect(Object.is(parsed.tensors['text_encoder.rnn.weight_ih_l0'].data[4], -0)).toBe(true);
  });

  it('parse → write reproduces the file byte for byte', () => {
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    const again = writeSafetensors(parseSafetensors(bytes).tensors, parseSafetensors(bytes).metadata);
    expect(again).toEqual(bytes);
  });

  it('pads the header so the data starts at a multiple of 8 bytes', () => {
    const bytes = writeSafetensors({ x: { shape: [1], data: Float32Array.from([1]) } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(bytes[8 + n - 1]).toBe(0x20);
  });

  it('reads a file written by the reference implementation and writes the same bytes back', () => {
    const bytes = new Uint8Array(readFileSync(fixture('reference.safetensors')));
    const expected = JSON.parse(readFileSync(fixture('reference.json'), 'utf8')) as {
      metadata: Record<string, string>;
      tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
    };
    const parsed = parseSafetensors(bytes, 'reference.safetensors');
    expect(parsed.metadata).toEqual(expected.metadata);
    for (const [name, t] of Object.entries(expected.tensors)) {
      expect(parsed.tensors[name].dtype).toBe(t.dtype);
      expect(parsed.tensors[name].shape).toEqual(t.shape);
      expect(Array.from(parsed.tensors[name].data)).toEqual(t.dtype === 'F32' ? t.values.map((v) => Math.fround(v)) : t.values);
    }
    // In the reference's tensor order (by offset), our writer produces its bytes exactly.
    expect(writeSafetensors(parsed.tensors, parsed.metadata)).toEqual(bytes);
  });

  it('refuses to write values that do not fill the shape', () => {
    expect(() => writeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/"w" has 3 values for shape \[2, 2\] \(4\)/);
  });
});

describe('safetensors header checks', () => {
  const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

  it('a file shorter than the 8-byte length', () => {
    expect(() => parseSafetensors(new Uint8Array(5), 'w.safetensors')).toThrow(/w\.safetensors: is 5 bytes long, too short/);
  });
  it('a header length larger than the file', () => {
    expect(() => parseSafetensors(withHeader({ a: f32([1], 0, 4) }, 4, 10_000))).toThrow(/header length \(10000 bytes\) is larger than the rest of the file/);
    const ok = writeSafetensors({ a: { shape: [4], data: new Float32Array(4) } });
    expect(() => parseSafetensors(ok.subarray(0, 20))).toThrow(/larger than the rest of the file|truncated/);
  });
  it('a truncated file (data cut short)', () => {
    const ok = writeSafetensors({ a: { shape: [4], data: new Float32Array(4) } });
    expect(() => parseSafetensors(ok.subarray(0, ok.length - 3))).toThrow(/"a" has data_offsets \[0, 16\] outside the data \(13 bytes/);
  });
  it('bad JSON and headers that are not objects', () => {
    expect(() => parseSafetensors(withHeader('{"a": {"dtype": "F32",', 0))).toThrow(/header is not valid JSON/);
    expect(() => parseSafetensors(withHeader('[1, 2]', 0))).toThrow(/does not start with "\{"/);
    expect(() => parseSafetensors(withHeader('PK\u0003\u0004 zip', 0))).toThrow(/not a safetensors file/);
  });
  it('offsets outside the data', () => {
    expect(() => parseSafetensors(withHeader({ a: f32([2], 0, 8), b: f32([2], 8, 16) }, 12))).toThrow(/"b" has data_offsets \[8, 16\] outside the data \(12 bytes/);
  });
  it('offsets that end before they begin or disagree with the shape', () => {
    expect(() => parseSafetensors(withHeader({ a: f32([0], 8, 4) }, 8))).toThrow(/end before they begin/);
    expect(() => parseSafetensors(withHeader({ a: f32([3], 0, 8) }, 8))).toThrow(/"a" \(F32 \[3\]\) needs 12 bytes but data_offsets \[0, 8\] span 8/);
  });
  it('overlapping tensors', () => {
    expect(() => parseSafetensors(withHeader({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12))).toThrow(/"b" \(bytes 4–12\) overlaps/);
  });
  it('tensors that do not cover the data, or leave a gap', () => {
    expect(() => parseSafetensors(withHeader({ a: f32([1], 0, 4) }, 8))).toThrow(/cover 4 of the 8 data bytes/);
    expect(() => parseSafetensors(withHeader({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12))).toThrow(/bytes 4–8 of the data belong to no tensor/);
  });
  it('unknown or unsupported dtypes, bad shapes and bad metadata', () => {
    expect(() => parseSafetensors(withHeader({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, 4))).toThrow(/"a" has dtype "F16"; GateScope reads only F32 and I32/);
    expect(() => parseSafetensors(withHeader({ a: { dtype: 'Q7', shape: [2], data_offsets: [0, 4] } }, 4))).toThrow(/"Q7"; that is not a safetensors dtype/);
    expect(() => parseSafetensors(withHeader({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4))).toThrow(/"a" has an invalid shape \[-1\]/);
    expect(() => parseSafetensors(withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4))).toThrow(/invalid data_offsets \[0\]/);
    expect(() => parseSafetensors(withHeader({ __metadata__: { n: 3 } }, 0))).toThrow(/metadata "n" is not a string/);
  });
});
