/**
 * The procedure catalog (thủ tục hành chính): its schemas, validation, queries and writes.
 *
 * A procedure is written whole — the procedure row, its cases and its documents — in one
 * transaction, after every rule has been checked; problems come back per field, in English and
 * Vietnamese. `search_text` is maintained here on every write:
 *   search_text = motcua_fold(concat_ws(' ', code, name, name_en, array_to_string(aliases, ' '), field name))
 * computed in TypeScript with foldVietnamese, which equals the SQL function for Vietnamese text
 * (a test checks it on both databases).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { sql, type Kysely, type Transaction } from 'kysely';
import { validateTimeLimit, HOURS_PER_WORKING_DAY, type TimeLimitKind } from '../core/calendar.js';
import { checkFeeRule, type FeeRule } from '../core/fees.js';
import { tokenize } from '../core/search-query.js';
import { foldVietnamese } from '../core/text.js';
import { validateFormDefinition, type FormDefinition } from '../core/eform.js';
import { MAX_NORM_HOURS, validateStepNorms } from '../core/step-norms.js';
import { AppError, notFound, type FieldError } from '../platform/errors.js';
import type { DB } from '../platform/db-types.js';
import { decodeCursor, encodeCursor } from '../platform/schemas.js';
import { matchCondition, planSearch, scoreExpression, searchFingerprint } from './search.js';
import { fieldErrorsFromAjv } from '../platform/validation-messages.js';

// ---------------------------------------------------------------------------------------------
// Schemas (request validation, OpenAPI, import validation)
// ---------------------------------------------------------------------------------------------

const literals = <T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    opts,
  );

export const LEVELS = ['commune', 'province'] as const;
export const ONLINE_LEVELS = ['none', 'partial', 'full'] as const;
export const RESULT_TYPES = ['paper', 'electronic', 'both'] as const;
export const APPLICANT_TYPES = ['citizen', 'business'] as const;
export const IMPLEMENTING_UNIT_KINDS = ['province', 'department', 'ward', 'commune'] as const;
export const TIME_LIMIT_KINDS = ['working_days', 'hours', 'days', 'same_day', 'none'] as const;
export const SERVICE_NORM_KINDS = ['working_days', 'hours', 'days', 'same_day'] as const;
export const VERIFICATION_STATES = ['verified', 'to_verify'] as const;
export const VERIFICATION_KEYS = ['timeLimit', 'fee', 'documents', 'legalBasis', 'code'] as const;
export const DEFAULT_STEPS = ['desk', 'specialist', 'leader', 'return'];

export const PROCEDURE_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$';
export const CASE_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$';
export const FIELD_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$';
export const UNIT_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$';
const NATIONAL_CODE_PATTERN = '^[0-9]{1,3}\\.[0-9]{3,9}$';
const STEP_PATTERN = '^[a-z][a-z_]{0,29}$';
/** No "|": it separates list items in the spreadsheet format. */
const LIST_ITEM_PATTERN = '^[^|]*$';

const VerificationState = literals(VERIFICATION_STATES);
const verificationProps = {
  timeLimit: VerificationState,
  fee: VerificationState,
  documents: VerificationState,
  legalBasis: VerificationState,
  code: VerificationState,
};
export const VerificationSchema = Type.Object(verificationProps, {
  additionalProperties: false,
  description: 'Which facts were verified against the legal text (verified) and which the province must check (to_verify).',
});

export const TimeLimitSchema = Type.Object(
  {
    kind: literals(TIME_LIMIT_KINDS),
    value: Type.Number({ minimum: 0, description: 'Working days, hours or calendar days; 0 for same_day and none.' }),
  },
  { additionalProperties: false },
);
export const ServiceNormSchema = Type.Object(
  { kind: literals(SERVICE_NORM_KINDS), value: Type.Number({ minimum: 0 }) },
  { additionalProperties: false, description: 'The province\'s own, tighter target (định mức), or null.' },
);

const note = Type.Optional(Type.String({ maxLength: 500 }));
export const FeeRuleSchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('free'), note }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('fixed'),
        amount: Type.Integer({ minimum: 1 }),
        unit: Type.Optional(literals(['dossier', 'copy', 'contract', 'case'] as const)),
        note,
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('per_page'),
        rate: Type.Integer({ minimum: 0 }),
        laterRate: Type.Integer({ minimum: 0 }),
        laterFromPage: Type.Integer({ minimum: 2 }),
        capPerCopy: Type.Integer({ minimum: 1 }),
        note,
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'Fee rule in đồng (see src/core/fees.ts).' },
);

export const CaseInputSchema = Type.Object(
  {
    code: Type.String({ pattern: CASE_CODE_PATTERN, description: 'Case code, unique within the procedure, e.g. CAN_XAC_MINH.' }),
    name: Type.String({ minLength: 1, maxLength: 500 }),
    nameEn: Type.Optional(Type.String({ maxLength: 500, default: '' })),
    timeLimit: TimeLimitSchema,
    serviceNorm: Type.Optional(Type.Union([ServiceNormSchema, Type.Null()], { default: null })),
    fee: Type.Unknown({ description: 'Fee rule: {"kind":"free"} | {"kind":"fixed","amount":N,"unit"?} | {"kind":"per_page","rate","laterRate","laterFromPage","capPerCopy"}; checked by src/core/fees.ts.' }),
  },
  { additionalProperties: false },
);

export const DocumentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 1000 }),
    nameEn: Type.Optional(Type.String({ maxLength: 1000, default: '' })),
    copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1 })),
    originalRequired: Type.Optional(Type.Boolean({ default: false })),
    required: Type.Optional(Type.Boolean({ default: true })),
    caseCodes: Type.Optional(Type.Array(Type.String({ pattern: CASE_CODE_PATTERN }), { maxItems: 50, default: [], description: 'Cases the document applies to; empty = all.' })),
    note: Type.Optional(Type.String({ maxLength: 1000, default: '' })),
  },
  { additionalProperties: false },
);

export const ProcedureInputSchema = Type.Object(
  {
    code: Type.String({ pattern: PROCEDURE_CODE_PATTERN, description: 'National code when known (e.g. 1.001193), otherwise a provincial code (e.g. H15-HT-01).' }),
    nationalCode: Type.Optional(Type.Union([Type.String({ pattern: NATIONAL_CODE_PATTERN }), Type.Null()], { default: null })),
    name: Type.String({ minLength: 1, maxLength: 500 }),
    nameEn: Type.Optional(Type.String({ maxLength: 500, default: '' })),
    field: Type.String({ pattern: FIELD_CODE_PATTERN, description: 'Field code (lĩnh vực), see GET /api/fields.' }),
    level: literals(LEVELS),
    implementingBody: Type.String({ minLength: 1, maxLength: 300 }),
    implementingUnitKinds: Type.Optional(Type.Array(literals(IMPLEMENTING_UNIT_KINDS), { maxItems: 4, default: [] })),
    implementingUnits: Type.Optional(Type.Array(Type.String({ pattern: UNIT_CODE_PATTERN }), { maxItems: 200, default: [] })),
    applicantTypes: Type.Array(literals(APPLICANT_TYPES), { minItems: 1, maxItems: 2 }),
    legalBasis: Type.String({ minLength: 1, maxLength: 4000 }),
    resultType: literals(RESULT_TYPES),
    resultName: Type.String({ minLength: 1, maxLength: 500 }),
    onlineLevel: literals(ONLINE_LEVELS),
    fullOnlineEligible: Type.Optional(Type.Boolean({ default: false })),
    noBoundary: Type.Optional(Type.Boolean({ default: false, description: 'Received by any service centre of the province (no administrative boundary).' })),
    steps: Type.Optional(Type.Array(Type.String({ pattern: STEP_PATTERN }), { minItems: 2, maxItems: 12, default: DEFAULT_STEPS })),
    stepNorms: Type.Optional(
      Type.Record(Type.String({ pattern: STEP_PATTERN }), Type.Number({ exclusiveMinimum: 0, maximum: MAX_NORM_HOURS }), {
        default: {},
        description: 'Working hours allowed per step of the internal process (e.g. {"specialist": 16}); a step without one gets a share of the time limit (src/core/step-norms.ts).',
      }),
    ),
    aliases: Type.Optional(Type.Array(Type.String({ maxLength: 100, pattern: LIST_ITEM_PATTERN }), { maxItems: 50, default: [] })),
    verification: Type.Optional(
      Type.Object(verificationProps, {
        additionalProperties: false,
        default: { timeLimit: 'to_verify', fee: 'to_verify', documents: 'to_verify', legalBasis: 'to_verify', code: 'to_verify' },
      }),
    ),
    form: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200, default: [], description: 'E-form: the fields the applicant fills in online (see src/core/eform.ts); checked by validateFormDefinition.' })),
    source: Type.Optional(Type.String({ maxLength: 1000, default: '' })),
    active: Type.Optional(Type.Boolean({ default: true })),
    cases: Type.Array(CaseInputSchema, { minItems: 1, maxItems: 50 }),
    documents: Type.Optional(Type.Array(DocumentSchema, { maxItems: 100, default: [] })),
  },
  { additionalProperties: false },
);
export type ProcedureInputRaw = Static<typeof ProcedureInputSchema>;

// ---------------------------------------------------------------------------------------------
// Domain types
// ---------------------------------------------------------------------------------------------

export type Level = (typeof LEVELS)[number];
export type OnlineLevel = (typeof ONLINE_LEVELS)[number];
export type ResultType = (typeof RESULT_TYPES)[number];
export type ApplicantType = (typeof APPLICANT_TYPES)[number];
export type ImplementingUnitKind = (typeof IMPLEMENTING_UNIT_KINDS)[number];
export type ServiceNormKind = (typeof SERVICE_NORM_KINDS)[number];
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export type Verification = Record<(typeof VERIFICATION_KEYS)[number], VerificationState>;

export interface TimeLimit {
  kind: TimeLimitKind;
  value: number;
}
export interface ServiceNorm {
  kind: ServiceNormKind;
  value: number;
}
export interface ProcedureCase {
  code: string;
  name: string;
  nameEn: string;
  timeLimit: TimeLimit;
  serviceNorm: ServiceNorm | null;
  fee: FeeRule;
}
export interface ProcedureDocument {
  name: string;
  nameEn: string;
  copies: number;
  originalRequired: boolean;
  required: boolean;
  caseCodes: string[];
  note: string;
}
/** A whole procedure as written and exported. */
export interface Procedure {
  code: string;
  nationalCode: string | null;
  name: string;
  nameEn: string;
  field: string;
  level: Level;
  implementingBody: string;
  implementingUnitKinds: ImplementingUnitKind[];
  implementingUnits: string[];
  applicantTypes: ApplicantType[];
  legalBasis: string;
  resultType: ResultType;
  resultName: string;
  onlineLevel: OnlineLevel;
  fullOnlineEligible: boolean;
  noBoundary: boolean;
  steps: string[];
  stepNorms: Record<string, number>;
  aliases: string[];
  verification: Verification;
  form: FormDefinition;
  source: string;
  active: boolean;
  cases: ProcedureCase[];
  documents: ProcedureDocument[];
}

// ---------------------------------------------------------------------------------------------
// Validation (pure)
// ---------------------------------------------------------------------------------------------

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: true, removeAdditional: false });
let validateShape: ValidateFunction | null = null;

const fe = (field: string, message: string, messageVi: string): FieldError => ({ field, message, messageVi });

/** Text a spreadsheet would run as a formula when the CSV export is opened. */
const FORMULA_START = /^[=+@]/;

function limitInWorkingHours(l: { kind: string; value: number }): number | null {
  if (l.kind === 'working_days') return l.value * HOURS_PER_WORKING_DAY;
  if (l.kind === 'hours') return l.value;
  if (l.kind === 'same_day') return HOURS_PER_WORKING_DAY;
  return null;
}

/** True when `norm` is not looser than `limit` (only compared when the kinds are comparable). */
function normWithinLimit(norm: ServiceNorm, limit: TimeLimit): boolean {
  if (limit.kind === 'none') return true;
  if (norm.kind === 'days' && limit.kind === 'days') return norm.value <= limit.value;
  // Calendar days against working time cannot be compared without a calendar: trust the editor.
  if (norm.kind === 'days' || limit.kind === 'days') return true;
  if (limit.kind === 'same_day') return norm.kind === 'same_day' || (norm.kind === 'hours' && norm.value <= HOURS_PER_WORKING_DAY);
  const n = limitInWorkingHours(norm);
  const l = limitInWorkingHours(limit);
  return n === null || l === null || n <= l;
}

function timeLimitIssue(path: string, kind: string, value: number): FieldError | null {
  if ((kind === 'same_day' || kind === 'none') && value !== 0) {
    return fe(`${path}.value`, `must be 0 when the kind is '${kind}'`, `phải bằng 0 khi loại thời hạn là '${kind}'`);
  }
  const problem = validateTimeLimit(kind as TimeLimitKind, value);
  if (problem === null) return null;
  if (kind === 'days') {
    return fe(`${path}.value`, problem, 'số ngày (ngày lịch) phải là số nguyên từ 1 đến 3660');
  }
  return fe(`${path}.value`, problem, 'phải là số lớn hơn 0 và không quá giới hạn cho phép (3660 ngày)');
}

function duplicates(xs: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const x of xs) (seen.has(x) ? dup : seen).add(x);
  return [...dup];
}

export type ParseResult = { ok: true; value: Procedure } | { ok: false; issues: FieldError[] };

/**
 * Checks an untrusted procedure (JSON body, import row group, seed file) without touching the
 * database: shape, then the rules between fields. Returns a normalised Procedure (strings
 * trimmed, defaults filled, fee rules cleaned) or every problem found.
 */
export function parseProcedure(input: unknown): ParseResult {
  validateShape ??= ajv.compile(ProcedureInputSchema as TSchema);
  const x = structuredClone(input);
  if (!validateShape(x)) {
    return { ok: false, issues: fieldErrorsFromAjv((validateShape.errors ?? []) as never, 'body') };
  }
  const raw = x as ProcedureInputRaw;
  const issues: FieldError[] = [];
  const text = (path: string, s: string, required: boolean): string => {
    const t = s.trim();
    if (required && t === '') issues.push(fe(path, 'must not be empty', 'không được để trống'));
    if (FORMULA_START.test(t)) {
      issues.push(fe(path, 'must not start with =, + or @ (spreadsheet formula)', 'không được bắt đầu bằng =, + hoặc @ (công thức bảng tính)'));
    }
    return t;
  };
  const list = (path: string, xs: readonly string[]): string[] => {
    const out = xs.map((s, i) => text(`${path}.${i}`, s, true));
    for (const d of duplicates(out)) issues.push(fe(path, `"${d}" is listed twice`, `"${d}" bị lặp lại`));
    return out;
  };

  const code = text('code', raw.code, true);
  const nationalCode = raw.nationalCode ?? null;
  if (nationalCode !== null && nationalCode !== code) {
    issues.push(
      fe('code', `must equal the national code (${nationalCode}) when one is given`, `phải trùng với mã quốc gia (${nationalCode}) khi đã có mã quốc gia`),
    );
  }
  const level = raw.level;
  const kinds = list('implementingUnitKinds', raw.implementingUnitKinds ?? []) as ImplementingUnitKind[];
  const units = list('implementingUnits', raw.implementingUnits ?? []);
  const allowedKinds: readonly string[] = level === 'commune' ? ['commune', 'ward'] : ['province', 'department'];
  for (const k of kinds) {
    if (!allowedKinds.includes(k)) {
      issues.push(
        fe(
          'implementingUnitKinds',
          `'${k}' does not implement ${level}-level procedures (allowed: ${allowedKinds.join(', ')})`,
          `'${k}' không thực hiện thủ tục cấp ${level === 'commune' ? 'xã' : 'tỉnh'} (được phép: ${allowedKinds.join(', ')})`,
        ),
      );
    }
  }
  if (kinds.length === 0 && units.length === 0) {
    issues.push(
      fe('implementingUnits', 'give the implementing unit kinds or at least one implementing unit', 'cần ghi loại đơn vị thực hiện hoặc ít nhất một đơn vị thực hiện'),
    );
  }
  const applicantTypes = list('applicantTypes', raw.applicantTypes) as ApplicantType[];
  const steps = list('steps', raw.steps ?? DEFAULT_STEPS);
  if (steps[0] !== 'desk' || steps[steps.length - 1] !== 'return') {
    issues.push(
      fe('steps', "must start with 'desk' (receipt) and end with 'return' (result returned)", "phải bắt đầu bằng 'desk' (tiếp nhận) và kết thúc bằng 'return' (trả kết quả)"),
    );
  }
  const stepNorms = { ...(raw.stepNorms ?? {}) };
  for (const problem of validateStepNorms(steps, stepNorms)) {
    issues.push(fe('stepNorms', problem.en, problem.vi));
  }
  const aliases = list('aliases', raw.aliases ?? []);

  const cases: ProcedureCase[] = raw.cases.map((c, i) => {
    const path = `cases.${i}`;
    const timeLimit: TimeLimit = { kind: c.timeLimit.kind, value: c.timeLimit.value };
    const tl = timeLimitIssue(`${path}.timeLimit`, timeLimit.kind, timeLimit.value);
    if (tl) issues.push(tl);
    let serviceNorm: ServiceNorm | null = null;
    if (c.serviceNorm) {
      serviceNorm = { kind: c.serviceNorm.kind, value: c.serviceNorm.value };
      const sn = timeLimitIssue(`${path}.serviceNorm`, serviceNorm.kind, serviceNorm.value);
      if (sn) issues.push(sn);
      else if (!tl && !normWithinLimit(serviceNorm, timeLimit)) {
        issues.push(
          fe(`${path}.serviceNorm`, 'must not be longer than the legal time limit', 'không được dài hơn thời hạn giải quyết theo quy định'),
        );
      }
    }
    const feeCheck = checkFeeRule(c.fee);
    let fee: FeeRule = { kind: 'free' };
    if ('problem' in feeCheck) issues.push(fe(`${path}.fee`, feeCheck.problem.reason, feeCheck.problem.reasonVi));
    else fee = feeCheck.rule;
    if (fee.note !== undefined) {
      const n = text(`${path}.fee.note`, fee.note, false);
      if (n === '') delete fee.note;
      else fee.note = n;
    }
    return {
      code: text(`${path}.code`, c.code, true),
      name: text(`${path}.name`, c.name, true),
      nameEn: text(`${path}.nameEn`, c.nameEn ?? '', false),
      timeLimit,
      serviceNorm,
      fee,
    };
  });
  const caseCodes = cases.map((c) => c.code);
  duplicates(caseCodes).forEach((d) => {
    const i = caseCodes.lastIndexOf(d);
    issues.push(fe(`cases.${i}.code`, `case code "${d}" is used twice`, `mã trường hợp "${d}" bị trùng`));
  });

  const documents: ProcedureDocument[] = (raw.documents ?? []).map((d, i) => {
    const path = `documents.${i}`;
    const dc = list(`${path}.caseCodes`, d.caseCodes ?? []);
    for (const cc of dc) {
      if (!caseCodes.includes(cc)) {
        issues.push(fe(`${path}.caseCodes`, `unknown case "${cc}"`, `không có trường hợp "${cc}"`));
      }
    }
    return {
      name: text(`${path}.name`, d.name, true),
      nameEn: text(`${path}.nameEn`, d.nameEn ?? '', false),
      copies: d.copies ?? 1,
      originalRequired: d.originalRequired ?? false,
      required: d.required ?? true,
      caseCodes: dc,
      note: text(`${path}.note`, d.note ?? '', false),
    };
  });

  const value: Procedure = {
    code,
    nationalCode,
    name: text('name', raw.name, true),
    nameEn: text('nameEn', raw.nameEn ?? '', false),
    field: raw.field,
    level,
    implementingBody: text('implementingBody', raw.implementingBody, true),
    implementingUnitKinds: kinds,
    implementingUnits: units,
    applicantTypes,
    legalBasis: text('legalBasis', raw.legalBasis, true),
    resultType: raw.resultType,
    resultName: text('resultName', raw.resultName, true),
    onlineLevel: raw.onlineLevel,
    fullOnlineEligible: raw.fullOnlineEligible ?? false,
    noBoundary: raw.noBoundary ?? false,
    steps,
    stepNorms,
    aliases,
    verification: { ...(raw.verification as Verification) },
    form: (raw.form ?? []) as FormDefinition,
    source: text('source', raw.source ?? '', false),
    active: raw.active ?? true,
    cases,
    documents,
  };
  for (const e of validateFormDefinition(value.form)) issues.push(fe(e.field ? `form.${e.field}` : 'form', e.message, e.messageVi));
  if (value.fullOnlineEligible && value.onlineLevel === 'none') {
    issues.push(
      fe('fullOnlineEligible', "cannot be true when the online level is 'none'", "không thể là true khi mức độ trực tuyến là 'none'"),
    );
  }
  return issues.length ? { ok: false, issues } : { ok: true, value };
}

/** search_text as stored: see the header comment. */
export function searchTextOf(p: Pick<Procedure, 'code' | 'name' | 'nameEn' | 'aliases'>, fieldName: string): string {
  return foldVietnamese([p.code, p.name, p.nameEn, p.aliases.join(' '), fieldName].join(' '));
}

// ---------------------------------------------------------------------------------------------
// Checks against the database
// ---------------------------------------------------------------------------------------------

/**
 * Problems that need the database, per procedure (same order as `procs`): unknown field, unknown
 * or unsuitable implementing unit, cases removed although dossiers use them.
 */
export async function referenceIssues(db: Kysely<DB>, procs: readonly Procedure[]): Promise<FieldError[][]> {
  if (procs.length === 0) return [];
  const fields = new Set((await db.selectFrom('fields').select('code').execute()).map((r) => r.code));
  const unitCodes = [...new Set(procs.flatMap((p) => p.implementingUnits))];
  const unitKinds = new Map<string, string>();
  if (unitCodes.length) {
    const rows = await db.selectFrom('units').select(['code', 'kind']).where('code', 'in', unitCodes).execute();
    rows.forEach((r) => unitKinds.set(r.code, r.kind));
  }
  const used = new Map<string, Set<string>>();
  const codes = procs.map((p) => p.code);
  const usedRows = await db
    .selectFrom('dossiers')
    .select(['procedure_code', 'case_code'])
    .distinct()
    .where('procedure_code', 'in', codes)
    .execute();
  for (const r of usedRows) {
    let s = used.get(r.procedure_code);
    if (!s) used.set(r.procedure_code, (s = new Set()));
    s.add(r.case_code);
  }
  return procs.map((p) => {
    const out: FieldError[] = [];
    if (!fields.has(p.field)) {
      out.push(fe('field', `unknown field "${p.field}" (see GET /api/fields)`, `không có lĩnh vực "${p.field}" (xem GET /api/fields)`));
    }
    const allowed = p.level === 'commune' ? ['commune', 'ward'] : ['province', 'department'];
    for (const u of p.implementingUnits) {
      const kind = unitKinds.get(u);
      if (kind === undefined) out.push(fe('implementingUnits', `unknown unit "${u}"`, `không có đơn vị "${u}"`));
      else if (!allowed.includes(kind)) {
        out.push(
          fe(
            'implementingUnits',
            `unit "${u}" is a ${kind}, which does not implement ${p.level}-level procedures`,
            `đơn vị "${u}" (${kind}) không thực hiện thủ tục cấp ${p.level === 'commune' ? 'xã' : 'tỉnh'}`,
          ),
        );
      }
    }
    const keep = new Set(p.cases.map((c) => c.code));
    for (const c of used.get(p.code) ?? []) {
      if (!keep.has(c)) {
        out.push(
          fe('cases', `case "${c}" is used by existing dossiers and cannot be removed`, `trường hợp "${c}" đã có hồ sơ sử dụng nên không thể xóa`),
        );
      }
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

type Db = Kysely<DB> | Transaction<DB>;

/** Runs `fn` in a transaction, joining the caller's if there is one. */
export async function inTransaction<T>(db: Db, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

async function writeOne(trx: Kysely<DB>, p: Procedure, fieldName: string): Promise<void> {
  const row = {
    code: p.code,
    national_code: p.nationalCode,
    name: p.name,
    name_en: p.nameEn,
    field_code: p.field,
    level: p.level,
    implementing_body: p.implementingBody,
    implementing_unit_kinds: p.implementingUnitKinds,
    implementing_units: p.implementingUnits,
    applicant_types: p.applicantTypes,
    legal_basis: p.legalBasis,
    result_type: p.resultType,
    result_name: p.resultName,
    online_level: p.onlineLevel,
    full_online_eligible: p.fullOnlineEligible,
    no_boundary: p.noBoundary,
    steps: JSON.stringify(p.steps),
    step_norms: JSON.stringify(p.stepNorms),
    form: JSON.stringify(p.form),
    aliases: p.aliases,
    verification: JSON.stringify(p.verification),
    source: p.source,
    active: p.active,
    search_text: searchTextOf(p, fieldName),
  };
  const { code: _code, ...update } = row;
  await trx
    .insertInto('procedures')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet({ ...update, updated_at: sql`now()` }))
    .execute();

  const keep = p.cases.map((c) => c.code);
  await trx.deleteFrom('procedure_cases').where('procedure_code', '=', p.code).where('code', 'not in', keep).execute();
  await trx
    .insertInto('procedure_cases')
    .values(
      p.cases.map((c, i) => ({
        procedure_code: p.code,
        code: c.code,
        name: c.name,
        name_en: c.nameEn,
        time_limit_kind: c.timeLimit.kind,
        time_limit_value: c.timeLimit.value,
        service_norm_kind: c.serviceNorm?.kind ?? null,
        service_norm_value: c.serviceNorm?.value ?? null,
        fee: JSON.stringify(c.fee),
        sort: i,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['procedure_code', 'code']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        name_en: eb.ref('excluded.name_en'),
        time_limit_kind: eb.ref('excluded.time_limit_kind'),
        time_limit_value: eb.ref('excluded.time_limit_value'),
        service_norm_kind: eb.ref('excluded.service_norm_kind'),
        service_norm_value: eb.ref('excluded.service_norm_value'),
        fee: eb.ref('excluded.fee'),
        sort: eb.ref('excluded.sort'),
      })),
    )
    .execute();

  await trx.deleteFrom('procedure_documents').where('procedure_code', '=', p.code).execute();
  if (p.documents.length) {
    await trx
      .insertInto('procedure_documents')
      .values(
        p.documents.map((d, i) => ({
          procedure_code: p.code,
          seq: i + 1,
          name: d.name,
          name_en: d.nameEn,
          copies: d.copies,
          original_required: d.originalRequired,
          required: d.required,
          case_codes: d.caseCodes,
          note: d.note,
        })),
      )
      .execute();
  }
}

/**
 * Writes already-checked procedures (parseProcedure + referenceIssues) in one transaction.
 * A dossier created on a removed case between the check and the write is reported as a conflict.
 */
export async function writeProcedures(db: Db, procs: readonly Procedure[]): Promise<void> {
  try {
    await inTransaction(db, async (trx) => {
      const names = new Map((await trx.selectFrom('fields').select(['code', 'name']).execute()).map((f) => [f.code, f.name]));
      for (const p of procs) await writeOne(trx, p, names.get(p.field) ?? '');
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23503') {
      throw new AppError(
        409,
        'catalog_conflict',
        'A case being removed is used by a dossier, or a reference no longer exists; reload and try again.',
        'Một trường hợp đang bị xóa đã có hồ sơ sử dụng, hoặc một tham chiếu không còn tồn tại; hãy tải lại và thử lại.',
      );
    }
    throw err;
  }
}

function rejectInput(issues: FieldError[]): AppError {
  return new AppError(
    400,
    'invalid_procedure',
    'The procedure has invalid fields; see "fields".',
    'Thủ tục có trường không hợp lệ; xem danh sách "fields".',
    issues,
  );
}

/**
 * Creates or replaces one procedure with its cases and documents. Throws 400 with every problem
 * found. `actorId` (an admin) is recorded in the audit log.
 */
export async function upsertProcedure(db: Kysely<DB>, input: unknown, actorId: number | null): Promise<ProcedureDetail> {
  const parsed = parseProcedure(input);
  if (!parsed.ok) throw rejectInput(parsed.issues);
  const [refs] = await referenceIssues(db, [parsed.value]);
  if (refs && refs.length) throw rejectInput(refs);
  await inTransaction(db, async (trx) => {
    await writeProcedures(trx, [parsed.value]);
    await trx
      .insertInto('audit_log')
      .values({ actor_id: actorId, action: 'catalog.procedure.upsert', object_type: 'procedure', object_id: parsed.value.code, details: JSON.stringify({}) })
      .execute();
  });
  const detail = await getProcedure(db, parsed.value.code);
  if (!detail) throw new Error(`procedure ${parsed.value.code} vanished after its write`);
  return detail;
}

/**
 * Validates and writes many procedures (the seed): any problem is a programming error in the
 * data file, reported with the procedure code and field.
 */
export async function upsertProcedures(db: Kysely<DB>, inputs: readonly unknown[]): Promise<number> {
  const procs: Procedure[] = [];
  const problems: string[] = [];
  inputs.forEach((x, i) => {
    const r = parseProcedure(x);
    const code = (x as { code?: unknown } | null)?.code;
    if (r.ok) procs.push(r.value);
    else problems.push(...r.issues.map((e) => `#${i} ${String(code)}: ${e.field} ${e.message}`));
  });
  const refs = await referenceIssues(db, procs);
  refs.forEach((issues, i) => problems.push(...issues.map((e) => `${procs[i]?.code}: ${e.field} ${e.message}`)));
  if (problems.length) throw new Error(`Invalid catalog data:\n  ${problems.join('\n  ')}`);
  await writeProcedures(db, procs);
  return procs.length;
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

export const ProcedureSummarySchema = Type.Object({
  code: Type.String(),
  nationalCode: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  nameEn: Type.String(),
  field: Type.String(),
  fieldName: Type.String(),
  fieldNameEn: Type.String(),
  level: literals(LEVELS),
  implementingBody: Type.String(),
  implementingUnitKinds: Type.Array(Type.String()),
  implementingUnits: Type.Array(Type.String()),
  applicantTypes: Type.Array(Type.String()),
  resultType: literals(RESULT_TYPES),
  onlineLevel: literals(ONLINE_LEVELS),
  fullOnlineEligible: Type.Boolean(),
  noBoundary: Type.Boolean(),
  score: Type.Optional(Type.Number({ description: 'Relevance when searching with q (higher is closer; see src/catalog/search.ts); absent without q.' })),
});
export type ProcedureSummary = Static<typeof ProcedureSummarySchema>;

export const ProcedureDetailSchema = Type.Object({
  ...ProcedureSummarySchema.properties,
  legalBasis: Type.String(),
  resultName: Type.String(),
  steps: Type.Array(Type.String()),
  stepNorms: Type.Record(Type.String(), Type.Number(), { description: 'Working hours per step where configured.' }),
  aliases: Type.Array(Type.String()),
  verification: VerificationSchema,
  form: Type.Array(Type.Unknown(), { description: 'E-form fields: {key, label{vi,en}, type, required?, minLength?, maxLength?, min?, max?, pattern?, patternMessage?, options?, prefill?, help?} (src/core/eform.ts).' }),
  source: Type.String(),
  active: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
  cases: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      nameEn: Type.String(),
      timeLimit: TimeLimitSchema,
      serviceNorm: Type.Union([ServiceNormSchema, Type.Null()]),
      fee: FeeRuleSchema,
    }),
  ),
  documents: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      name: Type.String(),
      nameEn: Type.String(),
      copies: Type.Integer(),
      originalRequired: Type.Boolean(),
      required: Type.Boolean(),
      caseCodes: Type.Array(Type.String()),
      note: Type.String(),
    }),
  ),
});
export type ProcedureDetail = Static<typeof ProcedureDetailSchema>;

const SUMMARY_COLUMNS = [
  'p.code',
  'p.national_code',
  'p.name',
  'p.name_en',
  'p.field_code',
  'f.name as field_name',
  'f.name_en as field_name_en',
  'p.level',
  'p.implementing_body',
  'p.implementing_unit_kinds',
  'p.implementing_units',
  'p.applicant_types',
  'p.result_type',
  'p.online_level',
  'p.full_online_eligible',
  'p.no_boundary',
] as const;

interface SummaryRow {
  code: string;
  national_code: string | null;
  name: string;
  name_en: string;
  field_code: string;
  field_name: string;
  field_name_en: string;
  level: Level;
  implementing_body: string;
  implementing_unit_kinds: string[];
  implementing_units: string[];
  applicant_types: string[];
  result_type: ResultType;
  online_level: OnlineLevel;
  full_online_eligible: boolean;
  no_boundary: boolean;
}

function summaryOf(r: SummaryRow): ProcedureSummary {
  return {
    code: r.code,
    nationalCode: r.national_code,
    name: r.name,
    nameEn: r.name_en,
    field: r.field_code,
    fieldName: r.field_name,
    fieldNameEn: r.field_name_en,
    level: r.level,
    implementingBody: r.implementing_body,
    implementingUnitKinds: r.implementing_unit_kinds,
    implementingUnits: r.implementing_units,
    applicantTypes: r.applicant_types,
    resultType: r.result_type,
    onlineLevel: r.online_level,
    fullOnlineEligible: r.full_online_eligible,
    noBoundary: r.no_boundary,
  };
}

export interface ListFilters {
  q?: string;
  field?: string;
  level?: Level;
  online?: OnlineLevel;
  /** Procedures implemented by this unit (by its kind or by name). */
  unit?: string;
  cursor?: string;
  limit?: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Longest search text accepted (characters). */
export const MAX_QUERY_LENGTH = 200;

const badCursor = () =>
  new AppError(400, 'invalid_cursor', 'The cursor is invalid or belongs to another search; start again without it.', 'Con trỏ trang không hợp lệ hoặc thuộc về một tìm kiếm khác; hãy tải lại từ trang đầu.', [
    { field: 'cursor', message: 'is invalid', messageVi: 'không hợp lệ' },
  ]);

/** Words of a search, folded like search_text. */
export function searchWords(q: string): string[] {
  return tokenize(q);
}

/**
 * Active procedures matching the filters, a page at a time (keyset). Without a search they are
 * ordered by code; with one, by relevance (src/catalog/search.ts: lexicon, typo corrections,
 * trigram similarity) then code, each item carrying its `score`.
 */
export async function listProcedures(db: Kysely<DB>, f: ListFilters): Promise<{ items: ProcedureSummary[]; nextCursor: string | null }> {
  const limit = f.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new AppError(400, 'invalid_input', `limit must be from 1 to ${MAX_PAGE_SIZE}`, `limit phải từ 1 đến ${MAX_PAGE_SIZE}`, [
      { field: 'limit', message: `must be from 1 to ${MAX_PAGE_SIZE}`, messageVi: `phải từ 1 đến ${MAX_PAGE_SIZE}` },
    ]);
  }
  if (f.q !== undefined && f.q.length > MAX_QUERY_LENGTH) {
    throw new AppError(400, 'invalid_input', `q must be at most ${MAX_QUERY_LENGTH} characters`, `q không được dài quá ${MAX_QUERY_LENGTH} ký tự`, [
      { field: 'q', message: `must be at most ${MAX_QUERY_LENGTH} characters`, messageVi: `không được dài quá ${MAX_QUERY_LENGTH} ký tự` },
    ]);
  }
  const searching = f.q !== undefined && tokenize(f.q).length > 0;

  const after = f.cursor ? decodeCursor(f.cursor) : null;
  if (f.cursor) {
    const ok = searching
      ? after?.length === 3 && typeof after[0] === 'number' && Number.isFinite(after[0]) && typeof after[1] === 'string' && typeof after[2] === 'string'
      : after?.length === 1 && typeof after[0] === 'string';
    if (!ok) throw badCursor();
  }

  // An unknown filter code is a mistake to report, not an empty list.
  if (f.field && !(await db.selectFrom('fields').select('code').where('code', '=', f.field).executeTakeFirst())) {
    throw notFound('Field', 'lĩnh vực', f.field);
  }
  if (f.unit && !(await db.selectFrom('units').select('code').where('code', '=', f.unit).executeTakeFirst())) {
    throw notFound('Unit', 'đơn vị', f.unit);
  }

  const plan = searching ? await planSearch(db, f.q!) : null;
  const fingerprint = plan ? searchFingerprint(plan, [f.field, f.level, f.online, f.unit]) : '';
  if (plan && after && after[2] !== fingerprint) throw badCursor();

  let inner = db
    .selectFrom('procedures as p')
    .innerJoin('fields as f', 'f.code', 'p.field_code')
    .select(SUMMARY_COLUMNS)
    .select(plan ? scoreExpression(plan).as('score') : sql<string>`0`.as('score'))
    .where('p.active', '=', true);
  if (plan) inner = inner.where(matchCondition(plan));
  if (f.field) inner = inner.where('p.field_code', '=', f.field);
  if (f.level) inner = inner.where('p.level', '=', f.level);
  if (f.online) inner = inner.where('p.online_level', '=', f.online);
  if (f.unit) {
    const unit = f.unit;
    inner = inner.where(
      sql<boolean>`(${unit} = ANY(p.implementing_units) OR (SELECT u.kind FROM units u WHERE u.code = ${unit}) = ANY(p.implementing_unit_kinds))`,
    );
  }
  let rows;
  if (plan) {
    // The score is computed once per candidate in the subquery, then paged by (score, code).
    let qb = db.selectFrom(inner.as('s')).selectAll();
    if (after) {
      const [r, c] = after as [number, string];
      qb = qb.where(sql<boolean>`(s.score < ${r} OR (s.score = ${r} AND s.code > ${c}))`);
    }
    rows = await qb.orderBy('s.score', 'desc').orderBy('s.code', 'asc').limit(limit + 1).execute();
  } else {
    if (after) inner = inner.where('p.code', '>', after[0] as string);
    rows = await inner.orderBy('p.code', 'asc').limit(limit + 1).execute();
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(plan ? [Number(last.score), last.code, fingerprint] : [last.code]) : null;
  return { items: page.map((r) => ({ ...summaryOf(r as SummaryRow), ...(plan ? { score: Number(r.score) } : {}) })), nextCursor };
}

async function loadProcedures(db: Kysely<DB>, codes: readonly string[] | null): Promise<Array<Procedure & { fieldName: string; fieldNameEn: string; updatedAt: Date; summary: ProcedureSummary }>> {
  let pq = db
    .selectFrom('procedures as p')
    .innerJoin('fields as f', 'f.code', 'p.field_code')
    .select(SUMMARY_COLUMNS)
    .select(['p.legal_basis', 'p.result_name', 'p.steps', 'p.step_norms', 'p.aliases', 'p.verification', 'p.form', 'p.source', 'p.active', 'p.updated_at'])
    .orderBy('p.code');
  if (codes) pq = pq.where('p.code', 'in', codes);
  const rows = await pq.execute();
  if (rows.length === 0) return [];
  const only = codes ? rows.map((r) => r.code) : null;
  let cq = db.selectFrom('procedure_cases').selectAll().orderBy('procedure_code').orderBy('sort').orderBy('code');
  let dq = db.selectFrom('procedure_documents').selectAll().orderBy('procedure_code').orderBy('seq');
  if (only) {
    cq = cq.where('procedure_code', 'in', only);
    dq = dq.where('procedure_code', 'in', only);
  }
  const [caseRows, docRows] = await Promise.all([cq.execute(), dq.execute()]);
  const casesBy = new Map<string, ProcedureCase[]>();
  for (const c of caseRows) {
    const list = casesBy.get(c.procedure_code) ?? [];
    list.push({
      code: c.code,
      name: c.name,
      nameEn: c.name_en,
      timeLimit: { kind: c.time_limit_kind, value: Number(c.time_limit_value) },
      serviceNorm: c.service_norm_kind ? { kind: c.service_norm_kind, value: Number(c.service_norm_value ?? 0) } : null,
      fee: c.fee as unknown as FeeRule,
    });
    casesBy.set(c.procedure_code, list);
  }
  const docsBy = new Map<string, ProcedureDocument[]>();
  for (const d of docRows) {
    const list = docsBy.get(d.procedure_code) ?? [];
    list.push({
      name: d.name,
      nameEn: d.name_en,
      copies: d.copies,
      originalRequired: d.original_required,
      required: d.required,
      caseCodes: d.case_codes,
      note: d.note,
    });
    docsBy.set(d.procedure_code, list);
  }
  return rows.map((r) => {
    const s = summaryOf(r as unknown as SummaryRow);
    const verification = {} as Verification;
    for (const k of VERIFICATION_KEYS) verification[k] = r.verification[k] === 'verified' ? 'verified' : 'to_verify';
    return {
      code: s.code,
      nationalCode: s.nationalCode,
      name: s.name,
      nameEn: s.nameEn,
      field: s.field,
      level: s.level,
      implementingBody: s.implementingBody,
      implementingUnitKinds: s.implementingUnitKinds as ImplementingUnitKind[],
      implementingUnits: s.implementingUnits,
      applicantTypes: s.applicantTypes as ApplicantType[],
      legalBasis: r.legal_basis,
      resultType: s.resultType,
      resultName: r.result_name,
      onlineLevel: s.onlineLevel,
      fullOnlineEligible: s.fullOnlineEligible,
      noBoundary: s.noBoundary,
      steps: r.steps,
      stepNorms: r.step_norms,
      aliases: r.aliases,
      verification,
      form: r.form as FormDefinition,
      source: r.source,
      active: r.active,
      cases: casesBy.get(s.code) ?? [],
      documents: docsBy.get(s.code) ?? [],
      fieldName: s.fieldName,
      fieldNameEn: s.fieldNameEn,
      updatedAt: r.updated_at,
      summary: s,
    };
  });
}

/** One procedure with its cases (in order) and documents, or null. Inactive ones included. */
export async function getProcedure(db: Kysely<DB>, code: string): Promise<ProcedureDetail | null> {
  const [p] = await loadProcedures(db, [code]);
  if (!p) return null;
  return {
    ...p.summary,
    legalBasis: p.legalBasis,
    resultName: p.resultName,
    steps: p.steps,
    stepNorms: p.stepNorms,
    aliases: p.aliases,
    verification: p.verification,
    form: p.form,
    source: p.source,
    active: p.active,
    updatedAt: p.updatedAt.toISOString(),
    cases: p.cases,
    documents: p.documents.map((d, i) => ({ seq: i + 1, ...d })),
  };
}

/** The whole catalog (active and inactive) ordered by code, as written: for the export. */
export async function loadCatalog(db: Kysely<DB>): Promise<Procedure[]> {
  const all = await loadProcedures(db, null);
  return all.map(({ fieldName: _n, fieldNameEn: _e, updatedAt: _u, summary: _s, ...p }) => p);
}
