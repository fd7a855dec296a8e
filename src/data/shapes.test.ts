// Shapes & Questions: determinism, class balance, rendering that matches the scene,
// and the design requirement — single-modality oracles stay at chance, both together
// determine every answer.
import { describe, expect, it } from 'vitest';
import { caption, generateShapes, kindInfo, modalityOracle, QUESTION_KINDS, type Difficulty } from './shapes.ts';
import { makeSplits } from './splits.ts';
import { hashBytes } from './hash.ts';
import type { RawExample } from './types.ts';

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

function answerCounts(examples: RawExample[], kind: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of examples) {
    if (e.tags?.kind !== kind || e.target.kind !== 'class') continue;
    m.set(e.target.label, (m.get(e.target.label) ?? 0) + 1);
  }
  return m;
}

describe('generateShapes', () => {
  it('is deterministic: same options, same examples; another seed, other examples', () => {
    const a = generateShapes({ count: 120, seed: 7 });
    const b = generateShapes({ count: 120, seed: 7 });
    const c = generateShapes({ count: 120, seed: 8 });
    const sig = (d: typeof a) => d.examples.map((e) => `${e.text}|${JSON.stringify(e.target)}|${hashBytes(e.image!.data)}`);
    expect(sig(b)).toEqual(sig(a));
    expect(sig(c)).not.toEqual(sig(a));
  });

  it('rounds up to whole families, balances kinds and gives every question kind its answers evenly', () => {
    const d = generateShapes({ count: 1000, seed: 3 });
    expect(d.examples.length).toBeGreaterThanOrEqual(1000);
    expect(d.examples.length).toBeLessThan(1000 + 9);
    const perKind = QUESTION_KINDS.map((k) => d.examples.filter((e) => e.tags?.kind === k).length);
    expect(Math.max(...perKind) - Math.min(...perKind)).toBeLessThanOrEqual(9);
    for (const kind of QUESTION_KINDS) {
      const counts = answerCounts(d.examples, kind);
      expect([...counts.keys()].sort()).toEqual([...kindInfo(kind).answers].sort());
      expect(new Set(counts.values()).size).toBe(1); // exactly balanced
    }
  });

  it('texts, targets and tags have the documented form', () => {
    const d = generateShapes({ count: 60, seed: 1 });
    for (const e of d.examples) {
      expect(e.image).not.toBeNull();
      expect(e.image!.width).toBe(32);
      expect(e.text).toMatch(/\?$/);
      expect(e.target.kind).toBe('class');
      expect(e.tags?.splitGroup).toMatch(/^f\d+$/);
    }
    const texts = new Set(d.examples.map((e) => e.text));
    expect(texts).toContain('how many triangles are there?');
    expect([...texts].some((t) => /^is there a (red|green|blue) (circle|square|triangle)\?$/.test(t!))).toBe(true);
    expect([...texts].some((t) => /^is the (red|green|blue) shape (left of|above) the (red|green|blue) one\?$/.test(t!))).toBe(true);
    expect([...texts].some((t) => /^what colour is the (circle|square|triangle)\?$/.test(t!))).toBe(true);
  });

  it('draws what the answers say: the colour asked about is present in the image', () => {
    const d = generateShapes({ count: 90, seed: 5, kinds: ['colour'] });
    const rgb: Record<string, [number, number, number]> = { red: [230, 40, 40], green: [40, 200, 60], blue: [50, 100, 245] };
    for (const e of d.examples) {
      const want = rgb[(e.target as { label: string }).label];
      const px = e.image!.data;
      let found = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] === want[0] && px[i + 1] === want[1] && px[i + 2] === want[2]) found++;
      expect(found).toBeGreaterThan(20); // a shape of radius ≥ 0.3 cell covers far more pixels
    }
  });

  it('captions describe the scene in reading order', () => {
    const palette = [{ name: 'red' }, { name: 'green' }, { name: 'blue' }];
    const s = (type: 'circle' | 'square' | 'triangle', colour: number, row: number, col: number) => ({ type, colour, row, col, dx: 0, dy: 0, radius: 0.3 });
    expect(caption([s('square', 2, 1, 0), s('circle', 0, 0, 1)], palette)).toBe('a red circle above a blue square');
    expect(caption([s('square', 2, 0, 1), s('triangle', 1, 0, 0)], palette)).toBe('a green triangle to the left of a blue square');
    expect(caption([s('circle', 0, 1, 1)], palette)).toBe('a red circle');
    const d = generateShapes({ count: 30, seed: 2, kinds: ['caption'] });
    for (const e of d.examples) {
      expect(e.text).toBeNull();
      expect(e.target.kind).toBe('caption');
      expect((e.target as { text: string }).text).toMatch(/^a (red|green|blue) (circle|square|triangle)/);
    }
  });

  it('rejects bad options naming them', () => {
    expect(() => generateShapes({ count: 0, seed: 1 })).toThrow(/count/);
    expect(() => generateShapes({ count: 5, seed: 1, imageSize: 4 })).toThrow(/imageSize/);
    expect(() => generateShapes({ count: 5, seed: 1, kinds: ['colour', 'size' as never] })).toThrow(/"size"/);
  });
});

describe('Shapes & Questions needs both modalities', () => {
  for (const difficulty of ['easy', 'normal', 'hard'] as Difficulty[]) {
    it(`${difficulty}: text-only and image-only oracles are exactly at chance per kind, in-sample and held out`, () => {
      const d = generateShapes({ count: 2400, seed: 11, difficulty });
      const n = d.examples.length;
      const splits = makeSplits(n, { train: 0.7, validation: 0.15, seed: 4, stratify: false }, null, d.examples.map((e) => e.tags?.splitGroup));
      for (const info of d.kinds) {
        expect(info.needsBoth).toBe(true);
        expect(info.chance!.textOnly).toBeLessThan(1);
        expect(info.chance!.imageOnly).toBeLessThan(1);
      }
      const chance = new Map(d.kinds.map((k) => [k.kind as string, k.chance!]));
      // Fit and score on the same data: the oracles' best case.
      const textIn = modalityOracle(d.examples, 'text', all(n), all(n));
      const imageIn = modalityOracle(d.examples, 'image', all(n), all(n));
      const textTrain = modalityOracle(d.examples, 'text', splits.train, splits.train);
      const imageTrain = modalityOracle(d.examples, 'image', splits.train, splits.train);
      // Fit on training, score on test.
      const textTest = modalityOracle(d.examples, 'text', splits.train, splits.test);
      const imageTest = modalityOracle(d.examples, 'image', splits.train, splits.test);
      for (const kind of QUESTION_KINDS) {
        const c = chance.get(kind)!;
        expect(textIn.get(kind)).toBeCloseTo(c.textOnly, 12);
        expect(imageIn.get(kind)).toBeCloseTo(c.imageOnly, 12);
        expect(textTrain.get(kind)).toBeCloseTo(c.textOnly, 12);
        expect(imageTrain.get(kind)).toBeCloseTo(c.imageOnly, 12);
        expect(textTest.get(kind)!).toBeLessThanOrEqual(c.textOnly + 1e-12);
        expect(imageTest.get(kind)!).toBeLessThanOrEqual(c.imageOnly + 1e-12);
      }
      if (difficulty === 'normal') {
        expect(chance.get('exists')).toEqual({ textOnly: 0.5, imageOnly: 0.5 });
        expect(chance.get('colour')).toEqual({ textOnly: 1 / 3, imageOnly: 1 / 3 });
      }
    });
  }

  it('text and image together determine every answer', () => {
    const d = generateShapes({ count: 1200, seed: 13 });
    const seen = new Map<string, string>();
    for (const e of d.examples) {
      const key = `${e.text}|${hashBytes(e.image!.data)}`;
      const answer = (e.target as { label: string }).label;
      if (seen.has(key)) expect(seen.get(key)).toBe(answer);
      seen.set(key, answer);
    }
    // And the check above is not vacuous: the same text has different answers, the same image too.
    const byText = new Map<string, Set<string>>();
    for (const e of d.examples) {
      if (!byText.has(e.text!)) byText.set(e.text!, new Set());
      byText.get(e.text!)!.add((e.target as { label: string }).label);
    }
    expect([...byText.values()].every((answers) => answers.size > 1)).toBe(true);
  });
});
