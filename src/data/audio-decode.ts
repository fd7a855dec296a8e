// Audio files → one mono clip at 16 kHz, the rate the log-mel frames are computed at
// (audio-features.ts), with the problems found reported by file (and manifest row).
// Decoding is the browser's: Web Audio's decodeAudioData reads WAV, MP3, OGG (whatever
// the browser decodes), the channels are averaged to mono, and an OfflineAudioContext at
// 16 kHz resamples. Web Audio exists in pages only (not in workers, not in Node), so the
// decoder is passed in: `webAudioDecoder` in the page, a stand-in in Node tests.
//   corrupt / undecodable → error "undecodable-audio" (also a 0-byte file)
//   0 samples              → error "empty-audio" (silence is fine)
//   longer than 30 s       → error "audio-too-long" (not cut: a cut clip may lose what its label is about)
//   not 16 kHz             → warning "resampled-audio" naming the source rate; the clip is kept
import { issue } from './report.ts';
import { SOUNDS_SAMPLE_RATE } from './sounds.ts';
import type { ValidationIssue } from './types.ts';

/** Longest clip accepted, seconds. */
export const MAX_CLIP_SECONDS = 30;

/** What a decoder gives: every channel at 16 kHz, and the file's own rate when it could be read. */
export interface DecodedAudio {
  /** Sample rate of the file (WAV header); null when the format's header is not read here. */
  sourceRate: number | null;
  /** Channels at SOUNDS_SAMPLE_RATE. */
  channels: Float32Array[];
}

/** Decodes a file's bytes to 16 kHz channels (throws when it cannot). */
export interface AudioDecoder {
  decode(bytes: Uint8Array): Promise<DecodedAudio>;
}

export type ClipResult = { clip: Float32Array; issues: ValidationIssue[] } | { clip: null; issues: ValidationIssue[] };

/** The sample rate ("fmt " chunk) and the sample bytes ("data" chunk) of a RIFF/WAVE file; null when the bytes are not one. */
export function wavInfo(bytes: Uint8Array): { sampleRate: number | null; dataBytes: number | null } | null {
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info: { sampleRate: number | null; dataBytes: number | null } = { sampleRate: null, dataBytes: null };
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    if (text(at) === 'fmt ' && at + 16 <= bytes.length) info.sampleRate = view.getUint32(at + 12, true);
    if (text(at) === 'data') info.dataBytes = Math.min(size, bytes.length - at - 8);
    at += 8 + size + (size & 1);
  }
  return info;
}

/**
 * One audio file as a 16 kHz mono clip, or null with the reason. `where` names the file
 * (and the manifest and row that refer to it) in the messages.
 */
export async function decodeClip(bytes: Uint8Array, where: { path: string; file?: string; row?: number }, decoder: AudioDecoder): Promise<ClipResult> {
  const file = where.file ?? where.path;
  const prefix = where.file ? `audio ${where.path}: ` : '';
  const fail = (code: 'undecodable-audio' | 'empty-audio' | 'audio-too-long', message: string): ClipResult => ({ clip: null, issues: [issue(code, file, `${prefix}${message}; skipped`, where.row)] });
  if (bytes.length === 0) return fail('undecodable-audio', 'the file is empty (0 bytes)');
  // A WAV whose data chunk is empty: browsers refuse to decode it, but it is empty, not corrupt.
  if (wavInfo(bytes)?.dataBytes === 0) return fail('empty-audio', 'the file holds 0 samples');
  let decoded: DecodedAudio;
  try {
    decoded = await decoder.decode(bytes);
  } catch (e) {
    const why = (e as Error).message;
    return fail('undecodable-audio', `it cannot be decoded (corrupt, truncated, or not a WAV/MP3/OGG file${why ? `: ${why}` : ''})`);
  }
  const n = decoded.channels[0]?.length ?? 0;
  if (n === 0) return fail('empty-audio', 'the file holds 0 samples');
  const seconds = n / SOUNDS_SAMPLE_RATE;
  if (seconds > MAX_CLIP_SECONDS) return fail('audio-too-long', `the clip lasts ${seconds.toFixed(1)} s, longer than the limit of ${MAX_CLIP_SECONDS} s (cut it into shorter clips)`);
  const mono = new Float32Array(n);
  for (const ch of decoded.channels) for (let i = 0; i < n; i++) mono[i] += ch[i] / decoded.channels.length;
  const issues: ValidationIssue[] = [];
  if (decoded.sourceRate !== null && decoded.sourceRate !== SOUNDS_SAMPLE_RATE) {
    issues.push(issue('resampled-audio', file, `${prefix}recorded at ${decoded.sourceRate} Hz, resampled to ${SOUNDS_SAMPLE_RATE} Hz`, where.row));
  }
  return { clip: mono, issues };
}

/**
 * The browser's decoder (page only): decodeAudioData in an OfflineAudioContext at 16 kHz,
 * which resamples while it decodes. The source rate is read from a WAV header; MP3 and OGG
 * are resampled the same way without naming their rate.
 */
export const webAudioDecoder: AudioDecoder = {
  async decode(bytes) {
    const ctx = new OfflineAudioContext(1, 1, SOUNDS_SAMPLE_RATE);
    const buffer = await ctx.decodeAudioData(bytes.slice().buffer);
    return { sourceRate: wavInfo(bytes)?.sampleRate ?? null, channels: Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c)) };
  },
};
