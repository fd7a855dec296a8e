// Sounds & Questions: answers follow the events, the events are where the clip says, the
// question kinds and answers are balanced, and the log-mel frames show the events.
import { describe, expect, it } from 'vitest';
import { LOG_MEL, logMel } from './audio-features.ts';
import { CLIP_SAMPLES, generateSounds, soundAnswer, SOUND_EVENTS, SOUNDS_SAMPLE_RATE } from './sounds.ts';

describe('Sounds & Questions', () => {
  const data = generateSounds({ n: 400, seed: 5 });

  it('is seeded', () => {
    const again = generateSounds({ n: 3, seed: 5 });
    expect(again.map((e) => e.question)).toEqual(data.slice(0, 3).map((e) => e.question));
    expect(Array.from(again[2].clip.subarray(0, 50))).toEqual(Array.from(data[2].clip.subarray(0, 50)));
    expect(generateSounds({ n: 3, seed: 6 })[0].clip).not.toEqual(data[0].clip);
  });

  it('answers from the events in time order', () => {
    for (const e of data) {
      const kinds = e.events.map((x) => x.kind);
      expect(e.events.length).toBeGreaterThanOrEqual(1);
      expect(e.events.length).toBeLessThanOrEqual(3);
      for (let k = 1; k < e.events.length; k++) expect(e.events[k].start).toBeGreaterThan(e.events[k - 1].start + e.events[k - 1].length);
      const last = e.events.at(-1)!;
      expect(last.start + last.length).toBeLessThanOrEqual(CLIP_SAMPLES);
      if (e.kind !== 'exists') expect(e.answer).toBe(soundAnswer(e.kind, kinds));
      else {
        const asked = SOUND_EVENTS.find((s) => e.question === `is there a ${s}?`)!;
        expect(e.answer).toBe(kinds.includes(asked) ? 'yes' : 'no');
      }
    }
  });

  it('balances the question kinds and the yes/no answers', () => {
    const byKind = new Map<string, number>();
    for (const e of data) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
    expect([...byKind.values()]).toEqual([100, 100, 100, 100]);
    const yes = data.filter((e) => e.kind === 'exists' && e.answer === 'yes').length;
    expect(yes).toBeGreaterThan(35);
    expect(yes).toBeLessThan(65);
    expect(() => generateSounds({ n: 0, seed: 1 })).toThrow(/≥ 1/);
  });

  it('is loud where the events are and quiet between them, in the log-mel frames too', () => {
    const e = data.find((x) => x.events.length === 2)!;
    const { frames, data: mel } = logMel(e.clip);
    // The loudest band of a frame: an event lights a few bands far above the background.
    const energy = (f: number) => Math.max(...mel.subarray(f * LOG_MEL.nMels, (f + 1) * LOG_MEL.nMels));
    const frameOf = (sample: number) => Math.min(frames - 1, Math.floor(sample / LOG_MEL.hop));
    const inside = e.events.map((x) => energy(frameOf(x.start + x.length / 2)));
    const gap = energy(frameOf((e.events[0].start + e.events[0].length + e.events[1].start) / 2));
    for (const v of inside) expect(v).toBeGreaterThan(gap + 5);
    expect(e.clip.length).toBe(SOUNDS_SAMPLE_RATE);
    expect(e.clip.every((v) => Math.abs(v) <= 1)).toBe(true);
  });
});
