// Embedding lookup out[b, t, :] = table[ids[b, t], :], gradient to the table only:
//   dTable[v, :] = Σ_{positions p with ids[p] = v} dOut[p, :]
// WGSL has no float atomics, so the wrapper builds an inverted index on the host from
// the ids it already holds (the used rows, CSR offsets, positions grouped by id) and
// passes it as an i32 input; the backward kernel then sums each used row's positions
// in a fixed order (deterministic, no atomics).
import embeddingWgsl from '../../shaders/nn/embedding.wgsl?raw';
import embeddingBackwardWgsl from '../../shaders/nn/embedding_backward.wgsl?raw';
import { FILL_PARAMS, FILL_WGSL } from '../gpu/fill.ts';
import type { Backend } from '../backend/backend.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import { grid1d } from '../gpu/grid.ts';
import { shapeString, type FloatArray, type Shape, type Tensor } from '../tensor.ts';
import { expectDtype, runOp, shapeError, type OpDef } from './op.ts';
import { uniformLayout } from '../gpu/uniform-layout.ts';

const EMBEDDING_PARAMS = uniformLayout('nn/embedding', { P: 'u32', E: 'u32', V: 'u32' });
const EMBEDDING_BACKWARD_PARAMS = uniformLayout('nn/embedding_backward', { U: 'u32', E: 'u32' });

export interface EmbeddingAttrs {
  /** Number of distinct ids in the batch (U): the index holds rows[U] | offsets[U+1] | positions[P]. */
  used: number;
}

export interface EmbeddingGradAttrs extends EmbeddingAttrs {
  /** Shape of the table, [V, E]. */
  tableShape: Shape;
}

/** Inverted index of a batch of ids: rows[U] (ascending) | offsets[U + 1] | positions[P]. */
export interface EmbeddingIndex {
  used: number;
  data: Int32Array<ArrayBuffer>;
}

/** Names a flat position as a multi-index of `shape`, e.g. "[1, 3]". */
function positionName(flat: number, shape: Shape): string {
  const idx: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] || 1;
    idx.unshift(rest % n);
    rest = Math.floor(rest / n);
  }
  return shapeString(idx);
}

/**
 * Checks every id against the vocabulary size and groups positions by id (counting
 * sort: rows ascending, positions ascending within a row).
 */
export function buildEmbeddingIndex(hostIds: ArrayLike<number>, vocab: number, idsShape: Shape = [hostIds.length]): EmbeddingIndex {
  const P = hostIds.length;
  const counts = new Int32Array(vocab);
  for (let p = 0; p < P; p++) {
    const id = hostIds[p];
    if (!Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new RangeError(`embedding: id ${id} at position ${positionName(p, idsShape)} of ids ${shapeString(idsShape)} is outside the table [0, ${vocab})`);
    }
    counts[id]++;
  }
  let used = 0;
  for (let v = 0; v < vocab; v++) if (counts[v] > 0) used++;
  const data = new Int32Array(2 * used + 1 + P);
  const cursor = new Int32Array(vocab); // next free slot of each row in positions
  let u = 0;
  let offset = 0;
  for (let v = 0; v < vocab; v++) {
    if (counts[v] === 0) continue;
    data[u] = v;
    data[used + u] = offset;
    cursor[v] = offset;
    offset += counts[v];
    u++;
  }
  data[2 * used] = offset;
  const positions = 2 * used + 1;
  for (let p = 0; p < P; p++) data[positions + cursor[hostIds[p]]++] = p;
  return { used, data };
}

/**
 * Uploads an i32 tensor. On WebGPU a freshly acquired pool buffer is referenced by no
 * recorded-but-unsubmitted command (the pool only hands out buffers released before
 * the last submit), so writing it through the queue is ordered correctly without
 * flushing the step's command encoder (Backend.write would flush to be safe in general).
 */
function uploadIndex(backend: Backend, data: Int32Array<ArrayBuffer>, label: string): Tensor {
  if (backend.kind !== 'webgpu') return backend.fromArray(data, [data.length], 'i32', label);
  const gpu = backend as WebGpuBackend;
  const t = gpu.empty([data.length], 'i32', label);
  gpu.device.queue.writeBuffer(gpu.buffer(t), 0, data);
  return t;
}

function checkLookup(op: string, inputs: readonly Tensor[]): void {
  expectDtype(op, inputs, 0, 'f32');
  expectDtype(op, inputs, 1, 'i32');
  expectDtype(op, inputs, 2, 'i32');
  if (inputs[0].rank !== 2) shapeError(op, inputs, 'table must be [V, E]');
}

/** Inputs: table [V, E] f32, ids [...] i32, index i32 (see buildEmbeddingIndex). Output [..., E]. */
export const embeddingOp: OpDef<EmbeddingAttrs> = {
  outputs(inputs, { used }) {
    checkLookup('embedding', inputs);
    const [table, ids, index] = inputs;
    if (index.size !== 2 * used + 1 + ids.size) shapeError('embedding', inputs, `index must hold ${2 * used + 1 + ids.size} values for ${used} used rows`);
    return [{ shape: [...ids.shape, table.shape[1]], dtype: 'f32' }];
  },
  reference(inputs, [out], { inputShapes }) {
    const table = inputs[0] as FloatArray;
    const ids = inputs[1] as Int32Array;
    const [V, E] = inputShapes[0];
    for (let p = 0; p < ids.length; p++) {
      const id = ids[p];
      if (id < 0 || id >= V) {
        throw new RangeError(`embedding: id ${id} at position ${positionName(p, inputShapes[1])} of ids ${shapeString(inputShapes[1])} is outside the table [0, ${V})`);
      }
      for (let e = 0; e < E; e++) out[p * E + e] = table[id * E + e];
    }
  },
  webgpu(gpu, [table, ids], [out]) {
    const [V, E] = table.shape;
    gpu.dispatch({
      label: 'embedding.forward',
      shaderKey: 'nn/embedding',
      code: embeddingWgsl,
      reads: [gpu.buffer(table), gpu.buffer(ids)],
      writes: [gpu.buffer(out)],
      uniforms: EMBEDDING_PARAMS.pack({ P: ids.size, E, V }),
      workgroups: grid1d(ids.size * E, 256),
    });
  },
  backward({ inputs: [table, , index], attrs, grads: [g] }) {
    if (!g) return [null, null, null];
    const dTable = runOp('embeddingGrad', embeddingGradOp, [g, index], { used: attrs.used, tableShape: table.shape })[0];
    return [dTable, null, null];
  },
};

/** Inputs: dOut [..., E], index i32. Output dTable [V, E]; a helper of embedding's backward. */
export const embeddingGradOp: OpDef<EmbeddingGradAttrs> = {
  outputs(inputs, { tableShape }) {
    expectDtype('embeddingGrad', inputs, 0, 'f32');
    expectDtype('embeddingGrad', inputs, 1, 'i32');
    return [{ shape: tableShape, dtype: 'f32' }];
  },
  reference(inputs, [dTable], { attrs }) {
    const dOut = inputs[0] as FloatArray;
    const index = inputs[1] as Int32Array;
    const E = attrs.tableShape[1];
    const U = attrs.used;
    const positions = 2 * U + 1;
    dTable.fill(0);
    for (let u = 0; u < U; u++) {
      const row = index[u];
      for (let e = 0; e < E; e++) {
        let acc = 0;
        for (let k = index[U + u]; k < index[U + u + 1]; k++) acc += dOut[index[positions + k] * E + e];
        dTable[row * E + e] = acc;
      }
    }
  },
  webgpu(gpu, [dOut, index], [dTable], attrs) {
    const E = attrs.tableShape[1];
    gpu.dispatch({
      label: 'embeddingGrad.zero',
      shaderKey: 'nn/fill',
      code: FILL_WGSL,
      reads: [],
      writes: [gpu.buffer(dTable)],
      uniforms: FILL_PARAMS.pack({ n: dTable.size, bits: 0 }),
      workgroups: grid1d(dTable.size, 256),
    });
    gpu.dispatch({
      label: 'embeddingGrad.rows',
      shaderKey: 'nn/embedding_backward',
      code: embeddingBackwardWgsl,
      reads: [gpu.buffer(dOut), gpu.buffer(index)],
      writes: [gpu.buffer(dTable)],
      uniforms: EMBEDDING_BACKWARD_PARAMS.pack({ U: attrs.used, E }),
      workgroups: grid1d(attrs.used * E, 64),
    });
  },
  backward: 'nondifferentiable',
};

/**
 * Looks up rows of `table` [V, E] for `ids` (i32, e.g. [B, T]) → [B, T, E].
 * `hostIds` are the same ids on the host (the data loader has them): they are checked
 * (an id outside [0, V) throws naming the id and its position) and turned into the
 * inverted index the backward kernel needs. Only the table receives a gradient.
 */
export function embedding(table: Tensor, ids: Tensor, hostIds: Int32Array): Tensor {
  if (table.rank !== 2) shapeError('embedding', [table, ids], 'table must be [V, E]');
  if (hostIds.length !== ids.size) {
    shapeError('embedding', [table, ids], `hostIds holds ${hostIds.length} ids, ids tensor has ${ids.size}`);
  }
  const index = buildEmbeddingIndex(hostIds, table.shape[0], ids.shape);
  const indexTensor = uploadIndex(table.backend, index.data, 'embedding.index');
  return runOp('embedding', embeddingOp, [table, ids, indexTensor], { used: index.used })[0];
}
