// Messages above the panels: values in the URL that were ignored, the NaN notice with
// "restore last good weights", the GPU reset notice, and why the fusion was switched to fit the dataset.
import { useStore } from '../../state/store.ts';
import { training } from '../../state/training.ts';

/** Problems found in the link the page was opened with. */
export function UrlProblems() {
  const problems = useStore((s) => s.urlProblems);
  const setProblems = useStore((s) => s.setUrlProblems);
  if (problems.length === 0) return null;
  return (
    <div className="notice notice-warn" role="alert" data-testid="url-problems">
      <div>
        <strong>Some settings in this link were not used:</strong>
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </div>
      <button type="button" onClick={() => setProblems([])} aria-label="Dismiss the link problems">
        Dismiss
      </button>
    </div>
  );
}

/** Shown when a loss or gradient became NaN or infinite; training is paused. */
export function NanNotice() {
  const nan = useStore((s) => s.nan);
  if (!nan) return null;
  return (
    <div className="notice notice-danger" role="alert" data-testid="nan-notice">
      <p>{nan.message}</p>
      <button type="button" onClick={() => void training.restoreLastGood()} data-testid="restore-last-good">
        Restore last good weights
      </button>
    </div>
  );
}

/** What happened when the GPU device was lost and where training went on from. */
export function DeviceNotice() {
  const message = useStore((s) => s.deviceNotice);
  const setMessage = useStore((s) => s.setDeviceNotice);
  if (!message) return null;
  return (
    <div className="notice notice-warn" role="status" data-testid="device-notice">
      <p>{message}</p>
      <button type="button" onClick={() => setMessage(null)} aria-label="Dismiss the GPU reset notice">
        Dismiss
      </button>
    </div>
  );
}

/** The newest trainer message (restores, early stopping, errors). */
export function RunLog() {
  const last = useStore((s) => s.runLog[s.runLog.length - 1] ?? null);
  if (!last) return null;
  return (
    <p className="run-log" data-testid="run-log" role="status">
      {last}
    </p>
  );
}

/** Why the app switched the fusion to one the dataset can train (until the user picks one). */
export function FusionNote() {
  const note = useStore((s) => s.fusionNote);
  if (!note) return null;
  return (
    <p className="small" data-testid="fusion-note" role="status">
      {note}
    </p>
  );
}
