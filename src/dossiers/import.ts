/**
 * Import of historical dossiers (admin): NDJSON, one dossier per line with its actions and their
 * timestamps, read as a stream. Each line is replayed through the core rules and written in its
 * own transaction: a bad line is rejected with its number and reason and leaves nothing behind;
 * a dossier code that already exists is skipped, so re-sending a file is harmless.
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Kysely } from 'kysely';
import { DOSSIER_CODE_PATTERN, TransitionError, type Channel } from '../core/dossier-machine.js';
import { computeFee, validateFeeRule } from '../core/fees.js';
import { requireRole } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import type { DB } from '../platform/db-types.js';
import { AppError } from '../platform/errors.js';
import type { App } from '../platform/http.js';
import { withErrors } from '../platform/schemas.js';
import { isValidDateTime } from '../platform/dates.js';
import { ActionBody, toCommand } from './commands.js';
import { replayDossier, replayedAggregateInput, type HistoricalDossier } from './replay.js';
import { AggregateBuffer } from '../monitoring/aggregates.js';
import { StepAggregateBuffer } from '../monitoring/step-aggregates.js';

const MAX_LINE = 256 * 1024;

// TypeBox's own checker (used here, outside Fastify's ajv) knows no formats until told.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', isValidDateTime);
}

const ImportLine = Type.Object(
  {
    code: Type.String({ pattern: DOSSIER_CODE_PATTERN.source, maxLength: 60 }),
    procedureCode: Type.String({ minLength: 1, maxLength: 40 }),
    caseCode: Type.String({ minLength: 1, maxLength: 40 }),
    channel: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    receivingUnit: Type.String({ minLength: 1, maxLength: 40 }),
    decidingUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    applicant: Type.Object(
      {
        type: Type.Optional(Type.Union([Type.Literal('citizen'), Type.Literal('business')])),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        idNumber: Type.Optional(Type.String({ maxLength: 20 })),
        phone: Type.Optional(Type.String({ maxLength: 20 })),
        email: Type.Optional(Type.String({ maxLength: 200 })),
        address: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    submittedAt: Type.String({ format: 'date-time' }),
    pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    actions: Type.Array(Type.Intersect([ActionBody, Type.Object({ at: Type.String() })]), { maxItems: 200 }),
  },
  { additionalProperties: false },
);
type ImportLineT = Static<typeof ImportLine>;
// Actions carry `at` beside the action body: validate the action part separately.
const LineShape = TypeCompiler.Compile(Type.Object({ ...ImportLine.properties, actions: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 200 }) }, { additionalProperties: false }));
const ActionShape = TypeCompiler.Compile(ActionBody);

export interface ImportReport {
  accepted: number;
  skipped: number;
  rejected: Array<{ line: number; reason: string; reasonVi: string }>;
}

interface Lookups {
  procedures: Map<string, { steps: string[]; stepNorms: Record<string, number>; cases: Map<string, { kind: string; value: number; fee: unknown }>; }>;
  units: Set<string>;
}

async function loadLookups(db: Kysely<DB>): Promise<Lookups> {
  const procs = await db.selectFrom('procedures').select(['code', 'steps', 'step_norms']).execute();
  const cases = await db.selectFrom('procedure_cases').select(['procedure_code', 'code', 'time_limit_kind', 'time_limit_value', 'fee']).execute();
  const units = await db.selectFrom('units').select('code').execute();
  const procedures = new Map(procs.map((p) => [p.code, { steps: p.steps, stepNorms: p.step_norms, cases: new Map<string, { kind: string; value: number; fee: unknown }>() }]));
  for (const c of cases) procedures.get(c.procedure_code)?.cases.set(c.code, { kind: c.time_limit_kind, value: Number(c.time_limit_value), fee: c.fee });
  return { procedures, units: new Set(units.map((u) => u.code)) };
}

class LineError extends Error {
  constructor(message: string, readonly messageVi: string) {
    super(message);
  }
}

function parseLine(text: string, lk: Lookups): HistoricalDossier {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LineError('not valid JSON', 'không phải JSON hợp lệ');
  }
  if (!LineShape.Check(raw)) {
    const e = LineShape.Errors(raw).First();
    throw new LineError(`${e?.path || '/'}: ${e?.message ?? 'invalid'}`, `${e?.path || '/'}: không hợp lệ (${e?.message ?? ''})`);
  }
  const line = raw as unknown as ImportLineT;
  const proc = lk.procedures.get(line.procedureCode);
  if (!proc) throw new LineError(`unknown procedure ${line.procedureCode}`, `không có thủ tục ${line.procedureCode}`);
  const cs = proc.cases.get(line.caseCode);
  if (!cs) throw new LineError(`procedure ${line.procedureCode} has no case ${line.caseCode}`, `thủ tục ${line.procedureCode} không có trường hợp ${line.caseCode}`);
  for (const u of [line.receivingUnit, line.decidingUnit ?? line.receivingUnit]) {
    if (!lk.units.has(u)) throw new LineError(`unknown unit ${u}`, `không có đơn vị ${u}`);
  }
  if (!line.code.startsWith(`${line.receivingUnit}-`)) {
    throw new LineError('the code must start with the receiving unit code', 'mã hồ sơ phải bắt đầu bằng mã đơn vị tiếp nhận');
  }
  const submittedAt = new Date(line.submittedAt);
  const rule = validateFeeRule(cs.fee);
  const fee = typeof rule === 'string' ? 0 : computeFee(rule, { pages: line.pages ?? 1, copies: 1 });
  const actions = (line.actions as unknown as Array<Record<string, unknown>>).map((a, i) => {
    const { at, ...body } = a;
    const when = typeof at === 'string' && isValidDateTime(at) ? new Date(at) : new Date(NaN);
    if (Number.isNaN(when.getTime())) throw new LineError(`action ${i + 1}: "at" must be a date-time`, `thao tác ${i + 1}: "at" phải là ngày giờ`);
    if (!ActionShape.Check(body)) {
      const e = ActionShape.Errors(body).First();
      throw new LineError(`action ${i + 1}${e?.path ?? ''}: ${e?.message ?? 'invalid'}`, `thao tác ${i + 1}${e?.path ?? ''}: không hợp lệ`);
    }
    try {
      return { command: toCommand(body), at: when };
    } catch (err) {
      const f = (err as AppError).fields?.[0];
      throw new LineError(`action ${i + 1}: ${f ? `${f.field} ${f.message}` : (err as Error).message}`, `thao tác ${i + 1}: ${f ? `${f.field} ${f.messageVi}` : 'không hợp lệ'}`);
    }
  });
  return {
    code: line.code,
    procedureCode: line.procedureCode,
    caseCode: line.caseCode,
    channel: line.channel as Channel,
    receivingUnit: line.receivingUnit,
    decidingUnit: line.decidingUnit ?? line.receivingUnit,
    steps: proc.steps,
    stepNorms: proc.stepNorms,
    limitKind: cs.kind as HistoricalDossier['limitKind'],
    limitValue: cs.value,
    feeAmount: fee > 0 ? fee : null,
    ownerId: null,
    applicant: {
      type: line.applicant.type ?? 'citizen',
      name: line.applicant.name,
      idNumber: line.applicant.idNumber ?? null,
      phone: line.applicant.phone ?? null,
      email: line.applicant.email ?? null,
      address: line.applicant.address ?? null,
    },
    submittedAt,
    actions,
  };
}

export async function importDossiers(ctx: AppContext, input: Readable): Promise<ImportReport> {
  const lk = await loadLookups(ctx.db);
  const report: ImportReport = { accepted: 0, skipped: 0, rejected: [] };
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (!text.trim()) continue;
    const reject = (reason: string, reasonVi: string) => {
      if (report.rejected.length < 1000) report.rejected.push({ line: n, reason, reasonVi });
    };
    if (text.length > MAX_LINE) {
      reject(`line longer than ${MAX_LINE} characters`, `dòng dài quá ${MAX_LINE} ký tự`);
      continue;
    }
    try {
      const h = parseLine(text, lk);
      const cal = await ctx.calendars.forUnit(h.receivingUnit);
      const r = replayDossier(h, cal, `import:${h.code}`);
      const written = await ctx.db.transaction().execute(async (trx) => {
        const ins = await trx.insertInto('dossiers').values(r.dossier).onConflict((oc) => oc.column('code').doNothing()).returning('id').executeTakeFirst();
        if (!ins) return false;
        await trx.insertInto('dossier_actions').values(r.actions.map((a) => ({ ...a, dossier_id: ins.id }))).execute();
        const aggregates = new AggregateBuffer();
        const { key, actions } = replayedAggregateInput(r);
        aggregates.addHistory(key, actions, cal.utcOffsetMinutes);
        await aggregates.flush(trx);
        // Time at each step (issue 5 item 9), from the same replayed actions.
        const steps = new StepAggregateBuffer();
        steps.addRows({ unit: r.dossier.deciding_unit, procedureCode: r.dossier.procedure_code }, r.actions, cal.utcOffsetMinutes);
        await steps.flush(trx);
        return true;
      });
      if (written) report.accepted++;
      else report.skipped++;
    } catch (err) {
      if (err instanceof LineError) reject(err.message, err.messageVi);
      else if (err instanceof TransitionError) {
        const i = (err as unknown as { actionIndex?: number }).actionIndex;
        reject(`action ${i === undefined ? '?' : i + 1}: ${err.message}`, `thao tác ${i === undefined ? '?' : i + 1}: ${err.messageVi}`);
      } else if ((err as { actionIndex?: number }).actionIndex !== undefined) {
        reject((err as Error).message, 'thứ tự thời gian các thao tác không hợp lệ');
      } else throw err;
    }
  }
  return report;
}

export function registerImportRoute(app: App, ctx: AppContext): void {
  app.register(async (sub) => {
    sub.addContentTypeParser(['application/x-ndjson', 'application/jsonl'], (_req, payload, done) => done(null, payload));
    sub.post(
      '/api/dossiers/import',
      {
        bodyLimit: 2 * 1024 * 1024 * 1024,
        schema: {
          tags: ['dossiers'],
          summary: 'Nhập hồ sơ lịch sử (NDJSON) / Import historical dossiers',
          description:
            'Admin only. Content-Type: application/x-ndjson. One dossier per line: {code, procedureCode, caseCode, channel, receivingUnit, decidingUnit?, applicant{name,...}, submittedAt, pages?, actions:[{type, at, ...action fields}]}. Each line is replayed through the lifecycle rules in its own transaction; existing codes are skipped.',
          response: withErrors({
            200: Type.Object({
              accepted: Type.Integer(),
              skipped: Type.Integer(),
              rejected: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String(), reasonVi: Type.String() })),
            }),
            415: Type.Any(),
          }),
        },
      },
      async (request) => {
        requireRole(request, ['admin']);
        if (!request.headers['content-type']?.startsWith('application/x-ndjson') && !request.headers['content-type']?.startsWith('application/jsonl')) {
          throw new AppError(415, 'unsupported_media_type', 'Send the file as application/x-ndjson.', 'Hãy gửi tệp với Content-Type application/x-ndjson.');
        }
        return importDossiers(ctx, request.body as Readable);
      },
    );
  });
}
