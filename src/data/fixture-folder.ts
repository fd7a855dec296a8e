// For Node tests only: a fixture folder read from disk as the browser's folder input gives
// it (paths start with the folder's name, relative to `root`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileFromBytes, type ImportFile } from './files.ts';

export function fixtureFolder(root: string, name: string): ImportFile[] {
  const out: ImportFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(fileFromBytes(relative(root, full).split('\\').join('/'), new Uint8Array(readFileSync(full))));
    }
  };
  walk(join(root, name));
  return out;
}
