// The session across reloads. When the page opens, the saved session (settings, dataset
// or the settings that rebuild it, weights, optimizer state, position, metrics, compare
// runs) is restored and a "restored from <time>" notice is shown (a page opened with a
// link to another setup offers the saved session instead of replacing the link's setup);
// afterwards the session
// is autosaved to IndexedDB — once something is trained — at most every
// AUTOSAVE_INTERVAL_MS while it changes, and at
// once when training pauses, finishes or stops, or the page is hidden. A session that
// cannot be restored or saved is reported in the notice, never dropped silently: a
// damaged record is left in storage until the user clears it or a new save replaces it.
// Also: applying a checked checkpoint, and clearing the saved session (Export panel).
import type { Checkpoint } from '../export/checkpoint.ts';
import { compareDataset, datasetReference, type DatasetReference } from '../export/checkpoint.ts';
import { clearSession, createAutosave, loadSession, SessionStorageError, type Autosave, type SessionInput, type SessionSnapshot } from '../export/persistence.ts';
import type { PreparedDataset } from '../data/types.ts';
import { buildDataset, datasetSettled, restoreSeriesImport } from './data-controller.ts';
import { compareLive } from './live.ts';
import { defaultDataSettings, type Setup } from './settings.ts';
import type { CompareRun } from './slices/compare.ts';
import type { SessionSpec } from './slices/run.ts';
import { currentTarget } from './target.ts';
import { setupChanges } from './url.ts';
import { training } from './training.ts';
import { useStore, type Store } from './store.ts';

/** How long opening the page waits for the saved session. */
const LOAD_TIMEOUT_MS = 5000;

/** Least time between two autosaves while training. */
const AUTOSAVE_INTERVAL_MS = 10_000;

/** What the app keeps in `SessionSnapshot.setup`. */
interface SavedSetup {
  setup: Setup;
  features: SessionSpec['features'];
}

let autosave: Autosave | null = null;
let restoring = false;

/** True while a saved session is being put back (the app then builds no session itself). */
export function isRestoring(): boolean {
  return restoring;
}

const references = new WeakMap<PreparedDataset, DatasetReference>();

function referenceOf(data: PreparedDataset): DatasetReference {
  let ref = references.get(data);
  if (!ref) references.set(data, (ref = datasetReference(data)));
  return ref;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The session as it would be saved now, or null when there is nothing to save yet. */
async function snapshotInput(): Promise<SessionInput | null> {
  const s = useStore.getState();
  const spec = s.session;
  // While a session is being built there is nothing consistent to save (the last save stays).
  if (!spec || restoring || s.runStatus === 'starting') return null;
  const trained = (s.progress?.step ?? 0) > 0 && s.runStatus !== 'failed' && s.runStatus !== 'none';
  const runs = s.compareRuns.filter((r) => r.status === 'done' || r.status === 'failed' || r.status === 'cancelled');
  // An untrained model is only its settings, which the URL already carries.
  if (!trained && runs.length === 0) return null;
  const state = trained ? await training.exportState() : null;
  // The session may have been replaced while its state was read.
  if (useStore.getState().session !== spec) return null;
  // The learning rate, step delay and early stopping change live without a new session:
  // the saved settings carry the values in use now, so a reload keeps the user's changes.
  const live = s.train;
  const train = { ...spec.setup.train, optimizer: { ...spec.setup.train.optimizer, lr: live.optimizer.lr }, stepDelayMs: live.stepDelayMs, earlyStopping: live.earlyStopping };
  const saved: SavedSetup = { setup: { ...spec.setup, train }, features: spec.features };
  return {
    setup: saved,
    // The user's files (an import, or series read from files) are saved whole; a generated dataset by reference.
    dataset: spec.datasetSource === 'import' || spec.dataset.series?.origin === 'files' ? { source: 'import', name: spec.dataset.name, prepared: spec.dataset } : { source: 'generated', reference: referenceOf(spec.dataset) },
    features: spec.featureValues,
    model: spec.model,
    train: spec.train,
    training: state,
    metrics: { epochs: state?.history ?? [], steps: state ? training.recentSteps() : [] },
    compareRuns: runs,
  };
}

function isSavedSetup(v: unknown): v is SavedSetup {
  const s = (v as SavedSetup | null)?.setup;
  return !!s && typeof s === 'object' && !!s.data && !!s.model && !!s.train && typeof s.data.source === 'string';
}

/** Puts a saved session back; throws with the reason when it cannot. */
async function apply(snapshot: SessionSnapshot): Promise<void> {
  if (!isSavedSetup(snapshot.setup)) throw new Error('it was saved without the app settings');
  const { setup, features } = snapshot.setup;
  const store = useStore.getState();
  // A session saved before a built-in existed has no settings for it: those keep their defaults.
  store.setDataSettings({ ...defaultDataSettings(), ...setup.data });
  store.setModel(setup.model);
  store.setTrain(setup.train);
  if (snapshot.dataset?.source === 'import' && snapshot.dataset.prepared.series?.origin === 'files') restoreSeriesImport(snapshot.dataset.prepared);
  else if (snapshot.dataset?.source === 'import') store.datasetReady(snapshot.dataset.prepared, 'import');
  else buildDataset();
  if (!(await datasetSettled())) throw new Error(`its dataset could not be rebuilt (${useStore.getState().dataError?.message ?? 'no dataset'})`);
  const after = useStore.getState();
  if (snapshot.dataset?.source === 'generated') {
    const differences = compareDataset(snapshot.dataset.reference, after.dataset!);
    if (differences.length) throw new Error(`the rebuilt dataset differs from the saved one: ${differences.join(' ')}`);
  }
  if (features && snapshot.features) after.setFeatures({ ...features, features: snapshot.features, datasetVersion: after.datasetVersion });
  const runs = (snapshot.compareRuns as CompareRun[]).filter((r) => r && typeof r.id === 'string' && Array.isArray(r.history));
  if (runs.length) useStore.setState({ compareRuns: runs, compareRunning: false, compareProgress: null });
  const { target, problems } = currentTarget(useStore.getState());
  if (!target) throw new Error(problems.join(' '));
  if (JSON.stringify(target.model) !== JSON.stringify(snapshot.model)) throw new Error('the saved weights do not fit the model the settings describe');
  const ok = await training.newSession(snapshot.training ? { state: snapshot.training, steps: snapshot.metrics.steps } : null);
  if (!ok) throw new Error(useStore.getState().runReason ?? 'the model could not be built');
}

/** A saved session not restored because the page was opened with another setup. */
let offered: SessionSnapshot | null = null;

/**
 * Restores the saved session, if there is one and `wanted` accepts its settings (the page
 * was opened without a setup in its URL, or with the saved one — a reload). A session
 * saved for another setup is offered instead (see `restoreOffered`). Resolves true when
 * it was restored; on failure the notice says why and the app keeps its own settings.
 */
export async function restoreSavedSession(wanted: (setup: Setup) => boolean): Promise<boolean> {
  let snapshot: SessionSnapshot | null;
  try {
    // A storage that never answers (blocked or broken) must not keep the app from starting.
    snapshot = await Promise.race([
      loadSession(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`The browser's storage (IndexedDB) did not answer within ${LOAD_TIMEOUT_MS / 1000} s; the saved session was not read.`)), LOAD_TIMEOUT_MS)),
    ]);
  } catch (e) {
    const kept = e instanceof SessionStorageError ? ' It is kept until you clear it (Export panel) or a new save replaces it.' : '';
    useStore.getState().setSessionNotice({ sessionError: `${message(e)}${kept}` });
    return false;
  }
  if (!snapshot) return false;
  if (isSavedSetup(snapshot.setup) && !wanted(snapshot.setup.setup)) {
    offered = snapshot;
    useStore.getState().setSessionNotice({ restoreOffer: snapshot.savedAt });
    return false;
  }
  return restoreSnapshot(snapshot);
}

/** Restores the session that was offered instead of restored; true when it was. */
export async function restoreOffered(): Promise<boolean> {
  if (useStore.getState().compareRunning) {
    useStore.getState().setSessionNotice({ sessionError: 'A comparison is running: stop it, then restore the saved session.' });
    return false;
  }
  const snapshot = offered;
  offered = null;
  useStore.getState().setSessionNotice({ restoreOffer: null });
  if (!snapshot) return false;
  return restoreSnapshot(snapshot);
}

async function restoreSnapshot(snapshot: SessionSnapshot): Promise<boolean> {
  restoring = true;
  try {
    await apply(snapshot);
    useStore.getState().setSessionNotice({ restoredFrom: snapshot.savedAt, savedAt: snapshot.savedAt, savedStep: snapshot.training?.step ?? 0, savedEpochs: snapshot.training?.history.length ?? 0, sessionError: null });
    return true;
  } catch (e) {
    useStore.getState().setSessionNotice({ sessionError: `The session saved at ${new Date(snapshot.savedAt).toLocaleString()} could not be restored: ${message(e)}.` });
    return false;
  } finally {
    restoring = false;
  }
}

/** Starts autosaving; call once, after the restore. */
export function startAutosave(): void {
  if (autosave) return;
  const saver = createAutosave(snapshotInput, {
    intervalMs: AUTOSAVE_INTERVAL_MS,
    onSaved: (s) => useStore.getState().setSessionNotice({ savedAt: s.savedAt, savedStep: s.training?.step ?? 0, savedEpochs: s.training?.history.length ?? 0, sessionError: null }),
    onError: (e: SessionStorageError) => useStore.getState().setSessionNotice({ sessionError: e.message }),
  });
  autosave = saver;
  useStore.subscribe((s: Store, prev: Store) => {
    if (s.runStatus !== prev.runStatus && (s.runStatus === 'paused' || s.runStatus === 'finished' || s.runStatus === 'stopped')) {
      void saver.flush();
      return;
    }
    // The GPU was reset: saved at once, from the state kept on the host while the model is rebuilt.
    if (s.deviceNotice !== prev.deviceNotice && s.deviceNotice) {
      void saver.flush();
      return;
    }
    // A live setting changed while the run stands still: saved at once (a reload may follow).
    if (s.train !== prev.train && s.runStatus !== 'running') {
      void saver.flush();
      return;
    }
    if (s.session !== prev.session || s.progress !== prev.progress || s.history !== prev.history || s.compareRuns !== prev.compareRuns || s.train !== prev.train) saver.schedule();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void saver.flush();
  });
}

/**
 * Replaces the session with a checkpoint that passed every check (Export panel), with its
 * per-step statistics when the file has them. A checkpoint of another model setup changes
 * the settings; the notice then says from what to what.
 */
export async function applyCheckpoint(checkpoint: Checkpoint): Promise<void> {
  const s = useStore.getState();
  if (s.compareRunning) throw new Error('a comparison is running; stop it first');
  if (!s.dataset) throw new Error('no dataset is ready');
  const previous = { model: s.model, train: s.train };
  const changes = setupChanges({ data: s.dataSettings, model: s.model, train: s.train }, { data: s.dataSettings, model: checkpoint.model, train: checkpoint.train });
  s.setModel(checkpoint.model);
  s.setTrain(checkpoint.train);
  const { target, problems } = currentTarget(useStore.getState());
  if (!target || JSON.stringify(target.model) !== JSON.stringify(checkpoint.model)) {
    useStore.getState().setModel(previous.model);
    useStore.getState().setTrain(previous.train);
    throw new Error(target ? 'its model does not fit the current dataset (vocabulary, classes or image size differ)' : problems.join(' '));
  }
  if (!(await training.newSession({ state: checkpoint.state, steps: checkpoint.steps ?? [] }))) throw new Error(useStore.getState().runReason ?? 'the model could not be built');
  useStore.getState().setSessionNotice({ settingsChange: changes.length ? `The checkpoint was made with other settings, which now apply: ${changes.join(', ')}.` : null });
  void autosave?.flush();
}

/** Deletes the saved session and starts afresh: an untrained model, no compare runs. */
export async function clearSavedSession(): Promise<void> {
  const store = useStore.getState();
  if (store.compareRunning) throw new Error('a comparison is running; stop it first');
  store.compareClear();
  compareLive.clear();
  offered = null;
  // A fresh session first, so a save still reading the old one drops it; then the delete.
  const fresh = training.newSession();
  await autosave?.idle();
  await clearSession();
  store.setSessionNotice({ restoredFrom: null, sessionError: null, savedAt: null, restoreOffer: null });
  await fresh;
}
