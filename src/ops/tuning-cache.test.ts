// The kernel tuner's cache (keys, corrupt, old and other-browser entries) and its time
// budget, with an in-memory storage and a fake clock.
import { describe, expect, it } from 'vitest';
import {
  cachedChoice,
  measureWithinBudget,
  readTuningEntry,
  recordStorage,
  tuningCacheKey,
  TUNING_CACHE_VERSION,
  TUNING_KEY_PREFIX,
  writeTuningEntry,
  type TuningEntry,
} from './tuning-cache.ts';

const adapter = { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device (Subzero)' };
const UA = 'Mozilla/5.0 Chrome/140.0.0.0';
const key = tuningCacheKey(adapter);

function entry(over: Partial<TuningEntry> = {}): TuningEntry {
  return {
    version: TUNING_CACHE_VERSION,
    userAgent: UA,
    adapter,
    jobs: { gemm: { candidates: ['a', 'b'], measured: 2, choice: { name: 'b', ms: 1.5, gflops: 8, source: 'timestamp-query' } } },
    ...over,
  };
}

describe('tuning cache', () => {
  it('keys by vendor, architecture, device and description', () => {
    expect(key.startsWith(TUNING_KEY_PREFIX)).toBe(true);
    for (const field of ['vendor', 'architecture', 'device', 'description'] as const) {
      expect(tuningCacheKey({ ...adapter, [field]: 'other' })).not.toBe(key);
    }
  });

  it('reads back what it wrote', () => {
    const s = recordStorage({});
    writeTuningEntry(s, key, entry());
    const read = readTuningEntry(s, key, UA);
    expect(read).toEqual(entry());
    expect(cachedChoice(read, 'gemm', ['a', 'b'])?.choice.name).toBe('b');
    expect(cachedChoice(read, 'step:G4', ['a', 'b'])).toBeNull();
  });

  it('ignores missing, corrupt, old-version and other-browser entries', () => {
    expect(readTuningEntry(recordStorage({}), key, UA)).toBeNull();
    expect(readTuningEntry(null, key, UA)).toBeNull();
    for (const raw of ['{not json', 'null', '[]', JSON.stringify({ ...entry(), version: TUNING_CACHE_VERSION - 1 }), JSON.stringify({ ...entry(), jobs: 'x' })]) {
      expect(readTuningEntry(recordStorage({ [key]: raw }), key, UA), raw).toBeNull();
    }
    // A browser update (another userAgent) retunes.
    expect(readTuningEntry(recordStorage({ [key]: JSON.stringify(entry()) }), key, 'Mozilla/5.0 Chrome/141.0.0.0')).toBeNull();
  });

  it('drops jobs that do not validate and keeps the others', () => {
    const bad = entry({
      jobs: {
        gemm: entry().jobs.gemm,
        unknownChoice: { candidates: ['a'], measured: 1, choice: { name: 'zz', ms: 1, gflops: 1, source: 'wall-clock' } },
        badTime: { candidates: ['a'], measured: 1, choice: { name: 'a', ms: -1, gflops: 1, source: 'wall-clock' } },
        badSource: { candidates: ['a'], measured: 1, choice: { name: 'a', ms: 1, gflops: 1, source: 'guess' as 'wall-clock' } },
      },
    });
    const read = readTuningEntry(recordStorage({ [key]: JSON.stringify(bad) }), key, UA);
    expect(Object.keys(read!.jobs)).toEqual(['gemm']);
  });

  it('keeps an untimed job (budget spent: ms 0, measured 0) and drops inconsistent ones', () => {
    const untimed = { candidates: ['a', 'b'], measured: 0, choice: { name: 'a', ms: 0, gflops: 0, source: 'wall-clock' as const } };
    const raw = JSON.stringify(entry({ jobs: { untimed, zeroButTimed: { ...untimed, measured: 1 }, timedButZero: { ...untimed, choice: { ...untimed.choice, ms: 2 } } } }));
    expect(Object.keys(readTuningEntry(recordStorage({ [key]: raw }), key, UA)!.jobs)).toEqual(['untimed']);
  });

  it('a changed candidate list (new variants) retunes that job', () => {
    const read = readTuningEntry(recordStorage({ [key]: JSON.stringify(entry()) }), key, UA);
    expect(cachedChoice(read, 'gemm', ['a', 'b', 'c'])).toBeNull();
    expect(cachedChoice(read, 'gemm', ['b', 'a'])).toBeNull();
  });

  it('a storage that throws reads as empty and writes nothing', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(readTuningEntry(throwing, key, UA)).toBeNull();
    expect(() => writeTuningEntry(throwing, key, entry())).not.toThrow();
  });
});

describe('measureWithinBudget', () => {
  /** A clock that only moves when a candidate is measured: each costs `cost` ms. */
  function fakeClock(cost: (c: number) => number) {
    let t = 0;
    const calls: number[] = [];
    return {
      now: () => t,
      measure: async (c: number) => {
        calls.push(c);
        t += cost(c);
        return cost(c) / 2;
      },
      calls,
    };
  }

  it('measures every candidate when they fit', async () => {
    const clock = fakeClock(() => 100);
    const r = await measureWithinBudget([1, 2, 3, 4], clock.measure, { now: clock.now, start: 0, budgetMs: 2000 });
    expect(clock.calls).toEqual([1, 2, 3, 4]);
    expect(r.skipped).toBe(0);
    expect(r.measured.map((m) => m.ms)).toEqual([50, 50, 50, 50]);
  });

  it('stops before a candidate that would exceed the budget (at the costliest one so far)', async () => {
    // 500 ms each: after 3 (1500 ms), 1500 + 500 = 2000 still fits; after 4, 2000 is spent.
    const clock = fakeClock(() => 500);
    const r = await measureWithinBudget([1, 2, 3, 4, 5, 6], clock.measure, { now: clock.now, start: 0, budgetMs: 2000 });
    expect(clock.calls).toEqual([1, 2, 3, 4]);
    expect(r.skipped).toBe(2);
    // One costly candidate (compilation) makes the next ones count as costly too.
    const uneven = fakeClock((c) => (c === 1 ? 1200 : 100));
    const r2 = await measureWithinBudget([1, 2, 3, 4], uneven.measure, { now: uneven.now, start: 0, budgetMs: 2000 });
    expect(uneven.calls).toEqual([1]);
    expect(r2.skipped).toBe(3);
  });

  it('expects a candidate to cost at least expectedMs (a compile measured before the clock ran)', async () => {
    // Measuring is cheap (100 ms) once compiled, but the next candidate must compile (900 ms):
    // after the first, 100 + 900 > 800 and nothing more starts; without the expectation two more would.
    const clock = fakeClock(() => 100);
    const r = await measureWithinBudget([1, 2, 3], clock.measure, { now: clock.now, start: 0, budgetMs: 800 }, () => {}, 900);
    expect(clock.calls).toEqual([1]);
    expect(r.skipped).toBe(2);
    const plain = fakeClock(() => 100);
    await measureWithinBudget([1, 2, 3], plain.measure, { now: plain.now, start: 0, budgetMs: 800 });
    expect(plain.calls).toEqual([1, 2, 3]);
  });

  it('shares the budget between jobs: a later job gets what is left', async () => {
    const clock = fakeClock(() => 400);
    const budget = { now: clock.now, start: 0, budgetMs: 2000 };
    const first = await measureWithinBudget([1, 2, 3], clock.measure, budget);
    const second = await measureWithinBudget([4, 5, 6], clock.measure, budget);
    expect(first.measured.length).toBe(3);
    // 1200 ms spent: 1200 → 1600 → 2000, then the budget is spent.
    expect(second.measured.length).toBe(2);
    expect(second.skipped).toBe(1);
    // With the budget spent, nothing is timed.
    const spent = await measureWithinBudget([7, 8], clock.measure, { ...budget, start: -5000 });
    expect(spent.measured).toEqual([]);
    expect(spent.skipped).toBe(2);
  });

  it('counts progress and leaves out candidates that could not be timed', async () => {
    let progress = 0;
    const r = await measureWithinBudget([1, 2, 3], async (c) => (c === 2 ? null : c), { now: () => 0, start: 0, budgetMs: 10 }, () => progress++);
    expect(progress).toBe(3);
    expect(r.measured.map((m) => m.candidate)).toEqual([1, 3]);
  });
});
