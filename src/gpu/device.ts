// Device setup in one place: adapter, requested features and limits, loss and
// uncaptured-error handling. Works in windows and workers (navigator.gpu exists in both).

/** Features GateScope uses when the adapter has them. */
export const WANTED_FEATURES = ['timestamp-query', 'subgroups', 'shader-f16'] as GPUFeatureName[];

/** Limits raised to the adapter's maximum. */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
] as const;

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: string[];
  isFallbackAdapter: boolean;
}

export interface GpuContext {
  adapter: GPUAdapter;
  device: GPUDevice;
  info: AdapterSummary;
  /** Set once the device is lost; every later use throws with this reason. */
  lostReason: string | null;
  /** Listeners for device loss and uncaptured errors. */
  onError: Set<(message: string) => void>;
  /** Listeners for device loss only (called once, with `lostReason`). */
  onLost: Set<(reason: string) => void>;
}

export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

/** Why WebGPU cannot be used here, or null when navigator.gpu exists. */
export function webGpuMissingReason(): string | null {
  if (typeof navigator === 'undefined') return 'no navigator (not a browser)';
  if (!('gpu' in navigator) || !navigator.gpu) {
    if (typeof isSecureContext !== 'undefined' && !isSecureContext) {
      return 'the page is not a secure context (serve it from https, localhost or 127.0.0.1)';
    }
    return 'this browser has no WebGPU (navigator.gpu is missing); use Chrome or Edge 113+';
  }
  return null;
}

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const i = adapter.info;
  const features = [...adapter.features].map(String).sort();
  const vendor = i?.vendor || 'unknown vendor';
  const architecture = i?.architecture || 'unknown architecture';
  return {
    vendor,
    architecture,
    device: i?.device ?? '',
    description: i?.description ?? '',
    features,
    isFallbackAdapter: (i as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ?? false,
  };
}

/** Requests an adapter and a device with the wanted features and raised limits. */
export async function acquireGpu(label = 'gatescope'): Promise<GpuContext> {
  const missing = webGpuMissingReason();
  if (missing) throw new WebGpuUnavailableError(missing);
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError('navigator.gpu.requestAdapter() returned no adapter');

  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const v = adapter.limits[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  const device = await adapter.requestDevice({ label, requiredFeatures, requiredLimits });
  const ctx: GpuContext = {
    adapter,
    device,
    info: summarizeAdapter(adapter),
    lostReason: null,
    onError: new Set(),
    onLost: new Set(),
  };
  device.lost.then((info) => {
    ctx.lostReason = `GPU device lost (${info.reason}): ${info.message || 'no message'}`;
    for (const f of ctx.onError) f(ctx.lostReason);
    for (const f of ctx.onLost) f(ctx.lostReason);
  });
  device.addEventListener('uncapturederror', (event) => {
    const message = `WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`;
    if (ctx.onError.size === 0) console.error(message);
    for (const f of ctx.onError) f(message);
  });
  return ctx;
}
