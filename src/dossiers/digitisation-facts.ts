/**
 * Inputs of index group 5 (số hóa hồ sơ, domain.md §5) for the dossiers received in [from, to)
 * by the given units (their receiving unit: the desk that digitises the papers, §6):
 *  - received;
 *  - digitised: every document the dossier's case requires has an electronic copy (and at least
 *    one copy exists, so a case without required papers does not count as digitised by default);
 *  - reusing: at least one copy was reused from an earlier dossier (ratio reusing ÷ received,
 *    full marks from 80%);
 *  - of those whose procedure's result is a paper document (result_type paper or both) and whose
 *    result is ready or returned (status 9, 10): finished, and withElectronicResult — a signed
 *    electronic result was issued (signed_results).
 * The same argument shape as onlinePaymentFacts (src/payments/queries.ts), so the index reads both alike.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../platform/db-types.js';

export interface DigitisationFacts {
  received: number;
  digitised: number;
  reusing: number;
  finished: number;
  withElectronicResult: number;
}

export async function digitisationFacts(db: Kysely<DB>, q: { units: string[]; from: Date; to: Date }): Promise<DigitisationFacts> {
  if (q.units.length === 0) return { received: 0, digitised: 0, reusing: 0, finished: 0, withElectronicResult: 0 };
  const r = await sql<{ received: string; digitised: string; reusing: string; finished: string; with_result: string }>`
    select count(*) as received,
           count(*) filter (where f.has_copy and not f.missing_required) as digitised,
           count(*) filter (where f.reused) as reusing,
           count(*) filter (where f.paper_result) as finished,
           count(*) filter (where f.paper_result and f.signed) as with_result
      from dossiers d
      join procedures p on p.code = d.procedure_code
      cross join lateral (
        select exists (select 1 from dossier_documents dd where dd.dossier_id = d.id) as has_copy,
               exists (select 1 from dossier_documents dd where dd.dossier_id = d.id and dd.source = 'reuse') as reused,
               exists (
                 select 1 from procedure_documents pd
                  where pd.procedure_code = d.procedure_code
                    and pd.required
                    and (cardinality(pd.case_codes) = 0 or d.case_code = any(pd.case_codes))
                    and not exists (select 1 from dossier_documents dd where dd.dossier_id = d.id and dd.document_seq = pd.seq)
               ) as missing_required,
               (p.result_type in ('paper', 'both') and d.status_code in (9, 10)) as paper_result,
               exists (select 1 from signed_results sr where sr.dossier_id = d.id) as signed
      ) f
     where d.receiving_unit = any(${q.units}::text[])
       and d.received_at >= ${q.from}
       and d.received_at < ${q.to}`.execute(db);
  const row = r.rows[0]!;
  return {
    received: Number(row.received),
    digitised: Number(row.digitised),
    reusing: Number(row.reusing),
    finished: Number(row.finished),
    withElectronicResult: Number(row.with_result),
  };
}
