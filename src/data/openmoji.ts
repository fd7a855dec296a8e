// Built-in dataset "OpenMoji": real emoji images with real text, from the assets that
// scripts/build-openmoji.mjs renders (public/openmoji/atlas.png + openmoji.json). Tasks:
// group or subgroup from image + text (the emoji's keywords, or its annotation), and
// caption (the annotation) from the image. Runs in the page and in workers; the npm
// package is not needed at run time.
// Licence: OpenMoji – the open-source emoji and icon project, CC BY-SA 4.0.
import { decodePng } from './png.ts';
import { emptyReport, singleExampleClassIssues } from './report.ts';
import type { RawExample, RgbaImage, ValidationReport } from './types.ts';

/** Shown wherever OpenMoji data appears. */
export const OPENMOJI_ATTRIBUTION = 'OpenMoji – the open-source emoji and icon project';
export const OPENMOJI_LICENSE = 'CC BY-SA 4.0';
export const OPENMOJI_LICENSE_URL = 'https://creativecommons.org/licenses/by-sa/4.0/';
export const OPENMOJI_URL = 'https://openmoji.org/';

export interface OpenMojiEntry {
  /** Cell index in the atlas, row-major with `columns` cells per row. */
  cell: number;
  hexcode: string;
  emoji: string;
  annotation: string;
  tags: string[];
  group: string;
  subgroup: string;
}

/** public/openmoji/openmoji.json */
export interface OpenMojiMeta {
  source: string;
  license: string;
  licenseUrl: string;
  attribution: string;
  attributionUrl: string;
  cell: number;
  columns: number;
  atlas: string;
  atlasSize: [number, number];
  skipped: string;
  emoji: OpenMojiEntry[];
}

export type OpenMojiTask = 'group' | 'subgroup' | 'caption';

export interface OpenMojiOptions {
  task: OpenMojiTask;
  /** Input text for the group/subgroup tasks (default "tags"); caption examples have none. */
  text?: 'tags' | 'annotation' | 'none';
}

/** One emoji's cell of the atlas as an RGBA image. */
function atlasCell(atlas: RgbaImage, meta: Pick<OpenMojiMeta, 'cell' | 'columns'>, index: number): RgbaImage {
  const S = meta.cell;
  const x0 = (index % meta.columns) * S;
  const y0 = Math.floor(index / meta.columns) * S;
  if (y0 + S > atlas.height || x0 + S > atlas.width) {
    throw new Error(`OpenMoji: cell ${index} lies outside the ${atlas.width}×${atlas.height} atlas`);
  }
  const data = new Uint8ClampedArray(S * S * 4);
  for (let y = 0; y < S; y++) data.set(atlas.data.subarray(((y0 + y) * atlas.width + x0) * 4, ((y0 + y) * atlas.width + x0 + S) * 4), y * S * 4);
  return { width: S, height: S, data };
}

/** RawExamples for a task from the metadata and the decoded atlas (pure). */
function openMojiExamples(meta: OpenMojiMeta, atlas: RgbaImage, options: OpenMojiOptions): { examples: RawExample[]; report: ValidationReport } {
  const textKind = options.text ?? 'tags';
  const examples = meta.emoji.map((e, i): RawExample => {
    const text = options.task === 'caption' || textKind === 'none' ? null : textKind === 'tags' ? e.tags.join(', ') : e.annotation;
    return {
      id: `openmoji-${e.hexcode}`,
      image: atlasCell(atlas, meta, e.cell),
      text,
      target: options.task === 'caption' ? { kind: 'caption', text: e.annotation } : { kind: 'class', label: options.task === 'group' ? e.group : e.subgroup },
      source: { file: 'openmoji.json', row: i + 1 },
      tags: { hexcode: e.hexcode, emoji: e.emoji, group: e.group, subgroup: e.subgroup },
    };
  });
  const report = emptyReport();
  report.rowsSeen = report.rowsKept = examples.length;
  report.issues = singleExampleClassIssues(examples);
  return { examples, report };
}

async function decodeAtlas(bytes: ArrayBuffer): Promise<RgbaImage> {
  if (typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function') {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width, height, data };
  }
  return decodePng(new Uint8Array(bytes));
}

/**
 * Loads the shipped OpenMoji assets from `baseUrl` (the folder holding openmoji.json,
 * e.g. `${import.meta.env.BASE_URL}openmoji/`) and returns the examples for a task.
 */
export async function loadOpenMoji(
  baseUrl: string,
  options: OpenMojiOptions = { task: 'group' },
  fetchImpl: typeof fetch = fetch,
): Promise<{ examples: RawExample[]; report: ValidationReport; meta: OpenMojiMeta }> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const metaResponse = await fetchImpl(`${base}openmoji.json`);
  if (!metaResponse.ok) throw new Error(`OpenMoji: ${base}openmoji.json answered ${metaResponse.status}; run "npm run build:openmoji"`);
  const meta = (await metaResponse.json()) as OpenMojiMeta;
  const atlasResponse = await fetchImpl(`${base}${meta.atlas}`);
  if (!atlasResponse.ok) throw new Error(`OpenMoji: ${base}${meta.atlas} answered ${atlasResponse.status}`);
  const atlas = await decodeAtlas(await atlasResponse.arrayBuffer());
  if (atlas.width !== meta.atlasSize[0] || atlas.height !== meta.atlasSize[1]) {
    throw new Error(`OpenMoji: atlas is ${atlas.width}×${atlas.height}, openmoji.json says ${meta.atlasSize.join('×')}`);
  }
  return { ...openMojiExamples(meta, atlas, options), meta };
}
