// Optimizers on the WebAssembly SIMD engine (a CpuBackend with an engine runs each rule's
// `wasm` update, wasm/optim.ts): the torch.optim golden fixtures with the f32 tolerances,
// and the engine against the f32 reference rule on parameters whose size is not a
// multiple of the 4-wide vectors, over several steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { WasmGemm, type GemmExports } from '../backend/wasm-gemm.ts';
import { nodeEngine } from '../backend/wasm-engine.support.ts';
import { TOLERANCES, allclose } from '../autograd/gradcheck.ts';
import { Random } from '../random.ts';
import { checkOptimFixture, optimFixtures } from './optim.support.ts';
import { createOptimizer } from './optimizer.ts';
import type { OptimizerConfig } from './types.ts';

const fixtures = optimFixtures();
const UPDATES = ['adamUpdate', 'sgdUpdate', 'rmspropUpdate'] as const;

let engine: WasmGemm;
/** Calls of each update kernel through `engine`. */
const calls = new Map<string, number>();

beforeAll(async () => {
  const plain = await nodeEngine();
  // The same module and memory, with the update kernels counted.
  const counted = { ...plain.exports } as GemmExports;
  for (const name of UPDATES) {
    const kernel = plain.exports[name] as (...args: number[]) => void;
    (counted as unknown as Record<string, unknown>)[name] = (...args: number[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      kernel(...args);
    };
  }
  engine = new WasmGemm(counted, plain.memory, plain.relaxed);
});

const kernelOf = (kind: OptimizerConfig['kind']) => (kind === 'adamw' ? 'adamUpdate' : `${kind}Update`);

describe('optimizers on the WebAssembly engine match torch.optim (f32)', () => {
  for (const f of fixtures) {
    it(f.name, async () => {
      const before = calls.get(kernelOf(f.config.kind)) ?? 0;
      const reports = await checkOptimFixture(new CpuBackend({ engine }), f, TOLERANCES.gpuVsCpu);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
      expect(calls.get(kernelOf(f.config.kind)) ?? 0, 'the engine kernel ran').toBeGreaterThan(before);
    });
  }
});

describe('engine update vs the f32 reference rule (1,001 values, 4 steps)', () => {
  const configs: OptimizerConfig[] = [
    { kind: 'adam', lr: 1e-2, weightDecay: 0.1, l1: 1e-3 },
    { kind: 'adamw', lr: 1e-2, weightDecay: 0.05 },
    { kind: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01, l1: 1e-3 },
    { kind: 'sgd', lr: 0.1, momentum: 0.8, nesterov: true },
    { kind: 'sgd', lr: 0.1 },
    { kind: 'rmsprop', lr: 1e-2, centered: true, momentum: 0.5, weightDecay: 0.01 },
    { kind: 'rmsprop', lr: 1e-2, l1: 1e-3 },
  ];
  for (const config of configs) {
    it(JSON.stringify(config), async () => {
      const n = 1001;
      const rng = new Random(5);
      const initial = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
      const grads = [0, 1, 2, 3].map(() => Float32Array.from({ length: n }, () => rng.uniform(-1, 1)));
      const run = async (backend: CpuBackend) => {
        const p = backend.fromArray(initial, [7, 11, 13], 'f32', 'p').param();
        const opt = createOptimizer([p], config);
        for (const [k, g] of grads.entries()) {
          p.grad?.dispose();
          p.grad = backend.fromArray(g, p.shape, 'f32', 'grad');
          const scale = k === 2 ? backend.fromArray([0.5], [1], 'f32', 'gradScale') : undefined;
          opt.update(config.lr, scale);
        }
        const state = opt.state().tensors;
        return { param: await p.read(), state: await Promise.all(Object.keys(state).sort().map((key) => state[key].read())) };
      };
      const want = await run(new CpuBackend());
      const got = await run(new CpuBackend({ engine }));
      const reports = [allclose(got.param, want.param, 1e-5, 1e-4, 'param')];
      expect(got.state.length).toBe(want.state.length);
      got.state.forEach((s, i) => reports.push(allclose(s, want.state[i], 1e-5, 1e-4, `state ${i}`)));
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});
