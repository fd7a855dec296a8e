// The GEMM tuner: it picks one of the candidates, stores the choice per adapter, reads
// it back without timing or compiling, and ignores stale or corrupt cache entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourWideSubgroups } from '../backend/subgroups.ts';
import { WebGpuBackend } from '../backend/webgpu.ts';
import { tuningCandidates } from './gemm-kernels.ts';
import { matmulVariant, setMatmulVariant } from './matmul.ts';
import { tuneGemm, tuningKey, type TuningStorage } from './gemm-tuning.ts';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => setMatmulVariant(gpu, null));

/** In-memory storage that counts writes. */
function memoryStorage(initial: Record<string, string> = {}): TuningStorage & { items: Map<string, string>; writes: number } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    writes: 0,
    getItem: (k) => items.get(k) ?? null,
    setItem(k, v) {
      this.writes++;
      items.set(k, v);
    },
  };
}

describe('tuneGemm', () => {
  it('times every candidate, applies and stores the fastest', async () => {
    const storage = memoryStorage();
    const names = tuningCandidates(fourWideSubgroups(gpu)).map((v) => v.name);
    const r = await tuneGemm(gpu, storage);
    expect(r.fromCache).toBe(false);
    expect(names).toContain(r.variant.name);
    expect(r.timings.map((t) => t.name).sort()).toEqual([...names].sort());
    for (let i = 1; i < r.timings.length; i++) expect(r.timings[i].ms).toBeGreaterThanOrEqual(r.timings[i - 1].ms);
    expect(matmulVariant(gpu)).toBe(r.variant);
    const entry = JSON.parse(storage.items.get(tuningKey(gpu))!);
    expect(entry.variant).toBe(r.variant.name);
    expect(tuningKey(gpu)).toContain(gpu.gpu.info.vendor);
  });

  it('a second call reads the cache: no timing, no new pipelines', async () => {
    const storage = memoryStorage();
    const first = await tuneGemm(gpu, storage);
    setMatmulVariant(gpu, null);
    const compiled = gpu.pipelines.compiled;
    const dispatches = gpu.recorder.dispatches;
    const second = await tuneGemm(gpu, storage);
    expect(second.fromCache).toBe(true);
    expect(second.timings).toEqual([]);
    expect(second.variant.name).toBe(first.variant.name);
    expect(matmulVariant(gpu)).toBe(second.variant);
    expect(gpu.pipelines.compiled).toBe(compiled);
    expect(gpu.recorder.dispatches).toBe(dispatches);
    expect(storage.writes).toBe(1);
  });

  it('ignores corrupt and stale entries and retunes', async () => {
    const key = tuningKey(gpu);
    const names = tuningCandidates(fourWideSubgroups(gpu)).map((v) => v.name);
    const bad = [
      '{not json',
      JSON.stringify({ version: 0, variant: names[0], candidates: names }), // older version
      JSON.stringify({ version: 1, variant: 'rb99x99w1x1', candidates: names }), // unknown variant
      JSON.stringify({ version: 1, variant: names[0], candidates: names.slice(1) }), // other candidate list
      JSON.stringify({ version: 1, candidates: names }), // no variant
    ];
    for (const raw of bad) {
      const storage = memoryStorage({ [key]: raw });
      const r = await tuneGemm(gpu, storage);
      expect(r.fromCache, raw).toBe(false);
      expect(r.timings.length).toBe(names.length);
      expect(JSON.parse(storage.items.get(key)!).variant).toBe(r.variant.name);
    }
  });

  it('works without storage (e.g. in a worker)', async () => {
    const r = await tuneGemm(gpu, null);
    expect(r.fromCache).toBe(false);
    expect(matmulVariant(gpu)).toBe(r.variant);
  });
});
