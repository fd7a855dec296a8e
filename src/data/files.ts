// The files of an import, whatever they came from (folder picker, <input webkitdirectory>,
// drag and drop, a .zip, a single manifest, or { path, bytes } in tests): paths relative
// to the imported root, lazy bytes, size limits, and zip expansion that refuses before
// expanding when the declared sizes exceed the limit. In the app this runs in the dataset
// worker (state/dataset.worker.ts), so the synchronous unzip never blocks the page.
import { unzipSync } from 'fflate';
import { issue } from './report.ts';
import type { ValidationIssue } from './types.ts';

/** One imported file; `read` may be called more than once. */
export interface ImportFile {
  /** Path relative to the imported root, "/"-separated, no "." or ".." segments. */
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

/** What the browser gives for a File (or a test double). */
export interface FileLike {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  webkitRelativePath?: string;
}

/** Limits applied while importing; the README states the defaults. */
export interface ImportLimits {
  /** Largest single file (image, manifest, sidecar text, zip entry). */
  maxFileBytes: number;
  /** Largest .zip file as uploaded. */
  maxZipBytes: number;
  /** Largest total of a zip's declared uncompressed sizes; larger zips are refused unread. */
  maxZipExpandedBytes: number;
  /** Most files in one import. */
  maxFiles: number;
  /** Largest image as declared by its header (width × height); larger ones are not decoded. */
  maxImagePixels: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 32 * MiB,
  maxZipBytes: 256 * MiB,
  maxZipExpandedBytes: 512 * MiB,
  maxFiles: 100_000,
  maxImagePixels: 4096 * 4096,
};

/** Human-readable byte count ("512 MiB"). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < MiB) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  if (n < 1024 * MiB) return `${(n / MiB).toFixed(1).replace(/\.0$/, '')} MiB`;
  return `${(n / 1024 / MiB).toFixed(2).replace(/\.?0+$/, '')} GiB`;
}

/** Anything the importer accepts as a file: an ImportFile, { path, bytes }, or a File. */
export type ImportInput = ImportFile | { path: string; bytes: Uint8Array } | FileLike;

/** Normalises an ImportInput to an ImportFile. */
export function toImportFile(input: ImportInput): ImportFile {
  if ('read' in input) return input;
  // A File also has bytes() in newer runtimes: test for the File shape first.
  if ('arrayBuffer' in input && typeof input.arrayBuffer === 'function') return fileFromFileLike(input);
  return fileFromBytes((input as { path: string }).path, (input as { bytes: Uint8Array }).bytes);
}

/** A file from bytes already in memory. */
export function fileFromBytes(path: string, bytes: Uint8Array): ImportFile {
  return { path, size: bytes.length, read: async () => bytes };
}

/** A file from a browser File (path defaults to webkitRelativePath, then name). */
export function fileFromFileLike(file: FileLike, path?: string): ImportFile {
  return {
    path: path ?? (file.webkitRelativePath || file.name),
    size: file.size,
    read: async () => new Uint8Array(await file.arrayBuffer()),
  };
}

export type PathResult = { ok: true; path: string } | { ok: false; reason: 'traversal' | 'absolute' | 'url' | 'empty'; message: string };

/**
 * Normalises a path relative to `baseDir` (both "/"-separated, relative to the root):
 * backslashes become "/", "." and empty segments vanish, ".." pops a segment. A path
 * that leaves the root, is absolute (/x, C:\x, \\server) or is a URL is refused.
 */
export function resolvePath(raw: string, baseDir = ''): PathResult {
  const p = raw.trim();
  if (p === '') return { ok: false, reason: 'empty', message: 'empty path' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^data:/i.test(p)) {
    return { ok: false, reason: 'url', message: `"${p}" is a URL; only files inside the import are read` };
  }
  const slashed = p.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-z]:\//i.test(slashed)) {
    return { ok: false, reason: 'absolute', message: `"${p}" is an absolute path; paths must be relative to the manifest` };
  }
  const parts = baseDir ? baseDir.split('/').filter(Boolean) : [];
  for (const seg of slashed.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return { ok: false, reason: 'traversal', message: `"${p}" leaves the imported folder` };
      parts.pop();
    } else parts.push(seg);
  }
  if (parts.length === 0) return { ok: false, reason: 'empty', message: `"${p}" names no file` };
  return { ok: true, path: parts.join('/') };
}

/** Directory part of a path ("" at the root). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Last segment of a path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Lower-case extension without the dot ("" when none). */
export function extension(path: string): string {
  const b = basename(path);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i + 1).toLowerCase();
}

/** Operating-system clutter that is skipped without a report entry. */
function isSystemFile(path: string): boolean {
  const segs = path.split('/');
  const name = segs[segs.length - 1];
  return segs.some((s) => s === '__MACOSX' || (s.startsWith('.') && s.length > 1)) || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/** One entry of a zip's central directory, as far as the import needs it. */
export interface ZipEntryInfo {
  name: string;
  /** General-purpose flags; bit 0 = encrypted. */
  flags: number;
  /** Compression method (APPNOTE 4.4.5): 0 stored, 8 deflate, 12 bzip2, 14 LZMA, … */
  method: number;
}

/** Names of compression methods users meet (APPNOTE 4.4.5). */
const ZIP_METHODS: Record<number, string> = {
  1: 'Shrink',
  6: 'Implode',
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  96: 'JPEG (WinZip)',
  97: 'WavPack',
  98: 'PPMd',
  99: 'AES encryption',
};

/** A compression method in words ("bzip2", "method 17"). */
function zipMethodName(method: number): string {
  return ZIP_METHODS[method] ?? `method ${method}`;
}

/**
 * Reads the central directory of a zip (names, flags, methods) without expanding
 * anything; null when it cannot be found or uses Zip64 fields (fflate then decides).
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntryInfo[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  if (count === 0xffff || p === 0xffffffff) return null;
  const entries: ZipEntryInfo[] = [];
  const names = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return null;
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength > bytes.length) return null;
    entries.push({ name: names.decode(bytes.subarray(p + 46, p + 46 + nameLength)), flags: view.getUint16(p + 8, true), method: view.getUint16(p + 10, true) });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Expands a .zip in memory. The declared uncompressed sizes of all entries are summed
 * from the central directory first; above `maxZipExpandedBytes` nothing is expanded.
 * Each entry is inflated into a buffer of its declared size, so a lying header cannot
 * make it larger. Password-protected archives are refused by name; entries compressed
 * with methods other than Store and Deflate are skipped, the method named. Entries
 * whose names leave the archive ("../x.png", "/etc/x") are skipped and reported;
 * directories are listed in `folders` and system files are dropped.
 */
async function expandZip(zip: ImportFile, limits: ImportLimits = DEFAULT_LIMITS): Promise<{ files: ImportFile[]; folders: string[]; issues: ValidationIssue[] }> {
  const issues: ValidationIssue[] = [];
  const folders: string[] = [];
  if (zip.size > limits.maxZipBytes) {
    issues.push(issue('oversized-file', zip.path, `zip is ${formatBytes(zip.size)}, the limit is ${formatBytes(limits.maxZipBytes)}; not opened`));
    return { files: [], folders, issues };
  }
  const bytes = await zip.read();
  const directory = readZipDirectory(bytes);
  const encrypted = directory?.filter((e) => e.flags & 1 || e.method === 99) ?? [];
  if (encrypted.length > 0) {
    issues.push(
      issue(
        'encrypted-zip',
        zip.path,
        `the zip is password-protected (${encrypted.length === directory!.length ? 'every entry is' : `${encrypted.length} of ${directory!.length} entries are`} encrypted) and cannot be opened here — unzip it with its password and import the folder, or make a zip without a password`,
      ),
    );
    return { files: [], folders, issues };
  }
  const unsupported = new Map<number, string[]>();
  for (const e of directory ?? []) {
    if (e.method !== 0 && e.method !== 8 && !e.name.endsWith('/')) unsupported.set(e.method, [...(unsupported.get(e.method) ?? []), e.name]);
  }
  for (const [method, names] of unsupported) {
    issues.push(
      issue(
        'unsupported-compression',
        zip.path,
        `${names.length} entr${names.length === 1 ? 'y is' : 'ies are'} compressed with ${zipMethodName(method)} (e.g. ${names[0]}), which cannot be expanded here; skipped — make the zip with the usual Deflate compression (the default of most zip tools)`,
      ),
    );
  }
  let declared = 0;
  let entries = 0;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        declared += f.originalSize;
        entries++;
        return false;
      },
    });
  } catch (e) {
    issues.push(issue('bad-zip', zip.path, `cannot read the zip directory (${(e as Error).message}): the file is damaged, truncated or not a zip`));
    return { files: [], folders, issues };
  }
  if (declared > limits.maxZipExpandedBytes) {
    issues.push(
      issue('zip-too-large', zip.path, `the ${entries} entries would expand to ${formatBytes(declared)}, above the limit of ${formatBytes(limits.maxZipExpandedBytes)}; refused before expanding`),
    );
    return { files: [], folders, issues };
  }
  const base = dirname(zip.path);
  const wanted = new Map<string, string>(); // entry name → path in the import
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) {
          const r = resolvePath(f.name);
          if (r.ok && !isSystemFile(r.path)) folders.push(base ? `${base}/${r.path}` : r.path);
          return false;
        }
        if (f.compression !== 0 && f.compression !== 8) return false; // reported above
        const r = resolvePath(f.name);
        if (!r.ok) {
          issues.push(issue('path-traversal', `${zip.path}:${f.name}`, `zip entry ${r.message}; skipped`));
          return false;
        }
        if (isSystemFile(r.path)) return false;
        if (f.originalSize > limits.maxFileBytes) {
          issues.push(issue('oversized-file', `${zip.path}:${f.name}`, `entry is ${formatBytes(f.originalSize)}, the limit is ${formatBytes(limits.maxFileBytes)}; skipped`));
          return false;
        }
        wanted.set(f.name, base ? `${base}/${r.path}` : r.path);
        return true;
      },
    });
  } catch (e) {
    issues.push(issue('bad-zip', zip.path, `cannot expand the zip (${(e as Error).message}): the file is damaged or truncated`));
    return { files: [], folders, issues };
  }
  const files = [...wanted].filter(([name]) => unzipped[name]).map(([name, path]) => fileFromBytes(path, unzipped[name]));
  return stripSingleTopFolder(files, folders, base, issues);
}

/** When every file (and folder) sits in one top folder (below `base`), that folder level is removed. */
function stripSingleTopFolder(files: ImportFile[], folders: string[], base: string, issues: ValidationIssue[]) {
  const prefix = base ? `${base}/` : '';
  const segments = [...files.map((f) => f.path), ...folders].map((p) => p.slice(prefix.length).split('/'));
  if (files.length === 0) return { files, folders, issues };
  const top = segments[0][0];
  if (files.some((f) => f.path.slice(prefix.length).split('/').length < 2) || segments.some((s) => s[0] !== top)) return { files, folders, issues };
  const cut = prefix.length + top.length + 1;
  return {
    files: files.map((f) => ({ ...f, path: prefix + f.path.slice(cut) })),
    folders: folders.filter((d) => d.length > cut).map((d) => prefix + d.slice(cut)),
    issues,
  };
}

/**
 * Prepares the raw inputs of an import: expands zips, drops system files, removes the
 * name of a picked folder (webkitdirectory paths start with it) and de-duplicates
 * paths. `fromFolder` says the paths start with the picked folder's name.
 */
export async function collectFiles(
  inputs: readonly ImportInput[],
  options: { limits?: ImportLimits; fromFolder?: boolean; folders?: readonly string[] } = {},
): Promise<{ files: ImportFile[]; folders: string[]; issues: ValidationIssue[] }> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const issues: ValidationIssue[] = [];
  const out: ImportFile[] = [];
  const folders: string[] = [];
  const relative = (p: string) => {
    const slashed = p.replace(/\\/g, '/').replace(/^\/+/, '');
    return options.fromFolder ? (slashed.includes('/') ? slashed.slice(slashed.indexOf('/') + 1) : '') : slashed;
  };
  for (const d of options.folders ?? []) {
    const r = resolvePath(relative(d));
    if (r.ok && !isSystemFile(r.path)) folders.push(r.path);
  }
  for (const raw of inputs) {
    const input = toImportFile(raw);
    let path = input.path.replace(/\\/g, '/').replace(/^\/+/, '');
    if (options.fromFolder) path = path.includes('/') ? path.slice(path.indexOf('/') + 1) : path;
    const r = resolvePath(path);
    if (!r.ok) {
      issues.push(issue('path-traversal', input.path, `${r.message}; skipped`));
      continue;
    }
    if (isSystemFile(r.path)) continue;
    const file = { ...input, path: r.path };
    if (extension(r.path) === 'zip') {
      const z = await expandZip(file, limits);
      issues.push(...z.issues);
      folders.push(...z.folders);
      // Archives inside the archive: one level is opened, deeper ones are named.
      for (const f of z.files) {
        if (extension(f.path) !== 'zip') {
          out.push(f);
          continue;
        }
        const inner = await expandZip(f, limits);
        issues.push(issue('nested-zip', file.path, `contains ${basename(f.path)}, another zip; it was opened as part of the import (one level deep)`));
        issues.push(...inner.issues.map((i) => ({ ...i, file: i.file.startsWith(f.path) ? `${file.path}:${i.file}` : i.file })));
        folders.push(...inner.folders);
        for (const g of inner.files) {
          if (extension(g.path) === 'zip') issues.push(issue('unsupported-file', `${file.path}:${f.path}:${g.path}`, 'a zip inside a zip inside a zip is not opened — unzip the outer ones first; ignored'));
          else out.push(g);
        }
      }
    } else out.push(file);
  }
  const seen = new Set<string>();
  const unique: ImportFile[] = [];
  for (const f of out) {
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    unique.push(f);
  }
  if (unique.length > limits.maxFiles) {
    issues.push(issue('oversized-file', '(import)', `${unique.length} files, the limit is ${limits.maxFiles}; only the first ${limits.maxFiles} are used`));
    unique.length = limits.maxFiles;
  }
  return { files: unique, folders: [...new Set(folders)], issues };
}
