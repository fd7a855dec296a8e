// Adam / AdamW against PyTorch through autograd: three steps on
// loss = Σ θ³ + Σ θ·(1, 2, 3), lr 0.1, betas (0.9, 0.99), weight decay 0.05. Expected
// values were printed by torch.optim (float64) and are shared by the CPU and WebGPU tests.
import type { Backend } from '../backend/backend.ts';
import { backward, zeroGrad } from '../ops/grad.ts';
import { scope } from '../tensor.ts';
import { add, mul, sum } from '../ops/index.ts';
import { createOptimizer } from './optimizer.ts';

export const TORCH_ADAM = [0.20261341479023381, -1.300391876779565, 1.7010168701792858];
export const TORCH_ADAMW = [0.1966997294980309, -1.283979476716375, 1.6728017906189505];

export async function runAdam(backend: Backend, decoupled: boolean): Promise<number[]> {
  const p = backend.fromArray([0.5, -1, 2], [3], 'f32', 'theta').param();
  const c = backend.fromArray([1, 2, 3], [3]).keep();
  const opt = createOptimizer([p], { kind: decoupled ? 'adamw' : 'adam', lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05 });
  for (let k = 0; k < 3; k++) {
    zeroGrad([p]);
    scope(() => backward(add(sum(mul(mul(p, p), p)), sum(mul(p, c)))));
    opt.update(0.1);
  }
  backend.flush();
  return Array.from(await p.read());
}
