// Audio files through the browser's decoder (Web Audio in Chromium): WAV files made in the
// test — a 16 kHz clip, a 44.1 kHz stereo one (resampled, its rate named), a corrupt one,
// empty ones, one longer than the limit — become 16 kHz mono clips or clear messages that
// name the file and the manifest row.
import { describe, expect, it } from 'vitest';
import { decodeClip, MAX_CLIP_SECONDS, webAudioDecoder } from './audio-decode.ts';
import { logMel } from './audio-features.ts';
import { sine, wavBytes } from './wav.support.ts';

/** The mel band with the most energy, averaged over the frames. */
function loudestBand(clip: Float32Array): number {
  const m = logMel(clip);
  const sums = new Float64Array(40);
  for (let t = 0; t < m.frames; t++) for (let b = 0; b < 40; b++) sums[b] += m.data[t * 40 + b];
  return sums.indexOf(Math.max(...sums));
}

describe('audio decoding (Web Audio)', () => {
  it('reads a 16 kHz WAV as it is', async () => {
    const x = sine(440, 0.5, 16000);
    const r = await decodeClip(wavBytes([x], 16000), { path: 'a.wav' }, webAudioDecoder);
    expect(r.issues).toEqual([]);
    expect(r.clip!.length).toBe(8000);
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(r.clip![i] - x[i]));
    expect(err).toBeLessThan(1e-4); // 16-bit quantisation
  });

  it('mixes a 44.1 kHz stereo WAV to mono, resamples it to 16 kHz and says so', async () => {
    const left = sine(1000, 1, 44100);
    const right = sine(1000, 1, 44100);
    const r = await decodeClip(wavBytes([left, right], 44100), { path: 'clips/b.wav', file: 'manifest.csv', row: 3 }, webAudioDecoder);
    expect(r.issues).toEqual([{ severity: 'warning', code: 'resampled-audio', file: 'manifest.csv', row: 3, message: 'audio clips/b.wav: recorded at 44100 Hz, resampled to 16000 Hz' }]);
    expect(Math.abs(r.clip!.length - 16000)).toBeLessThanOrEqual(1);
    // The same tone at 16 kHz lands in the same mel band.
    expect(loudestBand(r.clip!)).toBe(loudestBand(sine(1000, 1, 16000)));
  });

  it('reports a corrupt file, an empty file and a WAV of 0 samples, naming file and row', async () => {
    const garbage = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);
    const corrupt = await decodeClip(garbage, { path: 'bad.wav', file: 'm.csv', row: 5 }, webAudioDecoder);
    expect(corrupt.clip).toBeNull();
    expect(corrupt.issues[0]).toMatchObject({ severity: 'error', code: 'undecodable-audio', file: 'm.csv', row: 5 });
    expect(corrupt.issues[0].message).toMatch(/^audio bad\.wav: it cannot be decoded \(corrupt, truncated, or not a WAV\/MP3\/OGG file/);
    const zero = await decodeClip(new Uint8Array(0), { path: 'zero.wav' }, webAudioDecoder);
    expect(zero.issues[0]).toMatchObject({ code: 'undecodable-audio', file: 'zero.wav', message: 'the file is empty (0 bytes); skipped' });
    const noSamples = await decodeClip(wavBytes([new Float32Array(0)], 16000), { path: 'none.wav', file: 'm.csv', row: 7 }, webAudioDecoder);
    expect(noSamples.clip).toBeNull();
    expect(noSamples.issues).toEqual([{ severity: 'error', code: 'empty-audio', file: 'm.csv', row: 7, message: 'audio none.wav: the file holds 0 samples; skipped' }]);
  });

  it('refuses a clip longer than the limit', async () => {
    const long = new Float32Array((MAX_CLIP_SECONDS + 1) * 16000);
    const r = await decodeClip(wavBytes([long], 16000), { path: 'long.wav', file: 'm.csv', row: 2 }, webAudioDecoder);
    expect(r.clip).toBeNull();
    expect(r.issues).toEqual([{ severity: 'error', code: 'audio-too-long', file: 'm.csv', row: 2, message: 'audio long.wav: the clip lasts 31.0 s, longer than the limit of 30 s (cut it into shorter clips); skipped' }]);
    // Silence is a clip like any other.
    const quiet = await decodeClip(wavBytes([new Float32Array(16000)], 16000), { path: 'quiet.wav' }, webAudioDecoder);
    expect(quiet.issues).toEqual([]);
    expect(quiet.clip!.length).toBe(16000);
  });
});
