// Builds the OpenMoji assets the app ships (`npm run build:openmoji`): renders every base
// emoji of the `openmoji` package (CC BY-SA 4.0) with resvg into one PNG atlas of
// CELL×CELL cells, and writes public/openmoji/openmoji.json with, per emoji, its atlas
// cell, hexcode, annotation, tags, group and subgroup. Skipped: skin-tone variants
// (they repeat their base emoji), the "component" group (skin-tone swatches and hair
// parts) and the two "extras" groups (OpenMoji's own additions and unofficial Unicode
// proposals), which have no standard annotation. The app reads only these two files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { encodePng } from './png.mjs';

const require = createRequire(import.meta.url);
const pkgDir = join(require.resolve('openmoji/package.json'), '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const all = JSON.parse(readFileSync(join(pkgDir, 'data/openmoji.json'), 'utf8'));

const CELL = 32;
const COLUMNS = 64;
const SKIPPED_GROUPS = new Set(['component', 'extras-openmoji', 'extras-unicode']);
const out = 'public/openmoji';

const base = all.filter((e) => !e.skintone && !SKIPPED_GROUPS.has(e.group)).sort((a, b) => a.order - b.order);
const rows = Math.ceil(base.length / COLUMNS);
const width = COLUMNS * CELL;
const height = rows * CELL;
// atlas: [height, width, 4] straight (not premultiplied) RGBA
const atlas = new Uint8Array(width * height * 4);

const splitTags = (s) => (s ? s.split(',').map((t) => t.trim()).filter(Boolean) : []);

const emoji = base.map((e, index) => {
  const svg = readFileSync(join(pkgDir, 'color/svg', `${e.hexcode}.svg`));
  const img = new Resvg(svg, { fitTo: { mode: 'width', value: CELL }, font: { loadSystemFonts: false } }).render();
  if (img.width !== CELL || img.height !== CELL) throw new Error(`${e.hexcode}: rendered ${img.width}×${img.height}, expected ${CELL}×${CELL}`);
  const px = img.pixels; // premultiplied RGBA
  const cx = (index % COLUMNS) * CELL;
  const cy = Math.floor(index / COLUMNS) * CELL;
  for (let y = 0; y < CELL; y++) {
    for (let x = 0; x < CELL; x++) {
      const s = (y * CELL + x) * 4;
      const d = ((cy + y) * width + cx + x) * 4;
      const a = px[s + 3];
      for (let c = 0; c < 3; c++) atlas[d + c] = a === 0 ? 0 : Math.min(255, Math.round((px[s + c] * 255) / a));
      atlas[d + 3] = a;
    }
  }
  const tags = [...new Set([...splitTags(e.tags), ...splitTags(e.openmoji_tags)])];
  return { cell: index, hexcode: e.hexcode, emoji: e.emoji, annotation: e.annotation, tags, group: e.group, subgroup: e.subgroups };
});

mkdirSync(out, { recursive: true });
const png = encodePng(width, height, atlas);
writeFileSync(join(out, 'atlas.png'), png);
const meta = {
  source: `openmoji ${pkg.version}`,
  license: 'CC BY-SA 4.0',
  licenseUrl: 'https://creativecommons.org/licenses/by-sa/4.0/',
  attribution: 'OpenMoji – the open-source emoji and icon project',
  attributionUrl: 'https://openmoji.org/',
  cell: CELL,
  columns: COLUMNS,
  atlas: 'atlas.png',
  atlasSize: [width, height],
  skipped: 'skin-tone variants; groups component, extras-openmoji, extras-unicode',
  emoji,
};
writeFileSync(join(out, 'openmoji.json'), JSON.stringify(meta));
writeFileSync(
  join(out, 'LICENSE.txt'),
  `Emoji images: OpenMoji – the open-source emoji and icon project (https://openmoji.org/),\nlicensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/).\nRendered to a ${CELL}×${CELL} atlas from the openmoji npm package ${pkg.version} by scripts/build-openmoji.mjs;\nthe atlas and openmoji.json are shared under the same licence.\n`,
);
console.log(`${emoji.length} emoji → ${out}/atlas.png (${width}×${height}, ${(png.length / 1024).toFixed(0)} KiB), openmoji.json`);
