// "Sounds & Questions": a built-in audio dataset generated in the browser (issue 16, the
// audio modality), the audio sibling of Shapes & Questions. Each example is a one-second
// mono clip at 16 kHz holding one to three sound events in a row — a low beep (440 Hz), a
// high beep (1760 Hz), a rising or a falling chirp (300 ↔ 3000 Hz), a noise burst — over
// faint background noise, with a question about it:
//
//   count   "how many sounds are there?"       → one | two | three
//   first   "what comes first?"                → low beep | high beep | rising chirp | falling chirp | noise
//   last    "what comes last?"                 → (the same five)
//   exists  "is there a <event>?"              → yes | no (half the clips are made to have it)
//
// The question decides which answer is right, so the text matters as in Shapes &
// Questions; "first" against "last" needs the order of events, which a model only gets by
// reading the frames in time. Seeded: the same options give the same clips.
import { Random } from '../random.ts';

export type SoundEvent = 'low beep' | 'high beep' | 'rising chirp' | 'falling chirp' | 'noise';
export const SOUND_EVENTS: readonly SoundEvent[] = ['low beep', 'high beep', 'rising chirp', 'falling chirp', 'noise'];
export type SoundQuestion = 'count' | 'first' | 'last' | 'exists';
export const SOUND_QUESTIONS: readonly SoundQuestion[] = ['count', 'first', 'last', 'exists'];

export const SOUNDS_SAMPLE_RATE = 16000;
/** Clip length, samples (one second). */
export const CLIP_SAMPLES = SOUNDS_SAMPLE_RATE;

export interface SoundsOptions {
  n: number;
  seed: number;
  /** Question kinds asked (each example gets one, in turn); default all. */
  kinds?: readonly SoundQuestion[];
}

export interface SoundsExample {
  /** [CLIP_SAMPLES] samples in [−1, 1]. */
  clip: Float32Array;
  events: { kind: SoundEvent; start: number; length: number }[];
  question: string;
  answer: string;
  kind: SoundQuestion;
}

const COUNT_WORDS = ['one', 'two', 'three'];

/** The question text of a kind (for `exists`, about `event`). */
export function soundQuestion(kind: SoundQuestion, event?: SoundEvent): string {
  switch (kind) {
    case 'count':
      return 'how many sounds are there?';
    case 'first':
      return 'what comes first?';
    case 'last':
      return 'what comes last?';
    case 'exists':
      return `is there a ${event ?? 'noise'}?`;
  }
}

/** The answer to a question about `events` (in time order). */
export function soundAnswer(kind: SoundQuestion, events: readonly SoundEvent[], asked?: SoundEvent): string {
  switch (kind) {
    case 'count':
      return COUNT_WORDS[events.length - 1];
    case 'first':
      return events[0];
    case 'last':
      return events[events.length - 1];
    case 'exists':
      return asked !== undefined && events.includes(asked) ? 'yes' : 'no';
  }
}

/** Writes one event into `out` from `start` for `length` samples (a 10 ms fade at both ends). */
function writeEvent(out: Float32Array, kind: SoundEvent, start: number, length: number, rng: Random): void {
  const sr = SOUNDS_SAMPLE_RATE;
  const fade = Math.min(160, length / 4);
  const duration = length / sr;
  let phase = 0;
  for (let i = 0; i < length; i++) {
    const t = i / sr;
    const env = Math.min(1, i / fade, (length - 1 - i) / fade);
    let v: number;
    if (kind === 'noise') v = rng.uniform(-1, 1) * 0.7;
    else {
      // Instantaneous frequency, integrated into the phase (a chirp sweeps smoothly).
      const f = kind === 'low beep' ? 440 : kind === 'high beep' ? 1760 : kind === 'rising chirp' ? 300 + (2700 * t) / duration : 3000 - (2700 * t) / duration;
      phase += (2 * Math.PI * f) / sr;
      v = 0.6 * Math.sin(phase);
    }
    out[start + i] += env * v;
  }
}

/** One clip with `events` in a row: 150–250 ms each, gaps of at least 60 ms, a random start. */
function makeClip(events: readonly SoundEvent[], rng: Random): { clip: Float32Array; placed: SoundsExample['events'] } {
  const sr = SOUNDS_SAMPLE_RATE;
  const clip = new Float32Array(CLIP_SAMPLES);
  for (let i = 0; i < clip.length; i++) clip[i] = rng.uniform(-1, 1) * 0.01;
  const lengths = events.map(() => Math.round(sr * rng.uniform(0.15, 0.25)));
  const minGap = Math.round(sr * 0.06);
  const spare = CLIP_SAMPLES - lengths.reduce((a, b) => a + b, 0) - minGap * (events.length + 1);
  // Split the spare time at random between the gaps (before, between and after the events).
  const cuts = Array.from({ length: events.length + 1 }, () => rng.next());
  const total = cuts.reduce((a, b) => a + b, 0);
  const placed: SoundsExample['events'] = [];
  let at = 0;
  events.forEach((kind, k) => {
    at += minGap + Math.floor((spare * cuts[k]) / total);
    writeEvent(clip, kind, at, lengths[k], rng);
    placed.push({ kind, start: at, length: lengths[k] });
    at += lengths[k];
  });
  return { clip, placed };
}

/** Generates the dataset; examples take the question kinds in turn. */
export function generateSounds(options: SoundsOptions): SoundsExample[] {
  const kinds = options.kinds?.length ? options.kinds : SOUND_QUESTIONS;
  if (!Number.isInteger(options.n) || options.n < 1) throw new RangeError(`Sounds & Questions: the number of examples must be a whole number ≥ 1, got ${options.n}`);
  const rng = new Random(options.seed);
  const out: SoundsExample[] = [];
  for (let i = 0; i < options.n; i++) {
    const kind = kinds[i % kinds.length];
    const count = 1 + rng.int(3);
    const events = Array.from({ length: count }, () => SOUND_EVENTS[rng.int(SOUND_EVENTS.length)]);
    let asked: SoundEvent | undefined;
    if (kind === 'exists') {
      // Half the clips contain the event asked about, so "yes" and "no" are equally common.
      asked = SOUND_EVENTS[rng.int(SOUND_EVENTS.length)];
      const want = rng.next() < 0.5;
      if (want && !events.includes(asked)) events[rng.int(count)] = asked;
      if (!want) for (let k = 0; k < count; k++) while (events[k] === asked) events[k] = SOUND_EVENTS[rng.int(SOUND_EVENTS.length)];
    }
    const { clip, placed } = makeClip(events, rng);
    out.push({ clip, events: placed, question: soundQuestion(kind, asked), answer: soundAnswer(kind, events, asked), kind });
  }
  return out;
}
