/**
 * The assistant's FAQ seed (data/faq.json): entries whose slug is missing are added, existing ones
 * are left as edited. Runs with the reference data (src/seed/reference.ts).
 */
import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db-types.js';

const require = createRequire(import.meta.url);

export interface FaqSeed {
  slug: string;
  question: string;
  questionEn: string;
  answer: string;
  answerEn: string;
  keywords: string;
}

export function faqSeedEntries(): FaqSeed[] {
  return (require('./data/faq.json') as { entries: FaqSeed[] }).entries;
}

/** Adds the seed entries that are missing; returns how many were added. */
export async function seedFaq(db: Kysely<DB>, entries: readonly FaqSeed[] = faqSeedEntries()): Promise<number> {
  if (entries.length === 0) return 0;
  const res = await db
    .insertInto('assistant_faq')
    .values(entries.map((e) => ({ slug: e.slug, question: e.question, question_en: e.questionEn, answer: e.answer, answer_en: e.answerEn, keywords: e.keywords })))
    .onConflict((oc) => oc.column('slug').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}
