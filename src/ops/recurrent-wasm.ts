// The recurrent layer's forward and its BPTT on the WebAssembly engine (the `wasm`
// implementations of recurrentLayerOp and recurrentBackwardOp). Each call copies its
// inputs into the engine's memory once, runs every timestep there — the GEMMs through
// engine.gemmAt, the cell math through the kernels of wasm/recurrent.ts — and copies the
// outputs out once. Same semantics as the references in recurrent-layer.ts and
// recurrent-backward.ts (active rows per step, padding, reverse direction), in f32.
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { CELLS, type CellKind } from './cells/index.ts';
import { copyIn } from './wasm-arrays.ts';

/** The exports of wasm/recurrent.ts (pointers are byte offsets; 0 means absent). */
interface RecurrentExports {
  recurrentInputBias(a: number, rowsBT: number, T: number, GH: number, bIh: number, inBias: number): void;
  recurrentGather(n: number, width: number, examples: number, src: number, dst: number): void;
  recurrentForwardStep(
    cell: number, n: number, H: number, rows: number, examples: number,
    a: number, r: number, bHh: number, h: number, c: number,
    saved: number, hPrev: number, y: number, DH: number, dOff: number, peep: number,
  ): void;
  recurrentBackwardStep(
    cell: number, n: number, H: number, rows: number, examples: number,
    saved: number, dy: number, DH: number, dOff: number,
    dhCarry: number, dc: number, direct: number,
    dGx: number, dGh: number, dg: number, peep: number,
  ): void;
  recurrentCarry(n: number, H: number, examples: number, direct: number, through: number, dhCarry: number): void;
  recurrentColumnSums(src: number, rows: number, cols: number, dst: number): void;
  recurrentPeepholeGrad(rowsBT: number, H: number, dGx: number, saved: number, dp: number): void;
}

/** Cell codes of wasm/recurrent.ts. */
const CELL_CODE: Record<CellKind, number> = { rnn_tanh: 0, rnn_relu: 1, lstm: 2, gru: 3 };

function kernels(engine: WasmGemm): RecurrentExports {
  const k = engine.exports as unknown as RecurrentExports;
  if (typeof k.recurrentForwardStep !== 'function') throw new Error('WebAssembly engine: this build has no recurrent kernels (wasm/recurrent.ts); rebuild with `node scripts/build-wasm.mjs`');
  return k;
}

/**
 * Copies the transpose of `data` [rows, cols] into the engine at a new allocation, as
 * [cols, rows]; returns its byte offset. The GEMM packs op(B) fastest when it is stored
 * untransposed.
 */
function putTransposed(engine: WasmGemm, data: Float32Array, rows: number, cols: number): number {
  const p = engine.alloc(data.length);
  const dst = engine.f32(p, data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) dst[c * rows + r] = data[r * cols + c];
  }
  return p;
}

/** A new allocation of `floats` zeros. */
function zeros(engine: WasmGemm, floats: number): number {
  const p = engine.alloc(floats);
  engine.f32(p, floats).fill(0);
  return p;
}

/**
 * The active rows of step s (examples still running, in batch order): writes their
 * example indices and their rows b·T + t into the engine's i32 arrays; returns how many.
 * reverse: t = L − 1 − s (the reverse direction starts at each example's last real step).
 */
function activeRows(engine: WasmGemm, lengths: Int32Array, T: number, s: number, reverse: boolean, pExamples: number, pRows: number): number {
  const B = lengths.length;
  const examples = new Int32Array(engine.memory.buffer, pExamples, B);
  const rows = new Int32Array(engine.memory.buffer, pRows, B);
  let n = 0;
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (s >= L) continue;
    examples[n] = b;
    rows[n] = b * T + (reverse ? L - 1 - s : s);
    n++;
  }
  return n;
}

/** One direction of a layer's forward: its parameters and initial states, and where its results go. */
export interface ForwardDirection {
  /** W_ih [G·H, I], W_hh [G·H, H], b_ih, b_hh [G·H]. */
  wIh: Float32Array;
  wHh: Float32Array;
  bIh: Float32Array;
  bHh: Float32Array;
  /** h_0 [B, H]; c_0 [B, H] (LSTM, else null). */
  h0: Float32Array;
  c0: Float32Array | null;
  /** Per-example input bias [B, G·H] (first layer), or null. */
  inputBias: Float32Array | null;
  /** Peephole weights [3·H] (LSTM), or null. */
  peephole: Float32Array | null;
  /** Outputs: final states [B, H] (cN only for the LSTM), saved [B, T, S·H], hPrev [B, T, H]. */
  hN: Float32Array;
  cN: Float32Array | null;
  saved: Float32Array;
  hPrev: Float32Array;
}

/**
 * Forward of one layer, every direction (d = 1 runs in reverse time): x [B, T, I] → y [B,
 * T, D·H] (direction d in columns d·H .. d·H + H; zero at padded steps), and each
 * direction's outputs. lengths: validated per-example lengths [B].
 */
export function recurrentForwardWasm(engine: WasmGemm, cellKind: CellKind, dims: { B: number; T: number; I: number; H: number }, lengths: Int32Array, x: Float32Array, y: Float32Array, directions: ForwardDirection[]): void {
  const k = kernels(engine);
  const cell = CELLS[cellKind];
  const { B, T, I, H } = dims;
  const D = directions.length;
  const GH = cell.gates * H;
  const S = cell.saved * H;
  const DH = D * H;
  const steps = Math.max(...lengths);
  const padded = lengths.some((L) => L !== T);
  const mark = engine.mark();
  try {
    const pX = copyIn(engine, x);
    // Without padding every element of y, saved and hPrev is written by the steps.
    const pY = padded ? zeros(engine, B * T * DH) : engine.alloc(B * T * DH);
    const pA = engine.alloc(B * T * GH);
    const pH = engine.alloc(B * H);
    const pC = engine.alloc(B * H);
    const pHs = engine.alloc(B * H);
    const pR = engine.alloc(B * GH);
    const pExamples = engine.alloc(B);
    const pRows = engine.alloc(B);
    directions.forEach((dir, d) => {
      const inner = engine.mark();
      // W_ihᵀ [I, G·H] and W_hhᵀ [H, G·H].
      const pWihT = putTransposed(engine, dir.wIh, GH, I);
      // W_hhᵀ packed once for the T per-step GEMMs (W_hh is stored [G·H, H]: transposed).
      const pWhhT = engine.packB(copyIn(engine, dir.wHh), GH, H, true);
      const pBih = copyIn(engine, dir.bIh);
      const pBhh = copyIn(engine, dir.bHh);
      const pInBias = dir.inputBias ? copyIn(engine, dir.inputBias) : 0;
      const pPeep = dir.peephole ? copyIn(engine, dir.peephole) : 0;
      const pSaved = padded ? zeros(engine, B * T * S) : engine.alloc(B * T * S);
      const pHPrev = padded ? zeros(engine, B * T * H) : engine.alloc(B * T * H);
      engine.f32(pH, B * H).set(dir.h0);
      if (dir.c0) engine.f32(pC, B * H).set(dir.c0);
      else engine.f32(pC, B * H).fill(0);
      // A = X·W_ihᵀ + b_ih (+ input bias) for every timestep, [B·T, G·H]: one GEMM.
      engine.gemmAt(pX, pWihT, pA, B * T, GH, I);
      k.recurrentInputBias(pA, B * T, T, GH, pBih, pInBias);
      const reverse = d === 1;
      for (let s = 0; s < steps; s++) {
        const n = activeRows(engine, lengths, T, s, reverse, pExamples, pRows);
        // R = h·W_hhᵀ of the running examples (all of them, in order, when n = B).
        let pHs0 = pH;
        if (n < B) {
          k.recurrentGather(n, H, pExamples, pH, pHs);
          pHs0 = pHs;
        }
        engine.gemmAt(pHs0, pWhhT, pR, n, GH, H, false, 'packed');
        k.recurrentForwardStep(CELL_CODE[cellKind], n, H, pRows, pExamples, pA, pR, pBhh, pH, pC, pSaved, pHPrev, pY, DH, d * H, pPeep);
      }
      // Final states: each example's state after its last real step.
      dir.hN.set(engine.f32(pH, B * H));
      dir.cN?.set(engine.f32(pC, B * H));
      dir.saved.set(engine.f32(pSaved, B * T * S));
      dir.hPrev.set(engine.f32(pHPrev, B * T * H));
      engine.release(inner);
    });
    y.set(engine.f32(pY, B * T * DH));
  } finally {
    engine.release(mark);
  }
}

/** Inputs and outputs of the BPTT of one direction (see recurrentBackwardOp). */
export interface BackwardArrays {
  /** saved [B, T, S·H], W_hh [G·H, H], dy [B, T, D·H] or empty, dh_N and dc_N [B, H]. */
  saved: Float32Array;
  wHh: Float32Array;
  dy: Float32Array;
  dhN: Float32Array;
  dcN: Float32Array;
  /** Peephole weights [3·H] (LSTM), or null. */
  peephole: Float32Array | null;
  /** Outputs: dGx [B, T, G·H]; dGh the same for the GRU (else null: equal to dGx). */
  dGx: Float32Array;
  dGh: Float32Array | null;
  /** dh_0, dc_0 [B, H], or null when not wanted. */
  dh0: Float32Array | null;
  dc0: Float32Array | null;
  dbIh: Float32Array;
  dbHh: Float32Array;
  /** Σ_t dGx per example [B, G·H], or null. */
  dInputBias: Float32Array | null;
  /** dp [3·H] (with peephole), or null. */
  dPeephole: Float32Array | null;
}

/** BPTT of one direction in reverse time, then the bias (and peephole) gradients. */
export function recurrentBackwardWasm(
  engine: WasmGemm,
  cellKind: CellKind,
  dims: { B: number; T: number; H: number; directions: number; direction: number },
  lengths: Int32Array,
  io: BackwardArrays,
): void {
  const k = kernels(engine);
  const cell = CELLS[cellKind];
  const { B, T, H } = dims;
  const GH = cell.gates * H;
  const DH = dims.directions * H;
  const steps = Math.max(...lengths);
  const padded = lengths.some((L) => L !== T);
  const reverse = dims.direction === 1;
  const mark = engine.mark();
  try {
    const pSaved = copyIn(engine, io.saved);
    // W_hh [G·H, H] packed once for the per-step GEMMs dG·W_hh.
    const pWhh = engine.packB(copyIn(engine, io.wHh), H, GH);
    const pDy = io.dy.length > 0 ? copyIn(engine, io.dy) : 0;
    const pPeep = io.peephole ? copyIn(engine, io.peephole) : 0;
    const pCarry = copyIn(engine, io.dhN);
    const pDc = copyIn(engine, io.dcN);
    const pDirect = zeros(engine, B * H);
    // Padded steps keep zero gradients; without padding the steps write every row.
    const pDGx = padded ? zeros(engine, B * T * GH) : engine.alloc(B * T * GH);
    const pDGh = io.dGh ? (padded ? zeros(engine, B * T * GH) : engine.alloc(B * T * GH)) : 0;
    const pDg = engine.alloc(B * GH);
    const pThrough = engine.alloc(B * H);
    const pExamples = engine.alloc(B);
    const pRows = engine.alloc(B);
    const wantState = io.dh0 !== null;
    for (let s = steps - 1; s >= 0; s--) {
      const n = activeRows(engine, lengths, T, s, reverse, pExamples, pRows);
      k.recurrentBackwardStep(CELL_CODE[cellKind], n, H, pRows, pExamples, pSaved, pDy, DH, dims.direction * H, pCarry, pDc, pDirect, pDGx, pDGh, pDg, pPeep);
      // dh_{t-1} = direct + dGh_t·W_hh for the running examples; after step 0 only dh_0 needs it.
      if (s > 0 || wantState) {
        engine.gemmAt(pDg, pWhh, pThrough, n, H, GH, false, 'packed');
        k.recurrentCarry(n, H, pExamples, pDirect, pThrough, pCarry);
      }
    }
    // Bias gradients: Σ_t per example, then Σ over examples; db_hh from dGh for the GRU.
    const pRowsIh = engine.alloc(B * GH);
    const pDbIh = engine.alloc(GH);
    const pDbHh = engine.alloc(GH);
    for (let b = 0; b < B; b++) k.recurrentColumnSums(pDGx + b * T * GH * 4, T, GH, pRowsIh + b * GH * 4);
    k.recurrentColumnSums(pRowsIh, B, GH, pDbIh);
    if (pDGh) k.recurrentColumnSums(pDGh, B * T, GH, pDbHh);
    const pDp = io.dPeephole ? engine.alloc(3 * H) : 0;
    if (pDp) k.recurrentPeepholeGrad(B * T, H, pDGx, pSaved, pDp);
    io.dGx.set(engine.f32(pDGx, B * T * GH));
    if (io.dGh) io.dGh.set(engine.f32(pDGh, B * T * GH));
    io.dh0?.set(engine.f32(pCarry, B * H));
    io.dc0?.set(engine.f32(pDc, B * H));
    io.dbIh.set(engine.f32(pDbIh, GH));
    io.dbHh.set(engine.f32(pDGh ? pDbHh : pDbIh, GH));
    io.dInputBias?.set(engine.f32(pRowsIh, B * GH));
    if (io.dPeephole) io.dPeephole.set(engine.f32(pDp, 3 * H));
  } finally {
    engine.release(mark);
  }
}
