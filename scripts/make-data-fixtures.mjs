// Writes the tiny import fixtures under e2e/fixtures/ (committed; rerun after changing
// this file): one dataset per format plus broken variants. 8×8 PNGs, a few bytes of
// text each. `node scripts/make-data-fixtures.mjs`
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { encodePng } from './png.mjs';

const root = 'e2e/fixtures';

/** An 8×8 PNG: solid colour with a one-pixel diagonal in a second colour. */
function png([r, g, b], [r2, g2, b2] = [255, 255, 255]) {
  const px = new Uint8Array(8 * 8 * 4);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const o = (y * 8 + x) * 4;
      px.set(x === y ? [r2, g2, b2, 255] : [r, g, b, 255], o);
    }
  }
  return encodePng(8, 8, px);
}

const RED = [220, 30, 30];
const GREEN = [30, 180, 60];
const BLUE = [40, 80, 230];
const YELLOW = [230, 210, 30];

function write(path, data) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, data);
}

const utf8 = (s) => Buffer.from(s, 'utf8');
const latin1 = (s) => Buffer.from(s, 'latin1');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

for (const d of ['csv-manifest', 'tsv-captions', 'jsonl-multilabel', 'image-folder', 'broken-manifest', 'text-only', 'zips', 'learning']) rmSync(join(root, d), { recursive: true, force: true });

// 1. CSV manifest: UTF-8 BOM, CRLF line ends, quoted fields with newlines, commas and
//    quotes, HTML in a text, one empty text (kept without text).
write(
  'csv-manifest/data.csv',
  Buffer.concat([
    BOM,
    utf8(
      [
        'image,text,label',
        'images/red.png,a red square,red',
        'images/green.png,"two lines:\r\nfirst, then second",green',
        'images/blue.png,"<img src=x onerror=""window.__xss=1""><b>bold?</b>",blue',
        'images/red2.png,another red one,red',
        'images/green2.png,"He said ""hi""",green',
        'images/blue2.png,,blue',
      ].join('\r\n') + '\r\n',
    ),
  ]),
);
write('csv-manifest/images/red.png', png(RED));
write('csv-manifest/images/green.png', png(GREEN));
write('csv-manifest/images/blue.png', png(BLUE));
write('csv-manifest/images/red2.png', png(RED, [0, 0, 0]));
write('csv-manifest/images/green2.png', png(GREEN, [0, 0, 0]));
write('csv-manifest/images/blue2.png', png(BLUE, [0, 0, 0]));

// 2. TSV with captions (captioning task), HTML in a caption.
write(
  'tsv-captions/captions.tsv',
  utf8(
    [
      'image\tcaption',
      'pics/1.png\ta red tile',
      'pics/2.png\ta green tile',
      "pics/3.png\t<script>window.__xss=2</script>a blue tile",
      'pics/4.png\ta yellow tile',
    ].join('\n') + '\n',
  ),
);
write('tsv-captions/pics/1.png', png(RED));
write('tsv-captions/pics/2.png', png(GREEN));
write('tsv-captions/pics/3.png', png(BLUE));
write('tsv-captions/pics/4.png', png(YELLOW));

// 3. JSONL with several labels per row; broken lines.
write(
  'jsonl-multilabel/data.jsonl',
  utf8(
    [
      JSON.stringify({ image: 'a.png', text: 'warm and bright', labels: ['warm', 'bright'] }),
      JSON.stringify({ image: 'b.png', text: 'cool', labels: ['cool'] }),
      JSON.stringify({ image: 'c.png', text: 'cool and bright', labels: 'cool|bright' }),
      JSON.stringify({ image: 'a.png', text: 'warm', labels: ['warm'] }),
      '{"image": "b.png", "text": "broken json",',
      JSON.stringify({ image: 'c.png', text: 'labels as an object', labels: { warm: 1 } }),
      JSON.stringify({ image: 'b.png', text: 'no labels key' }),
      '[1, 2, 3]',
      '',
    ].join('\n'),
  ),
);
write('jsonl-multilabel/a.png', png(RED));
write('jsonl-multilabel/b.png', png(BLUE));
write('jsonl-multilabel/c.png', png(YELLOW, [40, 80, 230]));

// 4. Image folders (one per class, nested), sidecar texts (one Latin-1), a truncated
//    PNG, a zero-byte file, a fake JPEG, an image outside any class folder, a stray README.
const truncated = png(GREEN).subarray(0, 40);
write('image-folder/cats/cat1.png', png(YELLOW));
write('image-folder/cats/cat1.txt', utf8('a sleepy cat\n'));
write('image-folder/cats/cat2.png', png(YELLOW, [0, 0, 0]));
write('image-folder/cats/cat2.txt', latin1('le chat du café'));
write('image-folder/cats/only-text.txt', utf8('a cat described in words only'));
write('image-folder/dogs/dog1.png', png(RED));
write('image-folder/dogs/dog1.txt', utf8('a dog <em>barking</em>'));
write('image-folder/dogs/dog2.png', png(RED, [0, 0, 0]));
write('image-folder/dogs/broken.png', truncated);
write('image-folder/dogs/empty.png', Buffer.alloc(0));
// Looks like a whole JPEG (start and end markers) but holds no image: only a real decoder can tell.
write('image-folder/dogs/garbage.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg at all'), Buffer.from([0xff, 0xd9])]));
write('image-folder/more/birds/bird1.png', png(BLUE));
write('image-folder/stray.png', png(GREEN));
write('image-folder/README.md', utf8('# pets\n'));

// 5. A CSV with one problem per row (LF line ends).
write(
  'broken-manifest/manifest.csv',
  utf8(
    [
      'image,text,label',
      'ok.png,fine,a', // 2 kept
      '../x.png,leaves the folder,a', // 3 path-traversal
      'missing.png,not there,b', // 4 image-not-found
      'ok.png,fine,a', // 5 duplicate of row 2
      'ok2.png,short row', // 6 missing-column
      'ok2.png,b one,b', // 7 kept
      '/etc/passwd,absolute,b', // 8 path-traversal
      'truncated.png,cut short,b', // 9 undecodable-image
      'OK3.PNG,case differs,c', // 10 kept with path-case-mismatch; class c has one example
      'ok2.png,"extra,field",b,extra', // 11 bad-row (too many fields)
      'zero.png,zero bytes,b', // 12 empty-file
    ].join('\n') + '\n',
  ),
);
write('broken-manifest/ok.png', png(RED));
write('broken-manifest/ok2.png', png(GREEN));
write('broken-manifest/ok3.png', png(BLUE));
write('broken-manifest/truncated.png', truncated);
write('broken-manifest/zero.png', Buffer.alloc(0));
write('broken-manifest/unused.png', png(YELLOW));

// 6. Single manifests without images: Latin-1 text; columns with unexpected names.
write('text-only/latin1.csv', latin1('text,label\ncafé au lait,drink\ncrème brûlée,dessert\nthé vert,drink\ntarte,dessert\n'));
write('text-only/unusual-columns.csv', utf8('photo_file,sentence,kind\n,the sky is blue,weather\n,it is raining,weather\n,a cat sleeps,animal\n,a dog runs,animal\n'));

// 7. Zips: a manifest dataset inside one top folder plus an entry that leaves the
//    archive; and a zip whose declared expanded size (1 GiB) exceeds the limit.
const inner = {
  'pets/manifest.csv': utf8('image,text,label\nimg/r.png,red thing,red\nimg/g.png,green thing,green\nimg/b.png,blue thing,blue\nimg/r2.png,red again,red\nimg/g2.png,green again,green\nimg/b2.png,blue again,blue\n'),
  'pets/img/r.png': png(RED),
  'pets/img/g.png': png(GREEN),
  'pets/img/b.png': png(BLUE),
  'pets/img/r2.png': png(RED, [0, 0, 0]),
  'pets/img/g2.png': png(GREEN, [0, 0, 0]),
  'pets/img/b2.png': png(BLUE, [0, 0, 0]),
  '../evil.png': png(RED),
};
write('zips/dataset.zip', zipSync(Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, [v, { level: 6, mtime: new Date(2024, 0, 1) }]]))));
const bomb = Buffer.from(zipSync({ 'big.bin': [strToU8('0'.repeat(1000)), { level: 9, mtime: new Date(2024, 0, 1) }] }));
// Patch the declared uncompressed size (local header +22, central directory +24) to 1 GiB.
const GiB = 1024 * 1024 * 1024;
bomb.writeUInt32LE(GiB, 22);
const central = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
bomb.writeUInt32LE(GiB, central + 24);
write('zips/too-large.zip', bomb);

// 8. Small learnable datasets for the learning matrix (e2e/learning-matrix.spec.ts), 24
//    distinct rows each: image-only class folders (red vs blue, shades and diagonals vary),
//    a text-only CSV, a text-only regression CSV (the value counts the words), and JSONL
//    with several labels per row read from both the colour and the text.
const SHADES = [[0, 0, 0], [255, 255, 255], [128, 128, 128], [255, 255, 0], [0, 255, 255], [255, 0, 255]];
for (let i = 0; i < 12; i++) {
  // Every image differs (identical files would be dropped as duplicates).
  write(`learning/images-only/red/red${i}.png`, png([180 + i * 6, 30, 30], SHADES[i % SHADES.length]));
  write(`learning/images-only/blue/blue${i}.png`, png([40, 80, 180 + i * 6], SHADES[(i + 3) % SHADES.length]));
}
const WEATHER = ['the sky is blue', 'it is raining', 'the sun is out', 'snow is falling', 'a cold wind blows', 'the clouds are grey'];
const ANIMALS = ['a cat sleeps', 'a dog runs', 'the bird sings', 'a horse eats hay', 'the fish swims', 'a cow stands still'];
const textRows = ['text,label'];
for (let i = 0; i < 12; i++) textRows.push(`${WEATHER[i % 6]}${i >= 6 ? ' today' : ''},weather`, `${ANIMALS[i % 6]}${i >= 6 ? ' today' : ''},animal`);
write('learning/text-only.csv', utf8(textRows.join('\n') + '\n'));
const WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
const valueRows = ['text,value'];
for (let i = 0; i < 24; i++) {
  const n = 1 + (i % 8);
  const start = i + Math.floor(i / 8) * 3; // every row differs (duplicates would be dropped)
  valueRows.push(`${Array.from({ length: n }, (_, k) => WORDS[(start + k) % WORDS.length]).join(' ')},${n}`);
}
write('learning/regression.csv', utf8(valueRows.join('\n') + '\n'));
const LABELLED = [
  { colour: RED, name: 'red', labels: ['warm'] },
  { colour: YELLOW, name: 'yellow', labels: ['warm', 'bright'] },
  { colour: BLUE, name: 'blue', labels: ['cool'] },
  { colour: GREEN, name: 'green', labels: ['cool', 'bright'] },
];
const jsonl = [];
for (let i = 0; i < 24; i++) {
  const l = LABELLED[i % 4];
  const file = `${l.name}${Math.floor(i / 4)}.png`;
  write(`learning/multilabel/${file}`, png(l.colour, SHADES[Math.floor(i / 4)]));
  jsonl.push(JSON.stringify({ image: file, text: `${l.labels.join(' and ')} tile`, labels: l.labels }));
}
write('learning/multilabel/data.jsonl', utf8(jsonl.join('\n') + '\n'));

console.log('fixtures written to', root);
