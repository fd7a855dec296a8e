// Tokenizer, vocabulary, encode/decode, and the text decoding of file bytes.
import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8 } from './text.ts';
import { buildVocabulary, decode, encode, tokenize } from './tokenizer.ts';
import { BOS, EOS, SPECIAL_TOKENS, UNK } from './types.ts';

describe('tokenize', () => {
  it('word level: lower-case, punctuation split, Unicode letters and marks', () => {
    expect(tokenize('Is there a RED circle?', 'word')).toEqual(['is', 'there', 'a', 'red', 'circle', '?']);
    expect(tokenize('  Don’t  stop—café, naïve 42km! ', 'word')).toEqual(['don’t', 'stop', '—', 'café', ',', 'naïve', '42km', '!']);
    expect(tokenize('Ελληνικά και русский', 'word')).toEqual(['ελληνικά', 'και', 'русский']);
    expect(tokenize('日本語。', 'word')).toEqual(['日本語', '。']);
    // NFD input is normalised to NFC: e + combining acute == é
    expect(tokenize('cafe\u0301', 'word')).toEqual(['café']);
    expect(tokenize('<b>hi</b>', 'word')).toEqual(['<', 'b', '>', 'hi', '<', '/', 'b', '>']);
    expect(tokenize('   ', 'word')).toEqual([]);
  });
  it('char level: grapheme clusters, white space collapsed to one space', () => {
    expect(tokenize('Ab  c', 'char')).toEqual(['a', 'b', ' ', 'c']);
    expect(tokenize('e\u0301👍🏽!', 'char')).toEqual(['é', '👍🏽', '!']);
  });
});

describe('vocabulary', () => {
  const texts = ['the red circle', 'the blue square', 'the red square', null, 'a red triangle'];
  it('puts the special tokens first, then tokens by frequency, ties in code-point order', () => {
    const v = buildVocabulary(texts, { level: 'word', minFrequency: 1, maxVocab: 100 });
    expect(v.tokens.slice(0, 4)).toEqual([...SPECIAL_TOKENS]);
    expect(v.tokens.slice(4)).toEqual(['red', 'the', 'square', 'a', 'blue', 'circle', 'triangle']);
  });
  it('applies minimum frequency and maximum size; order of texts does not matter', () => {
    const v = buildVocabulary(texts, { level: 'word', minFrequency: 2, maxVocab: 100 });
    expect(v.tokens.slice(4)).toEqual(['red', 'the', 'square']);
    const small = buildVocabulary([...texts].reverse(), { level: 'word', minFrequency: 1, maxVocab: 6 });
    expect(small.tokens).toEqual([...SPECIAL_TOKENS, 'red', 'the']);
  });
  it('never adds a special token twice, and rejects bad settings', () => {
    const v = buildVocabulary(['<unk> <pad>'], { level: 'word', minFrequency: 1, maxVocab: 10 });
    expect(v.tokens.filter((t) => t === '<unk>')).toHaveLength(1); // "<unk>" splits into < unk > anyway
    expect(() => buildVocabulary([], { level: 'word', minFrequency: 0, maxVocab: 10 })).toThrow(/minFrequency/);
    expect(() => buildVocabulary([], { level: 'word', minFrequency: 1, maxVocab: 3 })).toThrow(/maxVocab/);
  });
});

describe('encode / decode', () => {
  const v = buildVocabulary(['a red circle above a blue square.'], { level: 'word', minFrequency: 1, maxVocab: 100 });
  it('maps unknown tokens to <unk> and counts truncation', () => {
    const e = encode('A green circle above a red square.', v, 4);
    expect(e.ids).toHaveLength(4);
    expect(e.ids[1]).toBe(UNK);
    expect(e.truncated).toBe(true);
    expect(e.fullLength).toBe(8);
    expect(encode('a circle', v, 4).truncated).toBe(false);
  });
  it('round-trips captions with <bos>/<eos>, stopping at <eos>', () => {
    const e = encode('a red circle above a blue square.', v, 32, { bos: true, eos: true });
    expect(e.ids[0]).toBe(BOS);
    expect(e.ids[e.ids.length - 1]).toBe(EOS);
    expect(decode([...e.ids, 0, 0], v)).toBe('a red circle above a blue square.');
    expect(decode([v.tokens.indexOf('red'), EOS, v.tokens.indexOf('blue')], v)).toBe('red');
    expect(() => decode([999], v)).toThrow(/999 at position 0/);
  });
  it('char level decodes by concatenation', () => {
    const c = buildVocabulary(['hi there'], { level: 'char', minFrequency: 1, maxVocab: 100 });
    expect(decode(encode('Hi there', c).ids, c)).toBe('hi there');
  });
});

describe('decodeText', () => {
  it('removes a UTF-8 BOM and keeps valid text', () => {
    const d = decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('café,1')]));
    expect(d).toEqual({ text: 'café,1', encoding: 'utf-8', valid: true });
  });
  it('reads UTF-16 with a BOM', () => {
    expect(decodeText(Uint8Array.from([0xff, 0xfe, 0x68, 0, 0xe9, 0])).text).toBe('hé');
  });
  it('reads Latin-1 / Windows-1252 bytes as Windows-1252 when the file holds no UTF-8 sequence', () => {
    const d = decodeText(Uint8Array.from([0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a, 0x80, 0xbd]));
    expect(d).toEqual({ text: 'a\ncafé\n€½', encoding: 'windows-1252', valid: true });
  });
  it('keeps UTF-8 with a few bad bytes as UTF-8, with U+FFFD, and names every line', () => {
    const d = decodeText(new Uint8Array([...new TextEncoder().encode('naïve\nok\n'), 0xe9, 0x0a, 0x61, 0xff, 0x0a]));
    expect(d.valid).toBe(false);
    expect(d.encoding).toBe('utf-8');
    expect(d.text).toBe('naïve\nok\n\ufffd\na\ufffd\n');
    expect(d.firstInvalidByte).toBe(10);
    expect(d.firstInvalidLine).toBe(3);
    expect(d.invalidLines).toEqual([3, 4]);
  });
  it('does not take bytes Windows-1252 leaves undefined for Windows-1252', () => {
    const d = decodeText(Uint8Array.from([0x61, 0x81, 0x62]));
    expect(d).toMatchObject({ encoding: 'utf-8', valid: false, text: 'a\ufffdb', invalidLines: [1] });
  });
  it('finds malformed UTF-8: overlong, surrogate, truncated, beyond U+10FFFF', () => {
    expect(firstInvalidUtf8(Uint8Array.from([0xc0, 0xaf]))).toBe(0);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xe2, 0x82]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new TextEncoder().encode('ok ✓ 👍'))).toBe(-1);
  });
});
