// What one recurrent cell (rnn.ts, lstm.ts, gru.ts) gives the layer in recurrent.ts:
// its per-unit math for the CPU reference and the WGSL that implements it. A file of its
// own so that the cells and the layer that collects them import it, not each other.
import type { WgslFragment } from '../gpu/wgsl.ts';
import type { FloatArray } from '../tensor.ts';

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
  /** RNN activation code for the WGSL (1 tanh, 3 relu). */
  activationCode?: number;
  /**
   * Forward for unit j. `pre` = [A row (G·H) | W_hh h + b_hh (G·H)]. Writes the saved
   * values at saved[so + g·H + j] and returns h_t[j].
   */
  forwardUnit(H: number, j: number, pre: Float64Array, hPrevJ: number, cPrevJ: number, saved: FloatArray, so: number): number;
  /**
   * Backward for unit k given dh (carry + dy). Reads saved, writes dGx / dGh at
   * go + g·H + k, updates state.dc (LSTM) and sets state.dhDirect (the part of dh_{t-1}
   * that does not go through W_hh).
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
  ): void;
}
