/**
 * The seed catalog: fields (lĩnh vực) and procedures of data/fields.json and data/procedures.json.
 * Idempotent: fields and procedures are upserted (a procedure is replaced whole, with its cases
 * and documents); search lexicon terms of data/search-lexicon.json are added only when missing, so
 * administrators' edits survive. Runs inside the caller's transaction if given one.
 */
import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db-types.js';
import { inTransaction, upsertProcedures } from './procedures.js';
import { seedLexicon } from './search.js';

const require = createRequire(import.meta.url);

export interface FieldSeed {
  code: string;
  name: string;
  nameEn: string;
}

export function seedFields(): FieldSeed[] {
  return require('./data/fields.json') as FieldSeed[];
}

/** The procedures of the seed file, as untrusted input for parseProcedure. */
export function seedProcedures(): unknown[] {
  return (require('./data/procedures.json') as { procedures: unknown[] }).procedures;
}

export interface LexiconSeed {
  term: string;
  expansions: string[];
  note?: string;
}

export function seedLexiconTerms(): LexiconSeed[] {
  return (require('./data/search-lexicon.json') as { terms: LexiconSeed[] }).terms;
}

export async function seedCatalog(db: Kysely<DB>): Promise<{ fields: number; procedures: number; lexiconTermsAdded: number }> {
  const fields = seedFields();
  const procedures = seedProcedures();
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto('fields')
      .values(fields.map((f) => ({ code: f.code, name: f.name, name_en: f.nameEn })))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), name_en: eb.ref('excluded.name_en') })),
      )
      .execute();
    const n = await upsertProcedures(trx, procedures);
    const lexiconTermsAdded = await seedLexicon(trx, seedLexiconTerms());
    return { fields: fields.length, procedures: n, lexiconTermsAdded };
  });
}
