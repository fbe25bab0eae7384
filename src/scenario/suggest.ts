// "Did you mean …?" for misspelt keys, service names and distribution names: the closest candidate
// by Levenshtein distance, offered only when it is close enough to be a plausible typo.
import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word` when within 2 edits or a third of its length (and not a total rewrite). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = candidate.toLowerCase() === word.toLowerCase() ? 0.5 : distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const closeEnough = bestDistance <= 2 || bestDistance <= word.length / 3;
  return closeEnough && bestDistance < Math.min(word.length, best.length) ? best : undefined;
}

/** `; did you mean "x"?` or the empty string; `quote` wraps the name (backticks for keys, quotes for values). */
export function didYouMean(word: string, candidates: Iterable<string>, quote: (s: string) => string): string {
  const best = closest(word, candidates);
  return best === undefined ? '' : `; did you mean ${quote(best)}?`;
}

export const backticks = (s: string): string => `\`${s}\``;
export const quotes = (s: string): string => JSON.stringify(s);
