// The session store: the current session (dataset choice and data, configs, weights and
// optimizer state, metrics, compare runs) saved in IndexedDB through `idb`, so a reload
// restores it. One record under one key; typed arrays are stored as they are
// (structured clone). Saving checks a size bound first and reports a full disk or a
// refused quota as a SessionStorageError with a plain message — never silently.
// `createAutosave` saves at most once per interval, and at once when asked (on pause).
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import type { PreparedDataset } from '../data/types.ts';
import { validateModelConfig, type ModelConfig } from '../models/config.ts';
import { modelSpecs } from '../models/model.ts';
import type { TrainConfig } from '../train/config.ts';
import type { TrainingState } from '../train/protocol.ts';
import type { DatasetReference } from './checkpoint.ts';
import type { EpochRecord, StepStats } from '../train/trainer.ts';
import { packSteps, unpackSteps, validStoredSteps, type StepColumns } from './step-columns.ts';

/**
 * Bump when older GateScope versions can no longer read the sessions this one saves.
 * 2: the per-step statistics are stored as columns (step-columns.ts); version 1 records
 * (steps as objects) are still read.
 */
export const SESSION_VERSION = 2;
/** Largest session saved by default (typed arrays counted by their bytes). */
export const DEFAULT_MAX_SESSION_BYTES = 512 * 1024 * 1024;
/** Per-step records kept in a saved session (the most recent ones). */
export const MAX_SAVED_STEPS = 20_000;

const DB_NAME = 'gatescope';
const STORE = 'session';
const KEY = 'current';

/**
 * Which dataset the session uses. `generated` (built-in and teaching datasets): the app's
 * own settings (`SessionSnapshot.setup`) rebuild it and `reference` checks that the
 * rebuilt data is the same. `import`: the processed PreparedDataset itself, since the
 * files are gone after a reload.
 */
export type DatasetSnapshot = { source: 'generated'; reference: DatasetReference } | { source: 'import'; name: string; prepared: PreparedDataset };

/** Metrics shown in the charts. */
export interface SessionMetrics {
  /** One record per finished epoch. */
  epochs: EpochRecord[];
  /** Per-step statistics (the most recent MAX_SAVED_STEPS are saved). */
  steps: StepStats[];
}

/** Everything the app needs to come back after a reload. Serialisable; typed arrays allowed. */
export interface SessionSnapshot {
  /** Set by saveSession. */
  version: number;
  /** When it was saved (ms since 1970), set by saveSession. */
  savedAt: number;
  dataset: DatasetSnapshot | null;
  /** The app's own settings that built this session (checked by the app on restore). */
  setup?: unknown;
  /** Precomputed image features [N, Fin] of the features encoder, if any. */
  features: Float32Array | null;
  model: ModelConfig;
  train: TrainConfig;
  /** Weights, optimizer state and position; null before training started. */
  training: TrainingState | null;
  metrics: SessionMetrics;
  /** Compare runs, as the UI keeps them. */
  compareRuns: unknown[];
}

/** What the caller provides; version and savedAt are filled in. */
export type SessionInput = Omit<SessionSnapshot, 'version' | 'savedAt'>;

/** A session could not be saved or read; the message says why in plain words. */
export class SessionStorageError extends Error {
  constructor(
    message: string,
    readonly reason: 'quota' | 'too-large' | 'unavailable' | 'newer' | 'corrupt' | 'failed',
  ) {
    super(message);
    this.name = 'SessionStorageError';
  }
}

export interface SessionStoreOptions {
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
  /** Refuse to save sessions larger than this many bytes. */
  maxBytes?: number;
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Approximate stored size: typed arrays by bytes, strings by UTF-16 length, 8 per number. */
export function snapshotBytes(value: unknown, seen: Set<unknown> = new Set()): number {
  if (value === null || value === undefined) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object') return 8;
  if (seen.has(value)) return 0;
  seen.add(value);
  let n = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) n += 2 * k.length + snapshotBytes(v, seen);
  return n;
}

/** The biggest parts of a snapshot, for the too-large message. */
function largestParts(s: SessionInput): string {
  const parts: [string, number][] = [
    ['the prepared dataset', snapshotBytes(s.dataset)],
    ['image features', snapshotBytes(s.features)],
    ['weights and optimizer state', snapshotBytes(s.training)],
    ['metrics', snapshotBytes(s.metrics)],
    ['compare runs', snapshotBytes(s.compareRuns)],
  ];
  return parts
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([what, n]) => `${what} ${megabytes(n)}`)
    .join(', ');
}

async function open(dbName: string): Promise<IDBPDatabase> {
  if (typeof indexedDB === 'undefined') throw new SessionStorageError('This browser has no IndexedDB, so the session cannot be kept across reloads.', 'unavailable');
  try {
    return await openDB(dbName, 1, {
      upgrade(db) {
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
      },
    });
  } catch (e) {
    throw new SessionStorageError(`The session store could not be opened (${describe(e)}). Private browsing or blocked site data can cause this.`, 'unavailable');
  }
}

function describe(e: unknown): string {
  if (e instanceof DOMException) return `${e.name}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name ?? '';
  const message = (e as { message?: string } | null)?.message ?? '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(message);
}

async function storageEstimate(): Promise<string> {
  try {
    const est = await navigator.storage?.estimate?.();
    if (est && est.quota) return ` The browser reports ${megabytes(est.usage ?? 0)} used of ${megabytes(est.quota)} allowed for this site.`;
  } catch {
    // No estimate available: the message goes without it.
  }
  return '';
}

/** Last `MAX_SAVED_STEPS` step records. */
function boundedMetrics(m: SessionMetrics): SessionMetrics {
  return { epochs: m.epochs, steps: m.steps.length > MAX_SAVED_STEPS ? m.steps.slice(m.steps.length - MAX_SAVED_STEPS) : m.steps };
}

/**
 * Saves the session (replacing the previous one). Resolves with what was stored; rejects
 * with a SessionStorageError when the session exceeds the size bound or the browser
 * refuses to store it (quota), naming the sizes involved.
 */
export async function saveSession(input: SessionInput, options: SessionStoreOptions = {}): Promise<SessionSnapshot> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SESSION_BYTES;
  const snapshot: SessionSnapshot = { ...input, metrics: boundedMetrics(input.metrics), version: SESSION_VERSION, savedAt: Date.now() };
  const stored = { ...snapshot, metrics: { epochs: snapshot.metrics.epochs, steps: packSteps(snapshot.metrics.steps) } };
  const bytes = snapshotBytes(stored);
  if (bytes > maxBytes) {
    throw new SessionStorageError(
      `The session is ${megabytes(bytes)}, more than the ${megabytes(maxBytes)} GateScope keeps in the browser (${largestParts(snapshot)}). It was not saved; download a checkpoint to keep the model.`,
      'too-large',
    );
  }
  const db = await open(options.dbName ?? DB_NAME);
  try {
    const tx = db.transaction(STORE, 'readwrite');
    await Promise.all([tx.store.put(stored, KEY), tx.done]);
    return snapshot;
  } catch (e) {
    if (isQuotaError(e)) {
      throw new SessionStorageError(
        `The browser refused to store the ${megabytes(bytes)} session: its storage quota for this site is full.${await storageEstimate()} Free space (clear old sessions or site data) or download a checkpoint instead.`,
        'quota',
      );
    }
    throw new SessionStorageError(`The session could not be saved (${describe(e)}).`, 'failed');
  } finally {
    db.close();
  }
}

/** Problems that make a stored snapshot unusable, in plain words (empty when fine). */
export function checkSnapshot(s: unknown): { reason: 'newer' | 'corrupt'; message: string } | null {
  if (!s || typeof s !== 'object') return { reason: 'corrupt', message: 'The saved session is not a session record.' };
  const snap = s as Partial<SessionSnapshot>;
  if (typeof snap.version !== 'number') return { reason: 'corrupt', message: 'The saved session has no version.' };
  if (snap.version > SESSION_VERSION) {
    return { reason: 'newer', message: `The saved session comes from a newer GateScope (session version ${snap.version}; this one reads up to ${SESSION_VERSION}). Update GateScope, or clear the session.` };
  }
  if (typeof snap.savedAt !== 'number' || !snap.model || !snap.train || !snap.metrics || !Array.isArray(snap.compareRuns)) {
    return { reason: 'corrupt', message: 'The saved session is incomplete.' };
  }
  if (!Array.isArray(snap.metrics.epochs) || !validStoredSteps(snap.metrics.steps)) return { reason: 'corrupt', message: "The saved session's training statistics are damaged." };
  const problems = validateModelConfig(snap.model);
  if (problems.length) return { reason: problems.some((p) => /version/.test(p)) ? 'newer' : 'corrupt', message: `The saved session's model config is unusable: ${problems.join(' ')}` };
  if (snap.training) {
    for (const spec of modelSpecs(snap.model)) {
      const w = snap.training.weights?.[spec.name];
      const n = spec.shape.reduce((a, b) => a * b, 1);
      if (!(w instanceof Float32Array) || w.length !== n) return { reason: 'corrupt', message: `The saved session's weights do not fit its model ("${spec.name}").` };
    }
  }
  return null;
}

/**
 * The saved session, or null when there is none. Rejects with a SessionStorageError when
 * the stored record is from a newer GateScope or damaged (it is left in place; the caller
 * can offer to clear it).
 */
export async function loadSession(options: SessionStoreOptions = {}): Promise<SessionSnapshot | null> {
  const db = await open(options.dbName ?? DB_NAME);
  let value: unknown;
  try {
    value = await db.get(STORE, KEY);
  } catch (e) {
    throw new SessionStorageError(`The saved session could not be read (${describe(e)}).`, 'failed');
  } finally {
    db.close();
  }
  if (value === undefined) return null;
  const problem = checkSnapshot(value);
  if (problem) throw new SessionStorageError(problem.message, problem.reason);
  const snap = value as SessionSnapshot;
  return { ...snap, metrics: { epochs: snap.metrics.epochs, steps: unpackSteps(snap.metrics.steps as StepColumns | StepStats[]) } };
}

/** Removes the saved session (the database itself stays). */
export async function clearSession(options: SessionStoreOptions = {}): Promise<void> {
  const db = await open(options.dbName ?? DB_NAME);
  try {
    await db.delete(STORE, KEY);
  } catch (e) {
    throw new SessionStorageError(`The saved session could not be cleared (${describe(e)}).`, 'failed');
  } finally {
    db.close();
  }
}

/** Deletes a whole session database (tests). */
export function deleteSessionDatabase(dbName: string): Promise<void> {
  return deleteDB(dbName);
}

export interface AutosaveOptions extends SessionStoreOptions {
  /** Least time between two saves (ms). */
  intervalMs: number;
  onSaved?: (snapshot: SessionSnapshot) => void;
  /** Every failure is reported here (quota, size), never swallowed. */
  onError: (error: SessionStorageError) => void;
}

export interface Autosave {
  /** Something changed: save within `intervalMs` (at most one save per interval). */
  schedule(): void;
  /** Save now (e.g. on pause), after any save in progress; resolves when stored or failed. */
  flush(): Promise<void>;
  /** Resolves when no save is running. */
  idle(): Promise<void>;
  /** Stops scheduled saves (a save in progress still finishes). */
  dispose(): void;
}

/**
 * Saves `snapshot()` at most once per interval while changes are scheduled, and at once
 * on `flush()`. Saves never overlap; `snapshot` returning null skips a save.
 */
export function createAutosave(snapshot: () => SessionInput | null | Promise<SessionInput | null>, options: AutosaveOptions): Autosave {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastSave = -Infinity;
  let running: Promise<void> = Promise.resolve();
  let disposed = false;

  const save = (): Promise<void> => {
    running = running.then(async () => {
      lastSave = Date.now();
      try {
        const input = await snapshot();
        if (!input) return;
        const stored = await saveSession(input, options);
        options.onSaved?.(stored);
      } catch (e) {
        options.onError(e instanceof SessionStorageError ? e : new SessionStorageError(`The session could not be saved (${describe(e)}).`, 'failed'));
      }
    });
    return running;
  };

  return {
    schedule() {
      if (disposed || timer) return;
      const wait = Math.max(0, lastSave + options.intervalMs - Date.now());
      timer = setTimeout(() => {
        timer = null;
        if (!disposed) void save();
      }, wait);
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      return save();
    },
    idle() {
      return running;
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
