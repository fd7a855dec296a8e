// Tokenizer: word level (lower-case, NFC, Unicode letters/marks/digits form words,
// every other non-space character is its own token) or character level (one token per
// grapheme cluster, runs of white space become one " "). The vocabulary is built from
// the training split only: ids 0–3 are <pad> <unk> <bos> <eos>, then tokens by
// descending frequency (ties in code-point order), keeping those seen at least
// minFrequency times, up to maxVocab entries in total.
import { BOS, EOS, PAD, SPECIAL_TOKENS, UNK, type TokenizerConfig, type Vocabulary } from './types.ts';

/** Default tokenizer settings used by the built-in datasets and the UI. */
export const DEFAULT_TOKENIZER: TokenizerConfig = { level: 'word', minFrequency: 1, maxVocab: 5000, maxLength: 32 };

// A word: letters, combining marks and digits, with inner apostrophes ("don't", "l’eau").
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

const segmenter: { segment(s: string): Iterable<{ segment: string }> } | null =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter('und', { granularity: 'grapheme' }) : null;

/** Lower-cases, applies NFC and collapses white space: the form every level starts from. */
function normaliseText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Splits a text into tokens at the given level (see the file header for the rules). */
export function tokenize(text: string, level: 'word' | 'char'): string[] {
  const t = normaliseText(text);
  if (t === '') return [];
  if (level === 'word') return t.match(WORD) ?? [];
  if (segmenter) return Array.from(segmenter.segment(t), (s) => s.segment);
  return Array.from(t);
}

function checkConfig(config: Pick<TokenizerConfig, 'minFrequency' | 'maxVocab'>): void {
  if (!Number.isInteger(config.minFrequency) || config.minFrequency < 1) {
    throw new Error(`tokenizer: minFrequency must be an integer ≥ 1, got ${config.minFrequency}`);
  }
  if (!Number.isInteger(config.maxVocab) || config.maxVocab < SPECIAL_TOKENS.length) {
    throw new Error(`tokenizer: maxVocab must be an integer ≥ ${SPECIAL_TOKENS.length} (the special tokens), got ${config.maxVocab}`);
  }
}

/**
 * Builds a vocabulary from texts (pass the training split only). Null texts are
 * skipped. Deterministic: the same texts in any order give the same vocabulary.
 */
export function buildVocabulary(
  texts: Iterable<string | null>,
  config: Pick<TokenizerConfig, 'level' | 'minFrequency' | 'maxVocab'>,
): Vocabulary {
  checkConfig(config);
  const counts = new Map<string, number>();
  for (const text of texts) {
    if (text === null) continue;
    for (const token of tokenize(text, config.level)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const special = new Set<string>(SPECIAL_TOKENS);
  const kept = [...counts].filter(([token, n]) => n >= config.minFrequency && !special.has(token));
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const tokens = [...SPECIAL_TOKENS, ...kept.slice(0, config.maxVocab - SPECIAL_TOKENS.length).map(([t]) => t)];
  return { tokens, level: config.level };
}

const indexCache = new WeakMap<Vocabulary, Map<string, number>>();

/** token → id map of a vocabulary (cached per vocabulary object). */
export function tokenIndex(vocab: Vocabulary): Map<string, number> {
  let index = indexCache.get(vocab);
  if (!index) {
    index = new Map(vocab.tokens.map((t, i) => [t, i]));
    indexCache.set(vocab, index);
  }
  return index;
}

export interface Encoded {
  /** Token ids, at most maxLength of them. */
  ids: number[];
  /** Tokens the text had before truncation. */
  fullLength: number;
  truncated: boolean;
}

/**
 * Text → ids (unknown tokens → <unk>), cut to maxLength tokens. With `bos`/`eos`
 * the markers are added around the (truncated) tokens and count towards maxLength + 2.
 */
export function encode(
  text: string,
  vocab: Vocabulary,
  maxLength = Infinity,
  markers: { bos?: boolean; eos?: boolean } = {},
): Encoded {
  const index = tokenIndex(vocab);
  const tokens = tokenize(text, vocab.level);
  const kept = tokens.length > maxLength ? tokens.slice(0, maxLength) : tokens;
  const ids = kept.map((t) => index.get(t) ?? UNK);
  if (markers.bos) ids.unshift(BOS);
  if (markers.eos) ids.push(EOS);
  return { ids, fullLength: tokens.length, truncated: tokens.length > maxLength };
}

// Word-level detokenisation: no space before closing punctuation, none after opening.
const NO_SPACE_BEFORE = new Set(['.', ',', '!', '?', ';', ':', ')', ']', '}', '%', '…', "'", '’']);
const NO_SPACE_AFTER = new Set(['(', '[', '{', '¿', '¡']);

/**
 * Ids → text. Stops at the first <eos>, skips <pad> and <bos>, shows <unk> as "<unk>".
 * Word-level tokens are joined with spaces (none before closing punctuation);
 * char-level tokens are concatenated.
 */
export function decode(ids: ArrayLike<number>, vocab: Vocabulary): string {
  const tokens: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === EOS) break;
    if (id === PAD || id === BOS) continue;
    if (!Number.isInteger(id) || id < 0 || id >= vocab.tokens.length) {
      throw new Error(`decode: token id ${id} at position ${i} is outside the vocabulary of ${vocab.tokens.length}`);
    }
    tokens.push(vocab.tokens[id]);
  }
  if (vocab.level === 'char') return tokens.join('');
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (i > 0 && !NO_SPACE_BEFORE.has(t) && !NO_SPACE_AFTER.has(tokens[i - 1])) out += ' ';
    out += t;
  }
  return out;
}
