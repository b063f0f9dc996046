/**
 * Retrieval for the assistant: which procedures a free-form question is about, and which FAQ
 * entry answers a general question.
 *
 * Procedures. The question is cleaned of question forms and filler (src/core/assistant-text.ts),
 * then planned by the catalog search (lexicon of everyday names, abbreviations and English words
 * kept as data that administrators extend, and typo correction: src/catalog/search.ts). Unlike
 * the catalog search box, a question is not required to match with all its words ("giấy khai
 * sinh cho con nhà tôi" has words no name holds): a candidate is any active procedure whose
 * search_text contains one of the question's words (LIKE, trigram index), and candidates are
 * ranked on whole words (procedures.assistant_words, migration 024) by
 *
 *   coverage = Σ weight(u)·found(u) / Σ weight(u)   over units u: the words of the plan, and
 *              phrases (neighbouring words, lexicon meanings of several words)
 *   inName   = the same, found in the name only
 *   fit      = (share of the name's words the question has + share of the question's words in
 *              the name) / 2: of two names holding the question, the one closest to it wins
 *   score    = 0.6·coverage + 0.2·inName + 0.2·fit                      (0 … 1)
 *
 * weight(word) = ln(1 + N / df), N the active procedures, df those containing it (words in most
 * procedures weigh little, rare ones decide); a word no procedure contains weighs ln(1 + N): it
 * says the question may be about something else. A phrase found weighs 1.5 × its rarity; a word
 * found only through a typo correction counts 0.7.
 *
 * noMatch when the best candidate covers less than MIN_COVERAGE, scores less than MIN_SCORE, or
 * has no evidence: no phrase found (a pair of content words, or a lexicon meaning) and no long,
 * rare word. Single syllables found apart ("sổ", "thuế", "cá", "nhân") are too often a
 * coincidence for a question outside the catalog to get a random procedure.
 */
import { sql, type RawBuilder } from 'kysely';
import { cleanQuestion, faqWords, GENERIC_PHRASES, isWeakWord } from '../core/assistant-text.js';
import { likeEscape, type MatchGroup } from '../core/search-query.js';
import { planSearch } from '../catalog/search.js';
import type { AppContext } from '../platform/context.js';

export interface RetrievedProcedure {
  code: string;
  name: string;
  nameEn: string | null;
  score: number;
}

export interface ProcedureRetrieval {
  procedures: RetrievedProcedure[];
  noMatch: boolean;
}

/** Below this share of the question's weight the best procedure is not an answer. */
export const MIN_COVERAGE = 0.45;
/** Below this score (coverage, in the name, fit of the name) the best procedure is not an answer. */
export const MIN_SCORE = 0.45;
/** Candidates whose score falls this far below the best one are not offered. */
const KEEP_WITHIN = 0.35;

const wordLike = (a: string) => `% ${likeEscape(a)} %`;

/** A correction found while the word itself is not counts this much of the word's weight. */
export const CORRECTED_CREDIT = 0.7;
/** Words shorter than this are not corrected here: a Vietnamese syllable of three letters is one
 * edit away from dozens of others ("vào" → "bao", "cao", "van"), and these are rarely typos. */
const MIN_CORRECTED_LENGTH = 4;

/**
 * 2 when group g is found as whole words in `hay` (an SQL text expression padded with spaces)
 * through the word itself or a lexicon meaning, 1 through a typo correction only, else 0.
 */
function groupFound(g: MatchGroup, hay: RawBuilder<string>): RawBuilder<number> {
  const exact = g.kind === 'corrected' ? [g.alternatives[0]!] : g.alternatives;
  const fixes = g.kind === 'corrected' ? g.alternatives.slice(1) : [];
  const any = (xs: string[]) => sql.join(xs.map((a) => sql`${hay} LIKE ${wordLike(a)}`), sql` OR `);
  return fixes.length
    ? sql<number>`CASE WHEN ${any(exact)} THEN 2 WHEN ${any(fixes)} THEN 1 ELSE 0 END`
    : sql<number>`CASE WHEN ${any(exact)} THEN 2 ELSE 0 END`;
}

/** The plan's groups that retrieval weighs: weak words dropped, short words not corrected. */
export function retrievalGroups(groups: readonly MatchGroup[]): MatchGroup[] {
  return groups
    .filter((g) => g.kind === 'lexicon' || !isWeakWord(g.source))
    .map((g) => (g.kind === 'corrected' && g.source.length < MIN_CORRECTED_LENGTH ? { source: g.source, alternatives: [g.source], kind: 'word' as const } : g));
}

/**
 * Phrases of the question: each pair of neighbouring groups as two words ("tạm trú", "trợ cấp",
 * "kết hôn"; with their corrections), and each lexicon group that stands for a phrase. Vietnamese
 * words are mostly two syllables, so a pair found together is what says a procedure is the one
 * meant; single syllables found apart ("sổ", "thuế", "cá", "nhân") are often a coincidence.
 */
export function phraseUnits(groups: readonly MatchGroup[]): Array<MatchGroup & { evidence: boolean }> {
  const out: Array<MatchGroup & { evidence: boolean }> = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.kind === 'lexicon' && g.alternatives.some((a) => a.includes(' '))) out.push({ ...g, evidence: true });
    const h = groups[i + 1];
    // A pair with a weak word ("xin giấy", "ký hộ", "cho con") is as often two words side by side
    // as a phrase; a generic pair ("cá nhân") is everywhere in names. Neither shows what is meant.
    if (!h || isWeakWord(g.source) || isWeakWord(h.source) || GENERIC_PHRASES.has(`${g.source} ${h.source}`)) continue;
    const pairs: string[] = [];
    for (const x of g.alternatives.slice(0, 2)) for (const y of h.alternatives.slice(0, 2)) pairs.push(`${x} ${y}`);
    const corrected = g.kind === 'corrected' || h.kind === 'corrected';
    out.push({ source: `${g.source} ${h.source}`, alternatives: pairs, kind: corrected ? 'corrected' : 'word', evidence: true });
  }
  return out;
}

export async function retrieveProcedures(ctx: AppContext, question: string, opts: { limit?: number } = {}): Promise<ProcedureRetrieval> {
  const limit = Math.min(Math.max(opts.limit ?? 3, 1), 20);
  const cleaned = cleanQuestion(question);
  if (cleaned === '') return { procedures: [], noMatch: true };
  const full = await planSearch(ctx.db, cleaned);
  const words = retrievalGroups(full.groups);
  const phrases = phraseUnits(full.groups.map((g) => (g.kind === 'corrected' && g.source.length < MIN_CORRECTED_LENGTH ? { ...g, alternatives: [g.source], kind: 'word' as const } : g)));
  if (words.length === 0 && phrases.length === 0) return { procedures: [], noMatch: true };
  const units = [...words, ...phrases];

  const text = sql<string>`p.assistant_words`;
  const name = sql<string>`(' ' || p.search_name || ' ')`;
  // A phrase is found only where its words are: the words alone select the candidates.
  const anyUnit = sql.join(
    (words.length ? words : units).flatMap((g) => g.alternatives.map((a) => sql`p.search_text LIKE ${`%${likeEscape(a)}%`}`)),
    sql` OR `,
  );
  const rows = await sql<CandidateRow>`
    SELECT p.code, p.name, p.name_en, p.search_name,
           ARRAY[${sql.join(units.map((g) => groupFound(g, text)), sql`, `)}]::int[] AS in_text,
           ARRAY[${sql.join(units.map((g) => groupFound(g, name)), sql`, `)}]::int[] AS in_name
      FROM procedures p
     WHERE p.active AND (${anyUnit})`.execute(ctx.db);
  const total = await activeProcedureCount(ctx);
  return rankProcedures(rows.rows, words, phrases, total, limit, full.groups);
}

/** The count of active procedures, cached a minute (it weighs words; a slightly old count is harmless). */
let countCache: { at: number; n: number; db: unknown } | null = null;
async function activeProcedureCount(ctx: AppContext): Promise<number> {
  const t = Date.now();
  if (countCache && countCache.db === ctx.db && t - countCache.at < 60_000) return countCache.n;
  const r = await ctx.db.selectFrom('procedures').select((eb) => eb.fn.countAll<string>().as('n')).where('active', '=', true).executeTakeFirstOrThrow();
  countCache = { at: t, n: Math.max(1, Number(r.n)), db: ctx.db };
  return countCache.n;
}

interface CandidateRow {
  code: string;
  name: string;
  search_name: string;
  name_en: string | null;
  in_text: number[];
  in_name: number[];
}

/** A single word this long and found in at most 3 procedures is evidence on its own. */
const MIN_EVIDENCE_WORD_LENGTH = 6;
/** A phrase found counts this many times its rarity (a word once). */
export const PHRASE_WEIGHT = 1.5;
/** A word no procedure contains weighs this share of a word found in one procedure. */
export const UNKNOWN_WORD_WEIGHT = 1;

/**
 * Ranks candidates (pure given the rows; the first `wordCount` flags are words, the next
 * `phraseCount` phrases): see the header for the formula.
 */
export function rankProcedures(
  rows: readonly CandidateRow[],
  words: readonly MatchGroup[],
  phrases: ReadonlyArray<MatchGroup & { evidence: boolean }>,
  total: number,
  limit: number,
  allGroups: readonly MatchGroup[] = words,
): ProcedureRetrieval {
  if (rows.length === 0) return { procedures: [], noMatch: true };
  const wordCount = words.length;
  const n = wordCount + phrases.length;
  const df = new Array<number>(n).fill(0);
  for (const r of rows) r.in_text.forEach((m, i) => (df[i]! += m > 0 ? 1 : 0));
  const rare = (d: number) => Math.log(1 + total / d);
  const weight = df.map((d, i) => {
    if (i < wordCount) return d > 0 ? rare(d) : UNKNOWN_WORD_WEIGHT * rare(1);
    if (d === 0) return 0; // a pair found nowhere is usually two words side by side, not a phrase
    return (phrases[i - wordCount]!.evidence ? PHRASE_WEIGHT : PHRASE_WEIGHT / 2) * rare(d);
  });
  // What shows a procedure is meant: a phrase (not only of weak words), or a long, rare word (an
  // English term of the English name: "guardianship", "renovation").
  const evidence = (i: number) =>
    i >= wordCount ? phrases[i - wordCount]!.evidence : words[i]!.source.length >= MIN_EVIDENCE_WORD_LENGTH && df[i]! > 0 && df[i]! <= 3;
  const sum = weight.reduce((a, b) => a + b, 0) || 1;
  const credit = (m: number | undefined) => (m === 2 ? 1 : m === 1 ? CORRECTED_CREDIT : 0);
  // Words the question brings (with its corrections and lexicon meanings), for the share of a
  // name they cover: of two names holding the question, the one with fewer other words fits best.
  const asked = new Set([...allGroups, ...phrases].flatMap((g) => g.alternatives.flatMap((a) => a.split(' '))));
  const scored = rows.map((r) => {
    let cov = 0;
    let inName = 0;
    let phrase = 0;
    for (let i = 0; i < n; i++) {
      cov += weight[i]! * credit(r.in_text[i]);
      inName += weight[i]! * credit(r.in_name[i]);
      if (r.in_text[i] && evidence(i)) phrase = Math.max(phrase, credit(r.in_text[i]));
    }
    const coverage = cov / sum;
    const nameWords = new Set(r.search_name.split(' '));
    const nameShare = [...nameWords].filter((w) => asked.has(w)).length / Math.max(1, nameWords.size);
    const questionShare = allGroups.filter((g) => g.alternatives.some((a) => a.split(' ').every((w) => nameWords.has(w)))).length / Math.max(1, allGroups.length);
    const fit = (nameShare + questionShare) / 2;
    const score = 0.6 * coverage + 0.2 * (inName / sum) + 0.2 * fit;
    return { code: r.code, name: r.name, nameEn: r.name_en, coverage, phrase, score: Math.round(score * 10000) / 10000 };
  });
  scored.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
  const best = scored[0]!;
  const noMatch = best.coverage < MIN_COVERAGE || best.score < MIN_SCORE || best.phrase < CORRECTED_CREDIT;
  const procedures = scored
    .filter((s) => s.score >= best.score - KEEP_WITHIN)
    .slice(0, limit)
    .map(({ code, name, nameEn, score }) => ({ code, name, nameEn, score }));
  return { procedures, noMatch };
}

// ---------------------------------------------------------------------------------------------
// FAQ
// ---------------------------------------------------------------------------------------------

export interface FaqHit {
  id: number;
  question: string;
  answer: string;
  answerEn: string;
  score: number;
}

/** Below this share of the question's weight found in an entry, no FAQ entry answers. */
export const FAQ_MIN_COVERAGE = 0.5;

/**
 * The FAQ entry that best answers `question`, or null. Words of the question (without particles
 * and pronouns) are weighed like procedure groups (idf over the active entries) and looked up as
 * whole words in assistant_faq.search_text (question and keywords, folded).
 */
export async function retrieveFaq(ctx: AppContext, question: string): Promise<FaqHit | null> {
  const words = [...new Set(faqWords(question))].slice(0, 16);
  if (words.length === 0) return null;
  const hay = sql`(' ' || f.search_text || ' ')`;
  const rows = await sql<{ id: number; question: string; answer: string; answer_en: string; found: number[]; total: string }>`
    SELECT f.id, f.question, f.answer, f.answer_en,
           ARRAY[${sql.join(words.map((w) => sql`CASE WHEN ${hay} LIKE ${wordLike(w)} THEN 1 ELSE 0 END`), sql`, `)}]::int[] AS found,
           (SELECT count(*) FROM assistant_faq WHERE active) AS total
      FROM assistant_faq f
     WHERE f.active AND (${sql.join(words.map((w) => sql`f.search_text LIKE ${`%${likeEscape(w)}%`}`), sql` OR `)})`.execute(ctx.db);
  if (rows.rows.length === 0) return null;
  const total = Number(rows.rows[0]!.total);
  const df = words.map((_, i) => rows.rows.reduce((n, r) => n + (r.found[i] ?? 0), 0));
  const idf = df.map((d) => (d > 0 ? Math.log(1 + total / d) : Math.log(1 + 2 * total)));
  const sum = idf.reduce((a, b) => a + b, 0);
  let best: FaqHit | null = null;
  for (const r of rows.rows) {
    const cov = r.found.reduce((acc, m, i) => acc + (m ? idf[i]! : 0), 0) / sum;
    if (!best || cov > best.score || (cov === best.score && r.id < best.id)) {
      best = { id: r.id, question: r.question, answer: r.answer, answerEn: r.answer_en, score: Math.round(cov * 10000) / 10000 };
    }
  }
  return best && best.score >= FAQ_MIN_COVERAGE ? best : null;
}
