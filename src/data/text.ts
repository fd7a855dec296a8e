// Bytes → text for manifests and sidecar files. UTF-8 is expected; a byte-order mark
// (UTF-8, UTF-16 LE/BE) is honoured and removed. A file that is not UTF-8 but reads
// cleanly as Windows-1252 is decoded that way; otherwise bytes that are not valid UTF-8
// are decoded with U+FFFD replacements and reported, never dropped silently.

export interface DecodedText {
  text: string;
  /** 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' — the encoding that was used. */
  encoding: string;
  /** False when the bytes were not valid in that encoding (replacements were made). */
  valid: boolean;
  /** 0-based offset of the first invalid byte, when invalid. */
  firstInvalidByte?: number;
  /** 1-based line of the first invalid byte, when invalid. */
  firstInvalidLine?: number;
  /** 1-based lines holding invalid bytes, when invalid. */
  invalidLines?: number[];
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

/** 1-based line of each offset (offsets ascending), in one pass. */
function linesOf(bytes: Uint8Array, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let i = 0;
  for (const o of offsets) {
    for (; i < o; i++) if (bytes[i] === 0x0a) line++;
    out.push(line);
  }
  return out;
}

/** Counts of well-formed multi-byte UTF-8 sequences and of invalid bytes (RFC 3629). */
function utf8Census(bytes: Uint8Array): { multibyte: number; invalid: number; invalidOffsets: number[] } {
  let multibyte = 0;
  let invalid = 0;
  const invalidOffsets: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const bad = firstInvalidUtf8(bytes.subarray(i, Math.min(bytes.length, i + 4)));
    if (bad === 0) {
      invalid++;
      invalidOffsets.push(i);
      i++;
      continue;
    }
    multibyte++;
    const b = bytes[i];
    i += b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
  }
  return { multibyte, invalid, invalidOffsets };
}

// Windows-1252 bytes 0x80–0x9F (0 = undefined). Decoded here rather than with
// TextDecoder('windows-1252'), which Node maps to ISO-8859-1 (0x80 → U+0080, not €).
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Windows-1252 bytes as text; undefined bytes become C1 controls (U+0081 …), as browsers do. */
function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] || b : b));
    out += String.fromCharCode(...chunk);
  }
  return out;
}

/**
 * Whether Windows-1252 reads these (non-UTF-8) bytes as ordinary text: every byte
 * ≥ 0x80 must become a letter, a digit-like sign or common punctuation, never a
 * control character (0x81, 0x8D, 0x8F, 0x90, 0x9D have no Windows-1252 character).
 */
function plausibleWindows1252(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    if (c <= 0x9f) return false; // C1 control: an undefined Windows-1252 byte
    if (!/[\p{L}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch)) return false;
  }
  return true;
}

/**
 * Decodes file bytes to a string (BOM removed). UTF-16 is read when a byte-order mark
 * says so. Bytes that are not UTF-8 are read as Windows-1252 (which covers Latin-1)
 * when the file holds no well-formed multi-byte UTF-8 at all and reads cleanly that
 * way; otherwise they stay UTF-8 with U+FFFD replacements, and the lines are named.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', valid: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', valid: true };
  }
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const bad = firstInvalidUtf8(body);
  // ignoreBOM: the BOM is already removed; a second one would be content.
  if (bad < 0) return { text: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body), encoding: 'utf-8', valid: true };
  const census = utf8Census(body);
  if (start === 0 && census.multibyte === 0) {
    const text = decodeWindows1252(body);
    if (plausibleWindows1252(text)) return { text, encoding: 'windows-1252', valid: true };
  }
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body);
  const lines = [...new Set(linesOf(bytes, census.invalidOffsets.map((o) => o + start)))];
  return { text, encoding: 'utf-8', valid: false, firstInvalidByte: bad + start, firstInvalidLine: lines[0], invalidLines: lines };
}

/** How an encoding is named to users. */
export function encodingName(encoding: string): string {
  return ({ 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian)', 'utf-16be': 'UTF-16 (big-endian)', 'windows-1252': 'Windows-1252 (Western European, covers Latin-1)' } as Record<string, string>)[encoding] ?? encoding;
}

/** "3", "3 and 7", "3, 7, 9 and 2 more" — line lists for messages. */
export function listLines(lines: readonly number[], max = 5): string {
  const shown = lines.slice(0, max).map(String);
  const more = lines.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

// Characters that must not be shown raw: C0/C1 controls, DEL, bidirectional overrides,
// embeddings, isolates and marks, zero-width characters and a stray BOM. Each is shown
// as ⟨U+XXXX⟩ so that, e.g., U+202E cannot make "gnp.exe" read as "exe.png".
/* eslint-disable no-control-regex -- control characters are what these two patterns find */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const HIDDEN_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/* eslint-enable no-control-regex */

/**
 * Dataset text made safe to display: invisible and direction-changing characters are
 * shown as ⟨U+XXXX⟩. `lines`: keep line breaks and tabs (texts); otherwise (file
 * names, labels, column names) they are escaped too.
 */
export function visibleText(s: string, options: { lines?: boolean } = {}): string {
  const hex = (c: string) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  return s.replace(options.lines ? HIDDEN : HIDDEN_OR_BREAK, hex);
}
