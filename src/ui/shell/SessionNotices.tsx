// The saved session above the panels: "restored from <time>", a restore or save problem,
// the question before a new model replaces a trained one, how a loaded checkpoint changed
// the settings, or — when the page was opened with a link to another setup — an offer to restore the
// saved session instead.
import { useStore } from '../../state/store.ts';
import { restoreOffered } from '../../state/session-store.ts';
import { training } from '../../state/training.ts';
import { formatSavedAt, SessionNotice } from '../export/SessionNotice.tsx';

export function SessionNotices() {
  const restoredFrom = useStore((s) => s.restoredFrom);
  const error = useStore((s) => s.sessionError);
  const offer = useStore((s) => s.restoreOffer);
  const setNotice = useStore((s) => s.setSessionNotice);
  const settingsChange = useStore((s) => s.settingsChange);
  const question = useStore((s) => s.replaceQuestion);
  const setQuestion = useStore((s) => s.setReplaceQuestion);
  return (
    <>
      <SessionNotice restoredFrom={restoredFrom} error={error} onDismiss={() => setNotice({ restoredFrom: null, sessionError: null })} />
      {question !== null && (
        <div className="notice notice-warn" role="alert" data-testid="replace-question">
          <p>
            The trained model (step {question.step}) is kept until you decide. The settings now describe another model
            {question.changes.length ? ` (${question.changes.join(', ')})` : ''}: {question.action === 'train' ? 'training' : 'a step'} starts it untrained and replaces the trained model and its saved session.
          </p>
          <button type="button" onClick={() => void training.replaceTrained()} data-testid="replace-question-accept">
            Replace it with a new model
          </button>
          <button type="button" onClick={() => setQuestion(null)} data-testid="replace-question-keep">
            Keep the trained model
          </button>
        </div>
      )}
      {settingsChange !== null && (
        <div className="notice" role="status" data-testid="settings-change">
          <p>{settingsChange}</p>
          <button type="button" onClick={() => setNotice({ settingsChange: null })}>
            Dismiss
          </button>
        </div>
      )}
      {offer !== null && (
        <div className="notice notice-warn" role="status" data-testid="restore-offer">
          <p>
            A session saved at {formatSavedAt(offer)} was not restored because this link sets up another model. Training here replaces it.
          </p>
          <button type="button" onClick={() => void restoreOffered()} data-testid="restore-offer-accept">
            Restore it
          </button>
          <button type="button" onClick={() => setNotice({ restoreOffer: null })}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}

/** "Saved · step 12" in the toolbar once the session has been saved (the time in its tooltip). */
export function SavedIndicator() {
  const savedAt = useStore((s) => s.savedAt);
  const step = useStore((s) => s.savedStep);
  const epochs = useStore((s) => s.savedEpochs);
  if (savedAt === null) return null;
  return (
    <span className="muted saved-at" data-testid="session-saved" data-saved-at={savedAt} data-saved-step={step} data-saved-epochs={epochs} title={`Saved at ${new Date(savedAt).toLocaleTimeString()} in this browser; it comes back after a reload.`}>
      Saved · step {step}
    </span>
  );
}
