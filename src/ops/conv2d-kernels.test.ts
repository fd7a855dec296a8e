// Tile choice of the implicit-GEMM convolution kernels (the kernels themselves are checked
// against the CPU reference in ops.browser.test.ts and compiled in kernels.browser.test.ts).
import { describe, expect, it } from 'vitest';
import { convKernel, convKernelModules, convTile, tileExtent } from './conv2d-kernels.ts';

describe('convTile', () => {
  it('shared tiles: subgroups along the rows as far as there are rows, then along the columns', () => {
    // The encoder's first layer: dw is 16 × 28, forward 32,768 × 16.
    expect(convTile('weightGrad', 16, 28, true)).toEqual({ TM: 8, TN: 8, WX: 1, WY: 2, shared: true });
    expect(convTile('forward', 32768, 16, true)).toEqual({ TM: 16, TN: 4, WX: 1, WY: 4, shared: true });
    // The second layer's 32 output channels fill a subgroup at TN 8.
    expect(convTile('forward', 8192, 32, true)).toEqual({ TM: 16, TN: 8, WX: 1, WY: 4, shared: true });
    expect(convTile('weightGrad', 3, 100, true)).toEqual({ TM: 8, TN: 8, WX: 4, WY: 1, shared: true });
    // dx of an RGB input: 3 columns of a subgroup's 16 → the plain tile.
    expect(convTile('inputGrad', 32768, 3, true).shared).toBe(false);
  });

  it('plain tiles: the narrowest workgroup that covers the columns', () => {
    expect(tileExtent(convTile('forward', 8192, 16, false))).toEqual({ rows: 256, cols: 16 });
    expect(tileExtent(convTile('weightGrad', 32, 145, false))).toEqual({ rows: 64, cols: 64 });
  });

  it('every tile it can choose is among the compiled modules', () => {
    const keys = new Set(convKernelModules().map((m) => m.key));
    for (const shared of [false, true]) {
      for (const pass of ['forward', 'inputGrad', 'weightGrad'] as const) {
        for (const [rows, cols] of [[1, 1], [16, 28], [32, 145], [8192, 32], [5, 300]]) {
          const key = convKernel(pass, convTile(pass, rows, cols, shared)).key;
          expect(keys.has(key), key).toBe(true);
        }
      }
    }
  });
});
