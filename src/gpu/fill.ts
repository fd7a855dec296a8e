// The fill kernel (shaders/nn/fill.wgsl: out[i] = bits as f32 / i32) and its uniforms,
// declared once for the backend, the ops and the optimizers that dispatch it.
import fillWgsl from '../../shaders/nn/fill.wgsl?raw';
import { uniformLayout } from './uniform-layout.ts';

export const FILL_WGSL = fillWgsl;
export const FILL_PARAMS = uniformLayout('nn/fill', { n: 'u32', bits: 'u32' });
