// The files of an import, whatever they came from (folder picker, <input webkitdirectory>,
// drag and drop, a .zip, a single manifest, or { path, bytes } in tests): paths relative
// to the imported root, lazy bytes, size limits, and zip expansion that refuses before
// expanding when the declared sizes exceed the limit.
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
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 32 * MiB,
  maxZipBytes: 256 * MiB,
  maxZipExpandedBytes: 512 * MiB,
  maxFiles: 100_000,
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
export function isSystemFile(path: string): boolean {
  const segs = path.split('/');
  const name = segs[segs.length - 1];
  return segs.some((s) => s === '__MACOSX' || (s.startsWith('.') && s.length > 1)) || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/**
 * Expands a .zip in memory. The declared uncompressed sizes of all entries are summed
 * from the central directory first; above `maxZipExpandedBytes` nothing is expanded.
 * Each entry is inflated into a buffer of its declared size, so a lying header cannot
 * make it larger. Entries whose names leave the archive ("../x.png", "/etc/x") are
 * skipped and reported; directories and system files are dropped.
 */
export async function expandZip(zip: ImportFile, limits: ImportLimits = DEFAULT_LIMITS): Promise<{ files: ImportFile[]; issues: ValidationIssue[] }> {
  const issues: ValidationIssue[] = [];
  if (zip.size > limits.maxZipBytes) {
    issues.push(issue('oversized-file', zip.path, `zip is ${formatBytes(zip.size)}, the limit is ${formatBytes(limits.maxZipBytes)}; not opened`));
    return { files: [], issues };
  }
  const bytes = await zip.read();
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
    issues.push(issue('bad-zip', zip.path, `cannot read the zip directory: ${(e as Error).message}`));
    return { files: [], issues };
  }
  if (declared > limits.maxZipExpandedBytes) {
    issues.push(
      issue('zip-too-large', zip.path, `the ${entries} entries would expand to ${formatBytes(declared)}, above the limit of ${formatBytes(limits.maxZipExpandedBytes)}; refused before expanding`),
    );
    return { files: [], issues };
  }
  const base = dirname(zip.path);
  const wanted = new Map<string, string>(); // entry name → path in the import
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
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
    issues.push(issue('bad-zip', zip.path, `cannot expand the zip: ${(e as Error).message}`));
    return { files: [], issues };
  }
  const files = [...wanted].filter(([name]) => unzipped[name]).map(([name, path]) => fileFromBytes(path, unzipped[name]));
  return { files: stripSingleTopFolder(files, base), issues };
}

/** When every file sits in one top folder (below `base`), that folder level is removed. */
function stripSingleTopFolder(files: ImportFile[], base: string): ImportFile[] {
  const prefix = base ? `${base}/` : '';
  const segments = files.map((f) => f.path.slice(prefix.length).split('/'));
  if (segments.length === 0) return files;
  const top = segments[0][0];
  if (segments.some((s) => s.length < 2 || s[0] !== top)) return files;
  const cut = prefix.length + top.length + 1;
  return files.map((f) => ({ ...f, path: prefix + f.path.slice(cut) }));
}

/**
 * Prepares the raw inputs of an import: expands zips, drops system files, removes the
 * name of a picked folder (webkitdirectory paths start with it) and de-duplicates
 * paths. `fromFolder` says the paths start with the picked folder's name.
 */
export async function collectFiles(
  inputs: readonly ImportInput[],
  options: { limits?: ImportLimits; fromFolder?: boolean } = {},
): Promise<{ files: ImportFile[]; issues: ValidationIssue[] }> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const issues: ValidationIssue[] = [];
  const out: ImportFile[] = [];
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
      out.push(...z.files);
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
  return { files: unique, issues };
}
