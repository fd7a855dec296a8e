// Built-in dataset "Shapes & Questions": a seeded procedural generator of images with
// 1–4 coloured shapes (circle, square, triangle) and texts about them — questions whose
// answer is the class, and captions for the captioning task. No files; the same options
// give the same examples on every machine.
//
// Why neither modality alone can answer the questions
// ----------------------------------------------------
// Scenes come in small "families" built so that, in every family (and therefore in
// every split, because a family never straddles splits — see tags.splitGroup):
//   • per image, the questions asked about it have answers spread evenly over that
//     kind's answers-per-image, so the image alone does not say which answer is meant;
//   • per question text, the answers are spread evenly over the kind's answers, so the
//     words alone do not say it either.
// Concretely:
//   exists   "is there a red circle?"  Scene I holds combination a once and lacks b;
//            its twin I′ is I with that shape recoloured/reshaped to b. Both ask about
//            a and b: each image gets one "yes" and one "no", each text one of each.
//   relation "is the red shape left of the blue one?"  Both orders are asked (one yes,
//            one no); the twin mirrors positions along the axis (shapes are not
//            flipped), which swaps the answers of each text.
//   colour   "what colour is the square?"  One circle, one square, one triangle in three
//            different colours; all three are asked (three different answers per
//            image); the family is the K rotations of the palette, so each text gets
//            every colour once.
//   count    "how many triangles are there?"  The counts of the three types are a
//            permutation of three values; all three are asked; the family is the
//            three rotations of the shape types, so each text gets every count once.
// An oracle that knows only the text (best answer per exact question) or only the
// image (best answer per exact image) is therefore exactly at chance on every split:
// 1/2 for exists and relation, 1/3 for count, 1/K (text) and 1/3 (image: it can guess
// among the three colours it sees, no better) for colour. shapes.test.ts checks this,
// and that text + image together determine every answer.
import { Random } from '../random.ts';
import { hashBytes } from './hash.ts';
import type { RawExample, RgbaImage } from './types.ts';

export type ShapeType = 'circle' | 'square' | 'triangle';
export const SHAPE_TYPES: readonly ShapeType[] = ['circle', 'square', 'triangle'];
export type QuestionKind = 'exists' | 'relation' | 'colour' | 'count';
export const QUESTION_KINDS: readonly QuestionKind[] = ['exists', 'relation', 'colour', 'count'];
export type ShapesKind = QuestionKind | 'caption';
export type Difficulty = 'easy' | 'normal' | 'hard';

export interface ShapesOptions {
  /** Number of examples wanted; rounded up to whole families (≤ 3K − 1 more). */
  count: number;
  seed: number;
  /** Side of the square image in pixels (default 32). */
  imageSize?: number;
  /** Default "normal". */
  difficulty?: Difficulty;
  /** Kinds to generate (default: the four question kinds). "caption" gives caption examples. */
  kinds?: readonly ShapesKind[];
}

export interface Colour {
  name: string;
  rgb: [number, number, number];
}

const COLOURS: Colour[] = [
  { name: 'red', rgb: [230, 40, 40] },
  { name: 'green', rgb: [40, 200, 60] },
  { name: 'blue', rgb: [50, 100, 245] },
  { name: 'yellow', rgb: [240, 220, 40] },
  { name: 'purple', rgb: [170, 60, 220] },
];

export interface DifficultySettings {
  /** Palette size K (first K of COLOURS). */
  colours: number;
  /** Grid of G×G cells, one shape per cell. */
  grid: number;
  /** Shape radius as a fraction of the cell side: [min, max]. */
  radius: [number, number];
  /** Largest centre offset from the cell centre, as a fraction of the cell side. */
  jitter: number;
  /** Background grey level and ± uniform noise. */
  background: number;
  noise: number;
  /** Counts per type in the count family. */
  counts: [number, number, number];
  /** Shapes per scene in exists / caption scenes: [min, max]. */
  shapes: [number, number];
  /** Question templates are picked from these per family. */
  paraphrase: boolean;
}

/** Settings per difficulty: "normal" keeps shapes large and colours far apart. */
export const DIFFICULTY: Record<Difficulty, DifficultySettings> = {
  easy: { colours: 3, grid: 2, radius: [0.38, 0.38], jitter: 0, background: 24, noise: 0, counts: [0, 1, 2], shapes: [1, 3], paraphrase: false },
  normal: { colours: 3, grid: 2, radius: [0.3, 0.4], jitter: 0.08, background: 24, noise: 0, counts: [0, 1, 2], shapes: [1, 4], paraphrase: false },
  hard: { colours: 5, grid: 3, radius: [0.26, 0.42], jitter: 0.08, background: 40, noise: 24, counts: [1, 2, 3], shapes: [1, 4], paraphrase: true },
};

/**
 * Settings of the "Why fuse?" demo: colour questions only ("what colour is the square?"),
 * where text alone and image alone are exactly at 1/3, and late fusion over a CNN with
 * global max pooling (one colour-and-shape detector for every position). Measured in
 * PyTorch and GateScope: flattening instead of max pooling stays at 1/3 for 600 steps.
 */
export const WHY_FUSE_PRESET = {
  kinds: ['colour'] as QuestionKind[],
  /** 9 questions per family; 70 % of 3,006 → 66 steps per epoch at batch 32. */
  count: 3000,
  imageSize: 32,
  pool: 'max' as const,
  /** 594 steps at the default Adam 0.001; late fusion measured at 1.00 from epoch 5 (step 330). */
  epochs: 9,
};

const COUNT_WORDS = ['none', 'one', 'two', 'three', 'four', 'five', 'six'];

/** A shape in a scene: grid cell, offset within it (cell units) and radius (cell units). */
export interface Shape {
  type: ShapeType;
  /** Index into the palette. */
  colour: number;
  row: number;
  col: number;
  dx: number;
  dy: number;
  radius: number;
}

/** What the generator says about each kind, for tests and the UI. */
export interface KindInfo {
  kind: ShapesKind;
  /** True for question kinds: neither the text nor the image alone determines the answer. */
  needsBoth: boolean;
  /** Possible answers (classes) of this kind. */
  answers: string[];
  /** Exact accuracy of the best text-only and image-only guess on every split; null for captions. */
  chance: { textOnly: number; imageOnly: number } | null;
  /** Why, in one sentence. */
  why: string;
}

export interface ShapesDataset {
  examples: RawExample[];
  kinds: KindInfo[];
  /** Palette names in use. */
  colours: string[];
  scenes: number;
  families: number;
  imageSize: number;
}

const TEMPLATES: Record<QuestionKind, string[]> = {
  exists: ['is there a {c} {s}?', 'do you see a {c} {s}?', 'can you find a {c} {s} in the picture?'],
  relation: ['is the {c1} shape {rel} the {c2} one?', 'is the {c1} one {rel} the {c2} shape?'],
  colour: ['what colour is the {s}?', 'which colour does the {s} have?', 'the {s} is what colour?'],
  count: ['how many {ss} are there?', 'count the {ss}.', 'what is the number of {ss}?'],
};

const PLURAL: Record<ShapeType, string> = { circle: 'circles', square: 'squares', triangle: 'triangles' };

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k]);
}

/** Renders a scene at S×S with 4×4 supersampling. Pixel layout: RGBA [S, S, 4]. */
export function renderScene(shapes: readonly Shape[], size: number, settings: DifficultySettings, palette: Colour[], noiseSeed: number): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4);
  const rng = new Random(noiseSeed);
  const G = settings.grid;
  const geo = shapes.map((s) => ({
    cx: (s.col + 0.5 + s.dx) / G,
    cy: (s.row + 0.5 + s.dy) / G,
    r: s.radius / G,
    type: s.type,
    rgb: palette[s.colour].rgb,
  }));
  const SS = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const bg = settings.background + (settings.noise ? (rng.next() * 2 - 1) * settings.noise : 0);
      let r = 0, g = 0, b = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const u = (px + (sx + 0.5) / SS) / size;
          const v = (py + (sy + 0.5) / SS) / size;
          let c: [number, number, number] | null = null;
          for (const s of geo) {
            const du = u - s.cx;
            const dv = v - s.cy;
            let inside: boolean;
            if (s.type === 'circle') inside = du * du + dv * dv <= s.r * s.r;
            // A square of half-width r: with 0.85 r its area was within 8 % of the circle's,
            // and at 16–32 px a small CNN barely told the two apart.
            else if (s.type === 'square') inside = Math.abs(du) <= s.r && Math.abs(dv) <= s.r;
            else {
              // Upward triangle: apex (0, −r), base from (−r, r) to (r, r); |du| ≤ (dv + r)/2.
              inside = dv <= s.r && dv >= -s.r && Math.abs(du) <= (dv + s.r) / 2;
            }
            if (inside) c = s.rgb;
          }
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
          } else {
            r += bg;
            g += bg;
            b += bg;
          }
        }
      }
      const o = (py * size + px) * 4;
      data[o] = r / (SS * SS);
      data[o + 1] = g / (SS * SS);
      data[o + 2] = b / (SS * SS);
      data[o + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

interface Family {
  kind: ShapesKind;
  /** Scenes of the family and the (text, answer) pairs asked about each. */
  scenes: { shapes: Shape[]; items: { text: string | null; answer: string }[] }[];
}

class SceneMaker {
  constructor(
    private readonly rng: Random,
    private readonly settings: DifficultySettings,
  ) {}

  /** n distinct cells of the grid. */
  cells(n: number): [number, number][] {
    const G = this.settings.grid;
    const all: [number, number][] = [];
    for (let r = 0; r < G; r++) for (let c = 0; c < G; c++) all.push([r, c]);
    return this.rng.shuffle(all).slice(0, n);
  }

  shape(type: ShapeType, colour: number, [row, col]: [number, number]): Shape {
    const [lo, hi] = this.settings.radius;
    const radius = lo + (hi - lo) * this.rng.next();
    // Keep the shape inside its cell: |offset| ≤ min(jitter, 0.5 − radius − margin).
    const room = Math.max(0, Math.min(this.settings.jitter, 0.5 - radius - 0.04));
    return { type, colour, row, col, radius, dx: (this.rng.next() * 2 - 1) * room, dy: (this.rng.next() * 2 - 1) * room };
  }

  pickTemplate(kind: QuestionKind): string {
    const list = TEMPLATES[kind];
    return this.settings.paraphrase ? list[this.rng.int(list.length)] : list[0];
  }

  between(lo: number, hi: number): number {
    return lo + this.rng.int(hi - lo + 1);
  }
}

function makeFamily(kind: ShapesKind, m: SceneMaker, rng: Random, settings: DifficultySettings, palette: Colour[]): Family {
  const K = palette.length;
  const G = settings.grid;
  const name = (c: number) => palette[c].name;
  switch (kind) {
    case 'exists': {
      for (;;) {
        const n = m.between(settings.shapes[0], Math.min(settings.shapes[1], G * G));
        const shapes = m.cells(n).map((cell) => m.shape(SHAPE_TYPES[rng.int(3)], rng.int(K), cell));
        const key = (s: { type: ShapeType; colour: number }) => `${s.type}/${s.colour}`;
        const tally = new Map<string, number>();
        for (const s of shapes) tally.set(key(s), (tally.get(key(s)) ?? 0) + 1);
        const once = shapes.filter((s) => tally.get(key(s)) === 1);
        if (once.length === 0) continue;
        const a = once[rng.int(once.length)];
        const absent: { type: ShapeType; colour: number }[] = [];
        for (const type of SHAPE_TYPES) for (let colour = 0; colour < K; colour++) if (!tally.has(key({ type, colour }))) absent.push({ type, colour });
        const b = absent[rng.int(absent.length)];
        const twin = shapes.map((s) => (s === a ? { ...s, type: b.type, colour: b.colour } : s));
        const template = m.pickTemplate('exists');
        const qa = fill(template, { c: name(a.colour), s: a.type });
        const qb = fill(template, { c: name(b.colour), s: b.type });
        return {
          kind,
          scenes: [
            { shapes, items: [{ text: qa, answer: 'yes' }, { text: qb, answer: 'no' }] },
            { shapes: twin, items: [{ text: qa, answer: 'no' }, { text: qb, answer: 'yes' }] },
          ],
        };
      }
    }
    case 'relation': {
      for (;;) {
        const n = m.between(2, Math.min(settings.shapes[1], K, G * G));
        const colours = rng.shuffle([...Array(K).keys()]).slice(0, n);
        const shapes = m.cells(n).map((cell, i) => m.shape(SHAPE_TYPES[rng.int(3)], colours[i], cell));
        const horizontal = rng.next() < 0.5;
        const along = (s: Shape) => (horizontal ? s.col : s.row);
        const pairs: [Shape, Shape][] = [];
        for (const p of shapes) for (const q of shapes) if (along(p) < along(q)) pairs.push([p, q]);
        if (pairs.length === 0) continue;
        const [first, second] = pairs[rng.int(pairs.length)]; // first is left of / above second
        const template = m.pickTemplate('relation');
        const rel = horizontal ? 'left of' : 'above';
        const q12 = fill(template, { c1: name(first.colour), c2: name(second.colour), rel });
        const q21 = fill(template, { c1: name(second.colour), c2: name(first.colour), rel });
        const mirror = shapes.map((s) => (horizontal ? { ...s, col: G - 1 - s.col, dx: -s.dx } : { ...s, row: G - 1 - s.row, dy: -s.dy }));
        return {
          kind,
          scenes: [
            { shapes, items: [{ text: q12, answer: 'yes' }, { text: q21, answer: 'no' }] },
            { shapes: mirror, items: [{ text: q12, answer: 'no' }, { text: q21, answer: 'yes' }] },
          ],
        };
      }
    }
    case 'colour': {
      const colours = rng.shuffle([...Array(K).keys()]).slice(0, 3);
      const base = m.cells(3).map((cell, i) => m.shape(SHAPE_TYPES[i], colours[i], cell));
      const template = m.pickTemplate('colour');
      const scenes = [];
      for (let r = 0; r < K; r++) {
        const shapes = base.map((s) => ({ ...s, colour: (s.colour + r) % K }));
        scenes.push({ shapes, items: shapes.map((s) => ({ text: fill(template, { s: s.type }), answer: name(s.colour) })) });
      }
      return { kind, scenes };
    }
    case 'count': {
      const counts = rng.shuffle([...settings.counts]);
      const types = counts.flatMap((c, t) => Array<ShapeType>(c).fill(SHAPE_TYPES[t]));
      const base = m.cells(types.length).map((cell, i) => m.shape(types[i], rng.int(K), cell));
      const template = m.pickTemplate('count');
      const scenes = [];
      for (let r = 0; r < 3; r++) {
        const shapes = base.map((s) => ({ ...s, type: SHAPE_TYPES[(SHAPE_TYPES.indexOf(s.type) + r) % 3] }));
        scenes.push({
          shapes,
          items: SHAPE_TYPES.map((t) => ({
            text: fill(template, { ss: PLURAL[t] }),
            answer: COUNT_WORDS[shapes.filter((s) => s.type === t).length],
          })),
        });
      }
      return { kind, scenes };
    }
    case 'caption': {
      for (;;) {
        const n = m.between(1, Math.min(3, settings.shapes[1], G * G));
        const shapes = m.cells(n).map((cell) => m.shape(SHAPE_TYPES[rng.int(3)], rng.int(K), cell));
        const combos = new Set(shapes.map((s) => `${s.type}/${s.colour}`));
        if (combos.size < n) continue; // every shape must be nameable unambiguously
        return { kind, scenes: [{ shapes, items: [{ text: null, answer: caption(shapes, palette) }] }] };
      }
    }
  }
}

/**
 * Caption of a scene in reading order: "a red circle", "a red circle above a blue
 * square", "a green triangle to the left of a red circle", or a list for three or more.
 */
export function caption(shapes: readonly Shape[], palette: readonly { name: string }[]): string {
  const ordered = [...shapes].sort((a, b) => a.row - b.row || a.col - b.col);
  const np = (s: Shape) => `a ${palette[s.colour].name} ${s.type}`;
  if (ordered.length === 1) return np(ordered[0]);
  if (ordered.length === 2) {
    const [a, b] = ordered;
    return `${np(a)} ${a.row === b.row ? 'to the left of' : 'above'} ${np(b)}`;
  }
  return `${ordered.slice(0, -1).map(np).join(', ')} and ${np(ordered[ordered.length - 1])}`;
}

/** Facts about each kind at a difficulty (answers and exact chance levels). */
export function kindInfo(kind: ShapesKind, difficulty: Difficulty = 'normal'): KindInfo {
  const s = DIFFICULTY[difficulty];
  const palette = COLOURS.slice(0, s.colours).map((c) => c.name);
  switch (kind) {
    case 'exists':
      return { kind, needsBoth: true, answers: ['yes', 'no'], chance: { textOnly: 1 / 2, imageOnly: 1 / 2 }, why: 'each image is asked one question answered yes and one answered no; each question is answered yes in one image of the pair and no in the other' };
    case 'relation':
      return { kind, needsBoth: true, answers: ['yes', 'no'], chance: { textOnly: 1 / 2, imageOnly: 1 / 2 }, why: 'both orders of a colour pair are asked about each image; the mirrored twin swaps every answer' };
    case 'colour':
      return { kind, needsBoth: true, answers: palette, chance: { textOnly: 1 / palette.length, imageOnly: 1 / 3 }, why: 'all three shapes are asked about, each has a different colour; palette rotations give each question every colour once' };
    case 'count':
      return { kind, needsBoth: true, answers: s.counts.map((c) => COUNT_WORDS[c]), chance: { textOnly: 1 / 3, imageOnly: 1 / 3 }, why: 'the three types have three different counts and all three are asked; type rotations give each question every count once' };
    case 'caption':
      return { kind, needsBoth: false, answers: [], chance: null, why: 'captions describe the image; there is no question text' };
  }
}

/**
 * Generates Shapes & Questions. Question examples: image + question text, class target
 * = the answer, tags { kind, splitGroup, scene }. Caption examples: image only, caption
 * target, tags { kind: "caption", splitGroup, scene }. Examples of one family share
 * tags.splitGroup (splits keep them together); examples of one scene share their image.
 */
export function generateShapes(options: ShapesOptions): ShapesDataset {
  const { count, seed } = options;
  const size = options.imageSize ?? 32;
  const difficulty = options.difficulty ?? 'normal';
  const kinds = options.kinds ?? QUESTION_KINDS;
  if (!Number.isInteger(count) || count < 1) throw new Error(`generateShapes: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(size) || size < 8 || size > 256) throw new Error(`generateShapes: imageSize must be an integer in 8–256, got ${size}`);
  if (!(difficulty in DIFFICULTY)) throw new Error(`generateShapes: unknown difficulty "${difficulty}"`);
  if (kinds.length === 0) throw new Error('generateShapes: no kinds given');
  for (const k of kinds) if (k !== 'caption' && !QUESTION_KINDS.includes(k as QuestionKind)) throw new Error(`generateShapes: unknown kind "${k}"`);
  const settings = DIFFICULTY[difficulty];
  const palette = COLOURS.slice(0, settings.colours);
  const rng = new Random(seed);
  const maker = new SceneMaker(rng, settings);
  const perKind = new Map<ShapesKind, number>(kinds.map((k) => [k, 0]));
  const examples: RawExample[] = [];
  let scenes = 0;
  let families = 0;
  while (examples.length < count) {
    // The kind with the fewest examples so far goes next: kinds stay balanced.
    let kind = kinds[0];
    for (const k of kinds) if (perKind.get(k)! < perKind.get(kind)!) kind = k;
    const family = makeFamily(kind, maker, rng, settings, palette);
    const group = `f${families}`;
    for (const scene of family.scenes) {
      const image = renderScene(scene.shapes, size, settings, palette, (seed * 7919 + scenes) >>> 0);
      for (const item of scene.items) {
        const i = examples.length;
        examples.push({
          id: `shapes-${seed}-${i}`,
          image,
          text: item.text,
          target: kind === 'caption' ? { kind: 'caption', text: item.answer } : { kind: 'class', label: item.answer },
          source: { file: 'Shapes & Questions (generated)', row: i + 1 },
          tags: { kind, splitGroup: group, scene: `s${scenes}` },
        });
      }
      scenes++;
    }
    perKind.set(kind, perKind.get(kind)! + family.scenes.reduce((n, s) => n + s.items.length, 0));
    families++;
  }
  return { examples, kinds: kinds.map((k) => kindInfo(k, difficulty)), colours: palette.map((c) => c.name), scenes, families, imageSize: size };
}

/**
 * Accuracy per question kind of the best single-modality guess: for each key (the
 * exact question text, or the exact image pixels) the most frequent answer among the
 * `fit` examples (ties → first in sorted order; unseen keys → the kind's most frequent
 * answer), scored on the `score` examples. Used to show that the built-in questions
 * need both modalities.
 */
export function modalityOracle(
  examples: readonly RawExample[],
  modality: 'text' | 'image',
  fit: ArrayLike<number>,
  score: ArrayLike<number>,
): Map<string, number> {
  const keyOf = (e: RawExample) => (modality === 'text' ? `t:${e.text}` : `i:${e.image ? hashBytes(e.image.data) : 'none'}`);
  const kindOf = (e: RawExample) => e.tags?.kind ?? '';
  const answerOf = (e: RawExample) => (e.target.kind === 'class' ? e.target.label : '');
  const tallies = new Map<string, Map<string, number>>();
  const kindTallies = new Map<string, Map<string, number>>();
  const bump = (m: Map<string, Map<string, number>>, k: string, a: string) => {
    let t = m.get(k);
    if (!t) m.set(k, (t = new Map()));
    t.set(a, (t.get(a) ?? 0) + 1);
  };
  for (let j = 0; j < fit.length; j++) {
    const e = examples[fit[j]];
    bump(tallies, `${kindOf(e)}|${keyOf(e)}`, answerOf(e));
    bump(kindTallies, kindOf(e), answerOf(e));
  }
  const best = (t: Map<string, number> | undefined) => {
    if (!t) return null;
    let answer: string | null = null;
    let n = -1;
    for (const a of [...t.keys()].sort()) if (t.get(a)! > n) [answer, n] = [a, t.get(a)!];
    return answer;
  };
  const right = new Map<string, number>();
  const total = new Map<string, number>();
  for (let j = 0; j < score.length; j++) {
    const e = examples[score[j]];
    const k = kindOf(e);
    const guess = best(tallies.get(`${k}|${keyOf(e)}`)) ?? best(kindTallies.get(k));
    total.set(k, (total.get(k) ?? 0) + 1);
    right.set(k, (right.get(k) ?? 0) + (guess === answerOf(e) ? 1 : 0));
  }
  return new Map([...total].map(([k, n]) => [k, right.get(k)! / n]));
}
