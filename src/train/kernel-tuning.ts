// What the in-app kernel tuner (src/ops/gemm-tuning.ts, tuneKernels) times for a model:
// its text encoder's recurrent shape (cell, batch, time steps, input and hidden width)
// and the largest GEMMs of its first recurrent layer — the input projection for all time
// steps and the two weight gradients after the backward loop — and the adapter limits
// reported with tuning and benchmark results.
import type { PreparedDataset } from '../data/types.ts';
import { fusionUses, type ModelConfig } from '../models/config.ts';
import { CELLS } from '../ops/recurrent.ts';
import type { GemmShape, RecurrentShape, TuningShapes } from '../ops/gemm-tuning.ts';
import type { WebGpuBackend } from '../backend/webgpu.ts';
import type { TrainConfig } from './config.ts';

/** Shapes to tune for; `recurrent` is null for a model without a text encoder (image only). */
export function tuningShapes(model: ModelConfig, train: TrainConfig, dataset: Pick<PreparedDataset, 'maxLength' | 'splits'>): TuningShapes {
  const B = Math.max(1, Math.min(train.batchSize, dataset.splits.train.length || train.batchSize));
  if (!fusionUses(model.fusion).text && model.task !== 'captioning') return { gemms: [], recurrent: null };
  const t = model.text;
  return recurrentTuningShapes({ cell: t.cell, B, T: Math.max(1, dataset.maxLength), I: t.embeddingSize, H: t.hiddenSize });
}

/** Shapes to tune for one recurrent layer: its step kernels and its three large GEMMs. */
export function recurrentTuningShapes(r: RecurrentShape): TuningShapes {
  const GH = CELLS[r.cell].gates * r.H;
  const BT = r.B * r.T;
  const gemms: GemmShape[] = [
    { M: BT, N: GH, K: r.I, transA: false, transB: true }, // X·W_ihᵀ, all time steps at once
    { M: GH, N: r.I, K: BT, transA: true, transB: false }, // dW_ih = dGᵀ·X
    { M: GH, N: r.H, K: BT, transA: true, transB: false }, // dW_hh = dGᵀ·H_prev
  ];
  return { gemms, recurrent: r };
}

/** Adapter limits that matter for GateScope's kernels and buffers. */
export function limitsOfInterest(gpu: WebGpuBackend): Record<string, number> {
  const l = gpu.device.limits;
  const info = gpu.gpu.adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  const out: Record<string, number> = {
    maxBufferSize: l.maxBufferSize,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
  };
  if (typeof info.subgroupMinSize === 'number') out.subgroupMinSize = info.subgroupMinSize;
  if (typeof info.subgroupMaxSize === 'number') out.subgroupMaxSize = info.subgroupMaxSize;
  return out;
}
