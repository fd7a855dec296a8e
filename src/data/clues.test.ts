// Complementary clues: balanced classes, deterministic, and each modality carries
// exactly one half of the label (the text the colour, the image the shape).
import { describe, expect, it } from 'vitest';
import { generateClues, CLUE_COLOURS } from './clues.ts';

describe('complementary clues', () => {
  it('is seeded, balanced over the nine classes, and splits the label between the modalities', () => {
    const a = generateClues({ count: 90, seed: 3, imageSize: 16 });
    const b = generateClues({ count: 90, seed: 3, imageSize: 16 });
    expect(a.map((e) => e.text)).toEqual(b.map((e) => e.text));
    expect(Array.from(a[5].image!.data)).toEqual(Array.from(b[5].image!.data));
    const counts = new Map<string, number>();
    for (const e of a) {
      const label = e.target.kind === 'class' ? e.target.label : '';
      counts.set(label, (counts.get(label) ?? 0) + 1);
      const [colour] = label.split(' ');
      // The text names the colour of the label and no shape.
      expect(e.text).toContain(colour);
      expect(e.text).not.toMatch(/circle|square|triangle/);
      // The image is grey: no pixel says which colour the label has.
      const px = e.image!.data;
      for (let i = 0; i < px.length; i += 4) {
        expect(Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2])).toBeLessThanOrEqual(1);
      }
    }
    expect(counts.size).toBe(9);
    for (const n of counts.values()) expect(n).toBe(10);
    expect(CLUE_COLOURS).toHaveLength(3);
  });
});
