// Dispatch profiler for benches and research: wraps a WebGpuBackend's recorder so each
// dispatch runs in its own timestamped pass and returns the GPU time per dispatch label.
// Totals include a little per-pass overhead; they show what dominates.
import type { WebGpuBackend } from '../src/backend/webgpu.ts';
import type { DispatchRequest } from '../src/gpu/recorder.ts';

/** Wraps the recorder so each dispatch runs in its own timestamped pass. */
export function instrument(gpu: WebGpuBackend) {
  const device = gpu.device;
  const capacity = 4096;
  const querySet = device.createQuerySet({ label: 'profile.queries', type: 'timestamp', count: capacity });
  const resolve = device.createBuffer({ label: 'profile.resolve', size: capacity * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ label: 'profile.readback', size: capacity * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  // The recorder's internals, reached on purpose for profiling only.
  const rec = gpu.recorder as unknown as {
    dispatch(req: DispatchRequest): void;
    endPass(): void;
    ensureEncoder(): GPUCommandEncoder;
    pass: GPUComputePassEncoder | null;
    flush(): void;
  };
  const originalDispatch = rec.dispatch.bind(rec);
  const originalFlush = rec.flush.bind(rec);
  let labels: string[] = [];
  let enabled = false;
  rec.dispatch = (req: DispatchRequest) => {
    if (!enabled || labels.length * 2 >= capacity) return originalDispatch(req);
    rec.endPass();
    const k = labels.length;
    // Matmul uniforms are MATMUL_PARAMS: M, N, K, kChunk as u32.
    const u = req.uniforms ? new Uint32Array(req.uniforms) : null;
    const shape =
      req.label.startsWith('matmul') && u
        ? ` ${req.constants?.TRANS_A ? 'T' : 'N'}${req.constants?.TRANS_B ? 'T' : 'N'} M${u[0]} N${u[1]} K${u[2]}${u[3] ? ` kChunk${u[3]}` : ''}`
        : '';
    labels.push(`${req.label} [${req.entryPoint ?? 'main'}]${shape}`);
    rec.pass = rec.ensureEncoder().beginComputePass({
      label: 'profile.pass',
      timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * k, endOfPassWriteIndex: 2 * k + 1 },
    });
    originalDispatch(req);
    rec.endPass();
  };
  rec.flush = () => {
    if (enabled && labels.length > 0) {
      rec.endPass();
      const enc = rec.ensureEncoder();
      enc.resolveQuerySet(querySet, 0, labels.length * 2, resolve, 0);
      enc.copyBufferToBuffer(resolve, 0, readback, 0, labels.length * 16);
    }
    originalFlush();
  };
  return {
    start() {
      labels = [];
      enabled = true;
    },
    async stop(): Promise<Map<string, { ms: number; count: number }>> {
      rec.flush();
      enabled = false;
      await device.queue.onSubmittedWorkDone();
      const n = labels.length;
      await readback.mapAsync(GPUMapMode.READ, 0, n * 16);
      const t = new BigInt64Array(readback.getMappedRange(0, n * 16).slice(0));
      readback.unmap();
      const out = new Map<string, { ms: number; count: number }>();
      for (let k = 0; k < n; k++) {
        const ms = Number(t[2 * k + 1] - t[2 * k]) / 1e6;
        const e = out.get(labels[k]) ?? { ms: 0, count: 0 };
        e.ms += ms;
        e.count++;
        out.set(labels[k], e);
      }
      return out;
    },
  };
}

export type DispatchProfiler = ReturnType<typeof instrument>;
