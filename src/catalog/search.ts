/**
 * Procedure search on the database side: what a query means (lexicon and typo corrections, read
 * fresh on every search so that every server instance sees an administrator's edit at once), the
 * match condition and the relevance score; and the lexicon's administration.
 *
 * A procedure matches when every group of the plan (src/core/search-query.ts) finds one of its
 * alternatives in procedures.search_text (LIKE, served by the trigram GIN index). Matches are
 * ranked by
 *
 *   score = exact + inAlias + 0.5 × wordsInName + phrase              (0 … 2.75, 4 decimals)
 *
 * over the plan's readings R of the query (literal, corrected, each lexicon meaning, and the
 * multi-word meanings of its parts): exact is 1
 * when the name or an everyday name (alias) equals a reading; inAlias 0.25 when an alias contains
 * one; wordsInName the share of the query's groups found in the name; phrase, for the longest
 * reading found whole in the name, 0.5 + 0.5 × its length / the name's length (a closer, shorter
 * name ranks higher). Only LIKE and equality on the stored folded forms (procedures.search_name
 * and search_aliases, migration 005): trigram similarity per candidate was measured at ~0.1 ms a
 * row on PGlite, too slow for broad queries over thousands of procedures. Ties go by code, so
 * pages (keyset on score, code) are stable.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import {
  buildPlan,
  correctionKeys,
  foldTerm,
  isCorrectable,
  likeEscape,
  phrases,
  tokenize,
  MAX_TERM_WORDS,
  type SearchPlan,
} from '../core/search-query.js';
import { AppError, type FieldError } from '../platform/errors.js';
import type { DB } from '../platform/db-types.js';

// ---------------------------------------------------------------------------------------------
// Understanding a query
// ---------------------------------------------------------------------------------------------

/**
 * The plan of `q`: one round trip reads the lexicon terms among the query's phrases and the
 * catalog words one edit away from its words.
 */
export async function planSearch(db: Kysely<DB>, q: string): Promise<SearchPlan> {
  const words = tokenize(q);
  if (words.length === 0) return buildPlan('', new Map());
  const terms = phrases(words);
  const correctable = [...new Set(words.filter(isCorrectable))];
  const keys = [...new Set(correctable.flatMap(correctionKeys))];
  const rows = await sql<{ kind: 'lexicon' | 'word'; key: string; vals: string[] }>`
    SELECT 'lexicon' AS kind, term_folded AS key, expansions AS vals
      FROM search_lexicon WHERE term_folded = ANY(${terms}::text[])
    UNION ALL
    SELECT 'word', variant, array_agg(word)
      FROM search_words WHERE variant = ANY(${keys}::text[])
     GROUP BY variant`.execute(db);
  const lexicon = new Map<string, string[]>();
  const byKey = new Map<string, string[]>();
  for (const r of rows.rows) (r.kind === 'lexicon' ? lexicon : byKey).set(r.key, r.vals);
  const known = new Set(correctable.filter((w) => byKey.get(w)?.includes(w)));
  const candidates = new Map(correctable.map((w) => [w, correctionKeys(w).flatMap((k) => byKey.get(k) ?? [])]));
  return buildPlan(q, lexicon, known, candidates);
}

/** Every group of the plan found in the procedure's search text (alias p). */
export function matchCondition(plan: SearchPlan): RawBuilder<SqlBool> {
  const groups = plan.groups.map(
    (g) => sql<SqlBool>`(${sql.join(g.alternatives.map((a) => sql`p.search_text LIKE ${`%${likeEscape(a)}%`}`), sql` OR `)})`,
  );
  return sql<SqlBool>`(${sql.join(groups, sql` AND `)})`;
}

/** The relevance score of procedure p (see the header), numeric with 4 decimals. */
export function scoreExpression(plan: SearchPlan): RawBuilder<string> {
  // Whole readings and multi-word meanings of a part ("làm giấy khai sinh" → "đăng ký khai sinh"),
  // longest first: the phrase term rewards the longest one found in the name.
  const multiWord = plan.groups.flatMap((g) => g.alternatives).filter((a) => a.includes(' '));
  const readings = [...new Set([...plan.variants, ...multiWord])].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).slice(0, 16);
  const like = (r: string) => `%${likeEscape(r)}%`;
  const anyOf = (xs: readonly string[], f: (x: string) => RawBuilder<unknown>) => sql.join(xs.map(f), sql` OR `);
  const exact = sql`CASE WHEN p.search_name = ANY(${readings}::text[]) OR ${anyOf(readings, (r) => sql`p.search_aliases LIKE ${like(`|${r}|`)}`)} THEN 1 ELSE 0 END`;
  const inAlias = sql`CASE WHEN ${anyOf(readings, (r) => sql`p.search_aliases LIKE ${like(r)}`)} THEN 0.25 ELSE 0 END`;
  const words = sql.join(
    plan.groups.map((g) => sql`CASE WHEN ${anyOf(g.alternatives, (a) => sql`p.search_name LIKE ${like(a)}`)} THEN 1 ELSE 0 END`),
    sql` + `,
  );
  const phrase = sql`CASE ${sql.join(readings.map((r) => sql`WHEN p.search_name LIKE ${like(r)} THEN 0.5 + 0.5 * ${r.length}::numeric / greatest(length(p.search_name), ${r.length})`), sql` `)} ELSE 0 END`;
  return sql<string>`round(${exact} + ${inAlias} + 0.5 * (${words})::numeric / ${plan.groups.length} + ${phrase}, 4)`;
}

/** A short fingerprint of a search (words and filters), carried in its cursors. */
export function searchFingerprint(plan: SearchPlan, filters: readonly (string | undefined)[]): string {
  let h = 0x811c9dc5;
  for (const ch of [plan.words.join(' '), ...filters.map((f) => f ?? '')].join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

// ---------------------------------------------------------------------------------------------
// The lexicon (administration)
// ---------------------------------------------------------------------------------------------

export interface LexiconEntry {
  term: string;
  termFolded: string;
  expansions: string[];
  note: string;
  updatedAt: string;
}

export const MAX_EXPANSIONS = 20;
export const MAX_TERM_LENGTH = 100;

const rowToEntry = (r: { term: string; term_folded: string; expansions: string[]; note: string; updated_at: Date }): LexiconEntry => ({
  term: r.term,
  termFolded: r.term_folded,
  expansions: r.expansions,
  note: r.note,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listLexicon(db: Kysely<DB>): Promise<LexiconEntry[]> {
  const rows = await db.selectFrom('search_lexicon').selectAll().orderBy('term_folded').execute();
  return rows.map(rowToEntry);
}

const fe = (field: string, message: string, messageVi: string): FieldError => ({ field, message, messageVi });

/** The folded form of a term, or 400 with the reason. */
export function checkTerm(term: string): string {
  const folded = foldTerm(term);
  const issues: FieldError[] = [];
  if (folded === '') issues.push(fe('term', 'must contain a letter or a digit', 'phải có ít nhất một chữ cái hoặc chữ số'));
  if (folded.length > MAX_TERM_LENGTH) issues.push(fe('term', `must be at most ${MAX_TERM_LENGTH} characters`, `không được dài quá ${MAX_TERM_LENGTH} ký tự`));
  if (folded.split(' ').length > MAX_TERM_WORDS) issues.push(fe('term', `must have at most ${MAX_TERM_WORDS} words`, `không được quá ${MAX_TERM_WORDS} từ`));
  if (issues.length) throw new AppError(400, 'invalid_input', 'The term is invalid.', 'Từ khóa không hợp lệ.', issues);
  return folded;
}

function checkExpansions(term: string, expansions: readonly string[]): string[] {
  const issues: FieldError[] = [];
  const seen = new Set<string>();
  const out: string[] = [];
  expansions.forEach((e, i) => {
    const t = e.trim().replace(/\s+/g, ' ');
    const f = foldTerm(t);
    if (f === '') issues.push(fe(`expansions.${i}`, 'must contain a letter or a digit', 'phải có ít nhất một chữ cái hoặc chữ số'));
    else if (f === term) issues.push(fe(`expansions.${i}`, 'must differ from the term itself', 'phải khác chính từ khóa'));
    else if (seen.has(f)) issues.push(fe(`expansions.${i}`, `"${t}" is listed twice`, `"${t}" bị lặp lại`));
    seen.add(f);
    out.push(t);
  });
  if (issues.length) throw new AppError(400, 'invalid_input', 'The expansions are invalid; see "fields".', 'Các nghĩa mở rộng không hợp lệ; xem danh sách "fields".', issues);
  return out;
}

/** Creates or replaces a term; recorded in the audit log in the same transaction. */
export async function putLexiconTerm(
  db: Kysely<DB>,
  term: string,
  input: { expansions: string[]; note?: string },
  actorId: number,
  now: Date,
): Promise<{ entry: LexiconEntry; created: boolean }> {
  const folded = checkTerm(term);
  const expansions = checkExpansions(folded, input.expansions);
  const note = (input.note ?? '').trim();
  const display = term.trim().replace(/\s+/g, ' ');
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('search_lexicon').selectAll().where('term_folded', '=', folded).forUpdate().executeTakeFirst();
    const row = await trx
      .insertInto('search_lexicon')
      .values({ term_folded: folded, term: display, expansions, note, updated_at: now })
      .onConflict((oc) => oc.column('term_folded').doUpdateSet({ term: display, expansions, note, updated_at: now }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('audit_log')
      .values({
        actor_id: actorId,
        action: 'search.lexicon.put',
        object_type: 'search_lexicon',
        object_id: folded,
        details: JSON.stringify({ before: before ? { expansions: before.expansions, note: before.note } : null, after: { expansions, note } }),
      })
      .execute();
    return { entry: rowToEntry(row), created: !before };
  });
}

/** Removes a term (404 when there is none); recorded in the audit log. */
export async function deleteLexiconTerm(db: Kysely<DB>, term: string, actorId: number): Promise<void> {
  const folded = checkTerm(term);
  await db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('search_lexicon').where('term_folded', '=', folded).returningAll().executeTakeFirst();
    if (!gone) throw new AppError(404, 'not_found', `Lexicon term "${folded}" was not found.`, `Không tìm thấy từ khóa "${folded}" trong từ điển tìm kiếm.`);
    await trx
      .insertInto('audit_log')
      .values({
        actor_id: actorId,
        action: 'search.lexicon.delete',
        object_type: 'search_lexicon',
        object_id: folded,
        details: JSON.stringify({ before: { expansions: gone.expansions, note: gone.note } }),
      })
      .execute();
  });
}

/** Seed terms (src/catalog/data/search-lexicon.json) that are missing; existing terms are left as edited. */
export async function seedLexicon(db: Kysely<DB>, terms: ReadonlyArray<{ term: string; expansions: string[]; note?: string }>): Promise<number> {
  if (terms.length === 0) return 0;
  const rows = terms.map((t) => ({ term_folded: checkTerm(t.term), term: t.term, expansions: checkExpansions(foldTerm(t.term), t.expansions), note: t.note ?? '' }));
  const res = await db.insertInto('search_lexicon').values(rows).onConflict((oc) => oc.column('term_folded').doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}
