import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { runAdam, TORCH_ADAM, TORCH_ADAMW } from './adam.support.ts';

describe('fused Adam kernel matches torch.optim (f32, 5 decimals)', () => {
  it('Adam and AdamW', async () => {
    const gpu = await WebGpuBackend.create();
    const adam = await runAdam(gpu, false);
    adam.forEach((v, i) => expect(v).toBeCloseTo(TORCH_ADAM[i], 5));
    const adamw = await runAdam(gpu, true);
    adamw.forEach((v, i) => expect(v).toBeCloseTo(TORCH_ADAMW[i], 5));
  });
});
