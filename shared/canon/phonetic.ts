// Phonetic keys for blocking: names that sound alike get the same key, so a
// misspelt surname (Smyth, Smith) still lands in the same candidate block.
//
// Double Metaphone (Lawrence Philips, 2000) over Soundex: it knows English
// spelling and many of the European, Slavic and Arabic-origin spellings the
// Met sees (Schmidt/Smith, Zhou/Jou), and gives a second code when a name has
// two likely pronunciations. We use wooorm's `double-metaphone` package: a
// dependency-free ESM port with types, and a well-tested reference.

import { doubleMetaphone } from 'double-metaphone';

// Surnames and given names repeat heavily in a stream; the cache makes the
// common case a Map lookup. Bounded: cleared when full.
const CACHE_LIMIT = 50_000;
const cache = new Map<string, string[]>();

/**
 * Double Metaphone codes of one folded word (lower-case a–z): the primary
 * code, then the alternate when it differs. [] for a word with no sound to
 * code (empty, or letters outside a–z). The array is shared with a cache:
 * copy it before changing it.
 *   phoneticKeys('smith')   → ['SM0', 'XMT']
 *   phoneticKeys('schmidt') → ['XMT', 'SMT']
 */
export function phoneticKeys(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const codes = computeKeys(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, codes);
  return codes;
}

function computeKeys(word: string): string[] {
  if (!/[a-z]/.test(word)) return [];
  const [primary, secondary] = doubleMetaphone(word);
  if (!primary) return [];
  return secondary && secondary !== primary ? [primary, secondary] : [primary];
}
