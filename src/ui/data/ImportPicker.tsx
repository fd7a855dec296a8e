// Ways to hand files to the importer: the directory picker (where the browser has one),
// a folder input (webkitdirectory), a file input for a .zip or a single manifest, and a
// drop zone that walks dropped folders.
import { useState, type DragEvent } from 'react';
import { DEFAULT_LIMITS, formatBytes } from '../../state/for-ui.ts';
import { filesFromDirectoryPicker, filesFromDrop, filesFromInput, hasDirectoryPicker, type GatheredFiles } from './gatherFiles.ts';

/** Import inputs; every way ends in `onFiles`. */
export function ImportPicker({ onFiles, onError, disabled }: { onFiles: (g: GatheredFiles) => void; onError: (message: string) => void; disabled?: boolean }) {
  const [over, setOver] = useState(false);
  const deliver = (g: GatheredFiles) => (g.files.length === 0 ? onError('No files were selected.') : onFiles(g));
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    filesFromDrop(e.dataTransfer).then(deliver, (err: Error) => onError(`Could not read the dropped files: ${err.message}`));
  };
  return (
    <fieldset disabled={disabled}>
      <legend>Your own files</legend>
      <div className="data-row">
        {hasDirectoryPicker() && (
          <button
            type="button"
            data-testid="import-directory-picker"
            onClick={() =>
              filesFromDirectoryPicker().then(deliver, (err: Error) => {
                if (err.name !== 'AbortError') onError(`Could not read the folder: ${err.message}`);
              })
            }
          >
            Choose a folder…
          </button>
        )}
        <label>
          Folder:
          <input
            type="file"
            data-testid="import-folder-input"
            // webkitdirectory is not in React's types; set it as a DOM attribute.
            ref={(el) => el?.setAttribute('webkitdirectory', '')}
            multiple
            onChange={(e) => {
              deliver(filesFromInput(e.currentTarget.files));
              e.currentTarget.value = '';
            }}
          />
        </label>
        <label>
          .zip or manifest:
          <input
            type="file"
            data-testid="import-file-input"
            accept=".zip,.csv,.tsv,.tab,.jsonl,.ndjson"
            multiple
            onChange={(e) => {
              deliver(filesFromInput(e.currentTarget.files));
              e.currentTarget.value = '';
            }}
          />
        </label>
      </div>
      <div
        className={`drop-zone${over ? ' active' : ''}`}
        data-testid="import-drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        …or drop a folder, a .zip or a manifest here
      </div>
      <p className="data-note">
        Formats: a manifest (CSV, TSV or JSONL with columns image, text and label / labels / target / caption) next to its images, or one folder per class with optional .txt files of
        the same name as text. Limits: {formatBytes(DEFAULT_LIMITS.maxFileBytes)} per file, {formatBytes(DEFAULT_LIMITS.maxZipBytes)} per .zip, which may expand to at most{' '}
        {formatBytes(DEFAULT_LIMITS.maxZipExpandedBytes)}.
      </p>
    </fieldset>
  );
}
