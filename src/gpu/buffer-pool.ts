// Buffer pool: storage buffers are reused by size class so that a training step after
// the first creates no new GPU buffers. Released buffers wait until the next submit
// before they can be handed out again, because commands recorded but not yet
// submitted may still read them (and queue.writeBuffer would overtake those commands).

const STORAGE_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Rounds a byte size up to a size class: 2^k or 1.5·2^k, at least 256 bytes. */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.ceil(Math.log2(bytes));
  const mid = (p / 4) * 3;
  return bytes <= mid ? mid : p;
}

export class BufferPool {
  private free = new Map<number, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  /** Creation number of each buffer this pool made. */
  private order = new WeakMap<GPUBuffer, number>();
  /** Buffers created since start; a test checks it stays constant after the first step. */
  created = 0;
  /** Bytes currently held by live tensors and the pool. */
  bytesAllocated = 0;

  constructor(
    private device: GPUDevice,
    private usage: GPUBufferUsageFlags = STORAGE_USAGE,
  ) {}

  acquire(bytes: number, label: string): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      reused.label = label;
      return reused;
    }
    this.created++;
    this.bytesAllocated += size;
    const buffer = this.device.createBuffer({ size, usage: this.usage, label });
    this.order.set(buffer, this.created);
    return buffer;
  }

  /** Returns a buffer; it becomes reusable after the next submit. */
  release(buffer: GPUBuffer): void {
    this.pending.push(buffer);
  }

  /**
   * Called right after queue.submit. Each free list is kept in creation order, so a step
   * that acquires buffers in the same sequence as the one before gets the same buffers
   * (the recorder then finds its bind groups cached) however the step released them.
   */
  afterSubmit(): void {
    const touched = new Set<GPUBuffer[]>();
    for (const b of this.pending) {
      let list = this.free.get(b.size);
      if (!list) this.free.set(b.size, (list = []));
      list.push(b);
      touched.add(list);
    }
    this.pending = [];
    for (const list of touched) list.sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }

  /** Destroys every pooled (free) buffer. */
  trim(): void {
    for (const list of this.free.values()) {
      for (const b of list) {
        this.bytesAllocated -= b.size;
        b.destroy();
      }
    }
    this.free.clear();
  }
}
