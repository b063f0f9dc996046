/**
 * Submitting a dossier: online by a citizen (status 1, waiting for receipt), or at the desk by an
 * official for a walk-in (channel 1) or postal (channel 3) applicant, received at once.
 * Idempotent per (submitter, Idempotency-Key): a repeat returns the same dossier.
 *
 * The e-form (the procedure's `form`, src/core/eform.ts):
 *  - online (channel 2): formData must be the complete, valid form. Fields prefilled from the
 *    login identity (name, ID number, phone, email) are filled in when absent.
 *  - walk-in and post: the signed paper declaration is the record, so formData is optional; what
 *    is given is checked for type and format, not for completeness.
 * Attachments (uploads of the submitter not yet submitted) are linked to the new dossier, and the
 * submitter's draft of the procedure is deleted, in the same statement that writes the dossier.
 * Required documents are not enforced here: completeness of the papers is the desk's legal check
 * at receipt (complete → receipt; incomplete → one supplement request listing everything), and
 * online some papers are replaced by identity data (Decree 42/2022), so a missing upload makes a
 * dossier to be supplemented, not an invalid request. The portal asks for each required document.
 */
import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { aggStateOf, deltasOf, NOT_RECEIVED } from '../core/aggregates.js';
import { aggregateCtes } from '../monitoring/aggregates.js';
import { localDateOf, type TimeLimitKind } from '../core/calendar.js';
import { decide, formatDossierCode, newDossierState, type Channel, type Decision } from '../core/dossier-machine.js';
import { computeFee, validateFeeRule } from '../core/fees.js';
import type { Actor } from '../identity/actor.js';
import { inJurisdiction } from '../identity/actor.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { AppError, conflict, forbidden, invalidField, type FieldError } from '../platform/errors.js';
import { normaliseFormData, prefillValues, validateFormData, type FormDefinition } from '../core/eform.js';
import { Type } from '@sinclair/typebox';
import { AttachmentId, listAttachments, type AttachmentViewT } from './attachments.js';
import { actionValues, stateColumns, type ScopedDossierRow } from './repository.js';
import type { ApplicantInfo } from './replay.js';
import { PROVINCE_CENTRE_SUFFIX } from '../catalog/units.js';

export interface SubmitInput {
  procedureCode: string;
  caseCode: string;
  channel?: Channel;
  receivingUnit?: string;
  decidingUnit?: string;
  applicant?: {
    type?: 'citizen' | 'business';
    name?: string;
    idNumber?: string;
    phone?: string;
    email?: string;
    address?: string;
  };
  formData?: Record<string, unknown>;
  pages?: number;
  copies?: number;
  /** Uploads of the submitter to submit with the dossier; documentSeq overrides the one given at upload. */
  attachments?: Array<{ id: string; documentSeq?: number | null }>;
  /** Postal dossiers (channel 3): the tracking number (mã bưu gửi) of the parcel that brought it. */
  postalTrackingNumber?: string;
}

/** The `attachments` property of the submission body (see SubmitInput). */
export const SubmitAttachments = Type.Optional(
  Type.Array(
    Type.Object(
      {
        id: AttachmentId,
        documentSeq: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 999 }), Type.Null()], { description: 'Which required document the file is for; null = other. Default: as given at upload.' })),
      },
      { additionalProperties: false },
    ),
    { maxItems: 50, description: 'Your uploads (POST /api/attachments) for this procedure, not yet submitted.' },
  ),
);

export interface SubmitResult {
  dossierId: number;
  code: string;
  replayed: boolean;
  /** The new dossier as written, with its attachments (absent on a replay). */
  row?: ScopedDossierRow & { attachments: AttachmentViewT[] };
}

export async function submitDossier(
  ctx: AppContext,
  actor: Actor,
  input: SubmitInput,
  idempotencyKey: string,
): Promise<SubmitResult> {
  if (actor.role !== 'citizen' && actor.role !== 'desk_officer') {
    throw forbidden('Only applicants (online) and desk officers (walk-in, post) submit dossiers.', 'Chỉ người nộp (trực tuyến) và cán bộ một cửa (trực tiếp, bưu chính) được nộp hồ sơ.');
  }
  const clientKey = `user:${actor.userId}`;
  const requestHash = crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex');
  // No look-up of an earlier submission with this key first: the common case is a new one, and a
  // repeat is caught below — the unique (client, key) makes its write fail, or its attachments are
  // already taken — and answered with the dossier the first request made.
  const at = ctx.now();
  try {
    const plan = await planSubmission(ctx.db, actor, input);
    const attachmentIds = await checkAttachments(ctx.db, actor, input, plan.documents);
    const cal = await ctx.calendars.forUnit(plan.receivingUnit);
    const localDate = localDateOf(cal, at);
    let state = newDossierState({
      channel: plan.channel,
      receivingUnit: plan.receivingUnit,
      decidingUnit: plan.decidingUnit,
      steps: plan.steps,
      stepNorms: plan.stepNorms,
      submittedAt: at,
      limitKind: plan.limitKind,
      limitValue: plan.limitValue,
      ownerId: actor.role === 'citizen' ? actor.userId : null,
      feeAmount: plan.fee > 0 ? plan.fee : null,
    });
    const stamp = { userId: actor.userId, role: actor.role, unit: actor.unitCode };
    const decisions: Array<[string, Decision, string]> = [
      [
        'submit',
        {
          next: state,
          record: {
            fromStatus: null,
            toStatus: 1,
            fromUnit: null,
            toUnit: plan.receivingUnit,
            fromStep: null,
            toStep: state.currentStep,
            stepTimeliness: null,
            reason: null,
            payload: { channel: plan.channel, fee: plan.fee, ...(plan.postalTrackingNumber ? { postalTrackingNumber: plan.postalTrackingNumber } : {}) },
          },
        },
        idempotencyKey,
      ],
    ];
    if (plan.channel !== 2) {
      // Walk-in and postal dossiers are checked by the desk officer in front of them: received at once.
      const d = decide(state, { type: 'receive' }, { role: 'desk_officer', userId: actor.userId, isOwner: false }, at, cal);
      decisions.push(['receive', d, `${idempotencyKey}:receive`]);
      state = d.next;
    }
    // One statement, so all of it or nothing: the day's sequence number, the dossier in its final
    // state with its code, its actions, and the idempotency record.
    const prefix = formatDossierCode(plan.receivingUnit, localDate, 1).slice(0, -4);
    const dossierId = sql<number>`(select id from d)`;
    const seqOverrides = (input.attachments ?? []).filter((a) => a.documentSeq !== undefined);
    // A walk-in or postal dossier is received at once: the monitoring aggregates count it in the
    // same statement (guarded by 'd', the dossier row). An online one moves them at receipt.
    const aggregates = deltasOf(NOT_RECEIVED, aggStateOf(state, cal.utcOffsetMinutes), { type: 'receive', at, toStatus: state.statusCode, payload: {} }, cal.utcOffsetMinutes);
    const aggCtes = aggregateCtes({ unit: plan.decidingUnit, procedureCode: input.procedureCode, channel: plan.channel }, aggregates, 'd');
    const write = (db: Kysely<DB>) => {
      let q = db
        .with('c', (qb) =>
          qb
            .insertInto('dossier_code_counters')
            .values({ unit_code: plan.receivingUnit, day: localDate, last_value: 1 })
            .onConflict((oc) => oc.columns(['unit_code', 'day']).doUpdateSet({ last_value: sql`dossier_code_counters.last_value + 1` }))
            .returning('last_value'),
        )
        .with('d', (qb) =>
          qb
            .insertInto('dossiers')
            .values({
              // At least four digits, more when a unit passes 9,999 dossiers in a day.
              code: sql`${prefix} || (select case when last_value < 10000 then lpad(last_value::text, 4, '0') else last_value::text end from c)`,
              procedure_code: input.procedureCode,
              case_code: input.caseCode,
              channel: plan.channel,
              receiving_unit: plan.receivingUnit,
              deciding_unit: plan.decidingUnit,
              owner_id: state.ownerId,
              applicant_type: plan.applicant.type,
              applicant_name: plan.applicant.name,
              applicant_id_number: plan.applicant.idNumber,
              applicant_phone: plan.applicant.phone,
              applicant_email: plan.applicant.email,
              applicant_address: plan.applicant.address,
              form_data: JSON.stringify(plan.formData),
              submitted_at: at,
              limit_kind: plan.limitKind,
              limit_value: plan.limitValue,
              pages: input.pages ?? null,
              ...stateColumns(state),
              action_count: decisions.length,
              version: decisions.length,
              updated_at: at,
            })
            .returningAll(),
        )
        .with('a', (qb) =>
          qb
            .insertInto('dossier_actions')
            .values(decisions.map(([type, d, key], i) => ({ ...actionValues(0, i + 1, type, d, stamp, at, key), dossier_id: dossierId })))
            .returning('id'),
        )
        .with('s', (qb) =>
          qb
            .insertInto('dossier_submissions')
            .values({ client_key: clientKey, idempotency_key: idempotencyKey, dossier_id: dossierId, request_hash: requestHash })
            .returning('dossier_id'),
        )
        // The uploads become the dossier's (only the submitter's own, not yet submitted ones).
        .with('att', (qb) =>
          qb
            .updateTable('attachments')
            .set({
              dossier_id: dossierId,
              draft_id: null,
              ...(seqOverrides.length
                ? { document_seq: sql<number | null>`case ${sql.join(seqOverrides.map((a) => sql`when public_id = ${a.id.toLowerCase()}::uuid then ${a.documentSeq ?? null}::integer`), sql` `)} else document_seq end` }
                : {}),
            })
            .where(sql<boolean>`public_id = any(${attachmentIds}::uuid[])`)
            .where('owner_user_id', '=', actor.userId)
            .where('dossier_id', 'is', null)
            .returning(['id', 'document_seq']),
        )
        // A file given for a required document is that document's electronic copy (index group 5):
        // uploaded online by the applicant, scanned at the desk for walk-in and postal dossiers. The
        // first file of a document is its copy.
        .with('dd', (qb) =>
          qb
            .insertInto('dossier_documents')
            .columns(['dossier_id', 'document_seq', 'attachment_id', 'source', 'digitised_at', 'digitised_by'])
            .expression((eb) =>
              eb
                .selectFrom('att')
                .distinctOn('att.document_seq')
                .select([
                  sql<number>`(select id from d)`.as('dossier_id'),
                  sql<number>`att.document_seq`.as('document_seq'),
                  'att.id',
                  sql<string>`${plan.channel === 2 ? 'upload' : 'scan'}::text`.as('source'),
                  sql<Date>`${at}::timestamptz`.as('digitised_at'),
                  sql<number>`${actor.userId}::bigint`.as('digitised_by'),
                ])
                .where('att.document_seq', 'is not', null)
                .orderBy('att.document_seq')
                .orderBy('att.id'),
            )
            .returning('attachment_id'),
        )
        // The draft has become the dossier.
        .with('dr', (qb) =>
          qb
            .deleteFrom('dossier_drafts')
            .where('owner_user_id', '=', actor.userId)
            .where('procedure_code', '=', input.procedureCode)
            .where(sql<boolean>`${actor.role === 'citizen'}`)
            .returning('id'),
        );
      type WithRaw = { with(name: string, cte: () => RawBuilder<unknown>): WithRaw };
      for (const [name, query] of aggCtes) q = (q as unknown as WithRaw).with(name, () => query) as unknown as typeof q;
      return q
        .selectFrom('d')
        .selectAll()
        .select(sql<number>`(select count(*) from att)`.as('attached_count'))
        .executeTakeFirstOrThrow();
    };
    // With attachments, a transaction around the statement: if another submission took one of
    // them in the meantime, fewer rows are linked and the whole dossier is rolled back.
    const written = attachmentIds.length
      ? await ctx.db.transaction().execute(async (trx) => {
          const r = await write(trx);
          if (Number(r.attached_count) !== attachmentIds.length) throw attachmentTaken();
          return r;
        })
      : await write(ctx.db);
    const { attached_count: _n, ...row } = written;
    const attachments = attachmentIds.length ? await listAttachments(ctx.db, { dossierId: row.id }) : [];
    return {
      dossierId: row.id,
      code: row.code,
      replayed: false,
      row: { ...row, steps: plan.steps, step_norms: plan.stepNorms, procedure_name: plan.procedureName, current_path: plan.receivingPath, receiving_path: plan.receivingPath, deciding_path: plan.decidingPath, attachments },
    };
  } catch (err) {
    // Whatever stopped this attempt (the key already used, its files already in that dossier, a
    // catalog change since), a submission already made with this key is the answer.
    const prior = await findSubmission(ctx.db, clientKey, idempotencyKey).catch(() => undefined);
    if (prior) return checkReplay(prior, requestHash);
    throw err;
  }
}

async function findSubmission(db: Kysely<DB>, clientKey: string, key: string) {
  return db
    .selectFrom('dossier_submissions as s')
    .innerJoin('dossiers as d', 'd.id', 's.dossier_id')
    .select(['s.dossier_id', 's.request_hash', 'd.code'])
    .where('s.client_key', '=', clientKey)
    .where('s.idempotency_key', '=', key)
    .executeTakeFirst();
}

function checkReplay(prior: { dossier_id: number; request_hash: string; code: string }, hash: string): SubmitResult {
  if (prior.request_hash !== hash) {
    throw conflict(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different submission.',
      'Idempotency-Key này đã được dùng cho một lần nộp hồ sơ khác.',
    );
  }
  return { dossierId: prior.dossier_id, code: prior.code, replayed: true };
}

interface Plan {
  channel: Channel;
  receivingUnit: string;
  decidingUnit: string;
  receivingPath: string;
  decidingPath: string;
  procedureName: string;
  postalTrackingNumber: string | null;
  steps: string[];
  stepNorms: Record<string, number>;
  limitKind: TimeLimitKind;
  limitValue: number;
  fee: number;
  applicant: ApplicantInfo;
  /** formData as stored (checked against the procedure's e-form, trimmed). */
  formData: Record<string, unknown>;
  /** The procedure's documents: seq and the cases each applies to (empty = all). */
  documents: Array<{ seq: number; caseCodes: string[] }>;
}

interface UnitFacts {
  code: string;
  kind: string;
  path: string;
  parent_code: string | null;
}

async function planSubmission(trx: Kysely<DB>, actor: Actor, input: SubmitInput): Promise<Plan> {
  const unitCandidates = [input.receivingUnit, homeUnit(actor), input.decidingUnit].filter((c): c is string => !!c);
  // The procedure, the chosen case and the units involved in one round trip.
  const pc = await trx
    .selectFrom('procedures as p')
    .leftJoin('procedure_cases as c', (j) => j.onRef('c.procedure_code', '=', 'p.code').on('c.code', '=', input.caseCode))
    .select([
      'p.code',
      'p.name',
      'p.level',
      'p.implementing_unit_kinds',
      'p.implementing_units',
      'p.no_boundary',
      'p.steps',
      'p.step_norms',
      'p.active',
      'p.applicant_types',
      'p.online_level',
      'p.form',
      sql<Array<{ seq: number; caseCodes: string[] }>>`(select coalesce(json_agg(json_build_object('seq', pd.seq, 'caseCodes', pd.case_codes) order by pd.seq), '[]'::json) from procedure_documents pd where pd.procedure_code = p.code)`.as('documents'),
      'c.time_limit_kind',
      'c.time_limit_value',
      'c.fee',
      // The units this submission may name, in the same round trip (a busy desk pays per round trip).
      sql<UnitFacts[]>`(select coalesce(json_agg(json_build_object('code', u.code, 'kind', u.kind, 'path', u.path, 'parent_code', u.parent_code)), '[]'::json) from units u where u.active and (u.code = any(${unitCandidates}::text[]) or u.code = p.implementing_units[1]))`.as('units'),
    ])
    .where('p.code', '=', input.procedureCode)
    .executeTakeFirst();
  if (!pc || !pc.active) {
    throw invalidField('procedureCode', `unknown procedure "${input.procedureCode}"`, `không có thủ tục "${input.procedureCode}"`);
  }
  const proc = pc;
  if (!pc.time_limit_kind) {
    throw invalidField('caseCode', `procedure ${input.procedureCode} has no case "${input.caseCode}"`, `thủ tục ${input.procedureCode} không có trường hợp "${input.caseCode}"`);
  }
  const cs = { time_limit_kind: pc.time_limit_kind, time_limit_value: pc.time_limit_value!, fee: pc.fee! };

  let channel: Channel;
  if (actor.role === 'citizen') {
    if (input.channel !== undefined && input.channel !== 2) {
      throw invalidField('channel', 'applicants submit online (channel 2)', 'người dân nộp trực tuyến (kênh 2)');
    }
    if (proc.online_level === 'none') {
      throw invalidField('procedureCode', 'this procedure cannot be submitted online; go to the one-stop desk', 'thủ tục này chưa cung cấp trực tuyến; vui lòng nộp tại Bộ phận Một cửa');
    }
    channel = 2;
  } else {
    channel = input.channel ?? 1;
    if (channel === 2) {
      throw invalidField('channel', 'a desk officer records in-person (1) or postal (3) dossiers', 'cán bộ một cửa tiếp nhận hồ sơ trực tiếp (1) hoặc bưu chính (3)');
    }
  }
  const postalTrackingNumber = input.postalTrackingNumber?.trim() || null;
  if (postalTrackingNumber && channel !== 3) {
    throw invalidField('postalTrackingNumber', 'a postal tracking number belongs to a dossier received by post (channel 3)', 'mã bưu gửi chỉ dùng cho hồ sơ nhận qua bưu chính (kênh 3)');
  }

  const actorHome = homeUnit(actor);
  const receivingUnit = input.receivingUnit ?? actorHome ?? defaultReceiving(proc);
  if (!receivingUnit) {
    throw invalidField('receivingUnit', 'choose the commune, ward or centre that receives the dossier', 'hãy chọn xã, phường hoặc trung tâm tiếp nhận hồ sơ');
  }
  let decidingUnit = input.decidingUnit ?? (proc.level === 'province' ? (proc.implementing_units[0] ?? receivingUnit) : receivingUnit);
  const needed = [receivingUnit, decidingUnit];
  let found: UnitFacts[] = pc.units.filter((u) => needed.includes(u.code));
  if (!needed.every((c) => found.some((u) => u.code === c))) {
    found = await trx.selectFrom('units').select(['code', 'kind', 'path', 'parent_code']).where('code', 'in', needed).where('active', '=', true).execute();
  }
  const recv = found.find((u) => u.code === receivingUnit);
  if (!recv) throw invalidField('receivingUnit', `unknown unit "${receivingUnit}"`, `không có đơn vị "${receivingUnit}"`);
  if (actor.role === 'desk_officer' && !inJurisdiction(actor, recv.path)) {
    throw forbidden('You can only receive dossiers for your own unit.', 'Bạn chỉ được tiếp nhận hồ sơ cho đơn vị của mình.');
  }

  const isLocal = (k: string) => k === 'commune' || k === 'ward';
  const implements_ = (u: { code: string; kind: string }) =>
    proc.implementing_unit_kinds.includes(u.kind) || proc.implementing_units.includes(u.code);
  const isProvinceCentre = recv.code.endsWith(PROVINCE_CENTRE_SUFFIX) && recv.kind === 'department';

  const dec = found.find((u) => u.code === decidingUnit);
  if (!dec || !implements_(dec)) {
    throw invalidField('decidingUnit', `unit "${decidingUnit}" does not decide procedure ${proc.code}`, `đơn vị "${decidingUnit}" không giải quyết thủ tục ${proc.code}`);
  }
  decidingUnit = dec.code;
  const receivesHere =
    implements_(recv) ||
    (proc.level === 'province' && isProvinceCentre) ||
    // Without administrative boundaries any service centre in the province receives it.
    (proc.no_boundary && (isLocal(recv.kind) || isProvinceCentre) && samePrefix(recv.path, dec.path));
  if (!receivesHere) {
    throw invalidField('receivingUnit', `unit "${receivingUnit}" does not receive procedure ${proc.code}`, `đơn vị "${receivingUnit}" không tiếp nhận thủ tục ${proc.code}`);
  }
  if (decidingUnit !== receivingUnit && !proc.no_boundary && proc.level === 'commune') {
    throw invalidField('decidingUnit', 'a commune procedure is decided where it is received unless it is a no-boundary procedure', 'thủ tục cấp xã được giải quyết tại nơi tiếp nhận, trừ thủ tục không phụ thuộc địa giới hành chính');
  }

  const a = input.applicant ?? {};
  const applicantType = a.type ?? 'citizen';
  if (!proc.applicant_types.includes(applicantType)) {
    throw invalidField('applicant.type', `this procedure is for: ${proc.applicant_types.join(', ')}`, `thủ tục dành cho: ${proc.applicant_types.join(', ')}`);
  }
  const name = (a.name ?? (actor.role === 'citizen' ? actor.fullName : '')).trim();
  if (!name) throw invalidField('applicant.name', 'is required', 'là bắt buộc');
  const phone = a.phone ?? (actor.role === 'citizen' ? actor.phone : null) ?? null;
  const idNumber = a.idNumber ?? (actor.role === 'citizen' ? actor.idNumber : null) ?? null;
  if (!phone && !idNumber) {
    throw invalidField('applicant.phone', 'give a phone number or an ID number, so the applicant can follow the dossier', 'cần số điện thoại hoặc số định danh để tra cứu hồ sơ');
  }

  const form = (proc.form ?? []) as FormDefinition;
  let formData: Record<string, unknown> = input.formData ?? {};
  if (channel === 2) {
    formData = { ...prefillValues(form, { fullName: actor.fullName, idNumber: actor.idNumber, phone: actor.phone, email: actor.email }), ...formData };
  }
  const formProblems = validateFormData(form, formData, { partial: channel !== 2 });
  if (formProblems.length) {
    throw new AppError(400, 'invalid_form', 'The form has invalid or missing fields; see "fields".', 'Tờ khai có trường chưa điền hoặc không hợp lệ; xem danh sách "fields".', formProblems);
  }

  const rule = validateFeeRule(cs.fee);
  if (typeof rule === 'string') throw new AppError(500, 'catalog_invalid', `Fee rule of ${proc.code}/${input.caseCode} is invalid: ${rule}`, 'Cấu hình phí của thủ tục không hợp lệ.');
  const fee = computeFee(rule, { pages: input.pages ?? 1, copies: input.copies ?? 1 });

  return {
    channel,
    receivingUnit: recv.code,
    decidingUnit,
    receivingPath: recv.path,
    decidingPath: dec.path,
    procedureName: proc.name,
    postalTrackingNumber,
    steps: proc.steps,
    stepNorms: proc.step_norms,
    limitKind: cs.time_limit_kind,
    limitValue: Number(cs.time_limit_value),
    fee,
    applicant: {
      type: applicantType,
      name,
      idNumber,
      phone,
      email: a.email ?? (actor.role === 'citizen' ? actor.email : null) ?? null,
      address: a.address ?? null,
    },
    formData: normaliseFormData(form, formData),
    documents: proc.documents,
  };
}

const attachmentTaken = () =>
  new AppError(409, 'attachment_already_submitted', 'A file you attached was submitted with another dossier in the meantime; nothing was submitted. Reload and try again.', 'Một tệp đính kèm vừa được nộp cùng hồ sơ khác; hồ sơ này chưa được nộp. Hãy tải lại trang và thử lại.');

/**
 * Checks the attachments of a submission before anything is written: each is the submitter's
 * own upload for this procedure, not yet submitted, listed once, for a document of the chosen
 * case. Returns their ids (lower case).
 */
async function checkAttachments(db: Kysely<DB>, actor: Actor, input: SubmitInput, documents: Plan['documents']): Promise<string[]> {
  const list = input.attachments ?? [];
  if (list.length === 0) return [];
  const ids = list.map((a) => a.id.toLowerCase());
  const rows = await db
    .selectFrom('attachments')
    .select(['public_id', 'owner_user_id', 'dossier_id', 'procedure_code', 'document_seq'])
    .where('public_id', 'in', ids)
    .execute();
  const problems: FieldError[] = [];
  let taken = false;
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const id = ids[i]!;
    const field = `attachments.${i}`;
    const a = rows.find((r) => r.public_id === id);
    if (seen.has(id)) {
      problems.push({ field: `${field}.id`, message: 'is listed twice', messageVi: 'bị liệt kê hai lần' });
      return;
    }
    seen.add(id);
    if (!a || a.owner_user_id !== actor.userId) {
      problems.push({ field: `${field}.id`, message: 'no such upload of yours; upload the file again', messageVi: 'không có tệp này trong các tệp bạn đã tải lên; hãy tải lại tệp' });
      return;
    }
    if (a.dossier_id !== null) {
      taken = true;
      problems.push({ field: `${field}.id`, message: 'was already submitted with another dossier', messageVi: 'đã được nộp cùng một hồ sơ khác' });
      return;
    }
    if (a.procedure_code !== input.procedureCode) {
      problems.push({ field: `${field}.id`, message: `was uploaded for procedure ${a.procedure_code}`, messageVi: `được tải lên cho thủ tục ${a.procedure_code}` });
      return;
    }
    const seq = item.documentSeq !== undefined ? item.documentSeq : a.document_seq;
    if (seq !== null) {
      const doc = documents.find((d) => d.seq === seq);
      const path = item.documentSeq !== undefined ? `${field}.documentSeq` : `${field}.id`;
      if (!doc) problems.push({ field: path, message: `procedure ${input.procedureCode} has no document number ${seq}`, messageVi: `thủ tục ${input.procedureCode} không có thành phần hồ sơ số ${seq}` });
      else if (doc.caseCodes.length && !doc.caseCodes.includes(input.caseCode)) {
        problems.push({ field: path, message: `document ${seq} is not required for case ${input.caseCode}`, messageVi: `thành phần hồ sơ số ${seq} không thuộc trường hợp ${input.caseCode}` });
      }
    }
  });
  if (problems.length) {
    if (taken) throw new AppError(409, 'attachment_already_submitted', 'A file you attached was already submitted with another dossier; nothing was submitted.', 'Một tệp đính kèm đã được nộp cùng hồ sơ khác; hồ sơ này chưa được nộp.', problems);
    throw new AppError(400, 'invalid_input', 'Some attachments cannot be submitted; see "fields".', 'Một số tệp đính kèm không thể nộp; xem danh sách "fields".', problems);
  }
  return ids;
}

function samePrefix(a: string, b: string): boolean {
  // Same province: the first three path segments (/VN/H15/) are equal.
  return a.split('/').slice(0, 3).join('/') === b.split('/').slice(0, 3).join('/');
}

function defaultReceiving(proc: { level: string; implementing_units: string[] }): string | null {
  return proc.level === 'province' ? (proc.implementing_units[0] ?? null) : null;
}

/** The unit a desk officer receives for: their own unit, or the unit above their desk. */
function homeUnit(actor: Actor): string | null {
  if (actor.role === 'citizen' || !actor.unitCode) return null;
  return actor.unitKind === 'desk' ? (actor.unitParent ?? null) : actor.unitCode;
}
