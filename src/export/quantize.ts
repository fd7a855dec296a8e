// int8 weight quantisation for the ONNX export (symmetric, one scale per output row):
//   scale_r = max_j |w[r, j]| / 127   (1 for an all-zero row)
//   q[r, j] = saturate(round_half_to_even(w[r, j] / scale_r))  ∈ [−128, 127]
//   w'[r, j] = q[r, j] · scale_r        (what DequantizeLinear computes)
// Rounding and saturation are those of ONNX QuantizeLinear. With the scale taken from
// max |w| every q lies in [−127, 127] and |w − w'| ≤ scale_r / 2 for every element.
// A "row" is one index of the tensor's first axis: an output unit of a Linear (weight
// [out, in]), an output channel of a Conv ([out, in, k, k]), a token of an embedding
// ([V, E]), a gate row of a recurrent W or R.

/** Rounds to the nearest integer, halves to the even one (as ONNX QuantizeLinear). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round sends halves up; a half whose upward neighbour is odd goes down instead.
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One value as ONNX QuantizeLinear to int8 with zero point 0 computes it (float32 division). */
export function quantizeValue(x: number, scale: number): number {
  const q = roundHalfEven(Math.fround(x / scale));
  return Math.max(-128, Math.min(127, q));
}

export interface QuantizedRows {
  /** int8 values, in the layout of the input. */
  q: Int8Array;
  /** One scale per row. */
  scale: Float32Array;
}

/** Quantises `data` seen as `rows` rows of equal length, one symmetric scale per row. */
export function quantizeRows(data: ArrayLike<number>, rows: number): QuantizedRows {
  if (rows <= 0 || data.length % rows !== 0) throw new Error(`int8 quantisation: ${data.length} values do not split into ${rows} rows`);
  const cols = data.length / rows;
  const q = new Int8Array(data.length);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let j = r * cols; j < (r + 1) * cols; j++) max = Math.max(max, Math.abs(data[j]));
    if (!Number.isFinite(max)) throw new Error(`int8 quantisation: row ${r} holds a value that is not finite`);
    const s = max > 0 ? Math.fround(max / 127) : 1;
    scale[r] = s;
    for (let j = r * cols; j < (r + 1) * cols; j++) q[j] = quantizeValue(data[j], s);
  }
  return { q, scale };
}

/** The float values DequantizeLinear gives back: q · scale per row (float32). */
export function dequantizeRows({ q, scale }: QuantizedRows): Float32Array {
  const cols = q.length / scale.length;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i] * scale[Math.floor(i / cols)];
  return out;
}
