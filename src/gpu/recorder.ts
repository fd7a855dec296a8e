// Command recorder: dispatches accumulate in one compute pass of one command encoder
// until flush(), so a whole training step is a single submit. Per-dispatch uniforms
// (packed by each kernel's named layout, src/gpu/uniform-layout.ts) go into one arena
// buffer written just before the submit.
//
// Bind groups are cached by layout and buffers (and, for uniforms, arena offset and
// size): a training step binds the same pooled buffers in the same order every time, so
// after the first step no bind group is created (each creation is a round trip to the GPU
// process, ~200 per recurrent training step). Buffers get an id on first sight; a
// destroyed buffer's entries are never asked for again (a new buffer has a new id), and
// the cache is emptied when it grows past BIND_GROUP_CACHE_LIMIT.
import type { BindingLayout, PipelineCache } from './pipeline-cache.ts';

const UNIFORM_ALIGN = 256;
const BIND_GROUP_CACHE_LIMIT = 8192;

export interface DispatchRequest {
  /** "<op>.<role>", used for the pipeline and bind group labels. */
  label: string;
  /** Stable shader name, e.g. "linalg/matmul". */
  shaderKey: string;
  code: string;
  entryPoint?: string;
  constants?: Record<string, number>;
  /** Bound as read-only storage, in order (group 0). */
  reads: readonly GPUBuffer[];
  /** Bound as read_write storage after the reads (group 0). */
  writes: readonly GPUBuffer[];
  /** Group 1 binding 0: the bytes of the kernel's uniform struct (from its UniformLayout's pack). */
  uniforms?: ArrayBuffer;
  workgroups: readonly [number, number?, number?];
}

export class Recorder {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private arena: GPUBuffer;
  private arenaStaging: Uint8Array<ArrayBuffer>;
  private arenaUsed = 0;
  private retiredArenas: GPUBuffer[] = [];
  /** Dispatches recorded since start (for benchmarks and tests). */
  dispatches = 0;
  submits = 0;
  /**
   * While set, every compute pass writes its begin and end timestamps into the next two
   * slots of this query set (the kernel tuner, src/ops/gemm-tuning.ts); passes beyond
   * its capacity are not timed and `overflowed` is set.
   */
  timestamps: { querySet: GPUQuerySet; next: number; capacity: number; overflowed: boolean } | null = null;
  /** Bind groups created since start (for benchmarks and tests). */
  bindGroupsCreated = 0;
  private bindGroups = new Map<string, GPUBindGroup>();
  private bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 0;

  constructor(
    private device: GPUDevice,
    private pipelines: PipelineCache,
    private onSubmit: () => void,
    arenaBytes = 1 << 16,
  ) {
    this.arena = this.createArena(arenaBytes);
    this.arenaStaging = new Uint8Array(arenaBytes);
  }

  private createArena(bytes: number): GPUBuffer {
    return this.device.createBuffer({
      label: 'recorder.uniforms',
      size: bytes,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
  }

  private ensureEncoder(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'recorder.step' });
    return this.encoder;
  }

  private ensurePass(): GPUComputePassEncoder {
    if (!this.pass) {
      const t = this.timestamps;
      let timestampWrites: GPUComputePassTimestampWrites | undefined;
      if (t && t.next + 2 <= t.capacity) {
        timestampWrites = { querySet: t.querySet, beginningOfPassWriteIndex: t.next, endOfPassWriteIndex: t.next + 1 };
        t.next += 2;
      } else if (t) t.overflowed = true;
      this.pass = this.ensureEncoder().beginComputePass({ label: 'recorder.pass', timestampWrites });
    }
    return this.pass;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private allocUniforms(data: ArrayBuffer): { buffer: GPUBuffer; offset: number; size: number } {
    const size = data.byteLength;
    if (this.arenaUsed + size > this.arena.size) {
      // Grow: the old arena stays alive until the submit that uses it.
      const bigger = Math.max(this.arena.size * 2, size * 2);
      this.flushArena();
      this.retiredArenas.push(this.arena);
      this.arena = this.createArena(bigger);
      this.arenaStaging = new Uint8Array(bigger);
      this.arenaUsed = 0;
    }
    const offset = this.arenaUsed;
    this.arenaStaging.set(new Uint8Array(data), offset);
    this.arenaUsed = Math.ceil((offset + size) / UNIFORM_ALIGN) * UNIFORM_ALIGN;
    return { buffer: this.arena, offset, size };
  }

  private flushArena(): void {
    if (this.arenaUsed > 0) {
      this.device.queue.writeBuffer(this.arena, 0, this.arenaStaging, 0, Math.min(this.arenaUsed, this.arena.size));
    }
  }

  dispatch(req: DispatchRequest): void {
    const layout: BindingLayout = { reads: req.reads.length, writes: req.writes.length, uniforms: !!req.uniforms };
    const pipeline = this.pipelines.get({
      key: req.shaderKey,
      code: req.code,
      entryPoint: req.entryPoint,
      constants: req.constants,
      layout,
      label: req.label,
    });
    const groups = this.pipelines.layoutFor(layout).groups;
    const buffers = [...req.reads, ...req.writes];
    // The layouts belong to this binding shape, so it is part of the keys.
    const shape = `${layout.reads}r${layout.writes}w${layout.uniforms ? 'u' : ''}`;
    const storage = this.bindGroup(`${shape}:${buffers.map((b) => this.bufferId(b)).join(',')}`, () => ({
      label: `${req.label}.bindings`,
      layout: groups[0],
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    }));
    const pass = this.ensurePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, storage);
    if (req.uniforms) {
      const u = this.allocUniforms(req.uniforms);
      const ub = this.bindGroup(`${shape}:u:${this.bufferId(u.buffer)}:${u.offset}:${u.size}`, () => ({
        label: `${req.label}.uniforms`,
        layout: groups[1],
        entries: [{ binding: 0, resource: { buffer: u.buffer, offset: u.offset, size: u.size } }],
      }));
      pass.setBindGroup(1, ub);
    }
    const [x, y = 1, z = 1] = req.workgroups;
    if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
    this.dispatches++;
  }

  private bufferId(buffer: GPUBuffer): number {
    let id = this.bufferIds.get(buffer);
    if (id === undefined) this.bufferIds.set(buffer, (id = this.nextBufferId++));
    return id;
  }

  /** The cached bind group for `key`, or a new one from `describe()`. */
  private bindGroup(key: string, describe: () => GPUBindGroupDescriptor): GPUBindGroup {
    let group = this.bindGroups.get(key);
    if (!group) {
      if (this.bindGroups.size >= BIND_GROUP_CACHE_LIMIT) this.bindGroups.clear();
      group = this.device.createBindGroup(describe());
      this.bindGroups.set(key, group);
      this.bindGroupsCreated++;
    }
    return group;
  }

  /** Records a buffer copy (ends the current compute pass). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.endPass();
    this.ensureEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Records a zero fill (ends the current compute pass). */
  clear(buffer: GPUBuffer, offset = 0, bytes?: number): void {
    this.endPass();
    this.ensureEncoder().clearBuffer(buffer, offset, bytes);
  }

  get idle(): boolean {
    return this.encoder === null;
  }

  /** Submits everything recorded so far as one command buffer. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    this.flushArena();
    this.device.queue.submit([this.encoder.finish({ label: 'recorder.step' })]);
    this.encoder = null;
    this.arenaUsed = 0;
    this.submits++;
    for (const a of this.retiredArenas) a.destroy();
    this.retiredArenas = [];
    this.onSubmit();
  }
}
