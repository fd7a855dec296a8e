// The tape: accumulation, noGrad, scopes, reuse of a tensor, and the errors it raises.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { backward, zeroGrad } from '../ops/grad.ts';
import { noGrad } from './tape.ts';
import { scope } from '../tensor.ts';
import { add, matmul, mul, sum, tanh } from '../ops/index.ts';

const cpu = new CpuBackend({ precision: 'f64' });

describe('tape', () => {
  it('accumulates gradients across backward calls until cleared', () => {
    const w = cpu.fromArray([1, 2, 3], [3]).param();
    for (let k = 0; k < 2; k++) scope(() => backward(sum(mul(w, w))));
    expect([...cpu.data(w.grad!)]).toEqual([4, 8, 12]); // 2 · 2w
    zeroGrad([w]);
    expect(w.grad).toBeNull();
  });

  it('records nothing under noGrad', () => {
    const w = cpu.fromArray([1, 2], [2]).param();
    const y = noGrad(() => mul(w, w));
    expect(y.node).toBeNull();
    expect(() => backward(sum(y))).toThrow(/does not depend on any tensor that requires grad/);
  });

  it('sums the gradient of a tensor used twice', () => {
    const x = cpu.fromArray([0.5, -1], [2]).param();
    scope(() => backward(sum(add(tanh(x), mul(x, x)))));
    const g = cpu.data(x.grad!);
    expect(g[0]).toBeCloseTo(1 - Math.tanh(0.5) ** 2 + 1, 12);
    expect(g[1]).toBeCloseTo(1 - Math.tanh(-1) ** 2 - 2, 12);
  });

  it('walks a diamond graph in reverse topological order', () => {
    const x = cpu.fromArray([2], [1]).param();
    scope(() => {
      const a = mul(x, x); // x²
      const b = add(a, x); // x² + x
      const c = mul(a, b); // x⁴ + x³
      backward(sum(c));
    });
    expect(cpu.data(x.grad!)[0]).toBeCloseTo(4 * 8 + 3 * 4, 12);
  });

  it('scope frees intermediates and keeps returned and persistent tensors', () => {
    const w = cpu.fromArray([1, 2], [2]).param();
    let inner = null as ReturnType<typeof mul> | null;
    const kept = scope(() => {
      inner = mul(w, w);
      return add(inner, w);
    });
    expect(inner!.disposed).toBe(true);
    expect(kept.disposed).toBe(false);
    expect(w.disposed).toBe(false);
    expect(() => mul(inner!, w)).toThrow(/mul: input "mul.out0" \[2\] used after it was freed/);
  });

  it('reading a freed tensor names it and its shape', () => {
    const t = cpu.fromArray([1, 2, 3, 4], [2, 2], 'f32', 'activations');
    t.dispose();
    expect(() => t.storage).toThrow(/tensor "activations" \[2, 2\] used after it was freed/);
  });

  it('shape and dtype errors name the op and the shapes', () => {
    const a = cpu.zeros([2, 3], 'f32', 'a');
    const b = cpu.zeros([4, 5], 'f32', 'b');
    expect(() => matmul(a, b)).toThrow(/matmul: inner dimensions differ \(3 vs 4\) \(inputs: a\[2, 3\]:f32, b\[4, 5\]:f32\)/);
    expect(() => add(a, cpu.zeros([2], 'f32', 'c'))).toThrow(/add: shapes do not broadcast.*a\[2, 3\].*c\[2\]/);
    expect(() => tanh(cpu.zeros([2], 'i32', 'ids'))).toThrow(/tanh: input 0 must be f32, got i32/);
  });

  it('backward of a non-scalar needs a seed', () => {
    const w = cpu.fromArray([1, 2], [2]).param();
    expect(() => scope(() => backward(mul(w, w)))).toThrow(/pass a seed gradient/);
    scope(() => backward(mul(w, w), cpu.fromArray([1, 10], [2])));
    expect([...cpu.data(w.grad!)]).toEqual([2, 40]);
  });
});
