// WebGPU backend: tensors live in pooled storage buffers; ops record dispatches into
// one command encoder that is submitted by flush() (once per training step).
import type { Backend } from './backend.ts';
import { Tensor, sizeOf, type DType, type HostArray, type Shape } from '../tensor.ts';
import { acquireGpu, type GpuContext } from '../gpu/device.ts';
import { BufferPool } from '../gpu/buffer-pool.ts';
import { PipelineCache } from '../gpu/pipeline-cache.ts';
import { Recorder, type DispatchRequest } from '../gpu/recorder.ts';
import { grid1d } from '../gpu/grid.ts';
import { FILL_PARAMS, FILL_WGSL } from '../gpu/fill.ts';

export interface GpuStorage {
  buffer: GPUBuffer;
  /** Bytes used by the tensor (the buffer may be larger: pool size classes). */
  bytes: number;
}

export class WebGpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly device: GPUDevice;
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly recorder: Recorder;
  private readPool: BufferPool;
  /** Whether WGSL may use `enable subgroups;`. */
  readonly hasSubgroups: boolean;

  private constructor(readonly gpu: GpuContext) {
    this.device = gpu.device;
    this.pool = new BufferPool(this.device);
    this.readPool = new BufferPool(this.device, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    this.pipelines = new PipelineCache(this.device);
    this.recorder = new Recorder(this.device, this.pipelines, () => {
      this.pool.afterSubmit();
    });
    this.hasSubgroups = this.device.features.has('subgroups');
  }

  /** Acquires the GPU and builds a backend; throws WebGpuUnavailableError with the reason. */
  static async create(): Promise<WebGpuBackend> {
    return new WebGpuBackend(await acquireGpu());
  }

  get description(): string {
    const i = this.gpu.info;
    return `WebGPU · ${i.vendor} / ${i.architecture}${i.description ? ` (${i.description})` : ''}`;
  }

  /** Why the device was lost, or null while it works. */
  get lostReason(): string | null {
    return this.gpu.lostReason;
  }

  /** Calls `listener` once if the device is lost; returns the unsubscribe. */
  onLost(listener: (reason: string) => void): () => void {
    this.gpu.onLost.add(listener);
    return () => this.gpu.onLost.delete(listener);
  }

  private checkAlive(): void {
    if (this.gpu.lostReason) throw new Error(this.gpu.lostReason);
  }

  storageOf(t: Tensor): GpuStorage {
    if (t.backend !== this) throw new Error(`${t.label}: tensor belongs to the ${t.backend.kind} backend, not webgpu`);
    return t.storage as GpuStorage;
  }

  /** The GPU buffer behind a tensor. */
  buffer(t: Tensor): GPUBuffer {
    return this.storageOf(t).buffer;
  }

  empty(shape: Shape, dtype: DType, label: string): Tensor {
    this.checkAlive();
    const bytes = Math.max(4, sizeOf(shape) * 4);
    const buffer = this.pool.acquire(bytes, label);
    return new Tensor(this, shape, dtype, { buffer, bytes } satisfies GpuStorage, label);
  }

  zeros(shape: Shape, dtype: DType = 'f32', label = 'zeros'): Tensor {
    const t = this.empty(shape, dtype, label);
    this.recorder.clear(this.buffer(t), 0, Math.ceil((sizeOf(shape) * 4) / 4) * 4 || 4);
    return t;
  }

  full(shape: Shape, value: number, dtype: DType = 'f32', label = 'full'): Tensor {
    const t = this.empty(shape, dtype, label);
    const bits = new DataView(new ArrayBuffer(4));
    if (dtype === 'i32') bits.setInt32(0, value, true);
    else bits.setFloat32(0, value, true);
    this.dispatch({
      label: `${label}.fill`,
      shaderKey: 'nn/fill',
      code: FILL_WGSL,
      reads: [],
      writes: [this.buffer(t)],
      uniforms: FILL_PARAMS.pack({ n: t.size, bits: bits.getUint32(0, true) }),
      workgroups: grid1d(t.size, 256),
    });
    return t;
  }

  fromArray(data: ArrayLike<number>, shape: Shape, dtype: DType = 'f32', label = 'tensor'): Tensor {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new Error(`${label}: ${data.length} values do not fill shape [${shape.join(', ')}] (${size})`);
    }
    const t = this.empty(shape, dtype, label);
    this.write(t, data);
    return t;
  }

  write(t: Tensor, data: ArrayLike<number>): void {
    this.checkAlive();
    if (data.length !== t.size) throw new Error(`${t.label}: write of ${data.length} values into ${t.size}`);
    if (t.size === 0) return;
    const host = t.dtype === 'i32' ? Int32Array.from(data) : Float32Array.from(data);
    // Commands already recorded must not see the new contents: submit them first.
    if (!this.recorder.idle) this.recorder.flush();
    this.device.queue.writeBuffer(this.buffer(t), 0, host);
  }

  copy(src: Tensor, dst: Tensor, dstOffset = 0): void {
    if (dstOffset + src.size > dst.size) throw new Error(`copy: ${src.label} (${src.size} values) does not fit ${dst.label} (${dst.size}) at ${dstOffset}`);
    this.checkAlive();
    if (src.size > 0) this.recorder.copy(this.buffer(src), 0, this.buffer(dst), dstOffset * 4, src.size * 4);
  }

  async read(t: Tensor): Promise<HostArray> {
    this.checkAlive();
    const bytes = Math.max(4, t.size * 4);
    const staging = this.readPool.acquire(bytes, `${t.label}.readback`);
    this.recorder.copy(this.buffer(t), 0, staging, 0, Math.ceil(bytes / 4) * 4);
    this.recorder.flush();
    this.readPool.afterSubmit();
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const copy = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.readPool.release(staging);
    this.readPool.afterSubmit();
    return t.dtype === 'i32' ? new Int32Array(copy, 0, t.size) : new Float32Array(copy, 0, t.size);
  }

  freeStorage(storage: unknown): void {
    this.pool.release((storage as GpuStorage).buffer);
  }

  /** Records one compute dispatch. Bindings: reads, then writes (group 0); uniforms (group 1). */
  dispatch(req: DispatchRequest): void {
    this.checkAlive();
    this.recorder.dispatch(req);
  }

  flush(): void {
    this.recorder.flush();
  }

  async sync(): Promise<void> {
    this.recorder.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.checkAlive();
  }
}
