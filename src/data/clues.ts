// Built-in "Complementary clues": a teaching task where each modality carries a different
// half of the answer. The image shows one grey shape (circle, square or triangle); the
// text names a colour ("it is red"); the class is the pair ("red circle"). Text alone
// knows the colour and must guess the shape (accuracy 1/3), the image alone knows the
// shape and must guess the colour (1/3); adding the two unimodal predictions' scores is
// enough to be right every time. So, unlike Shapes & Questions — whose answers depend on
// how the two modalities interact and where a weighted average of unimodal predictions
// cannot beat chance — this task is solved by every fusion strategy, including the
// weighted average (late score fusion).
// Each example also carries its shape and its colour as auxiliary targets (`extraTargets`
// "shape" and "colour"), the built-in multi-task case: one model, a head per task.
import { Random } from '../random.ts';
import { DIFFICULTY, renderScene, SHAPE_TYPES, type Colour, type ShapeType } from './shapes.ts';
import type { RawExample } from './types.ts';

export const CLUE_COLOURS = ['red', 'green', 'blue'] as const;

const TEMPLATES = ['it is {c}.', 'the colour is {c}.', 'a {c} one.'];
const GREY: Colour[] = [{ name: 'grey', rgb: [200, 200, 200] }];

/** Generates `count` examples (balanced over the 9 classes), seeded. */
export function generateClues(options: { count: number; seed: number; imageSize?: number }): RawExample[] {
  const rng = new Random(options.seed);
  const size = options.imageSize ?? 32;
  const settings = { ...DIFFICULTY.easy, grid: 1 };
  const out: RawExample[] = [];
  for (let i = 0; i < options.count; i++) {
    const type: ShapeType = SHAPE_TYPES[i % 3];
    const colour = CLUE_COLOURS[Math.floor(i / 3) % 3];
    const image = renderScene([{ type, colour: 0, row: 0, col: 0, dx: rng.uniform(-0.08, 0.08), dy: rng.uniform(-0.08, 0.08), radius: rng.uniform(0.3, 0.4) }], size, settings, GREY, options.seed * 7919 + i);
    out.push({
      id: `clues-${options.seed}-${i}`,
      image,
      text: TEMPLATES[rng.int(TEMPLATES.length)].replace('{c}', colour),
      target: { kind: 'class', label: `${colour} ${type}` },
      source: { file: 'generator' },
      tags: { kind: 'clues' },
      // The two halves as labels of their own, for multi-task learning ("also predict the shape / colour").
      extraTargets: { shape: { kind: 'class', label: type }, colour: { kind: 'class', label: colour } },
    });
  }
  return out;
}
