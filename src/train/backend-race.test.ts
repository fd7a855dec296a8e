// The cached WebGPU-vs-CPU comparison of a model on a fallback adapter: keyed by adapter
// and model shape, ignored when corrupt or from another browser version, and worded as
// the badge shows it.
import { describe, expect, it } from 'vitest';
import { defaultModelConfig } from '../models/config.ts';
import { defaultTrainConfig } from './config.ts';
import { comparisonKey, comparisonText, readComparison, type BackendComparison } from './backend-race.ts';
import { TUNING_KEY_PREFIX } from '../ops/tuning-cache.ts';

const adapter = { vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
const UA = 'test-browser/1';
const c: BackendComparison = { webgpuMs: 210, cpuMs: 140, webgpuSteps: 3, cpuSteps: 3, faster: 'cpu', adapter: 'SwiftShader', userAgent: UA };

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
  });

  it('reads back valid entries and ignores corrupt or other-browser ones', () => {
    expect(readComparison(JSON.stringify(c), UA)).toEqual(c);
    expect(readComparison(undefined, UA)).toBeNull();
    expect(readComparison('{oops', UA)).toBeNull();
    expect(readComparison(JSON.stringify(c), 'test-browser/2')).toBeNull();
    expect(readComparison(JSON.stringify({ ...c, cpuMs: 0 }), UA)).toBeNull();
    expect(readComparison(JSON.stringify({ ...c, faster: 'gpu' }), UA)).toBeNull();
  });

  it('says which backend is faster, with both figures', () => {
    expect(comparisonText(c)).toBe('CPU is faster for this model: 140 ms/step vs 210 ms/step on the fallback GPU (SwiftShader)');
    expect(comparisonText({ ...c, faster: 'webgpu', webgpuMs: 90 })).toBe('WebGPU is faster for this model: 90 ms/step on the fallback GPU (SwiftShader) vs 140 ms/step on the CPU');
  });
});
