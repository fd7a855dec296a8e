// createOptimizer for SGD, RMSprop, Adam and AdamW (torch.optim semantics), and the
// optimizer interface they share (declared in ./types.ts). Each optimizer is one fused
// kernel per parameter tensor (shaders/optim/*.wgsl) with the same arithmetic on the
// CPU; see ./fused.ts.
import type { Tensor } from '../tensor.ts';
import type { Optimizer, OptimizerConfig } from './types.ts';
import { FusedOptimizer, resolveConfig } from './fused.ts';
import { SGD_RULE } from './sgd.ts';
import { RMSPROP_RULE } from './rmsprop.ts';
import { ADAM_RULE } from './adam.ts';

export type { Optimizer, OptimizerConfig, OptimizerKind } from './types.ts';

const RULES = { sgd: SGD_RULE, rmsprop: RMSPROP_RULE, adam: ADAM_RULE, adamw: ADAM_RULE } as const;

/** Builds the optimizer of `config.kind` over `params` (f32 tensors on one backend). */
export function createOptimizer(params: Tensor[], config: OptimizerConfig): Optimizer {
  const rule = RULES[config.kind];
  if (!rule) throw new Error(`createOptimizer: unknown optimizer kind "${String(config.kind)}"`);
  return new FusedOptimizer(params, config, resolveConfig(config), rule);
}
