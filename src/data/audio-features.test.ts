// Log-mel features against torch.stft + the HTK mel filterbank (fixture made by
// scripts/make_audio_fixtures.py), and the FFT against a direct DFT.
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/logmel.json';
import { fft, frameCount, LOG_MEL, logMel, melFilterbank, type LogMelConfig } from './audio-features.ts';

describe('log-mel frames match PyTorch (float64 reference, float32 output)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const got = logMel(c.signal, c.config as LogMelConfig);
      expect(got.frames).toBe(c.frames);
      expect(got.data.length).toBe(c.logMel.length);
      let worst = 0;
      got.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - c.logMel[i]))));
      // float32 rounding of values up to |14|: a few ulps.
      expect(worst).toBeLessThan(1e-5);
    });
  }
});

describe('pieces', () => {
  it('the FFT equals a direct DFT', () => {
    const n = 64;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + ((i * 37) % 11) / 11);
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    fft(re, im);
    for (const k of [0, 1, 5, 31, 32, 63]) {
      let dr = 0;
      let di = 0;
      for (let t = 0; t < n; t++) {
        dr += x[t] * Math.cos((-2 * Math.PI * k * t) / n);
        di += x[t] * Math.sin((-2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(dr, 9);
      expect(im[k]).toBeCloseTo(di, 9);
    }
    expect(() => fft(new Float64Array(12), new Float64Array(12))).toThrow(/power of two/);
  });

  it('counts frames without centring padding', () => {
    expect(frameCount(511)).toBe(0);
    expect(frameCount(512)).toBe(1);
    expect(frameCount(512 + 159)).toBe(1);
    expect(frameCount(16000)).toBe(97); // one second: 1 + ⌊(16000 − 512) / 160⌋
    expect(logMel(new Float32Array(100)).frames).toBe(0);
  });

  it('the filterbank is triangular with peaks of 1 at increasing frequencies', () => {
    const f = melFilterbank(LOG_MEL);
    const bins = LOG_MEL.nFft / 2 + 1;
    let lastPeak = -1;
    for (let m = 0; m < LOG_MEL.nMels; m++) {
      const row = Array.from(f.subarray(m * bins, (m + 1) * bins));
      const peak = row.indexOf(Math.max(...row));
      expect(Math.max(...row)).toBeGreaterThan(0.5);
      expect(Math.max(...row)).toBeLessThanOrEqual(1);
      expect(peak).toBeGreaterThanOrEqual(lastPeak);
      lastPeak = peak;
      expect(row.every((v) => v >= 0)).toBe(true);
    }
  });

  it('a pure tone lights the band around its frequency; silence sits at the log floor', () => {
    const sr = LOG_MEL.sampleRate;
    const tone = Float32Array.from({ length: sr / 4 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / sr));
    const { frames, data } = logMel(tone);
    const row = Array.from(data.subarray(Math.floor(frames / 2) * LOG_MEL.nMels, (Math.floor(frames / 2) + 1) * LOG_MEL.nMels));
    const band = row.indexOf(Math.max(...row));
    // 1000 Hz is 1000 mel; bands are spaced (2840 mel / 41) apart from 0: the 14th point is 969 mel.
    expect(band).toBeGreaterThanOrEqual(12);
    expect(band).toBeLessThanOrEqual(14);
    const silent = logMel(new Float32Array(1024));
    for (const v of silent.data) expect(v).toBeCloseTo(Math.log(1e-6), 5);
  });
});
