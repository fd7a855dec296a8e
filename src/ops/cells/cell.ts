// What one recurrent cell (a folder here: rnn/, lstm/, gru/) gives the layer in
// ../recurrent.ts and the exporters: its per-unit math for the CPU reference, the WGSL
// fragment that implements it, its gate names and how ONNX and PyTorch name it. A file of
// its own so that the cells and the registry that collects them (index.ts) import it,
// not each other.
import type { WgslFragment } from '../../gpu/wgsl.ts';
import type { FloatArray } from '../../tensor.ts';

/** Per-cell math for the CPU reference and the WGSL that implements it. */
export interface CellSpec {
  /** Gates per unit in W_ih / W_hh (LSTM 4, GRU 3, RNN 1). */
  gates: number;
  /** Values saved per unit and timestep (see each cell's file). */
  saved: number;
  hasCell: boolean;
  savedNames: string[];
  /** WGSL fragment providing cell_forward and cell_backward for the templates. */
  wgsl: WgslFragment;
  /** How export names the cell and orders its gates. */
  naming: CellNaming;
  /** RNN activation code for the WGSL (1 tanh, 3 relu). */
  activationCode?: number;
  /**
   * Forward for unit j. `pre` = [A row (G·H) | W_hh h + b_hh (G·H)]. Writes the saved
   * values at saved[so + g·H + j] and returns h_t[j]. `peep`: peephole weights [3·H]
   * (p_i, p_f, p_o; LSTM only), absent for a cell without them.
   */
  forwardUnit(H: number, j: number, pre: Float64Array, hPrevJ: number, cPrevJ: number, saved: FloatArray, so: number, peep?: FloatArray): number;
  /**
   * Backward for unit k given dh (carry + dy). Reads saved, writes dGx / dGh at
   * go + g·H + k, updates state.dc (LSTM) and sets state.dhDirect (the part of dh_{t-1}
   * that does not go through W_hh). `peep` as in forwardUnit.
   */
  backwardUnit(
    H: number,
    k: number,
    dh: number,
    state: { dc: number; dhDirect: number },
    saved: FloatArray,
    so: number,
    dGx: FloatArray,
    dGh: FloatArray,
    go: number,
    peep?: FloatArray,
  ): void;
}

/** How ONNX and PyTorch name a cell; our parameters keep PyTorch's layout and gate order. */
export interface CellNaming {
  /** For people and generated code, e.g. "RNN (tanh)". */
  label: string;
  /** ONNX operator. */
  onnxOp: 'LSTM' | 'GRU' | 'RNN';
  /** For each ONNX gate block, the index of our (PyTorch-order) block that goes there. */
  onnxGateOrder: readonly number[];
  /** ONNX node attributes besides hidden_size, direction and layout. */
  onnxAttributes(bidirectional: boolean): Record<string, number | string[]>;
  /** The torch.nn module and the extra arguments of its constructor (", nonlinearity='relu'"). */
  torchModule: string;
  torchArgs: string;
}
