// The cached WebGPU-vs-CPU comparison of a model on a fallback adapter: keyed by adapter
// and model shape, ignored when corrupt or from another browser version, and worded as
// the badge shows it.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { defaultModelConfig } from '../models/config.ts';
import { tinyDataset } from '../models/models.support.ts';
import { defaultTrainConfig } from './config.ts';
import { compareBackends, comparisonKey, comparisonText, RACE_MIN_MS, readComparison, type BackendComparison } from './backend-race.ts';
import { TUNING_KEY_PREFIX } from '../ops/tuning-cache.ts';

const adapter = { vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
const UA = 'test-browser/1';
const c: BackendComparison = { webgpuMs: 210, cpuMs: 140, webgpuSteps: 3, cpuSteps: 3, faster: 'cpu', adapter: 'SwiftShader', cpu: 'CPU (WebAssembly SIMD, 1 thread)', userAgent: UA };

describe('backend comparison cache', () => {
  it('keys by adapter and model shape, under the prefix the page sends to the worker', () => {
    const model = defaultModelConfig();
    const train = defaultTrainConfig();
    const data = { maxLength: 12, imageSize: 32 };
    const key = comparisonKey(adapter, model, train, data);
    expect(key.startsWith(TUNING_KEY_PREFIX)).toBe(true);
    expect(comparisonKey(adapter, model, train, data)).toBe(key);
    expect(comparisonKey({ ...adapter, description: 'other' }, model, train, data)).not.toBe(key);
    expect(comparisonKey(adapter, { ...model, text: { ...model.text, hiddenSize: model.text.hiddenSize * 2 } }, train, data)).not.toBe(key);
    expect(comparisonKey(adapter, model, { ...train, batchSize: train.batchSize + 1 }, data)).not.toBe(key);
    expect(comparisonKey(adapter, model, train, { ...data, maxLength: 13 })).not.toBe(key);
    expect(comparisonKey(adapter, model, { ...train, readbackEvery: train.readbackEvery + 1 }, data)).not.toBe(key);
  });

  it('reads back valid entries and ignores corrupt, other-browser or other-engine ones', () => {
    expect(readComparison(JSON.stringify(c), UA)).toEqual(c);
    expect(readComparison(JSON.stringify(c), UA, c.cpu)).toEqual(c);
    expect(readComparison(JSON.stringify(c), UA, 'CPU (WebAssembly SIMD, 2 threads)')).toBeNull();
    const { cpu: _, ...plainCpu } = c;
    expect(readComparison(JSON.stringify(plainCpu), UA), 'a comparison from before the engine').toBeNull();
    expect(readComparison(undefined, UA)).toBeNull();
    expect(readComparison('{oops', UA)).toBeNull();
    expect(readComparison(JSON.stringify(c), 'test-browser/2')).toBeNull();
    expect(readComparison(JSON.stringify({ ...c, cpuMs: 0 }), UA)).toBeNull();
    expect(readComparison(JSON.stringify({ ...c, faster: 'gpu' }), UA)).toBeNull();
  });

  it('says which backend is faster, with both figures', () => {
    expect(comparisonText(c)).toBe('CPU (WebAssembly SIMD, 1 thread) is faster for this model: 140 ms/step vs 210 ms/step on the fallback GPU (SwiftShader)');
    expect(comparisonText({ ...c, faster: 'webgpu', webgpuMs: 90 })).toBe('WebGPU is faster for this model: 90 ms/step on the fallback GPU (SwiftShader) vs 140 ms/step on the CPU (WebAssembly SIMD, 1 thread)');
  });
});

/** A CPU backend behind a slow device: each submitted step completes `ms` after the one before. */
class LaggingBackend extends CpuBackend {
  private done = 0;
  constructor(private ms: number) {
    super();
  }
  override async sync(): Promise<void> {
    this.done = Math.max(this.done, performance.now()) + this.ms;
    await new Promise((r) => setTimeout(r, this.done - performance.now()));
  }
}

describe('backend race', () => {
  const dataset = tinyDataset({ task: 'classification', size: 24, seed: 3 });
  const model = defaultModelConfig({
    fusion: 'text',
    text: { cell: 'gru', vocabSize: 8, embeddingSize: 4, hiddenSize: 6, numLayers: 1, bidirectional: false, dropout: 0 },
    outputSize: 3,
  });
  const train = defaultTrainConfig({ batchSize: 4, epochs: 1, readbackEvery: 1 });

  it('times the run loop of each backend and names the faster, however the device lags', async () => {
    const c = await compareBackends(new LaggingBackend(25), new CpuBackend(), 'lagging', UA, { dataset, model, train });
    expect(c.faster).toBe('cpu');
    // Many steps in the allowance, one epoch of 6 steps notwithstanding (the race trains on).
    expect(c.cpuSteps).toBeGreaterThan(6);
    expect(c.webgpuSteps).toBeGreaterThanOrEqual(3);
    expect(c.webgpuMs).toBeGreaterThan(0);
    // Timed for at least the least time (the clock stops after the last step's statistics).
    expect(c.cpuMs * c.cpuSteps).toBeGreaterThanOrEqual(RACE_MIN_MS);
    const swapped = await compareBackends(new CpuBackend(), new LaggingBackend(25), 'lagging', UA, { dataset, model, train });
    expect(swapped.faster).toBe('webgpu');
  });
});
