// A manifest with an `audio` column: paths resolve like image paths, each file is decoded
// once through the page's decoder (here a stand-in that reads 16-bit PCM WAV and resamples
// linearly; the Web Audio decoder is tested in audio-decode.browser.test.ts), bad files
// are reported by manifest and row, the rest loads, and preparation turns the clips into
// log-mel frames in the image's place.
import { describe, expect, it } from 'vitest';
import { pngDecoder } from '../data/decode.ts';
import { fileFromBytes } from '../data/files.ts';
import { loadImport, planImport } from '../data/importer.ts';
import { decodeClip, wavInfo, type AudioDecoder } from '../data/audio-decode.ts';
import { DatasetBuilder } from './datasets.ts';
import { DEFAULT_TOKENIZER } from '../data/tokenizer.ts';
import { sine, wavBytes } from '../data/wav.support.ts';

/** Reads the 16-bit PCM WAV files wavBytes writes; throws on anything else. */
const testDecoder: AudioDecoder = {
  async decode(bytes) {
    const info = wavInfo(bytes);
    if (!info?.sampleRate || info.dataBytes === null) throw new Error('not a WAV file');
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    const C = v.getUint16(22, true);
    const n = info.dataBytes / 2 / C;
    const channels = Array.from({ length: C }, (_, c) => {
      const src = Float32Array.from({ length: n }, (_, i) => v.getInt16(44 + (i * C + c) * 2, true) / 32767);
      const m = Math.round((n * 16000) / info.sampleRate!);
      return Float32Array.from({ length: m }, (_, k) => src[Math.min(n - 1, Math.floor((k * info.sampleRate!) / 16000))]);
    });
    return { sourceRate: info.sampleRate, channels };
  },
};

const text = (s: string) => new TextEncoder().encode(s);

describe('manifest audio column', () => {
  it('loads clips, reports bad ones by row, and prepares log-mel frames', async () => {
    const files = [
      fileFromBytes('sounds/manifest.csv', text('audio,question,answer\nclips/a.wav,what is it?,beep\nclips/b.wav,what is it?,hiss\nclips/bad.wav,what is it?,beep\nclips/none.wav,what is it?,hiss\nclips/long.wav,what is it?,beep\nclips/cd.wav,what is it?,hiss\nclips/missing.wav,what is it?,beep\nclips/a.wav,is it loud?,beep\n')),
      fileFromBytes('sounds/clips/a.wav', wavBytes([sine(440, 0.5, 16000)], 16000)),
      fileFromBytes('sounds/clips/b.wav', wavBytes([sine(3000, 0.5, 16000)], 16000)),
      fileFromBytes('sounds/clips/bad.wav', Uint8Array.from({ length: 200 }, (_, i) => (i * 31) % 256)),
      fileFromBytes('sounds/clips/none.wav', wavBytes([new Float32Array(0)], 16000)),
      fileFromBytes('sounds/clips/long.wav', wavBytes([new Float32Array(31 * 16000)], 16000)),
      fileFromBytes('sounds/clips/cd.wav', wavBytes([sine(3000, 1, 44100), sine(3000, 1, 44100)], 44100)),
    ];
    const plan = await planImport(files, { fromFolder: true });
    expect(plan.mapping).toMatchObject({ image: null, audio: 'audio', text: 'question', target: 'answer' });
    const asked: string[] = [];
    const result = await loadImport(plan, plan.mapping, {
      decode: pngDecoder,
      decodeAudio: (bytes, where) => {
        asked.push(where.path);
        return decodeClip(bytes, where, testDecoder);
      },
    });
    // Each file is decoded once (a.wav serves two rows).
    expect(asked).toEqual(['clips/a.wav', 'clips/b.wav', 'clips/bad.wav', 'clips/none.wav', 'clips/long.wav', 'clips/cd.wav']);
    const issues = result.report.issues.map((i) => [i.code, i.file, i.row ?? null, i.message]);
    expect(issues).toEqual([
      ['undecodable-audio', 'manifest.csv', 4, 'audio clips/bad.wav: it cannot be decoded (corrupt, truncated, or not a WAV/MP3/OGG file: not a WAV file); skipped'],
      ['empty-audio', 'manifest.csv', 5, 'audio clips/none.wav: the file holds 0 samples; skipped'],
      ['audio-too-long', 'manifest.csv', 6, 'audio clips/long.wav: the clip lasts 31.0 s, longer than the limit of 30 s (cut it into shorter clips); skipped'],
      ['resampled-audio', 'manifest.csv', 7, 'audio clips/cd.wav: recorded at 44100 Hz, resampled to 16000 Hz'],
      ['image-not-found', 'manifest.csv', 8, 'audio "clips/missing.wav" is not among the imported files (looked for clips/missing.wav); skipped'],
    ]);
    expect(result.examples.map((e) => e.audio?.length)).toEqual([8000, 8000, 16000, 8000]);
    expect(result.report.rowsKept).toBe(4);

    const prepared = await new DatasetBuilder().build({
      source: 'import',
      imported: { name: result.name, examples: result.examples, report: result.report, task: result.task },
      preparation: { imageSize: 16, tokenizer: DEFAULT_TOKENIZER, split: { train: 0.5, validation: 0.25, seed: 1, stratify: false } },
    });
    expect(prepared.audio!.frameSize).toBe(40);
    expect(prepared.audio!.length).toBe(97); // the longest clip, 1 s
    expect(Array.from(prepared.audio!.lengths).sort()).toEqual([47, 47, 47, 97]);
    expect(Array.from(prepared.hasImage)).toEqual([1, 1, 1, 1]);
  });
});
