// The optimizer interface and its config, shared by createOptimizer (./optimizer.ts,
// which re-exports them) and the fused machinery every optimizer runs on (./fused.ts).
import type { Tensor } from '../tensor.ts';

export type OptimizerKind = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

/**
 * Hyperparameters; unset ones take torch.optim's defaults (momentum 0, dampening 0,
 * nesterov false, betas (0.9, 0.999), eps 1e-8, alpha 0.99, centered false, weight
 * decay 0 — 0.01 for AdamW). `weightDecay` is L2 added to the gradient (decoupled for
 * AdamW); `l1` adds l1·sign(θ) to the gradient (L1 regularisation, not in torch.optim).
 */
export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  dampening?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  alpha?: number;
  centered?: boolean;
  weightDecay?: number;
  l1?: number;
}

export interface Optimizer {
  readonly config: OptimizerConfig;
  readonly params: Tensor[];
  /** Number of update() calls so far. */
  step: number;
  /** One update of every param with a grad. `gradScale` (optional, a [1] f32 tensor on the
   *  same backend, e.g. the clip factor) multiplies every gradient inside the kernel. */
  update(lr: number, gradScale?: Tensor): void;
  /**
   * Named state tensors per param (for checkpoints) and the updates applied to each param
   * (torch's per-parameter state["step"]; a param without a gradient in a step is not
   * updated, so these can be smaller than `step`), and their restore. Without
   * `paramSteps`, restored params resume at `step`.
   */
  state(): { step: number; tensors: Record<string, Tensor>; paramSteps: number[] };
  loadState(step: number, tensors: Record<string, Float32Array>, paramSteps?: number[]): void;
  /** Frees the state tensors; the parameters are the caller's and stay. */
  dispose(): void;
}
