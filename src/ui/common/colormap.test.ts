// Colour maps: control points are hit exactly, the diverging map has Moreland's published
// endpoints and light-grey midpoint, and lightness rises monotonically along each map.
import { describe, expect, it } from 'vitest';
import { colorAt, lookupTable, tableIndex, textOn } from './colormap.ts';

function lightness([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => ((c / 255) <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const y = 0.2126729 * lin(r) + 0.7151522 * lin(g) + 0.072175 * lin(b);
  return y > (6 / 29) ** 3 ? 116 * Math.cbrt(y) - 16 : (29 / 3) ** 3 * y;
}

describe('colour maps', () => {
  it('viridis and cividis pass through their control points', () => {
    expect(colorAt('viridis', 0)).toEqual([0x44, 0x01, 0x54]);
    expect(colorAt('viridis', 0.5)).toEqual([0x21, 0x90, 0x8c]);
    expect(colorAt('viridis', 1)).toEqual([0xfd, 0xe7, 0x25]);
    expect(colorAt('cividis', 0)).toEqual([0x00, 0x20, 0x4d]);
    expect(colorAt('cividis', 1)).toEqual([0xff, 0xea, 0x46]);
    // Halfway between two control points is their mean.
    const [r] = colorAt('viridis', 0.05);
    expect(r).toBeCloseTo((0x44 + 0x48) / 2, 6);
  });

  it('coolwarm has the published endpoints and a light grey midpoint', () => {
    const round = (c: number[]) => c.map((v) => Math.round(v));
    expect(round(colorAt('coolwarm', 0))).toEqual([59, 76, 192]);
    expect(round(colorAt('coolwarm', 1))).toEqual([180, 4, 38]);
    const mid = round(colorAt('coolwarm', 0.5));
    for (const c of mid) expect(Math.abs(c - 221)).toBeLessThanOrEqual(1);
  });

  it('sequential maps get lighter monotonically; coolwarm rises to the middle and falls', () => {
    for (const name of ['viridis', 'cividis'] as const) {
      let prev = -1;
      for (let k = 0; k <= 100; k++) {
        const L = lightness(colorAt(name, k / 100));
        expect(L).toBeGreaterThan(prev);
        prev = L;
      }
    }
    const Ls = Array.from({ length: 101 }, (_, k) => lightness(colorAt('coolwarm', k / 100)));
    for (let k = 1; k <= 50; k++) expect(Ls[k]).toBeGreaterThan(Ls[k - 1] - 1e-9);
    for (let k = 51; k <= 100; k++) expect(Ls[k]).toBeLessThan(Ls[k - 1] + 1e-9);
    // Symmetric in lightness about the middle, within 3 L* units.
    for (let k = 0; k <= 50; k++) expect(Math.abs(Ls[k] - Ls[100 - k])).toBeLessThan(3);
  });

  it('lookup tables and indices', () => {
    const t = lookupTable('viridis');
    expect(t.length).toBe(1024);
    expect(Array.from(t.subarray(0, 4))).toEqual([0x44, 0x01, 0x54, 255]);
    expect(tableIndex(0, 0, 1)).toBe(0);
    expect(tableIndex(1, 0, 1)).toBe(255);
    expect(tableIndex(0, -1, 1)).toBe(128);
    expect(tableIndex(5, -1, 1)).toBe(255);
    expect(tableIndex(NaN, 0, 1)).toBe(128);
    expect(textOn('viridis', 0)).toBe('white');
    expect(textOn('viridis', 1)).toBe('black');
  });
});
