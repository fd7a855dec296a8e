// Recurrent layers on the CPU backend: PyTorch parity (float64 and float32), bad input.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { compareWithPytorch, recurrentFixtures } from './recurrent-parity.support.ts';
import { initRecurrentParams, readGateCapture, recurrent, type RecurrentConfig } from './recurrent.ts';

const fixtures = recurrentFixtures();

describe('PyTorch parity, CPU', () => {
  it('has fixtures for every cell', () => {
    expect(new Set(fixtures.map(([, f]) => f.cell))).toEqual(new Set(['rnn_tanh', 'rnn_relu', 'lstm', 'gru']));
    // The peephole LSTM too, with non-zero peephole weights (so the fixture tests them).
    const peephole = fixtures.filter(([, f]) => f.peephole);
    expect(peephole.length).toBe(2);
    for (const [, f] of peephole) expect(f.params.filter((p) => p.name.startsWith('weight_peephole')).every((p) => p.data.some((v) => Math.abs(v) > 0.1))).toBe(true);
  });
  for (const [name, f] of fixtures) {
    it(`${name} (f64, atol 1e-10)`, async () => {
      const reports = await compareWithPytorch(f, new CpuBackend({ precision: 'f64' }), { atol: 1e-10, rtol: 1e-9 });
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
    it(`${name} (f32, atol 1e-5)`, async () => {
      const reports = await compareWithPytorch(f, new CpuBackend(), { atol: 1e-5, rtol: 1e-4 });
      for (const r of reports) expect(r.ok, r.message).toBe(true);
    });
  }
});

describe('bad input', () => {
  const cpu = new CpuBackend();
  const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 1, bidirectional: false, dropout: 0 };
  const params = initRecurrentParams(cpu, config, 1);
  it('rejects zero-length sequences with a message', () => {
    const x = cpu.zeros([2, 3, 2]);
    expect(() => recurrent(x, [3, 0], params, config)).toThrow(/example 1 has length 0; every sequence needs at least one step/);
  });
  it('rejects lengths longer than T', () => {
    expect(() => recurrent(cpu.zeros([2, 3, 2]), [4, 1], params, config)).toThrow(/length 4 but the input has only T = 3/);
  });
  it('rejects a wrong input size naming the layer and shapes', () => {
    expect(() => recurrent(cpu.zeros([2, 3, 5]), null, params, config)).toThrow(/lstm layer 0: input size 5 does not match the layer's input size 2/);
  });
  it('rejects an empty batch', () => {
    expect(() => recurrent(cpu.zeros([0, 3, 2]), null, params, config)).toThrow(/lstm layer 0.*B = 0/);
  });
  it('rejects h0 of the wrong shape', () => {
    expect(() => recurrent(cpu.zeros([2, 3, 2]), null, params, config, { h0: [cpu.zeros([2, 4])] })).toThrow(/h0 must be \[2, 3\].*\[2, 4\]/);
  });
});

describe('gate capture', () => {
  it('returns the gates the cell equations give', async () => {
    const cpu = new CpuBackend({ precision: 'f64' });
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 2, numLayers: 1, bidirectional: false, dropout: 0 };
    const p = initRecurrentParams(cpu, config, 3);
    const x = cpu.fromArray([0.5, -1, 0.25, 0.75, 0, 0, 1, 1, -0.5, 0.5, 0, 0], [2, 3, 2]);
    const r = recurrent(x, [2, 3], p, config);
    const [trace] = (await readGateCapture(r.capture, [0]))[0];
    expect(trace.length).toBe(2);
    // Recompute step 0 of example 0 by hand from the weights.
    const wIh = cpu.data(p.layers[0].wIh);
    const bIh = cpu.data(p.layers[0].bIh);
    const bHh = cpu.data(p.layers[0].bHh);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    for (let j = 0; j < 2; j++) {
      const pre = (g: number) => wIh[(g * 2 + j) * 2] * 0.5 + wIh[(g * 2 + j) * 2 + 1] * -1 + bIh[g * 2 + j] + bHh[g * 2 + j];
      const i = sig(pre(0));
      const g = Math.tanh(pre(2));
      const o = sig(pre(3));
      expect(trace.values.i[j]).toBeCloseTo(i, 6);
      expect(trace.values.c[j]).toBeCloseTo(i * g, 6);
      expect(trace.values.h[j]).toBeCloseTo(o * Math.tanh(i * g), 6);
    }
    // Padded step 2 of example 0 is zero.
    expect(trace.values.i[2 * 2]).toBe(0);
    expect(trace.values.h[2 * 2]).toBe(0);
  });
});

describe('gate capture, peephole LSTM', () => {
  it('records the gates with their peephole terms (i, f see c_{t-1}; o sees c_t)', async () => {
    const cpu = new CpuBackend({ precision: 'f64' });
    const H = 2;
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 1, hiddenSize: H, numLayers: 1, bidirectional: false, dropout: 0, peephole: true };
    const p = initRecurrentParams(cpu, config, 5);
    // Peephole weights start at 0; give them values: p_i, p_f, p_o per unit.
    const peep = [0.7, -0.4, 1.1, 0.3, -0.9, 0.6];
    const layer = { ...p.layers[0], peephole: cpu.fromArray(peep, [3 * H]) };
    const xs = [0.8, -0.6];
    const r = recurrent(cpu.fromArray(xs, [1, 2, 1]), null, { layers: [layer] }, config);
    const [trace] = (await readGateCapture(r.capture, [0]))[0];
    const wIh = cpu.data(p.layers[0].wIh);
    const wHh = cpu.data(p.layers[0].wHh);
    const bIh = cpu.data(p.layers[0].bIh);
    const bHh = cpu.data(p.layers[0].bHh);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    // The cell by hand, two steps from zero state (the capture is read back as f32).
    let h = [0, 0];
    let c = [0, 0];
    for (let t = 0; t < 2; t++) {
      const pre = (g: number, j: number) => wIh[g * H + j] * xs[t] + bIh[g * H + j] + bHh[g * H + j] + wHh[(g * H + j) * H] * h[0] + wHh[(g * H + j) * H + 1] * h[1];
      const hNew = [0, 0];
      const cNew = [0, 0];
      for (let j = 0; j < H; j++) {
        const i = sig(pre(0, j) + peep[j] * c[j]);
        const f = sig(pre(1, j) + peep[H + j] * c[j]);
        const g = Math.tanh(pre(2, j));
        cNew[j] = f * c[j] + i * g;
        const o = sig(pre(3, j) + peep[2 * H + j] * cNew[j]);
        hNew[j] = o * Math.tanh(cNew[j]);
        expect(trace.values.i[t * H + j]).toBeCloseTo(i, 6);
        expect(trace.values.f[t * H + j]).toBeCloseTo(f, 6);
        expect(trace.values.o[t * H + j]).toBeCloseTo(o, 6);
        expect(trace.values.c[t * H + j]).toBeCloseTo(cNew[j], 6);
        expect(trace.values.h[t * H + j]).toBeCloseTo(hNew[j], 6);
      }
      h = hNew;
      c = cNew;
    }
    // At step 1 the peephole terms matter: the plain cell gives other gates.
    const plain = recurrent(cpu.fromArray(xs, [1, 2, 1]), null, { layers: [p.layers[0]] }, { ...config, peephole: false });
    const [plainTrace] = (await readGateCapture(plain.capture, [0]))[0];
    expect(Math.abs(plainTrace.values.i[H] - trace.values.i[H])).toBeGreaterThan(1e-3);
  });

  it('rejects peepholes on a cell other than the LSTM, and a layer without its peephole weights', () => {
    const cpu = new CpuBackend();
    const gru: RecurrentConfig = { cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 1, bidirectional: false, dropout: 0, peephole: true };
    const gp = initRecurrentParams(cpu, { ...gru, peephole: false }, 1);
    expect(() => recurrent(cpu.zeros([1, 2, 2]), null, gp, gru)).toThrow(/peephole connections exist only for the LSTM cell, not gru/);
    const lstm: RecurrentConfig = { ...gru, cell: 'lstm' };
    const lp = initRecurrentParams(cpu, { ...lstm, peephole: false }, 1);
    expect(() => recurrent(cpu.zeros([1, 2, 2]), null, lp, lstm)).toThrow(/has no peephole weights/);
  });
});
