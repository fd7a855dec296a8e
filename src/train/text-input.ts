// The user's own text in the inspector, encoded with the dataset's vocabulary and the
// same tokenizer that prepared the dataset.
import { UNK, type PreparedDataset } from '../data/types.ts';
import { tokenIndex, tokenize } from '../data/tokenizer.ts';

/** Token ids of `text` under the dataset's vocabulary (unknown words → <unk>). */
export function tokenizeForModel(data: PreparedDataset, text: string): Int32Array {
  const index = tokenIndex(data.vocab);
  return Int32Array.from(tokenize(text, data.vocab.level), (p) => index.get(p) ?? UNK);
}
