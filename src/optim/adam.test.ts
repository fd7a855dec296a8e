import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { runAdam, TORCH_ADAM, TORCH_ADAMW } from './adam.support.ts';

describe('Adam on the CPU matches torch.optim', () => {
  it('Adam with L2 weight decay (f64)', async () => {
    const got = await runAdam(new CpuBackend({ precision: 'f64' }), false);
    got.forEach((v, i) => expect(v).toBeCloseTo(TORCH_ADAM[i], 12));
  });
  it('AdamW (f64)', async () => {
    const got = await runAdam(new CpuBackend({ precision: 'f64' }), true);
    got.forEach((v, i) => expect(v).toBeCloseTo(TORCH_ADAMW[i], 12));
  });
});
