// safetensors files (the format PyTorch's `safetensors.torch` reads and writes):
//   [8 bytes: N, little-endian u64] [N bytes: JSON header, padded with spaces]
//   [data: every tensor's bytes, little-endian, back to back]
// The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}
// (offsets into the data part) and may hold "__metadata__": {string: string}.
// GateScope writes F32 and I32 tensors in the order given; the parser checks every
// offset and size before it touches the data and names what is wrong.

export type SafeDType = 'F32' | 'I32';

/** One tensor: flat row-major values and their shape. */
export interface SafeTensor {
  dtype: SafeDType;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface SafetensorsFile {
  tensors: Record<string, SafeTensor>;
  metadata: Record<string, string>;
}

/** Bytes per element, by dtype. */
const DTYPE_BYTES: Record<SafeDType, number> = { F32: 4, I32: 4 };
/** dtypes of the format that GateScope does not read (named in the error). */
const OTHER_DTYPES = ['F64', 'F16', 'BF16', 'I64', 'I16', 'I8', 'U8', 'U16', 'U32', 'U64', 'BOOL', 'F8_E4M3', 'F8_E5M2'];
/** Largest header accepted (the reference implementation uses 100 MB). */
const MAX_HEADER = 100_000_000;

/** Thrown for a malformed file; the message names the file and the problem. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Writes tensors (in the given order) and string metadata as a safetensors file. The
 * header is padded with spaces so the data starts at a multiple of 8 bytes.
 */
export function writeSafetensors(tensors: Record<string, { shape: number[]; data: Float32Array | Int32Array }>, metadata: Record<string, string> = {}): Uint8Array {
  if (!isLittleEndian) throw new SafetensorsError('safetensors: writing needs a little-endian machine');
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new SafetensorsError(`safetensors: metadata "${k}" must be a string`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new SafetensorsError('safetensors: "__metadata__" cannot name a tensor');
    const dtype: SafeDType = t.data instanceof Int32Array ? 'I32' : 'F32';
    if (!(t.data instanceof Int32Array) && !(t.data instanceof Float32Array)) throw new SafetensorsError(`safetensors: tensor "${name}" must be a Float32Array or Int32Array`);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`safetensors: tensor "${name}" has an invalid shape [${t.shape.join(', ')}]`);
    const n = elementCount(t.shape);
    if (n !== t.data.length) throw new SafetensorsError(`safetensors: tensor "${name}" has ${t.data.length} values for shape [${t.shape.join(', ')}] (${n})`);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let o = 8 + json.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Parses a safetensors file, checking the header length against the file, the JSON,
 * every dtype, shape and offset, that tensors neither overlap nor leave gaps and that
 * together they cover the data exactly. Values are copied out of `bytes`.
 */
export function parseSafetensors(bytes: Uint8Array, fileName = 'the safetensors file'): SafetensorsFile {
  const fail: (what: string) => never = (what) => {
    throw new SafetensorsError(`${fileName}: ${what}`);
  };
  if (bytes.length < 8) fail(`is ${bytes.length} bytes long, too short for a safetensors file (it starts with an 8-byte header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const big = view.getBigUint64(0, true);
  const available = bytes.length - 8;
  if (big > BigInt(available)) fail(`the header length (${big} bytes) is larger than the rest of the file (${available} bytes): the file is truncated or not safetensors`);
  const N = Number(big);
  if (N > MAX_HEADER) fail(`the header length (${N} bytes) exceeds the ${MAX_HEADER}-byte limit`);
  if (N < 2) fail(`the header is ${N} bytes long; it must be a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + N));
  } catch {
    return fail('the header is not valid UTF-8: this is not a safetensors file');
  }
  if (!text.startsWith('{')) fail('the header does not start with "{": this is not a safetensors file');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) fail('the header is not a JSON object');
  const dataStart = 8 + N;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafeDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('"__metadata__" must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`metadata "${k}" is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (!raw || typeof raw !== 'object') fail(`tensor "${name}" has no description`);
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info.dtype;
    if (typeof dtype !== 'string') fail(`tensor "${name}" has no dtype`);
    if (!(dtype as string in DTYPE_BYTES)) {
      const known = OTHER_DTYPES.includes(dtype as string);
      fail(`tensor "${name}" has dtype "${dtype}"; ${known ? 'GateScope reads only F32 and I32 tensors (convert it to float32 first)' : 'that is not a safetensors dtype'}`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end) fail(`tensor "${name}" has data_offsets [${begin}, ${end}] that end before they begin`);
    if (end > dataLength) fail(`tensor "${name}" has data_offsets [${begin}, ${end}] outside the data (${dataLength} bytes after the header)`);
    const n = elementCount(shape as number[]);
    const size = n * DTYPE_BYTES[dtype as SafeDType];
    if (end - begin !== size) fail(`tensor "${name}" (${dtype} [${(shape as number[]).join(', ')}]) needs ${size} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
    entries.push({ name, dtype: dtype as SafeDType, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin < cursor) fail(`tensor "${e.name}" (bytes ${e.begin}–${e.end}) overlaps the tensor before it (which ends at ${cursor})`);
    if (e.begin > cursor) fail(`bytes ${cursor}–${e.begin} of the data belong to no tensor (before "${e.name}")`);
    cursor = e.end;
  }
  if (cursor !== dataLength) fail(`the tensors cover ${cursor} of the ${dataLength} data bytes; the rest belongs to no tensor`);
  const tensors: Record<string, SafeTensor> = {};
  for (const e of entries) {
    const copy = bytes.slice(dataStart + e.begin, dataStart + e.end);
    if (!isLittleEndian) fail('reading needs a little-endian machine');
    const data = e.dtype === 'I32' ? new Int32Array(copy.buffer, 0, copy.length / 4) : new Float32Array(copy.buffer, 0, copy.length / 4);
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data };
  }
  return { tensors, metadata };
}
