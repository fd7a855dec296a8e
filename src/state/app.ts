// Starts the app's state: reads the setup from the URL, probes WebGPU for the badge,
// restores the saved session or else builds the first dataset, starts autosaving, and wires the effects that keep things in step — a new
// dataset when the data settings change, the URL when the setup changes, a fresh
// (untrained) session when the model changes before training, and live learning-rate and
// speed changes for a running session.
import { acquireGpuAdapterSummary } from './backend-probe.ts';
import { buildDataset } from './data-controller.ts';
import { isRestoring, restoreSavedSession, startAutosave } from './session-store.ts';
import { currentTarget } from './target.ts';
import { isForeignLink, queryFromSetup, setupFromQuery, summarizeUrlProblems } from './url.ts';
import { training } from './training.ts';
import { useStore, type Store } from './store.ts';

const DATA_DEBOUNCE_MS = 400;
const URL_DEBOUNCE_MS = 300;
const SESSION_DEBOUNCE_MS = 500;
/**
 * Keys in `history.state` (it survives a reload): the query the app last wrote into the
 * URL, and whether the entry was opened with a link to another setup.
 */
const WRITTEN_QUERY = 'gatescopeQuery';
const OPENED_AS_LINK = 'gatescopeLink';

function historyValue(key: string): unknown {
  const state: unknown = history.state;
  return state && typeof state === 'object' ? (state as Record<string, unknown>)[key] : undefined;
}

let started = false;

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}

/** The session can be replaced without losing work: nothing trained yet, or it failed. */
function replaceable(s: Store): boolean {
  if (s.runStatus === 'none' || s.runStatus === 'failed') return true;
  return s.runStatus === 'idle' && (s.progress?.step ?? 0) === 0;
}

/** Early stopping was turned on because the user's own data was loaded (and is turned off again when they leave it). */
let earlyStoppingForImport = false;

/**
 * Early stopping (watching validation loss, keeping the best epoch) is on by default for
 * imported data: such datasets are usually small, and overfit within a few epochs. The
 * built-in datasets keep it off so that their demos run every epoch. A choice the user
 * makes afterwards stands until the source changes again.
 */
function defaultEarlyStopping(s: Store, prev: Store): void {
  if (s.datasetSource === prev.datasetSource || s.datasetSource === null || isRestoring()) return;
  const es = s.train.earlyStopping;
  if (s.datasetSource === 'import' && !es.enabled) {
    earlyStoppingForImport = true;
    s.setTrain({ ...s.train, earlyStopping: { ...es, enabled: true, metric: 'loss', restoreBest: true } });
  } else if (s.datasetSource !== 'import' && earlyStoppingForImport) {
    earlyStoppingForImport = false;
    if (es.enabled) s.setTrain({ ...s.train, earlyStopping: { ...es, enabled: false } });
  }
}

/** Sets the theme attribute on <html> (theme.css reads it); "system" follows the OS. */
function applyTheme(theme: Store['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** Reads the URL and starts every effect; call once before the first render. */
export function startApp(): void {
  if (started) return;
  started = true;
  const parsed = setupFromQuery(location.search);
  const store = useStore.getState();
  store.setDataSettings(parsed.setup.data);
  store.setModel(parsed.setup.model);
  store.setTrain(parsed.setup.train);
  if (parsed.tab) store.setTab(parsed.tab);
  if (parsed.backend) store.setBackendChoice(parsed.backend);
  store.setUrlProblems(summarizeUrlProblems(parsed.problems));
  const theme = localStorage.getItem('gatescope.theme');
  if (theme === 'light' || theme === 'dark') store.setTheme(theme);
  applyTheme(useStore.getState().theme);

  acquireGpuAdapterSummary().then((probe) => {
    // The worker's own report (after its session starts) is the final word.
    if (useStore.getState().backendProbe.kind === 'pending') useStore.getState().setBackendProbe(probe);
  });

  // A saved session comes back first (it brings its own settings and dataset).
  // A link to another setup keeps its setup; the saved session is then offered instead.
  // Values the app wrote into the URL itself (the user's changes before a reload) are no link.
  const written = historyValue(WRITTEN_QUERY);
  const linked = isForeignLink(location.search, typeof written === 'string' ? written : null, historyValue(OPENED_AS_LINK) === true);
  const urlSetup = queryFromSetup(parsed.setup, null);
  void restoreSavedSession((saved) => !linked || queryFromSetup(saved, null) === urlSetup).then((restored) => {
    if (!restored) buildDataset();
    startAutosave();
  });

  const rebuild = debounce(() => buildDataset(), DATA_DEBOUNCE_MS);
  const writeUrl = debounce(() => {
    const s = useStore.getState();
    const query = queryFromSetup({ data: s.dataSettings, model: s.model, train: s.train }, s.tab);
    const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState({ ...(history.state as object | null), [WRITTEN_QUERY]: query, [OPENED_AS_LINK]: linked }, '', url);
  }, URL_DEBOUNCE_MS);
  const refreshSession = debounce(() => {
    const s = useStore.getState();
    if (s.compareRunning || isRestoring() || !replaceable(s)) return;
    const { target } = currentTarget(s);
    if (target && target.key !== s.session?.key) void training.newSession();
  }, SESSION_DEBOUNCE_MS);

  useStore.subscribe((s, prev) => {
    defaultEarlyStopping(s, prev);
    if (s.dataSettings !== prev.dataSettings) rebuild();
    if (s.dataSettings !== prev.dataSettings || s.model !== prev.model || s.train !== prev.train || s.tab !== prev.tab) writeUrl();
    if (s.dataset !== prev.dataset || s.model !== prev.model || s.train !== prev.train || s.features !== prev.features || s.runStatus !== prev.runStatus || s.compareRunning !== prev.compareRunning) {
      refreshSession();
    }
    if (s.train !== prev.train) training.syncLive();
    if (s.theme !== prev.theme) {
      applyTheme(s.theme);
      if (s.theme === 'system') localStorage.removeItem('gatescope.theme');
      else localStorage.setItem('gatescope.theme', s.theme);
    }
  });
}
