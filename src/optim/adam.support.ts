// Adam / AdamW against PyTorch through autograd: a few steps on loss = Σ θ³ + Σ θ·c with
// the settings of src/optim/fixtures/autograd/adam.json, whose expected values
// scripts/make_optim_fixtures.py computes with torch.optim (float64). Shared by the CPU
// and WebGPU tests.
import type { Backend } from '../backend/backend.ts';
import { backward, zeroGrad } from '../ops/grad.ts';
import { scope } from '../tensor.ts';
import { add, mul, sum } from '../ops/index.ts';
import { createOptimizer } from './optimizer.ts';
import fixture from './fixtures/autograd/adam.json';

export const TORCH_ADAM = fixture.final.adam;
export const TORCH_ADAMW = fixture.final.adamw;

export async function runAdam(backend: Backend, decoupled: boolean): Promise<number[]> {
  const { config } = fixture;
  const p = backend.fromArray(fixture.initial, [fixture.initial.length], 'f32', 'theta').param();
  const c = backend.fromArray(fixture.c, [fixture.c.length]).keep();
  const opt = createOptimizer([p], { kind: decoupled ? 'adamw' : 'adam', ...config });
  for (let k = 0; k < fixture.steps; k++) {
    zeroGrad([p]);
    scope(() => backward(add(sum(mul(mul(p, p), p)), sum(mul(p, c)))));
    opt.update(config.lr);
  }
  backend.flush();
  return Array.from(await p.read());
}
