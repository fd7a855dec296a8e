// The page's side of the kernel-tuning cache: the training and benchmark workers have no
// localStorage, so the page hands them its tuning entries (keys starting with
// TUNING_KEY_PREFIX, src/ops/tuning-cache.ts) and stores what they report back.
import { TUNING_KEY_PREFIX } from '../ops/tuning-cache.ts';

/** Every tuning entry in localStorage ({} when storage is disabled: the kernels are tuned again). */
export function storedTuningEntries(): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(TUNING_KEY_PREFIX)) out[key] = localStorage.getItem(key) ?? '';
    }
  } catch {
    // storage disabled
  }
  return out;
}

/** Stores one entry; a full or disabled storage only costs a tuning next time. */
export function saveTuningEntry(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // see above
  }
}
