// Tiny 16-bit PCM WAV files for the audio import tests (written here; GateScope itself
// only reads audio, through the browser's decoder).
export function wavBytes(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const C = channels.length;
  const n = channels[0]?.length ?? 0;
  const data = n * C * 2;
  const out = new Uint8Array(44 + data);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, k) => (out[at + k] = ch.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + data, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, C, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * C * 2, true);
  v.setUint16(32, C * 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, data, true);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) v.setInt16(44 + (i * C + c) * 2, Math.round(Math.max(-1, Math.min(1, channels[c][i])) * 32767), true);
  return out;
}

/** A sine of `hz` for `seconds` at `rate`, amplitude 0.5. */
export function sine(hz: number, seconds: number, rate: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
}
