// Reads what an ONNX image encoder declares (its first input and output and their
// shapes) without running it, and says in plain words why it cannot serve as GateScope's
// image encoder: a file that is not a readable ONNX model, an input that is not an NCHW
// float image batch, or an input or output too large to hold for the dataset. Pure: runs
// in the ONNX check worker (state/onnx-check.worker.ts) so a huge or broken file never
// blocks the page, and in tests on the main thread. Only the graph's inputs, outputs and
// initializer names are read; weights are skipped over, never copied.
import protobuf from 'protobufjs/light.js';
import { formatBytes } from '../data/files.ts';

/** Features and inputs GateScope may hold for one dataset: 1 GiB. */
export const ONNX_FEATURE_BUDGET = 1024 ** 3;

/** One declared dimension: a size, or a name for a size known only when it runs ("batch"). */
export type OnnxDim = number | string;

export interface OnnxTensorInfo {
  name: string;
  /** TensorProto.DataType (1 = float32); 0 when the value is not a tensor. */
  elemType: number;
  /** null when the model declares no shape. */
  shape: OnnxDim[] | null;
}

export interface OnnxSignature {
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  nodes: number;
}

const FLOAT = 1;
const ELEM_NAMES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64' };

/** Thrown when the bytes are not a readable ONNX model. */
export class OnnxReadError extends Error {
  override name = 'OnnxReadError';
}

type Reader = protobuf.Reader;

/** Calls `visit` for each field of the message in `r` up to `end`; unvisited fields are skipped. */
function readFields(r: Reader, end: number, visit: (field: number, wireType: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) throw new OnnxReadError('a field numbered 0');
    if (!visit(field, wireType)) r.skipType(wireType);
  }
  if (r.pos !== end) throw new OnnxReadError('a message runs past its end');
}

/** The end position of the length-delimited message starting at r.pos. */
function messageEnd(r: Reader, wireType: number): number {
  if (wireType !== 2) throw new OnnxReadError('a nested message has the wrong wire type');
  const length = r.uint32();
  const end = r.pos + length;
  if (end > r.len) throw new OnnxReadError('the file ends inside a message (truncated?)');
  return end;
}

function readDim(r: Reader, end: number): OnnxDim {
  let dim: OnnxDim = '?';
  readFields(r, end, (field, wt) => {
    if (field === 1 && wt === 0) dim = Number(r.int64());
    else if (field === 2 && wt === 2) dim = r.string();
    else return false;
    return true;
  });
  return dim;
}

function readValueInfo(r: Reader, end: number): OnnxTensorInfo {
  const info: OnnxTensorInfo = { name: '', elemType: 0, shape: null };
  readFields(r, end, (field, wt) => {
    if (field === 1 && wt === 2) {
      info.name = r.string();
      return true;
    }
    if (field !== 2) return false;
    // TypeProto → tensor_type (1) → elem_type (1), shape (2) → dim (1).
    readFields(r, messageEnd(r, wt), (typeField, typeWt) => {
      if (typeField !== 1) return false;
      readFields(r, messageEnd(r, typeWt), (tensorField, tensorWt) => {
        if (tensorField === 1 && tensorWt === 0) info.elemType = r.int32();
        else if (tensorField === 2) {
          const shape: OnnxDim[] = [];
          readFields(r, messageEnd(r, tensorWt), (shapeField, shapeWt) => {
            if (shapeField !== 1) return false;
            shape.push(readDim(r, messageEnd(r, shapeWt)));
            return true;
          });
          info.shape = shape;
        } else return false;
        return true;
      });
      return true;
    });
    return true;
  });
  return info;
}

/** The declared inputs (initializers left out) and outputs of an ONNX model; throws OnnxReadError. */
export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  if (bytes.length === 0) throw new OnnxReadError('the file is empty');
  const r = protobuf.Reader.create(bytes);
  let graph: OnnxSignature | null = null;
  const initializers = new Set<string>();
  try {
    readFields(r, r.len, (field, wt) => {
      if (field !== 7) return false;
      const g: OnnxSignature = { inputs: [], outputs: [], nodes: 0 };
      readFields(r, messageEnd(r, wt), (gField, gWt) => {
        if (gField === 1) {
          g.nodes++;
          return false;
        }
        if (gField === 5) {
          readFields(r, messageEnd(r, gWt), (tField, tWt) => {
            if (tField !== 8 || tWt !== 2) return false;
            initializers.add(r.string());
            return true;
          });
          return true;
        }
        if (gField === 11) g.inputs.push(readValueInfo(r, messageEnd(r, gWt)));
        else if (gField === 12) g.outputs.push(readValueInfo(r, messageEnd(r, gWt)));
        else return false;
        return true;
      });
      graph = g;
      return true;
    });
  } catch (e) {
    if (e instanceof OnnxReadError) throw e;
    // protobufjs: "index out of range" (truncated), "invalid wire type" (not protobuf).
    throw new OnnxReadError((e as Error).message);
  }
  const g = graph as OnnxSignature | null;
  if (!g) throw new OnnxReadError('it has no graph');
  return { ...g, inputs: g.inputs.filter((i) => !initializers.has(i.name)) };
}

/** The dataset the encoder would run over. */
export interface OnnxCheckTarget {
  /** Images in the dataset. */
  count: number;
  /** Their side in pixels. */
  imageSize: number;
  /** Images per run when the model's batch is not fixed. */
  batchSize: number;
}

export type OnnxCheck = { ok: true; signature: OnnxSignature; featureSize: number | null } | { ok: false; problem: string };

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

function describeShape(shape: OnnxDim[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Whether `bytes` can serve as the image encoder of `target`, read without running it:
 * the problem in plain words, or the declared feature width (null when only a run tells).
 */
export function checkOnnxEncoder(bytes: Uint8Array, target: OnnxCheckTarget): OnnxCheck {
  let signature: OnnxSignature;
  try {
    signature = readOnnxSignature(bytes);
  } catch (e) {
    return { ok: false, problem: `this file is not a readable ONNX model (${(e as Error).message}).` };
  }
  const input = signature.inputs[0];
  const output = signature.outputs[0];
  if (!input || !output) return { ok: false, problem: `the model has ${input ? 'no outputs' : 'no inputs'}; an image encoder takes an image batch and returns one feature row per image.` };
  if (input.elemType !== FLOAT && input.elemType !== 0) {
    return { ok: false, problem: `its input "${input.name}" is ${ELEM_NAMES[input.elemType] ?? `type ${input.elemType}`}; an image encoder needs float32 NCHW input.` };
  }
  const inShape = input.shape ?? [];
  if (inShape.length && inShape.length !== 4) return { ok: false, problem: `its input "${input.name}" ${describeShape(inShape)} has ${inShape.length} dimensions; an image encoder needs [N, 3, H, W].` };
  if (typeof inShape[1] === 'number' && inShape[1] !== 3) return { ok: false, problem: `its input "${input.name}" has ${inShape[1]} channels; GateScope images have 3 (RGB).` };
  const batch = typeof inShape[0] === 'number' && inShape[0] > 0 ? inShape[0] : target.batchSize;
  const side = typeof inShape[2] === 'number' && inShape[2] > 0 ? inShape[2] : target.imageSize;
  if (typeof inShape[2] === 'number' && typeof inShape[3] === 'number' && inShape[2] !== inShape[3]) {
    return { ok: false, problem: `it expects ${inShape[2]}×${inShape[3]} images; only square inputs are supported.` };
  }
  const inputBytes = 4 * batch * 3 * side * side;
  if (inputBytes > ONNX_FEATURE_BUDGET) {
    return { ok: false, problem: `the encoder's input would need ${formatBytes(inputBytes)} per run (${batch} images of 3 × ${side} × ${side}); GateScope allows ${formatBytes(ONNX_FEATURE_BUDGET)}.` };
  }
  const outShape = output.shape ?? [];
  const rest = outShape.slice(1);
  if (rest.length && rest.every((d): d is number => typeof d === 'number')) {
    if (rest.some((d) => d < 1)) return { ok: false, problem: `its output "${output.name}" ${describeShape(outShape)} has an empty dimension.` };
    const featureSize = product(rest);
    const problem = featureProblem(target.count, featureSize);
    if (problem) return { ok: false, problem };
    return { ok: true, signature, featureSize };
  }
  return { ok: true, signature, featureSize: null };
}

/** Why `count` rows of `featureSize` float32 features cannot be held, or null. */
export function featureProblem(count: number, featureSize: number): string | null {
  const bytes = 4 * count * featureSize;
  if (bytes <= ONNX_FEATURE_BUDGET) return null;
  return `the encoder's output would need ${formatBytes(bytes)} (${count.toLocaleString('en-US')} images × ${featureSize.toLocaleString('en-US')} features × 4 bytes); GateScope holds at most ${formatBytes(ONNX_FEATURE_BUDGET)} of features. Use an encoder with fewer output features.`;
}

/** An encoder refused before it ran; the message names the file and the problem. */
export class OnnxEncoderRefused extends Error {
  override name = 'OnnxEncoderRefused';
}
