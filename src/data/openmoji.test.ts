// The committed OpenMoji assets and the loader: base emoji only, cells match the
// rendered emoji, tasks give the documented targets, licence and attribution present.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOpenMoji, OPENMOJI_ATTRIBUTION, type OpenMojiMeta } from './openmoji.ts';
import { decodePng } from './png.ts';
import { prepareDataset } from './prepare.ts';

const DIR = join(import.meta.dirname, '../../public/openmoji');
const meta = JSON.parse(readFileSync(join(DIR, 'openmoji.json'), 'utf8')) as OpenMojiMeta;

/** fetch() over the public/openmoji folder. */
const localFetch = (async (url: string | URL) => {
  const name = String(url).split('/').pop()!;
  try {
    return new Response(readFileSync(join(DIR, name)));
  } catch {
    return new Response('missing', { status: 404 });
  }
}) as typeof fetch;

describe('OpenMoji assets', () => {
  it('hold base emoji only, with licence and attribution, well under 5 MB', () => {
    expect(meta.license).toBe('CC BY-SA 4.0');
    expect(meta.attribution).toBe(OPENMOJI_ATTRIBUTION);
    expect(meta.emoji.length).toBeGreaterThan(1800);
    expect(meta.emoji.some((e) => /1F3F[B-F]/.test(e.hexcode))).toBe(false); // no skin tones
    expect(new Set(meta.emoji.map((e) => e.group))).toEqual(
      new Set(['smileys-emotion', 'people-body', 'animals-nature', 'food-drink', 'travel-places', 'activities', 'objects', 'symbols', 'flags']),
    );
    expect(new Set(meta.emoji.map((e) => e.cell)).size).toBe(meta.emoji.length);
    const bytes = readFileSync(join(DIR, 'atlas.png')).length + readFileSync(join(DIR, 'openmoji.json')).length;
    expect(bytes).toBeLessThan(2.5 * 1024 * 1024);
  });
});

describe('loadOpenMoji', () => {
  it('group task: image + tags text, class = group; cells are the rendered emoji', async () => {
    const { examples, report } = await loadOpenMoji('/openmoji/', { task: 'group' }, localFetch);
    expect(examples).toHaveLength(meta.emoji.length);
    expect(report.rowsKept).toBe(meta.emoji.length);
    const grin = examples.find((e) => e.tags?.hexcode === '1F600')!;
    expect(grin.target).toEqual({ kind: 'class', label: 'smileys-emotion' });
    expect(grin.text).toContain('smile');
    expect(grin.image).toMatchObject({ width: 32, height: 32 });
    // The grinning face is yellow in the middle and transparent in the corner.
    const px = (x: number, y: number) => Array.from(grin.image!.data.subarray((y * 32 + x) * 4, (y * 32 + x) * 4 + 4));
    expect(px(0, 0)[3]).toBe(0);
    const [r, g, b, a] = px(10, 8);
    expect(a).toBe(255);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeGreaterThan(180);
    expect(b).toBeLessThan(80);
    // Every cell has some ink.
    expect(examples.every((e) => e.image!.data.some((v, i) => i % 4 === 3 && v > 0))).toBe(true);
  });
  it('prepares with stratified splits: the emoji group tag does not tie examples together', async () => {
    const { examples, report } = await loadOpenMoji('/openmoji/', { task: 'group' }, localFetch);
    const d = prepareDataset(examples, {
      task: 'classification',
      tokenizer: { level: 'word', minFrequency: 1, maxVocab: 5000, maxLength: 32 },
      imageSize: 32,
      split: { train: 0.7, validation: 0.15, seed: 1, stratify: true },
      name: 'OpenMoji',
      report,
    });
    expect(d.stats.validation.count).toBeGreaterThan(0.13 * d.size);
    expect(d.stats.test.count).toBeGreaterThan(0.13 * d.size);
    expect(d.stats.test.classCounts!.every((c) => c > 0)).toBe(true);
  });
  it('subgroup task reports the subgroups with a single emoji', async () => {
    const { report } = await loadOpenMoji('/openmoji', { task: 'subgroup', text: 'annotation' }, localFetch);
    const singles = report.issues.filter((i) => i.code === 'single-example-class');
    expect(singles.length).toBeGreaterThan(0);
    expect(singles.some((i) => i.message.includes('"animal-amphibian"'))).toBe(true);
  });
  it('caption task: image only, caption = annotation, prepares for captioning', async () => {
    const { examples, report } = await loadOpenMoji('/openmoji/', { task: 'caption' }, localFetch);
    const cat = examples.find((e) => e.tags?.hexcode === '1F408')!;
    expect(cat.text).toBeNull();
    expect(cat.target).toEqual({ kind: 'caption', text: 'cat' });
    const d = prepareDataset(examples.slice(0, 200), {
      task: 'captioning',
      tokenizer: { level: 'word', minFrequency: 1, maxVocab: 2000, maxLength: 12 },
      imageSize: 32,
      split: { train: 0.8, validation: 0.1, seed: 1, stratify: false },
      name: 'OpenMoji',
      report,
    });
    expect(d.targets.kind).toBe('captioning');
    expect(d.hasImage.every((h) => h === 1)).toBe(true);
  });
  it('names the missing file when the assets are absent', async () => {
    await expect(loadOpenMoji('/nowhere/', { task: 'group' }, (async () => new Response('', { status: 404 })) as typeof fetch)).rejects.toThrow(/openmoji.json answered 404; run "npm run build:openmoji"/);
  });
  it('the atlas decodes to the size the metadata states', () => {
    const atlas = decodePng(new Uint8Array(readFileSync(join(DIR, 'atlas.png'))));
    expect([atlas.width, atlas.height]).toEqual(meta.atlasSize);
  });
});
