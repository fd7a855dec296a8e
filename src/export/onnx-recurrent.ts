// One recurrent layer (both directions) as an ONNX LSTM / GRU / RNN node. GateScope keeps
// PyTorch's layout internally; ONNX wants, per direction stacked on axis 0:
//   W [D, G·H, I], R [D, G·H, H], B [D, 2·G·H] = [Wb | Rb]
// with gate blocks reordered: LSTM ours i,f,g,o → ONNX i,o,f,c; GRU ours r,z,n → ONNX
// z,r,h (with linear_before_reset = 1); RNN has one block.
import { CELLS, type CellKind } from '../ops/recurrent.ts';
import type { AttributeValue } from './onnx-proto.ts';

const byCell = <V>(f: (cell: (typeof CELLS)[CellKind]) => V) => Object.fromEntries(Object.entries(CELLS).map(([kind, cell]) => [kind, f(cell)])) as Record<CellKind, V>;

/** For each ONNX gate block, the index of our block that goes there (from each cell's naming). */
export const ONNX_GATE_ORDER: Record<CellKind, readonly number[]> = byCell((c) => c.naming.onnxGateOrder);

export const ONNX_OP: Record<CellKind, string> = byCell((c) => c.naming.onnxOp);

/** Reorders the gate blocks (rows of H) of a [G·H, cols] matrix or a [G·H] vector. */
export function reorderGates(data: ArrayLike<number>, cell: CellKind, H: number, cols: number): Float32Array {
  const order = ONNX_GATE_ORDER[cell];
  const block = H * cols;
  const out = new Float32Array(order.length * block);
  order.forEach((src, dst) => {
    for (let i = 0; i < block; i++) out[dst * block + i] = data[src * block + i];
  });
  return out;
}

export interface DirectionWeights {
  wIh: ArrayLike<number>;
  wHh: ArrayLike<number>;
  bIh: ArrayLike<number>;
  bHh: ArrayLike<number>;
}

/** ONNX W, R, B initializer data for one layer from per-direction PyTorch-layout weights. */
export function onnxRecurrentWeights(cell: CellKind, H: number, I: number, directions: DirectionWeights[]) {
  const parts = directions.map((d) => ({
    W: reorderGates(d.wIh, cell, H, I),
    R: reorderGates(d.wHh, cell, H, H),
    Wb: reorderGates(d.bIh, cell, H, 1),
    Rb: reorderGates(d.bHh, cell, H, 1),
  }));
  const cat = (arrays: Float32Array[]) => {
    const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let o = 0;
    for (const a of arrays) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  };
  return {
    W: cat(parts.map((p) => p.W)),
    R: cat(parts.map((p) => p.R)),
    B: cat(parts.flatMap((p) => [p.Wb, p.Rb])),
  };
}

/** Attributes of the ONNX recurrent node (layout 0: ONNX Runtime rejects layout = 1). */
export function onnxRecurrentAttributes(cell: CellKind, H: number, bidirectional: boolean): Record<string, AttributeValue> {
  return {
    hidden_size: H,
    direction: bidirectional ? 'bidirectional' : 'forward',
    layout: 0,
    ...CELLS[cell].naming.onnxAttributes(bidirectional),
  };
}
