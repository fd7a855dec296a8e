// Bytes → text for manifests and sidecar files. UTF-8 is expected; a byte-order mark
// (UTF-8, UTF-16 LE/BE) is honoured and removed. Bytes that are not valid UTF-8 are
// decoded with U+FFFD replacements and reported, never dropped silently.

export interface DecodedText {
  text: string;
  /** 'utf-8' | 'utf-16le' | 'utf-16be' — the encoding that was used. */
  encoding: string;
  /** False when the bytes were not valid in that encoding (replacements were made). */
  valid: boolean;
  /** 0-based offset of the first invalid byte, when invalid. */
  firstInvalidByte?: number;
  /** 1-based line of the first invalid byte, when invalid. */
  firstInvalidLine?: number;
}

/** Offset of the first byte that breaks UTF-8 well-formedness, or -1 (RFC 3629 rules). */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0): number {
  let i = start;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // ≤ U+10FFFF
    } else return i;
    if (i + need >= n) return i; // truncated sequence
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const low = k === 1 ? lo : 0x80;
      const high = k === 1 ? hi : 0xbf;
      if (c < low || c > high) return i;
    }
    i += need + 1;
  }
  return -1;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Decodes file bytes to a string (BOM removed); flags invalid UTF-8 instead of failing. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', valid: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', valid: true };
  }
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  // ignoreBOM: the BOM is already removed; a second one would be content.
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body);
  const bad = firstInvalidUtf8(body);
  if (bad < 0) return { text, encoding: 'utf-8', valid: true };
  return { text, encoding: 'utf-8', valid: false, firstInvalidByte: bad + start, firstInvalidLine: lineOf(bytes, bad + start) };
}
