// The recurrent ops on the WebAssembly engine (recurrent-wasm.ts, wasm/recurrent.ts), in
// Node: PyTorch parity of every committed fixture, and every output of the layer op and
// the BPTT op — including saved, hPrev (what the gate inspector and backward read) and
// the per-example and peephole gradients — against the f32 CPU reference, op by op
// (cases in recurrent-wasm-parity.support.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import type { WasmGemm } from '../backend/wasm-gemm.ts';
import { nodeEngine } from '../backend/wasm-engine.support.ts';
import { compareWithPytorch, recurrentFixtures } from './recurrent-parity.support.ts';
import { expectEngineMatches, specName, specs } from './recurrent-wasm-parity.support.ts';

let engine: WasmGemm;

beforeAll(async () => {
  engine = await nodeEngine();
});

describe('PyTorch parity, WebAssembly engine', () => {
  for (const [name, f] of recurrentFixtures()) {
    it(`${name} (f32, atol 1e-5)`, async () => {
      const reports = await compareWithPytorch(f, new CpuBackend({ engine }), { atol: 1e-5, rtol: 1e-4 });
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('recurrent ops, WebAssembly engine vs f32 reference (every output)', () => {
  for (const s of specs) it(specName(s), () => expectEngineMatches(engine, s));
});
