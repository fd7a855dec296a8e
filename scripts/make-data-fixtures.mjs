// Writes the tiny import fixtures under e2e/fixtures/ (committed; rerun after changing
// this file): one dataset per format plus broken variants. 8×8 PNGs, a few bytes of
// text each. `node scripts/make-data-fixtures.mjs`
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { chunk, crc32, encodePng } from './png.mjs';

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

for (const d of ['csv-manifest', 'tsv-captions', 'jsonl-multilabel', 'image-folder', 'broken-manifest', 'text-only', 'zips', 'learning', 'hardening']) rmSync(join(root, d), { recursive: true, force: true });

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

// 9. Files that broke imports (e2e/import-hardening.spec.ts, src/data/import-hardening.test.ts).
//    Text-only manifests first: an unterminated quote, three encodings, UTF-8 with bad bytes.
write('hardening/unterminated.csv', utf8('text,label\nfirst row,a\n"this quote never closes,b\nthird row,a\nfourth row,b\nfifth row,a\n'));
const WESTERN = 'text,label\ncafé crème,drink\nStraße für Füße,place\n½ pint of ale,drink\nmañana in España,place\n£5 note,money\n5 £ coins,money\n';
// ’ is byte 0x92: Windows-1252, not Latin-1.
write('hardening/cp1252.csv', Buffer.from(Array.from(WESTERN.replace('½ pint', '½ pint’s'), (c) => (c === '’' ? 0x92 : c.charCodeAt(0)))));
const utf16 = Buffer.from(WESTERN, 'utf16le');
write('hardening/utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]));
write('hardening/bad-bytes.csv', Buffer.concat([utf8('text,label\nnaïve café,a\nplain,b\nbroken '), Buffer.from([0xe9]), utf8(' byte,a\nfine again,b\n')]));
// Refused with a reason: 0 bytes, a header alone, a pretty-printed JSON array.
write('hardening/empty.csv', Buffer.alloc(0));
write('hardening/header-only.csv', utf8('image,text,label\n'));
write('hardening/pretty.jsonl', utf8(JSON.stringify([{ text: 'a', label: 'x' }, { text: 'b', label: 'y' }], null, 2) + '\n'));
// JSONL whose image field holds an object, a list, a number.
write(
  'hardening/types/data.jsonl',
  utf8(
    [
      JSON.stringify({ image: 'r.png', text: 'red', label: 'warm' }),
      JSON.stringify({ image: { path: 'b.png' }, text: 'image as an object', label: 'cool' }),
      JSON.stringify({ image: ['b.png'], text: 'image as a list', label: 'cool' }),
      JSON.stringify({ image: 7, text: 'image as a number', label: 'cool' }),
      JSON.stringify({ image: 'b.png', text: 'blue', label: 'cool' }),
      '',
    ].join('\n'),
  ),
);
write('hardening/types/r.png', png(RED));
write('hardening/types/b.png', png(BLUE));
// Warnings: a duplicated header column, labels differing in case or spaces, one image with two labels.
write('hardening/labels/data.csv', utf8('image,label,text,label\na.png,Cat,one,x\nb.png,cat,two,x\nc.png, dog ,three,x\nd.png,dog,four,x\nd.png,cat,four,x\n'));
write('hardening/labels/a.png', png(RED));
write('hardening/labels/b.png', png(GREEN));
write('hardening/labels/c.png', png(BLUE));
write('hardening/labels/d.png', png(YELLOW));
// Image folders: nested deeper than one level, an orphan sidecar, a class folder without images.
write('hardening/folders/cats/a.png', png(YELLOW));
write('hardening/folders/cats/a.txt', utf8('a cat'));
write('hardening/folders/cats/batch_a/deeper/b.png', png(YELLOW, [0, 0, 0]));
write('hardening/folders/dogs/c.png', png(RED));
write('hardening/folders/dogs/d.png', png(RED, [0, 0, 0]));
write('hardening/folders/dogs/notes.txt', utf8('an orphan sidecar'));
write('hardening/folders/birds/README.md', utf8('no birds yet\n'));
// A folder of images without class folders, and one with a single class and no texts.
write('hardening/flat-images/a.png', png(RED));
write('hardening/flat-images/b.png', png(BLUE));
write('hardening/one-class/images/a.png', png(RED));
write('hardening/one-class/images/b.png', png(BLUE));
// Zips: an empty class folder, a zip inside a zip, bzip2/LZMA entries, a password.
const fixed = (files) => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { level: 6, mtime: new Date(2024, 0, 1) }]]));
write('hardening/empty-class.zip', zipSync(fixed({ 'cats/a.png': png(YELLOW), 'cats/b.png': png(YELLOW, [0, 0, 0]), 'dogs/c.png': png(RED), 'dogs/d.png': png(RED, [0, 0, 0]), 'birds/': new Uint8Array(0) })));
const innerDataset = zipSync(fixed(Object.fromEntries(Object.entries(inner).filter(([k]) => !k.startsWith('..')))));
write('hardening/nested.zip', zipSync({ 'dataset.zip': [innerDataset, { level: 0, mtime: new Date(2024, 0, 1) }] }));
/** A zip whose named entries claim another compression method (data left deflated: never expanded). */
function withMethods(files, methods) {
  const zip = Buffer.from(zipSync(fixed(files)));
  for (const [name, method] of Object.entries(methods)) {
    const n = Buffer.from(name);
    for (let p = zip.indexOf(n); p >= 0; p = zip.indexOf(n, p + 1)) {
      const local = p - 30;
      const central = p - 46;
      if (local >= 0 && zip.readUInt32LE(local) === 0x04034b50) zip.writeUInt16LE(method, local + 8);
      else if (central >= 0 && zip.readUInt32LE(central) === 0x02014b50) zip.writeUInt16LE(method, central + 10);
    }
  }
  return zip;
}
write(
  'hardening/methods.zip',
  withMethods({ ...Object.fromEntries(Object.entries(inner).filter(([k]) => !k.startsWith('..'))), 'pets/extra/bz.png': png(GREEN, [9, 9, 9]), 'pets/extra/lz.png': png(BLUE, [9, 9, 9]) }, { 'pets/extra/bz.png': 12, 'pets/extra/lz.png': 14 }),
);
/** A zip encrypted with the traditional PKWARE cipher ("ZipCrypto"), as `zip -e` makes. */
function encryptedZip(files, password) {
  const crcTable = new Uint32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crcByte = (c, b) => (crcTable[(c ^ b) & 0xff] ^ (c >>> 8)) >>> 0;
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const keys = [0x12345678, 0x23456789, 0x34567890];
    const update = (b) => {
      keys[0] = crcByte(keys[0], b);
      keys[1] = (Math.imul(keys[1] + (keys[0] & 0xff), 134775813) + 1) >>> 0;
      keys[2] = crcByte(keys[2], keys[1] >>> 24);
    };
    for (const ch of Buffer.from(password)) update(ch);
    const crc = crc32(data);
    const plain = Buffer.concat([Buffer.alloc(11, 0x5a), Buffer.from([crc >>> 24]), deflateRawSync(data)]);
    const cipher = Buffer.alloc(plain.length);
    for (let i = 0; i < plain.length; i++) {
      const t = (keys[2] | 2) & 0xffff;
      cipher[i] = plain[i] ^ ((Math.imul(t, t ^ 1) >>> 8) & 0xff);
      update(plain[i]);
    }
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(1, 6); // flag bit 0: encrypted
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x2821, 12); // 2024-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(cipher.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 28); // flags … name length
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, cipher);
    centrals.push(central, n);
    offset += 30 + n.length + cipher.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
write('hardening/encrypted.zip', encryptedZip({ 'manifest.csv': utf8('image,label\nr.png,red\nb.png,blue\n'), 'r.png': png(RED), 'b.png': png(BLUE) }, 'secret'));
// Image limits: a PNG whose header declares 20000 × 20000 pixels (a tiny file: one short IDAT).
function forgedPng(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}
write('hardening/huge/manifest.csv', utf8('image,text,label\nhuge.png,declares 20000 x 20000,big\nr.png,small red,small\nb.png,small blue,small\ng.png,small green,big\n'));
write('hardening/huge/huge.png', forgedPng(20000, 20000));
write('hardening/huge/r.png', png(RED));
write('hardening/huge/b.png', png(BLUE));
write('hardening/huge/g.png', png(GREEN));

// Hostile text: a right-to-left override in a text, a label and a file name, control
// characters, and a 100 KB text (zipped, so that no odd file name sits in the repository).
const LONG = Array.from({ length: 5000 }, (_, i) => `word${i % 97} and more text`).join(' ').slice(0, 100_000);
write(
  'hardening/hostile.zip',
  zipSync(
    fixed({
      'manifest.csv': utf8(`image,text,label\na.png,"open report\u202egnp.exe",cat\u202eyes\nb.png,"bell\u0007 escape\u001b[31m red",dog\nc.png,${LONG},dog\nd.png,short,cat\u202eyes\n`),
      'a.png': png(RED),
      'b.png': png(BLUE),
      'c.png': png(GREEN),
      'd.png': png(YELLOW),
      'evil\u202egnp.exe.png': png(RED, [1, 2, 3]),
    }),
  ),
);

console.log('fixtures written to', root);
