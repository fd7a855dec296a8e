// Caption metrics: corpus BLEU-4 (Papineni et al. 2002: clipped n-gram precisions for
// n = 1..4, geometric mean, brevity penalty against the closest reference length) and
// exact match. Captions are token arrays (words or ids); several references per
// example are allowed.

export type Tokens = readonly (string | number)[];

function ngramCounts(tokens: Tokens, n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

export interface BleuReport {
  bleu: number;
  /** Clipped precision for n = 1..4. */
  precisions: number[];
  brevityPenalty: number;
  hypothesisLength: number;
  referenceLength: number;
}

/**
 * Corpus BLEU with up to `maxN`-grams (default 4). With `smooth` (default true) a
 * zero n-gram match count is replaced by 1/(2·total) as in Lin & Och's method 1 variant
 * used for short texts, so a short run is not scored 0 for lacking one 4-gram.
 */
export function corpusBleu(
  hypotheses: readonly Tokens[],
  references: readonly (readonly Tokens[])[],
  { maxN = 4, smooth = true }: { maxN?: number; smooth?: boolean } = {},
): BleuReport {
  if (hypotheses.length !== references.length) {
    throw new Error(`corpusBleu: ${hypotheses.length} hypotheses vs ${references.length} reference sets`);
  }
  const matched = new Array<number>(maxN).fill(0);
  const totals = new Array<number>(maxN).fill(0);
  let hypLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, k) => {
    const refs = references[k];
    hypLen += hyp.length;
    // Closest reference length (shorter wins ties).
    let best = Infinity;
    let bestLen = 0;
    for (const r of refs) {
      const d = Math.abs(r.length - hyp.length);
      if (d < best || (d === best && r.length < bestLen)) {
        best = d;
        bestLen = r.length;
      }
    }
    refLen += bestLen;
    for (let n = 1; n <= maxN; n++) {
      const h = ngramCounts(hyp, n);
      const maxRef = new Map<string, number>();
      for (const r of refs) for (const [g, c] of ngramCounts(r, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
      for (const [g, c] of h) matched[n - 1] += Math.min(c, maxRef.get(g) ?? 0);
      totals[n - 1] += Math.max(0, hyp.length - n + 1);
    }
  });
  const precisions = matched.map((m, i) => {
    if (totals[i] === 0) return 0;
    if (m === 0 && smooth) return 1 / (2 * totals[i]);
    return m / totals[i];
  });
  const brevityPenalty = hypLen === 0 ? 0 : hypLen > refLen ? 1 : Math.exp(1 - refLen / hypLen);
  const logMean = precisions.reduce((s, p) => s + (p > 0 ? Math.log(p) : -Infinity), 0) / maxN;
  const bleu = brevityPenalty * Math.exp(logMean);
  return { bleu: Number.isFinite(bleu) ? bleu : 0, precisions, brevityPenalty, hypothesisLength: hypLen, referenceLength: refLen };
}

/** Fraction of hypotheses equal to one of their references, token for token. */
export function exactMatch(hypotheses: readonly Tokens[], references: readonly (readonly Tokens[])[]): number {
  if (hypotheses.length === 0) return 0;
  let hits = 0;
  hypotheses.forEach((h, k) => {
    if (references[k].some((r) => r.length === h.length && r.every((t, i) => t === h[i]))) hits++;
  });
  return hits / hypotheses.length;
}
