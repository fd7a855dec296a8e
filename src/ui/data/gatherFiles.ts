// Turns what the browser hands over — a FileList from <input>, a drop, or a directory
// handle from showDirectoryPicker — into files with paths relative to the root.
// Drops walk FileSystemDirectoryReader.readEntries until it returns an empty batch
// (it returns at most ~100 entries per call). The Files themselves are handed on: they
// cross to the import worker cheaply (a handle, not the bytes), which reads them there.
import type { PickedFile } from '../../state/dataset-client.ts';

export interface GatheredFiles {
  files: PickedFile[];
  /** Paths start with the picked or dropped folder's name. */
  fromFolder: boolean;
  /** Empty folders seen while walking (an <input> never lists them). */
  folders?: string[];
}

/** Files from an <input type=file> (with or without webkitdirectory). */
export function filesFromInput(list: FileList | null): GatheredFiles {
  const files = Array.from(list ?? [], (f) => ({ path: f.webkitRelativePath || f.name, file: f }));
  return { files, fromFolder: files.length > 0 && files.every((f) => f.path.includes('/')) };
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walkEntry(entry: FileSystemEntry, out: PickedFile[], folders: string[]): Promise<void> {
  if (entry.isFile) {
    const file = await entryFile(entry as FileSystemFileEntry);
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), file });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    let children = 0;
    for (;;) {
      const batch = await readBatch(reader);
      if (batch.length === 0) break;
      children += batch.length;
      for (const child of batch) await walkEntry(child, out, folders);
    }
    if (children === 0) folders.push(entry.fullPath.replace(/^\/+/, ''));
  }
}

/** Files from a drop: folders are walked recursively. */
export async function filesFromDrop(data: DataTransfer): Promise<GatheredFiles> {
  // Entries must be taken synchronously, before the first await: the DataTransfer empties after the event.
  const entries = Array.from(data.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null)).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return filesFromInput(data.files);
  const files: PickedFile[] = [];
  const folders: string[] = [];
  for (const e of entries) await walkEntry(e, files, folders);
  return { files, folders, fromFolder: entries.length === 1 && entries[0].isDirectory };
}

interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<DirectoryHandleLike | FileHandleLike>;
}
interface FileHandleLike {
  kind: 'file';
  name: string;
  getFile(): Promise<File>;
}

/** Whether the File System Access directory picker exists (Chromium). */
export function hasDirectoryPicker(): boolean {
  return typeof window !== 'undefined' && 'showDirectoryPicker' in window;
}

/** Opens the directory picker and collects every file below the chosen folder. */
export async function filesFromDirectoryPicker(): Promise<GatheredFiles> {
  const pick = (window as unknown as { showDirectoryPicker(o?: object): Promise<DirectoryHandleLike> }).showDirectoryPicker;
  const root = await pick.call(window, { mode: 'read' });
  const files: PickedFile[] = [];
  const folders: string[] = [];
  const walk = async (dir: DirectoryHandleLike, prefix: string) => {
    let children = 0;
    for await (const h of dir.values()) {
      children++;
      if (h.kind === 'file') files.push({ path: `${prefix}${h.name}`, file: await h.getFile() });
      else await walk(h, `${prefix}${h.name}/`);
    }
    if (children === 0 && prefix !== '') folders.push(prefix.slice(0, -1));
  };
  await walk(root, '');
  return { files, folders, fromFolder: false };
}
