// Caption generation with a trained captioning model: greedy decoding and beam search.
// Each step runs the decoder for one token (T = 1) from the previous states and reads
// the logits back to choose the next token; inference only, so the per-step readback is
// expected here (training never does it).
import type { Tensor } from '../tensor.ts';
import { scope } from '../tensor.ts';
import { noGrad } from '../autograd/tape.ts';
import { embedding } from '../ops/embedding.ts';
import { reshape } from '../ops/shape.ts';
import { BOS, EOS } from '../data/types.ts';
import type { MultimodalModel } from './model.ts';
import type { TextConditioning } from './text-encoder.ts';

/** Generated token ids per example, without <bos> and <eos>. */
export type Generated = number[][];

interface DecoderState {
  h: Tensor[];
  c?: Tensor[];
}

/** One decoder step for `tokens` (host ids, one per row). */
function stepOnce(model: MultimodalModel, v: Tensor, tokens: Int32Array, cond: TextConditioning): { logits: Tensor; state: DecoderState } {
  const backend = v.backend;
  const B = tokens.length;
  const input = { tokens: backend.fromArray(tokens, [B, 1], 'i32', 'decode.tokens'), hostTokens: tokens, lengths: new Int32Array(B).fill(1) };
  const { logits, text } = model.decode(v, input, cond, { training: false, seed: 0 });
  return { logits, state: { h: text.recurrent.hN, c: text.recurrent.cN } };
}

function logSoftmaxRow(x: ArrayLike<number>, offset: number, V: number, out: Float64Array): void {
  let max = -Infinity;
  for (let j = 0; j < V; j++) max = Math.max(max, x[offset + j]);
  let s = 0;
  for (let j = 0; j < V; j++) s += Math.exp(x[offset + j] - max);
  const lse = max + Math.log(s);
  for (let j = 0; j < V; j++) out[j] = x[offset + j] - lse;
}

/** Greedy decoding: the most likely token at every step, until <eos> or maxLength. */
export async function greedyDecode(model: MultimodalModel, pixels: Tensor, maxLength = model.config.caption.maxLength): Promise<Generated> {
  const B = pixels.shape[0];
  const V = model.config.outputSize;
  const out: Generated = Array.from({ length: B }, () => []);
  const done = new Uint8Array(B);
  const v = noGrad(() => scope(() => model.captionImageFeature(pixels)));
  let cond = noGrad(() => scope(() => model.initialStates(v)));
  let tokens = new Int32Array(B).fill(BOS);
  const owned: Tensor[] = [v];
  try {
    for (let step = 0; step < maxLength + 1 && done.some((d) => !d); step++) {
      const { logits, state } = noGrad(() => scope(() => stepOnce(model, v, tokens, cond)));
      const values = await logits.read();
      logits.dispose();
      const next = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        let best = 0;
        for (let j = 1; j < V; j++) if (values[b * V + j] > values[b * V + best]) best = j;
        next[b] = best;
        if (done[b]) continue;
        if (best === EOS || out[b].length >= maxLength) done[b] = 1;
        else out[b].push(best);
      }
      for (const t of [...(cond.h0 ?? []), ...(cond.c0 ?? [])]) if (!owned.includes(t)) t.dispose();
      cond = { h0: state.h, c0: state.c };
      tokens = next;
    }
  } finally {
    for (const t of [...owned, ...(cond.h0 ?? []), ...(cond.c0 ?? [])]) t.dispose();
  }
  return out;
}

/** Gathers rows of x [R, W] by `rows` (host indices) → [rows.length, W]. */
function gatherRows(x: Tensor, rows: Int32Array): Tensor {
  const ids = x.backend.fromArray(rows, [rows.length, 1], 'i32', 'decode.rows');
  return reshape(embedding(x, ids, rows), [rows.length, x.shape[1]]);
}

/**
 * Beam search with `beamWidth` beams per example; a finished beam keeps its score, and
 * beams are ranked by log-probability divided by length^lengthPenalty.
 */
export async function beamSearch(model: MultimodalModel, pixels: Tensor, beamWidth = 3, maxLength = model.config.caption.maxLength, lengthPenalty = 0.7): Promise<Generated> {
  const B = pixels.shape[0];
  const K = beamWidth;
  const V = model.config.outputSize;
  const R = B * K;
  const v1 = noGrad(() => scope(() => model.captionImageFeature(pixels)));
  const repeat = Int32Array.from({ length: R }, (_, r) => Math.floor(r / K));
  const v = noGrad(() => scope(() => gatherRows(v1, repeat)));
  v1.dispose();
  let cond = noGrad(() => scope(() => model.initialStates(v)));
  const seqs: number[][] = Array.from({ length: R }, () => []);
  const scores = new Float64Array(R).fill(-Infinity);
  for (let b = 0; b < B; b++) scores[b * K] = 0; // all beams start identical: keep one
  const finished = new Uint8Array(R);
  let tokens = new Int32Array(R).fill(BOS);
  const logp = new Float64Array(V);
  try {
    for (let step = 0; step < maxLength + 1 && finished.some((f, r) => !f && scores[r] > -Infinity); step++) {
      const { logits, state } = noGrad(() => scope(() => stepOnce(model, v, tokens, cond)));
      const values = await logits.read();
      logits.dispose();
      const parents = new Int32Array(R);
      const nextTokens = new Int32Array(R);
      const nextScores = new Float64Array(R).fill(-Infinity);
      const nextSeqs: number[][] = new Array(R);
      const nextFinished = new Uint8Array(R);
      for (let b = 0; b < B; b++) {
        // Candidates: (score, parent row, token); finished beams continue only as themselves.
        const cands: { score: number; parent: number; token: number }[] = [];
        for (let k = 0; k < K; k++) {
          const r = b * K + k;
          if (scores[r] === -Infinity) continue;
          if (finished[r]) {
            cands.push({ score: scores[r], parent: r, token: EOS });
            continue;
          }
          logSoftmaxRow(values, r * V, V, logp);
          for (let j = 0; j < V; j++) cands.push({ score: scores[r] + logp[j], parent: r, token: j });
        }
        cands.sort((x, y) => y.score - x.score);
        for (let k = 0; k < K; k++) {
          const r = b * K + k;
          const cand = cands[k];
          if (!cand) {
            parents[r] = b * K;
            continue;
          }
          parents[r] = cand.parent;
          nextScores[r] = cand.score;
          const ended = finished[cand.parent] === 1 || cand.token === EOS || seqs[cand.parent].length >= maxLength;
          nextFinished[r] = ended ? 1 : 0;
          nextSeqs[r] = ended ? seqs[cand.parent] : [...seqs[cand.parent], cand.token];
          nextTokens[r] = cand.token;
        }
      }
      const h = noGrad(() => scope(() => state.h.map((t) => gatherRows(t, parents))));
      const c = state.c ? noGrad(() => scope(() => state.c!.map((t) => gatherRows(t, parents)))) : undefined;
      for (const t of [...state.h, ...(state.c ?? []), ...(cond.h0 ?? []), ...(cond.c0 ?? [])]) t.dispose();
      cond = { h0: h, c0: c };
      for (let r = 0; r < R; r++) {
        seqs[r] = nextSeqs[r] ?? [];
        scores[r] = nextScores[r];
        finished[r] = nextFinished[r];
      }
      tokens = nextTokens;
    }
  } finally {
    for (const t of [v, ...(cond.h0 ?? []), ...(cond.c0 ?? [])]) t.dispose();
  }
  const out: Generated = [];
  for (let b = 0; b < B; b++) {
    let best = b * K;
    let bestValue = -Infinity;
    for (let k = 0; k < K; k++) {
      const r = b * K + k;
      if (scores[r] === -Infinity) continue;
      const value = scores[r] / Math.max(1, seqs[r].length + 1) ** lengthPenalty;
      if (value > bestValue) {
        bestValue = value;
        best = r;
      }
    }
    out.push(seqs[best]);
  }
  return out;
}
