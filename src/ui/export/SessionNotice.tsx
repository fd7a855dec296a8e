// The "restored from <time>" notice shown after a reload brought the session back, or the
// reason it could not be restored or saved.

export interface SessionNoticeProps {
  /** When the restored session was saved (ms since 1970); null hides the notice. */
  restoredFrom: number | null;
  /** A restore or autosave problem to show instead (e.g. a storage quota message). */
  error?: string | null;
  onDismiss?: () => void;
}

/** Formats a time the way the notice shows it, e.g. "22 Nov 2026, 14:05". */
export function formatSavedAt(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** One line: "Session restored from …" or the error, with an optional dismiss button. */
export function SessionNotice({ restoredFrom, error, onDismiss }: SessionNoticeProps) {
  if (!error && restoredFrom === null) return null;
  return (
    <div className={`session-notice${error ? ' error' : ''}`} role={error ? 'alert' : 'status'} data-testid="session-notice">
      {error ? (
        <span>{error}</span>
      ) : (
        <span>
          Session restored from <time dateTime={new Date(restoredFrom!).toISOString()}>{formatSavedAt(restoredFrom!)}</time>.
        </span>
      )}
      {onDismiss && (
        <>
          {' '}
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        </>
      )}
    </div>
  );
}
