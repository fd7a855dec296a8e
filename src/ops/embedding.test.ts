// Embedding: the host-side inverted index, and the errors for bad ids.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend/cpu.ts';
import { backward } from './grad.ts';
import { scope } from '../tensor.ts';
import { buildEmbeddingIndex, embedding } from './embedding.ts';
import { sum } from './reduce.ts';

describe('embedding', () => {
  it('groups positions by id: rows ascending, CSR offsets, positions ascending', () => {
    const { used, data } = buildEmbeddingIndex([4, 1, 4, 4, 2, 1], 6);
    expect(used).toBe(3);
    expect(Array.from(data.slice(0, 3))).toEqual([1, 2, 4]); // rows
    expect(Array.from(data.slice(3, 7))).toEqual([0, 2, 3, 6]); // offsets
    expect(Array.from(data.slice(7))).toEqual([1, 5, 4, 0, 2, 3]); // positions
  });

  it('an id outside the table names the id and its [b, t] position', () => {
    const cpu = new CpuBackend();
    const table = cpu.zeros([5, 2]);
    const ids = cpu.fromArray([0, 1, 2, 3, 7, 1], [2, 3], 'i32');
    expect(() => embedding(table, ids, Int32Array.from([0, 1, 2, 3, 7, 1]))).toThrow(/id 7 at position \[1, 1\].*\[0, 5\)/);
    expect(() => embedding(table, cpu.fromArray([-1], [1, 1], 'i32'), Int32Array.from([-1]))).toThrow(/id -1 at position \[0, 0\]/);
  });

  it('hostIds must match the ids tensor', () => {
    const cpu = new CpuBackend();
    expect(() => embedding(cpu.zeros([5, 2]), cpu.fromArray([0, 1], [1, 2], 'i32'), Int32Array.from([0]))).toThrow(/hostIds holds 1 ids, ids tensor has 2/);
  });

  it('gradient of Σ out counts how often each row is used', async () => {
    const cpu = new CpuBackend({ precision: 'f64' });
    const table = cpu.zeros([4, 3]).param();
    scope(() => backward(sum(embedding(table, cpu.fromArray([2, 2, 0, 2], [2, 2], 'i32'), Int32Array.from([2, 2, 0, 2])))));
    expect(Array.from(await table.grad!.read())).toEqual([1, 1, 1, 0, 0, 0, 3, 3, 3, 0, 0, 0]);
  });
});
