// Progress of image decoding, with a cancel button.
import type { ImportProgress } from '../../data/importer.ts';

/** Progress bar and cancel button while an import runs. */
export function ImportProgressBar({ progress, onCancel }: { progress: ImportProgress; onCancel: () => void }) {
  return (
    <div className="data-row" data-testid="import-progress-box">
      <progress value={progress.done} max={Math.max(1, progress.total)} data-testid="import-progress" />
      <span>
        {progress.phase === 'reading' ? 'Reading files…' : `Decoding images: ${progress.done} / ${progress.total}`}
      </span>
      <button type="button" onClick={onCancel} data-testid="import-cancel">
        Cancel
      </button>
    </div>
  );
}
