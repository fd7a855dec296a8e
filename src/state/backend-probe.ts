// What the badge says before the training worker reports its backend: the WebGPU adapter
// (asked for without creating a device) with its buffer limits, or why WebGPU is unavailable.
import { summarizeAdapter, webGpuMissingReason } from '../gpu/device.ts';
import type { BackendProbe } from './slices/ui.ts';

export async function acquireGpuAdapterSummary(): Promise<BackendProbe> {
  const missing = webGpuMissingReason();
  if (missing) return { kind: 'cpu', text: `CPU — WebGPU unavailable: ${missing}` };
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { kind: 'cpu', text: 'CPU — WebGPU unavailable: navigator.gpu.requestAdapter() returned no adapter' };
    const i = summarizeAdapter(adapter);
    const limits = { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize };
    return { kind: 'webgpu', text: `WebGPU · ${i.vendor} / ${i.architecture}${i.description ? ` (${i.description})` : ''}`, limits, features: i.features };
  } catch (e) {
    return { kind: 'cpu', text: `CPU — WebGPU unavailable: ${(e as Error).message}` };
  }
}
