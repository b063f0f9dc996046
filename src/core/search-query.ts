/**
 * How a catalog search is understood (pure): the query is folded like procedures.search_text,
 * cut into words, phrases of the lexicon (abbreviations, everyday names, English words) are
 * replaced by the catalog words they stand for, and words the catalog does not know are given
 * their corrections (one typing mistake away). The result is a plan the database runs:
 *
 *   - every group must match the procedure's search text through one of its alternatives
 *     (a word or phrase, found as a substring: "sin" also finds "sinh");
 *   - the variants (whole rewritten queries) rank the matches by similarity.
 */
import { foldVietnamese } from './text.js';

/** Words of a query beyond this are ignored. */
export const MAX_QUERY_WORDS = 10;
/** Longest lexicon term, in words. */
export const MAX_TERM_WORDS = 4;
/** Variants ranked per search (each costs a similarity per candidate). */
export const MAX_VARIANTS = 8;
/** Corrections kept per misspelt word. */
export const MAX_CORRECTIONS = 4;

/** Folded term → folded expansions; an empty list marks a filler word the search may ignore. */
export type Lexicon = ReadonlyMap<string, readonly string[]>;

/**
 * Separators between words: anything but letters, digits and ". - % _" ("." and "-" keep codes such
 * as 1.001193 and H15-HT-01 whole; "%" and "_" are kept so that they are searched literally).
 * The SQL function motcua_search_words (migration 005) cuts names and aliases the same way.
 */
const SEPARATORS = /[^\p{L}\p{N}.%_-]+/u;

/** Folded words of a query, at most MAX_QUERY_WORDS. */
export function tokenize(q: string): string[] {
  return tokenizeAll(q).slice(0, MAX_QUERY_WORDS);
}

/** A lexicon term or expansion as stored and matched: folded, trimmed, single spaces. */
export function foldTerm(s: string): string {
  return tokenizeAll(s).join(' ');
}

function tokenizeAll(s: string): string[] {
  return foldVietnamese(s)
    .split(SEPARATORS)
    .map((w) => w.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((w) => w !== '');
}

/** Every run of 1..maxWords consecutive words, as folded phrases (the lexicon keys to look up). */
export function phrases(words: readonly string[], maxWords = MAX_TERM_WORDS): string[] {
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= maxWords && i + n <= words.length; n++) out.add(words.slice(i, i + n).join(' '));
  }
  return [...out];
}

/** Whether a word may be corrected: letters only (codes and numbers are never guessed), 3+ letters. */
export function isCorrectable(word: string): boolean {
  return word.length >= 3 && word.length <= 40 && /^[a-z]+$/.test(word);
}

/** The word with each single letter removed (the variants stored in search_words). */
export function deletions(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/** Keys to look a word up in search_words: itself and its deletions. */
export function correctionKeys(word: string): string[] {
  return [word, ...deletions(word)];
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring letters each count one.
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2: number[] = new Array<number>(n + 1).fill(0);
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * The corrections of `word` among catalog words found through its keys: one edit away, the
 * likeliest first (a word it begins — someone still typing —, then one with the same first
 * letter, then alphabetical), at most MAX_CORRECTIONS.
 */
export function pickCorrections(word: string, candidates: Iterable<string>): string[] {
  const rank = (c: string) => (c.startsWith(word) ? 0 : c[0] === word[0] ? 1 : 2);
  return [...new Set(candidates)]
    .filter((c) => c !== word && editDistance(word, c) === 1)
    .sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0))
    .slice(0, MAX_CORRECTIONS);
}

export interface MatchGroup {
  /** The query words this group stands for. */
  source: string;
  /** Any one of these (a word or a phrase) found in the search text satisfies the group. */
  alternatives: string[];
  /** How the alternatives came about. */
  kind: 'word' | 'corrected' | 'lexicon';
}

export interface SearchPlan {
  /** Folded words of the query. */
  words: string[];
  /** All of them must match. Empty: nothing to search for. */
  groups: MatchGroup[];
  /** Whole-query readings used for ranking, the literal one first. */
  variants: string[];
}

interface Span {
  text: string;
  expansions: readonly string[] | null;
}

/** Greedy longest-first cut of the words into lexicon terms and single words. */
function segment(words: readonly string[], lexicon: Lexicon): Span[] {
  const out: Span[] = [];
  let i = 0;
  while (i < words.length) {
    let found: Span | null = null;
    for (let n = Math.min(MAX_TERM_WORDS, words.length - i); n >= 1 && !found; n--) {
      const text = words.slice(i, i + n).join(' ');
      const exp = lexicon.get(text);
      if (exp) found = { text, expansions: exp };
    }
    found ??= { text: words[i]!, expansions: null };
    out.push(found);
    i += found.text.split(' ').length;
  }
  return out;
}

/**
 * The plan of a query. `known` holds the catalog words among the query's words (a known word
 * is never corrected); `candidates` maps a word to catalog words found through its
 * correctionKeys.
 */
export function buildPlan(q: string, lexicon: Lexicon, known: ReadonlySet<string> = new Set(), candidates: ReadonlyMap<string, readonly string[]> = new Map()): SearchPlan {
  const words = tokenize(q);
  const spans = segment(words, lexicon);
  // Filler words are dropped, unless there is nothing else.
  const content = spans.filter((s) => s.expansions === null || s.expansions.length > 0);
  const kept = content.length > 0 ? content : spans.map((s) => ({ text: s.text, expansions: null }));

  const groups: MatchGroup[] = kept.map((s) => {
    if (s.expansions) return { source: s.text, alternatives: unique([s.text, ...s.expansions.map(foldTerm)].filter((x) => x !== '')), kind: 'lexicon' };
    const fixes = isCorrectable(s.text) && !known.has(s.text) ? pickCorrections(s.text, candidates.get(s.text) ?? []) : [];
    return fixes.length ? { source: s.text, alternatives: [s.text, ...fixes], kind: 'corrected' } : { source: s.text, alternatives: [s.text], kind: 'word' };
  });

  // Readings: literal, then with the best correction of each word, then each lexicon meaning.
  const literal = groups.map((g) => g.source).join(' ');
  const corrected = groups.map((g) => (g.kind === 'corrected' ? g.alternatives[1]! : g.source));
  const full = words.join(' ');
  const variants = [literal, full, corrected.join(' ')];
  let readings: string[][] = [corrected];
  groups.forEach((g, i) => {
    if (g.kind !== 'lexicon') return;
    const next: string[][] = [];
    for (const r of readings) for (const alt of g.alternatives) next.push(r.map((w, j) => (j === i ? alt : w)));
    readings = next.slice(0, MAX_VARIANTS * 2);
  });
  for (const r of readings) variants.push(r.join(' '));
  return { words, groups, variants: unique(variants.filter((v) => v !== '')).slice(0, MAX_VARIANTS) };
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/** Escapes LIKE wildcards so that every character is taken literally (escape character "\"). */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
