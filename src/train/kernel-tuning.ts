// What the in-app kernel tuner (src/ops/gemm-tuning.ts, tuneKernels) times for a model:
// its text encoder's recurrent shape (cell, batch, time steps, input and hidden width)
// and the largest GEMMs of its first recurrent layer — the input projection for all time
// steps and the two weight gradients after the backward loop.
import type { PreparedDataset } from '../data/types.ts';
import { fusionUses, type ModelConfig } from '../models/config.ts';
import { CELLS } from '../ops/recurrent.ts';
import type { GemmShape, TuningShapes } from '../ops/gemm-tuning.ts';
import type { TrainConfig } from './config.ts';

/** Shapes to tune for; `recurrent` is null for a model without a text encoder (image only). */
export function tuningShapes(model: ModelConfig, train: TrainConfig, dataset: Pick<PreparedDataset, 'maxLength' | 'splits'>): TuningShapes {
  const B = Math.max(1, Math.min(train.batchSize, dataset.splits.train.length || train.batchSize));
  if (!fusionUses(model.fusion).text && model.task !== 'captioning') return { gemms: [], recurrent: null };
  const t = model.text;
  const T = Math.max(1, dataset.maxLength);
  const I = t.embeddingSize;
  const H = t.hiddenSize;
  const GH = CELLS[t.cell].gates * H;
  const BT = B * T;
  const gemms: GemmShape[] = [
    { M: BT, N: GH, K: I, transA: false, transB: true }, // X·W_ihᵀ, all time steps at once
    { M: GH, N: I, K: BT, transA: true, transB: false }, // dW_ih = dGᵀ·X
    { M: GH, N: H, K: BT, transA: true, transB: false }, // dW_hh = dGᵀ·H_prev
  ];
  return { gemms, recurrent: { cell: t.cell, B, T, I, H } };
}
