// The user's own text in the inspector, encoded with the dataset's vocabulary.
import { UNK, type PreparedDataset } from '../data/types.ts';

/** Token ids of `text` under the dataset's vocabulary (unknown words → <unk>). */
export function tokenizeForModel(data: PreparedDataset, text: string): Int32Array {
  const index = new Map(data.vocab.tokens.map((t, i) => [t, i]));
  const pieces = data.vocab.level === 'char' ? Array.from(text.toLowerCase()) : text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  return Int32Array.from(pieces, (p) => index.get(p) ?? UNK);
}
