// Import of the user's files in two steps. planImport() looks at the files (zips
// expanded, paths normalised), picks the layout — a manifest (CSV/TSV/JSONL) or an
// image-folder tree (one folder per class, optional sidecar .txt) — parses the manifest
// and proposes a column mapping. loadImport() applies the confirmed mapping: reads and
// checks every row, decodes each referenced image once through the injected decoder
// (progress, cancellation), and returns the examples that loaded plus a report of
// every row or file that did not, and why. Pure apart from the decoder: runs in Node.
import { abortError, type ImageDecoder } from './decode.ts';
import { basename, collectFiles, DEFAULT_LIMITS, dirname, extension, formatBytes, resolvePath, toImportFile, type ImportFile, type ImportInput, type ImportLimits } from './files.ts';
import { hashBytes } from './hash.ts';
import { checkImageBytes, IMAGE_EXTENSIONS, imageDimensions } from './image.ts';
import { cellText, emptyManifestReason, guessMapping, isNumeric, manifestFormat, parseManifest, taskNameOfColumn, type ColumnMapping, type ManifestRow, type ParsedManifest, type TargetKind } from './manifest.ts';
import { issue, singleExampleClassIssues, type IssueCode } from './report.ts';
import { decodeText, encodingName, listLines } from './text.ts';
import type { ExtraTaskKind, RawExample, RawTarget, RgbaImage, TaskKind, ValidationIssue, ValidationReport } from './types.ts';

export type Layout = 'manifest' | 'image-folder';

export interface ImportPlan {
  layout: Layout;
  /** Display name (the manifest or the top folder). */
  name: string;
  files: ImportFile[];
  manifest: ParsedManifest | null;
  /** Proposed mapping (for image folders: fixed). */
  mapping: ColumnMapping;
  /** Problems found so far (zip, paths, manifest parsing). */
  issues: ValidationIssue[];
  counts: { images: number; texts: number; manifests: number; other: number };
  /** Folders known to exist (from zips and dropped folders), including empty ones. */
  folders?: string[];
}

/** What the mapping step shows of a plan (the plan itself, with its files, stays in the worker that made it). */
export interface PlanSummary {
  layout: Layout;
  name: string;
  mapping: ColumnMapping;
  counts: ImportPlan['counts'];
  manifest: { format: ParsedManifest['format']; columns: string[]; rowCount: number } | null;
}

/** The plan as the mapping step needs it. */
export function summarisePlan(plan: ImportPlan): PlanSummary {
  const m = plan.manifest;
  return { layout: plan.layout, name: plan.name, mapping: plan.mapping, counts: plan.counts, manifest: m ? { format: m.format, columns: m.columns, rowCount: m.rows.length } : null };
}

export interface ImportProgress {
  phase: 'reading' | 'decoding' | 'done';
  done: number;
  total: number;
}

export interface LoadOptions {
  decode: ImageDecoder;
  /** Needed when the mapping has an audio column. */
  decodeAudio?: AudioClipDecoder;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  limits?: ImportLimits;
  /** Images decoded at once (default 4). */
  concurrency?: number;
}

export interface ImportResult {
  name: string;
  examples: RawExample[];
  report: ValidationReport;
  /** The task the target kind implies. */
  task: TaskKind;
  /** Auxiliary tasks from the mapping's extra target columns (their targets are in each example's `extraTargets`). */
  extraTasks?: { name: string; kind: ExtraTaskKind }[];
}

/** Task implied by a target kind. */
const TASK_FOR_TARGET: Record<TargetKind, TaskKind> = {
  class: 'classification',
  labels: 'multilabel',
  number: 'regression',
  caption: 'captioning',
};

const isImage = (p: string) => IMAGE_EXTENSIONS.has(extension(p));
const isText = (p: string) => extension(p) === 'txt';
/** Audio files a manifest's `audio` column may name (the browser decodes them; audio-decode.ts). */
const AUDIO_EXTENSIONS = new Set(['wav', 'mp3', 'ogg', 'oga', 'opus', 'flac', 'm4a', 'webm']);
const isAudio = (p: string) => AUDIO_EXTENSIONS.has(extension(p));

/**
 * Decodes one audio file to a 16 kHz mono clip in the page (Web Audio exists only there):
 * the clip, or null, and the problems found (audio-decode.ts's decodeClip).
 */
export type AudioClipDecoder = (bytes: Uint8Array, where: { path: string; file: string; row?: number }) => Promise<{ clip: Float32Array | null; issues: ValidationIssue[] }>;

const FLAT_IMAGES =
  'The images are directly in the folder you picked, not in class folders, so their classes are unknown and nothing can be trained. Put each class in its own subfolder (e.g. cats/…, dogs/…) and pick the folder that holds them, or add a manifest (CSV) with an image and a label column.';

/** Thrown when nothing in the input can be imported at all. */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/**
 * Step 1: collect and classify the files, choose the layout, parse the manifest and
 * propose a mapping. `fromFolder`: paths start with the picked folder's name.
 */
export async function planImport(inputs: readonly ImportInput[], options: { limits?: ImportLimits; fromFolder?: boolean; folders?: readonly string[] } = {}): Promise<ImportPlan> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const { files, folders, issues } = await collectFiles(inputs, { limits, fromFolder: options.fromFolder, folders: options.folders });
  const manifests = files.filter((f) => manifestFormat(f.path) !== null);
  const counts = {
    images: files.filter((f) => isImage(f.path)).length,
    texts: files.filter((f) => isText(f.path)).length,
    manifests: manifests.length,
    other: 0,
  };
  counts.other = files.length - counts.images - counts.texts - counts.manifests;
  const first = inputs[0] ? toImportFile(inputs[0]) : null;
  const topName = first?.path.replace(/\\/g, '/').split('/')[0] ?? 'import';

  if (manifests.length > 0) {
    manifests.sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1));
    const chosen = manifests[0];
    for (const extra of manifests.slice(1)) issues.push(issue('extra-manifest', extra.path, `another manifest; only ${chosen.path} is used`));
    if (chosen.size > limits.maxFileBytes) {
      issues.push(issue('oversized-file', chosen.path, `manifest is ${formatBytes(chosen.size)}, the limit is ${formatBytes(limits.maxFileBytes)}; not read`));
      throw new ImportError(`${chosen.path} is larger than ${formatBytes(limits.maxFileBytes)}`, issues);
    }
    const manifest = parseManifest(chosen.path, await chosen.read());
    issues.push(...manifest.issues);
    const empty = emptyManifestReason(manifest, chosen.size);
    if (empty) throw new ImportError(empty, issues);
    return { layout: 'manifest', name: chosen.path, files, manifest, mapping: guessMapping(manifest), issues, counts };
  }
  if (counts.images > 0 || counts.texts > 0) {
    const images = files.filter((f) => isImage(f.path));
    if (images.length > 0 && images.every((f) => dirname(f.path) === '')) throw new ImportError(FLAT_IMAGES, issues);
    return {
      layout: 'image-folder',
      name: options.fromFolder || inputs.length === 1 ? topName : 'image folders',
      files,
      manifest: null,
      mapping: { image: 'file', text: 'sidecar .txt', target: 'folder', targetKind: 'class' },
      issues,
      counts,
      folders,
    };
  }
  const zipProblem = issues.find((i) => i.code === 'encrypted-zip' || i.code === 'zip-too-large' || i.code === 'bad-zip');
  throw new ImportError(
    files.length === 0
      ? zipProblem
        ? `Nothing to import: ${zipProblem.file} — ${zipProblem.message}.`
        : 'Nothing to import: no files were found (an empty folder, or every entry was refused — see the report).'
      : `Nothing to import: found ${files.length} file(s) but no manifest (.csv, .tsv, .jsonl) and no images (.png, .jpg, .gif, .webp, .bmp).`,
    issues,
  );
}

/** Why an image is refused by its declared size, with the limit. */
function tooManyPixels({ width, height }: { width: number; height: number }, max: number): string {
  const side = Math.floor(Math.sqrt(max));
  const mp = (n: number) => `${(n / 1e6).toFixed(1).replace(/\.0$/, '')} megapixels`;
  return `its header declares ${width} × ${height} pixels (${mp(width * height)}); images up to ${side} × ${side} pixels (${mp(max)}) are accepted — scale it down first; not decoded`;
}

/** A JSON value's type in words ("an object", "a list", "the number 5"). */
function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the value ${v}`;
  return typeof v;
}

/** Reads a target cell as the chosen kind; a string is the reason it cannot be read. */
export function readTarget(value: unknown, kind: TargetKind): RawTarget | { missing: true } | string {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)) {
    return { missing: true };
  }
  const describe = (v: unknown) => (Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`);
  switch (kind) {
    case 'class': {
      const t = cellText(value);
      return t === null ? `a class label must be text or a number, got ${describe(value)}` : { kind: 'class', label: t.trim() };
    }
    case 'labels': {
      const parts = Array.isArray(value) ? value.map(cellText) : typeof value === 'string' ? value.split(/[|;,]/) : [cellText(value)];
      if (parts.some((p) => p === null)) return `labels must be text (separated by | ; or ,) or a list of texts, got ${describe(value)}`;
      const labels = [...new Set((parts as string[]).map((p) => p.trim()).filter((p) => p !== ''))];
      return labels.length === 0 ? { missing: true } : { kind: 'labels', labels };
    }
    case 'number':
      return isNumeric(value) ? { kind: 'number', value: Number(typeof value === 'string' ? value.trim() : value) } : `a number target must be numeric, got ${describe(value)}`;
    case 'caption': {
      const t = typeof value === 'string' ? value : null;
      return t === null ? `a caption must be text, got ${describe(value)}` : { kind: 'caption', text: t.trim() };
    }
  }
}

/** A row that passed the checks that need no image bytes. */
interface Candidate {
  file: string;
  row?: number;
  text: string | null;
  target: RawTarget;
  image: ImportFile | null;
  /** The file of the row's `audio` column (manifests only). */
  audio?: ImportFile | null;
  tags?: Record<string, string>;
  extraTargets?: Record<string, RawTarget>;
}

function fileIndex(files: readonly ImportFile[]) {
  const exact = new Map(files.map((f) => [f.path, f]));
  const folded = new Map<string, ImportFile>();
  for (const f of files) if (!folded.has(f.path.toLowerCase())) folded.set(f.path.toLowerCase(), f);
  return { exact, folded };
}

function checkMapping(m: ParsedManifest, mapping: ColumnMapping): string | null {
  for (const role of ['image', 'text', 'target'] as const) {
    const c = mapping[role];
    if (c !== null && !m.columns.includes(c)) return `the ${role} column "${c}" is not in the manifest; its columns are: ${m.columns.join(', ') || '(none)'}`;
  }
  if (mapping.target === null) return `no target column is mapped (label, labels, target or caption); the columns are: ${m.columns.join(', ') || '(none)'}`;
  if (mapping.audio && !m.columns.includes(mapping.audio)) return `the audio column "${mapping.audio}" is not in the manifest; its columns are: ${m.columns.join(', ') || '(none)'}`;
  if (mapping.image === null && mapping.text === null && !mapping.audio) return 'neither an image, an audio nor a text column is mapped';
  const names = new Set<string>();
  for (const x of mapping.extraTargets ?? []) {
    if (!m.columns.includes(x.column)) return `the extra target column "${x.column}" is not in the manifest; its columns are: ${m.columns.join(', ') || '(none)'}`;
    if (x.column === mapping.target) return `the column "${x.column}" is the target already; choose another column for the extra task`;
    if (mapping.targetKind === 'caption') return 'extra target columns need a class, labels or number target, not captions';
    const name = taskNameOfColumn(x.column);
    if (names.has(name)) return `two extra target columns give the same task name "${name}"; rename one of them`;
    names.add(name);
  }
  return null;
}

function manifestCandidates(plan: ImportPlan, mapping: ColumnMapping, issues: ValidationIssue[]): Candidate[] | null {
  const m = plan.manifest!;
  const problem = checkMapping(m, mapping);
  if (problem) {
    issues.push(issue('missing-column', m.file, `${problem}; nothing loaded`));
    return null;
  }
  const base = dirname(m.file);
  const index = fileIndex(plan.files);
  const out: Candidate[] = [];
  const spaced: { row: number; raw: string; label: string }[] = [];
  const cell = (r: ManifestRow, column: string | null) => (column === null ? undefined : r.values[column]);
  const lacks = (r: ManifestRow, column: string | null) => column !== null && !(column in r.values && r.values[column] !== undefined);
  for (const r of m.rows) {
    const missing = [mapping.image, mapping.audio ?? null, mapping.text, mapping.target].filter((c) => c !== null && lacks(r, c) && !(m.format === 'jsonl' && c !== mapping.target));
    if (missing.length > 0) {
      issues.push(issue('missing-column', m.file, `the row has no value for column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; skipped`, r.row));
      continue;
    }
    const target = readTarget(cell(r, mapping.target), mapping.targetKind);
    if (typeof target === 'string') {
      issues.push(issue('unknown-label-type', m.file, `${target} in column "${mapping.target}"; skipped`, r.row));
      continue;
    }
    if ('missing' in target) {
      issues.push(issue('missing-target', m.file, `column "${mapping.target}" is empty; skipped`, r.row));
      continue;
    }
    // Auxiliary targets: an empty or unreadable one skips the row (named by column and task).
    let extraTargets: Record<string, RawTarget> | undefined;
    let badExtra = false;
    for (const x of mapping.extraTargets ?? []) {
      const name = taskNameOfColumn(x.column);
      const t = readTarget(cell(r, x.column), x.kind);
      if (typeof t === 'string' || 'missing' in t) {
        const why = typeof t === 'string' ? t : 'it is empty';
        issues.push(issue('extra-target-invalid', m.file, `column "${x.column}" (task "${name}"): ${why}; skipped`, r.row));
        badExtra = true;
        break;
      }
      (extraTargets ??= {})[name] = t;
    }
    if (badExtra) continue;
    const rawTarget = cell(r, mapping.target);
    if (target.kind === 'class' && typeof rawTarget === 'string' && rawTarget !== target.label) spaced.push({ row: r.row, raw: rawTarget, label: target.label });
    let text: string | null = null;
    if (mapping.text !== null) {
      const v = cell(r, mapping.text);
      text = cellText(v);
      if (v !== undefined && v !== null && text === null) {
        issues.push(issue('wrong-type', m.file, `the text in column "${mapping.text}" is ${describeValue(v)}, not text; skipped`, r.row));
        continue;
      }
      if (text !== null && text.trim() === '') text = null;
    }
    if (m.nonUtf8) {
      const bad = [mapping.image, mapping.text, mapping.target].filter((c) => c !== null && JSON.stringify(cell(r, c) ?? '').includes('\ufffd'));
      if (bad.length > 0) issues.push(issue('non-utf8', m.file, `${bad.length > 1 ? 'columns' : 'column'} ${bad.map((c) => `"${c}"`).join(', ')} ${bad.length > 1 ? 'hold' : 'holds'} bytes that are not UTF-8 (shown as �); kept`, r.row));
    }
    let image: ImportFile | null = null;
    const rawRef = cell(r, mapping.image);
    if (rawRef !== undefined && rawRef !== null && typeof rawRef !== 'string') {
      issues.push(issue('wrong-type', m.file, `the image in column "${mapping.image}" is ${describeValue(rawRef)}, not a file path; skipped`, r.row));
      continue;
    }
    const ref = cellText(rawRef);
    if (mapping.image !== null && ref !== null && ref.trim() !== '') {
      const resolved = resolvePath(ref, base);
      if (!resolved.ok) {
        issues.push(issue(resolved.reason === 'url' ? 'image-not-found' : 'path-traversal', m.file, `image ${resolved.message}; skipped`, r.row));
        continue;
      }
      image = index.exact.get(resolved.path) ?? null;
      if (!image) {
        image = index.folded.get(resolved.path.toLowerCase()) ?? null;
        if (image) issues.push(issue('path-case-mismatch', m.file, `"${ref}" matched "${image.path}" only when ignoring letter case`, r.row));
      }
      if (!image) {
        issues.push(issue('image-not-found', m.file, `image "${ref}" is not among the imported files (looked for ${resolved.path}); skipped`, r.row));
        continue;
      }
    }
    let audio: ImportFile | null = null;
    const audioRef = mapping.audio ? cellText(cell(r, mapping.audio)) : null;
    if (mapping.audio && audioRef !== null && audioRef.trim() !== '') {
      const resolved = resolvePath(audioRef, base);
      if (!resolved.ok) {
        issues.push(issue(resolved.reason === 'url' ? 'image-not-found' : 'path-traversal', m.file, `audio ${resolved.message}; skipped`, r.row));
        continue;
      }
      audio = index.exact.get(resolved.path) ?? index.folded.get(resolved.path.toLowerCase()) ?? null;
      if (!audio) {
        issues.push(issue('image-not-found', m.file, `audio "${audioRef}" is not among the imported files (looked for ${resolved.path}); skipped`, r.row));
        continue;
      }
      if (audio.path !== resolved.path) issues.push(issue('path-case-mismatch', m.file, `"${audioRef}" matched "${audio.path}" only when ignoring letter case`, r.row));
    }
    if (audio !== null && text === null && image === null) {
      // An audio-only row.
    } else if (mapping.text !== null && text === null) {
      if (image === null) {
        issues.push(issue('no-input', m.file, 'the row has neither an image nor a text; skipped', r.row));
        continue;
      }
      issues.push(issue('empty-text', m.file, `column "${mapping.text}" is empty; kept as an image-only example`, r.row));
    } else if (image === null && text === null) {
      issues.push(issue('no-input', m.file, 'the row has neither an image nor a text; skipped', r.row));
      continue;
    }
    out.push({ file: m.file, row: r.row, text, target, image, ...(mapping.audio ? { audio } : {}), ...(extraTargets ? { extraTargets } : {}) });
  }
  if (spaced.length > 0) {
    const [first] = spaced;
    const rows = listLines(spaced.map((x) => x.row));
    issues.push(
      issue('label-variants', m.file, `${spaced.length === 1 ? 'the label on row' : 'labels on rows'} ${rows} ${spaced.length === 1 ? 'has' : 'have'} spaces around ${spaced.length === 1 ? 'it' : 'them'} (e.g. ${JSON.stringify(first.raw)}); the spaces were removed, so ${JSON.stringify(first.raw)} counts as "${first.label}"`, first.row),
    );
  }
  if (mapping.image !== null) {
    const used = new Set(out.map((c) => c.image?.path));
    const referenced = new Set(m.rows.map((r) => resolvePath(cellText(r.values[mapping.image!]) ?? '', base)).filter((p) => p.ok).map((p) => (p as { path: string }).path));
    for (const f of plan.files) {
      if (isImage(f.path) && !used.has(f.path) && !referenced.has(f.path)) issues.push(issue('unreferenced-file', f.path, 'no manifest row refers to this image; ignored'));
    }
  }
  for (const f of plan.files) {
    if (f.path !== m.file && !isImage(f.path) && !(mapping.audio && isAudio(f.path)) && manifestFormat(f.path) === null) issues.push(issue('unsupported-file', f.path, 'not an image or a manifest; ignored'));
  }
  return out;
}

async function folderCandidates(plan: ImportPlan, limits: ImportLimits, issues: ValidationIssue[], signal?: AbortSignal): Promise<{ candidates: Candidate[]; seen: number }> {
  const images = plan.files.filter((f) => isImage(f.path));
  const texts = new Map(plan.files.filter((f) => isText(f.path)).map((f) => [f.path, f]));
  const stem = (p: string) => p.replace(/\.[^./]+$/, '');
  const imageStems = new Set(images.map((f) => stem(f.path)));
  const out: Candidate[] = [];
  let seen = 0;

  const readSidecar = async (f: ImportFile): Promise<string | null | undefined> => {
    if (f.size > limits.maxFileBytes) {
      issues.push(issue('oversized-file', f.path, `text is ${formatBytes(f.size)}, the limit is ${formatBytes(limits.maxFileBytes)}; not read`));
      return undefined;
    }
    const d = decodeText(await f.read());
    if (!d.valid) issues.push(issue('non-utf8', f.path, `not valid UTF-8 (line ${listLines(d.invalidLines ?? [])}); the bad bytes are shown as �`));
    else if (d.encoding !== 'utf-8') issues.push(issue('encoding', f.path, `not UTF-8; read as ${encodingName(d.encoding)}`));
    const t = d.text.trim();
    return t === '' ? null : t;
  };

  // The class is the top folder under the root, however deep the image sits.
  const nested = new Map<string, { count: number; example: string }>();
  for (const img of images) {
    if (signal?.aborted) throw abortError();
    seen++;
    const dir = dirname(img.path);
    if (dir === '') {
      issues.push(issue('no-class-folder', img.path, 'the image is not inside a class folder (layout: <class>/<image>); skipped'));
      continue;
    }
    const top = dir.split('/')[0];
    if (dir !== top) {
      const n = nested.get(top) ?? { count: 0, example: img.path };
      n.count++;
      nested.set(top, n);
    }
    const sidecar = texts.get(`${stem(img.path)}.txt`);
    let text: string | null = null;
    if (sidecar) {
      const t = await readSidecar(sidecar);
      if (t === null) issues.push(issue('empty-text', sidecar.path, 'the sidecar text is empty; kept as an image-only example'));
      text = t ?? null;
    }
    out.push({ file: img.path, text, target: { kind: 'class', label: top }, image: img, tags: { folder: dir } });
  }
  for (const [top, { count, example }] of nested) {
    issues.push(
      issue('nested-folder', `${top}/`, `${count} image${count === 1 ? '' : 's'} in subfolders of "${top}" (e.g. ${example}) ${count === 1 ? 'is' : 'are'} counted as class "${top}": the class is the folder directly under the one you picked, not the deepest folder`),
    );
  }
  for (const t of texts.values()) {
    if (imageStems.has(stem(t.path))) continue;
    if (dirname(t.path) === '') issues.push(issue('unsupported-file', t.path, 'a text file outside any class folder; ignored'));
    else issues.push(issue('orphan-text', t.path, `no image named ${basename(stem(t.path))}.png/.jpg/… sits next to this text, so it describes nothing; ignored`));
  }
  for (const f of plan.files) {
    if (!isImage(f.path) && !isText(f.path)) issues.push(issue('unsupported-file', f.path, 'neither an image nor a .txt file; ignored'));
  }
  // Class folders without images: known from zips and drops (empty folders), or
  // folders that hold only other files.
  const withImages = new Set(images.map((f) => f.path.split('/')[0]));
  const tops = new Set([...plan.files.filter((f) => f.path.includes('/')).map((f) => f.path.split('/')[0]), ...(plan.folders ?? []).map((d) => d.split('/')[0])]);
  for (const top of [...tops].sort()) {
    if (!withImages.has(top)) issues.push(issue('empty-folder', `${top}/`, `the folder "${top}" holds no images, so there is no class "${top}"`));
  }
  return { candidates: out, seen };
}

/** Runs `work` over items with at most `limit` in flight, in order of items. */
async function pooled<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      if (signal?.aborted) throw abortError();
      await work(items[next++]);
    }
  });
  await Promise.all(runners);
}

/**
 * Step 2: loads with the confirmed mapping. Throws an AbortError when cancelled;
 * otherwise always returns, with every skipped row or file in the report.
 */
export async function loadImport(plan: ImportPlan, mapping: ColumnMapping, options: LoadOptions): Promise<ImportResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const { signal, onProgress } = options;
  const issues: ValidationIssue[] = [...plan.issues];
  let candidates: Candidate[];
  let rowsSeen: number;
  if (plan.layout === 'manifest') {
    rowsSeen = plan.manifest!.rowsSeen;
    candidates = manifestCandidates(plan, mapping, issues) ?? [];
  } else {
    const f = await folderCandidates(plan, limits, issues, signal);
    candidates = f.candidates;
    rowsSeen = f.seen;
  }

  // Decode each distinct image once.
  type Decoded = { image: RgbaImage; hash: string } | { error: IssueCode; message: string };
  const decoded = new Map<string, Decoded>();
  const unique = [...new Set(candidates.filter((c) => c.image).map((c) => c.image!))];
  let done = 0;
  onProgress?.({ phase: 'decoding', done, total: unique.length });
  await pooled(
    unique,
    options.concurrency ?? 4,
    async (file) => {
      let result: Decoded;
      if (file.size === 0) result = { error: 'empty-file', message: 'the image file is empty (0 bytes)' };
      else if (file.size > limits.maxFileBytes) result = { error: 'oversized-file', message: `the image is ${formatBytes(file.size)}, the limit is ${formatBytes(limits.maxFileBytes)}` };
      else {
        const bytes = await file.read();
        const dims = imageDimensions(bytes);
        const problem = checkImageBytes(bytes);
        if (dims && dims.width * dims.height > limits.maxImagePixels) result = { error: 'image-too-large', message: tooManyPixels(dims, limits.maxImagePixels) };
        else if (problem) result = { error: 'undecodable-image', message: problem };
        else {
          try {
            result = { image: await options.decode(bytes, file.path, signal), hash: hashBytes(bytes) };
          } catch (e) {
            if ((e as Error).name === 'AbortError') throw e;
            result = { error: 'undecodable-image', message: (e as Error).message.replace(`${file.path}: `, '') };
          }
        }
      }
      decoded.set(file.path, result);
      done++;
      onProgress?.({ phase: 'decoding', done, total: unique.length });
    },
    signal,
  );
  if (signal?.aborted) throw abortError();

  // Decode each distinct audio file once, in the page (options.decodeAudio); messages name the first row that uses it.
  const clips = new Map<string, { clip: Float32Array | null; issues: ValidationIssue[]; hash: string }>();
  const audioRows = candidates.filter((c) => c.audio);
  if (audioRows.length > 0) {
    if (!options.decodeAudio) throw new Error('this import has an audio column but no audio decoder was given');
    for (const c of audioRows) {
      const file = c.audio!;
      if (clips.has(file.path)) continue;
      if (signal?.aborted) throw abortError();
      const bytes = file.size > limits.maxFileBytes ? null : await file.read();
      const decoded = bytes
        ? await options.decodeAudio(bytes, { path: file.path, file: c.file, row: c.row })
        : { clip: null, issues: [issue('oversized-file', c.file, `audio ${file.path}: the file is ${formatBytes(file.size)}, the limit is ${formatBytes(limits.maxFileBytes)}; skipped`, c.row)] };
      clips.set(file.path, { ...decoded, hash: bytes ? hashBytes(bytes) : '-' });
    }
  }

  // Assemble in row order; skip failed images and duplicates.
  const examples: RawExample[] = [];
  const firstSeen = new Map<string, Candidate>();
  const reportedFiles = new Set<string>();
  const labelOf = new Map<string, Candidate>(); // image content + text → first candidate
  const reportedClips = new Set<string>();
  for (const c of candidates) {
    let image: RgbaImage | null = null;
    let hash = '-';
    let audio: Float32Array | null = null;
    if (c.audio) {
      const d = clips.get(c.audio.path)!;
      // A file's problems are reported once (with the first row that names it); a broken clip skips every row that names it.
      if (!reportedClips.has(c.audio.path)) {
        issues.push(...d.issues);
        reportedClips.add(c.audio.path);
      } else if (!d.clip) issues.push(issue(d.issues[0]?.code === 'empty-audio' ? 'empty-audio' : 'undecodable-audio', c.file, `audio ${c.audio.path}: see the first row that names it; skipped`, c.row));
      if (!d.clip) continue;
      audio = d.clip;
      hash = `audio:${d.hash}`;
    }
    if (c.image) {
      const d = decoded.get(c.image.path)!;
      if ('error' in d) {
        // Report a broken image once per row that needs it (manifest) or once per file.
        if (c.row !== undefined || !reportedFiles.has(c.image.path)) {
          issues.push(issue(d.error, c.row !== undefined ? c.file : c.image.path, `${c.row !== undefined ? `image ${c.image.path}: ` : ''}${d.message}; skipped`, c.row));
          reportedFiles.add(c.image.path);
        }
        continue;
      }
      image = d.image;
      hash = `${hash}+${d.hash}`;
    }
    const key = `${hash}\u0000${c.text ?? ''}\u0000${JSON.stringify(c.target)}${c.extraTargets ? `\u0000${JSON.stringify(c.extraTargets)}` : ''}`;
    const earlier = firstSeen.get(key);
    if (earlier) {
      const where = earlier.row !== undefined ? `row ${earlier.row}` : earlier.file;
      issues.push(issue('duplicate-row', c.file, `same image content, text and target as ${where}; skipped`, c.row));
      continue;
    }
    firstSeen.set(key, c);
    if (c.target.kind === 'class') {
      const same = `${hash}\u0000${c.text ?? ''}`;
      const before = labelOf.get(same);
      if (before === undefined) labelOf.set(same, c);
      else if (before.target.kind === 'class' && before.target.label !== c.target.label) {
        const what = c.image ? `the image ${c.image.path}${c.text !== null ? ' with the same text' : ''}` : 'the same text';
        const where = before.row !== undefined ? `row ${before.row}` : before.file;
        issues.push(issue('conflicting-labels', c.file, `${what} is labelled "${before.target.label}" on ${where} and "${c.target.label}" here — one of them is probably wrong; both kept`, c.row));
      }
    }
    const i = examples.length;
    examples.push({ id: `import-${i}`, image, ...(audio ? { audio } : {}), text: c.text, target: c.target, source: c.row !== undefined ? { file: c.file, row: c.row } : { file: c.file }, tags: c.tags, ...(c.extraTargets ? { extraTargets: c.extraTargets } : {}) });
  }
  issues.push(...singleExampleClassIssues(examples));
  issues.push(...labelCaseIssues(examples));
  const refusal = nothingToTrain(plan, examples, rowsSeen, issues);
  if (refusal) throw new ImportError(refusal, sortIssues(issues));
  issues.push(...singleClassIssues(plan, mapping, examples));
  issues.push(...missingModalityIssues(plan, mapping, examples));
  sortIssues(issues);
  onProgress?.({ phase: 'done', done: unique.length, total: unique.length });
  return {
    name: plan.name,
    examples,
    report: { issues, rowsSeen, rowsKept: examples.length, rowsSkipped: rowsSeen - examples.length },
    task: TASK_FOR_TARGET[mapping.targetKind],
    ...(plan.layout === 'manifest' && mapping.extraTargets?.length
      ? { extraTasks: mapping.extraTargets.map((x) => ({ name: taskNameOfColumn(x.column), kind: TASK_FOR_TARGET[x.kind] as ExtraTaskKind })) }
      : {}),
  };
}

/** Report order: grouped by file (in order of first mention), rows ascending. Sorts in place. */
function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const fileOrder = new Map<string, number>();
  for (const i of issues) if (!fileOrder.has(i.file)) fileOrder.set(i.file, fileOrder.size);
  return issues.sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || (a.row ?? 0) - (b.row ?? 0));
}

/** Warnings for class labels that differ only in letter case ("Cat", "cat"); they stay separate classes. */
function labelCaseIssues(examples: readonly RawExample[]): ValidationIssue[] {
  const groups = new Map<string, Map<string, { count: number; first: RawExample }>>();
  for (const e of examples) {
    const labels = e.target.kind === 'class' ? [e.target.label] : e.target.kind === 'labels' ? e.target.labels : [];
    for (const l of labels) {
      const g = groups.get(l.toLowerCase()) ?? new Map();
      groups.set(l.toLowerCase(), g);
      const v = g.get(l);
      if (v) v.count++;
      else g.set(l, { count: 1, first: e });
    }
  }
  const out: ValidationIssue[] = [];
  for (const g of groups.values()) {
    if (g.size < 2) continue;
    const variants = [...g];
    const second = variants[1][1].first;
    const list = variants.map(([l, { count }]) => `"${l}" (${count} example${count === 1 ? '' : 's'})`).join(', ');
    out.push(issue('label-variants', second.source.file, `the labels ${list} differ only in letter case; they are kept as ${g.size} different classes — write them the same way if they mean the same thing`, second.source.row));
  }
  return out;
}

/** Why nothing can be trained from what loaded (the import is then refused), or null. */
function nothingToTrain(plan: ImportPlan, examples: readonly RawExample[], rowsSeen: number, issues: readonly ValidationIssue[]): string | null {
  const folders = plan.layout === 'image-folder';
  if (examples.length === 0) {
    const unmapped = issues.find((i) => i.code === 'missing-column' && i.row === undefined);
    if (unmapped) return `Nothing was loaded: ${unmapped.message.replace(/; nothing loaded$/, '')}.`;
    return `Nothing could be loaded: none of the ${rowsSeen} ${folders ? 'files' : 'rows'} gave a usable example. The report below says why for each.`;
  }
  return null;
}

/** A warning when every example has the same class: a classifier then learns nothing. */
function singleClassIssues(plan: ImportPlan, mapping: ColumnMapping, examples: readonly RawExample[]): ValidationIssue[] {
  if (mapping.targetKind !== 'class' || examples.length === 0) return [];
  const labels = new Set(examples.map((e) => (e.target.kind === 'class' ? e.target.label : '')));
  if (labels.size !== 1) return [];
  const [label] = labels;
  const how =
    plan.layout === 'image-folder'
      ? `each folder directly under the one you picked is a class, and only "${label}" holds images — put each class in its own folder (e.g. cats/…, dogs/…) and pick the folder that holds them`
      : `check the label column "${mapping.target}": it should hold at least two different labels`;
  return [issue('single-class', plan.name, `only one class: all ${examples.length} example${examples.length === 1 ? ' is' : 's are'} "${label}", so a classifier has nothing to tell apart and learns nothing — ${how}`)];
}

/** Warnings when a whole input (images or texts) is missing, with what can be trained. */
function missingModalityIssues(plan: ImportPlan, mapping: ColumnMapping, examples: readonly RawExample[]): ValidationIssue[] {
  const n = examples.length;
  // Audio takes the image's place in the model (src/models/audio-encoder.ts).
  const withImage = examples.filter((e) => e.image !== null || e.audio).length;
  const withText = examples.filter((e) => e.text !== null).length;
  const folders = plan.layout === 'image-folder';
  const out: ValidationIssue[] = [];
  if (withImage === 0) {
    const why = mapping.image === null ? 'the manifest has no image column' : `no row of the image column "${mapping.image}" names an image that loaded`;
    const train = mapping.targetKind === 'caption' ? 'captions cannot be generated without images' : 'train with the fusion "Text only" (Model panel); a model that reads images would get none';
    out.push(issue('missing-modality', plan.name, `no images: ${why}, so all ${n} examples are text only — ${train}`));
  }
  if (withText === 0 && mapping.targetKind !== 'caption') {
    const why = folders ? 'no image has a .txt file of the same name next to it' : mapping.text === null ? 'the manifest has no text column' : `the text column "${mapping.text}" is empty in every row`;
    out.push(issue('missing-modality', plan.name, `no texts: ${why}, so all ${n} examples are image only — train with the fusion "Image only" (Model panel); a model that reads text would get none`));
  }
  return out;
}

