/**
 * Catalog over HTTP: administrative units, fields, procedures (public reads), the catalog export
 * (public) and import, and writing one procedure (admin).
 */
import { Type } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import { requireRole } from '../identity/http-auth.js';
import type { AppContext } from '../platform/context.js';
import { AppError, invalidField, notFound } from '../platform/errors.js';
import type { DB, UnitsTable } from '../platform/db-types.js';
import type { App } from '../platform/http.js';
import { Cursor, ErrorBody, withErrors } from '../platform/schemas.js';
import { exportCatalog, importCatalog, MAX_IMPORT_BYTES, sniffFormat, type CatalogFormat } from './import-export.js';
import {
  DEFAULT_PAGE_SIZE,
  FIELD_CODE_PATTERN,
  getProcedure,
  LEVELS,
  listProcedures,
  MAX_PAGE_SIZE,
  ONLINE_LEVELS,
  PROCEDURE_CODE_PATTERN,
  ProcedureDetailSchema,
  ProcedureInputSchema,
  ProcedureSummarySchema,
  UNIT_CODE_PATTERN,
  upsertProcedure,
} from './procedures.js';
import { deleteLexiconTerm, listLexicon, MAX_EXPANSIONS, MAX_TERM_LENGTH, putLexiconTerm } from './search.js';

// ---------------------------------------------------------------------------------------------
// Units (read side; the hierarchy itself is seeded by units.ts)
// ---------------------------------------------------------------------------------------------

const UNIT_KINDS = ['nation', 'province', 'department', 'ward', 'commune', 'desk'] as const;

const UnitRef = Type.Object({ code: Type.String(), kind: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) });
const UnitView = Type.Object({
  code: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  path: Type.String({ description: 'Materialised path of codes, e.g. /VN/H15/H15.001/' }),
  verified: Type.Boolean(),
  active: Type.Boolean(),
  childCount: Type.Integer(),
});
const UnitDetail = Type.Object({
  ...UnitView.properties,
  parent: Type.Union([UnitRef, Type.Null()]),
  ancestors: Type.Array(UnitRef, { description: 'From the root down to the parent.' }),
});

type UnitRow = Pick<UnitsTable, 'code' | 'parent_code' | 'kind' | 'name' | 'name_en' | 'path'> & { verified: boolean; active: boolean; child_count: number };

const unitView = (u: UnitRow) => ({
  code: u.code,
  parentCode: u.parent_code,
  kind: u.kind,
  name: u.name,
  nameEn: u.name_en,
  path: u.path,
  verified: u.verified,
  active: u.active,
  childCount: Number(u.child_count),
});
const unitRef = (u: Pick<UnitRow, 'code' | 'kind' | 'name' | 'name_en'>) => ({ code: u.code, kind: u.kind, name: u.name, nameEn: u.name_en });

function selectUnits(db: Kysely<DB>) {
  return db
    .selectFrom('units as u')
    .select(['u.code', 'u.parent_code', 'u.kind', 'u.name', 'u.name_en', 'u.path', 'u.verified', 'u.active'])
    .select(sql<number>`(SELECT count(*) FROM units c WHERE c.parent_code = u.code)`.as('child_count'));
}

const unitNotFound = (code: string) => notFound('unit', 'đơn vị', code);

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const ProcedureCodeParam = Type.Object(
  { code: Type.String({ pattern: PROCEDURE_CODE_PATTERN, description: 'Procedure code, e.g. 1.001193 or H15-HT-01' }) },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Search words, with or without diacritics ("khai sinh", "dang ky ket hon", "sổ đỏ", "LLTP").' })),
    field: Type.Optional(Type.String({ pattern: FIELD_CODE_PATTERN, description: 'Field code (GET /api/fields).' })),
    level: Type.Optional(literals(LEVELS)),
    online: Type.Optional(literals(ONLINE_LEVELS)),
    unit: Type.Optional(Type.String({ pattern: UNIT_CODE_PATTERN, description: 'Procedures implemented by this unit (by its kind or by code), e.g. H15.001 or H15.S02.' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  },
  { additionalProperties: false },
);

const LexiconEntrySchema = Type.Object({
  term: Type.String({ description: 'The term as written, e.g. "GPXD" or "sổ đỏ".' }),
  termFolded: Type.String({ description: 'The term as searched (lower case, no diacritics): the key.' }),
  expansions: Type.Array(Type.String(), { description: 'What the term may stand for; empty: a filler word searches ignore.' }),
  note: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
const LexiconTermParam = Type.Object(
  { term: Type.String({ minLength: 1, maxLength: MAX_TERM_LENGTH, description: 'The term (URL-encoded), with or without diacritics, e.g. GPXD or s%E1%BB%95%20%C4%91%E1%BB%8F.' }) },
  { additionalProperties: false },
);
const LexiconPutBody = Type.Object(
  {
    expansions: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: MAX_EXPANSIONS, description: 'Catalog words or phrases the term stands for (any one matches); [] marks a filler word.' }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const FormatQuery = Type.Object(
  { format: Type.Optional(literals(['csv', 'xlsx'] as const)) },
  { additionalProperties: false },
);

const RowProblemSchema = Type.Object({
  row: Type.Integer({ description: 'Spreadsheet row number (the header is row 1).' }),
  reason: Type.String(),
  reasonVi: Type.String(),
});
const ImportRejectedBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "'import_rejected' with rows, or not_csv / not_xlsx / import_too_large / invalid_input" }),
      message: Type.String(),
      messageVi: Type.String(),
      fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String(), messageVi: Type.String() }))),
      rows: Type.Optional(Type.Array(RowProblemSchema)),
    }),
  },
  { description: 'Error; for import_rejected, "rows" lists every bad row and nothing was written.' },
);

const IMPORT_CONTENT_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

function formatOf(query: CatalogFormat | undefined, contentType: string | undefined, body: Buffer): CatalogFormat {
  if (query) return query;
  const ct = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (ct === 'text/csv') return 'csv';
  if (ct === IMPORT_CONTENT_TYPES[1]) return 'xlsx';
  const sniffed = sniffFormat(body);
  if (sniffed) return sniffed;
  throw new AppError(
    400,
    'unknown_format',
    'The file is neither CSV nor XLSX; send a file exported from GET /api/catalog/export, with ?format=csv or ?format=xlsx.',
    'Tệp không phải CSV hoặc XLSX; hãy gửi tệp xuất từ GET /api/catalog/export, kèm ?format=csv hoặc ?format=xlsx.',
  );
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

export function registerCatalogRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/units',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Danh sách đơn vị con / Child units',
        description: 'Children of `parent` (ordered by code); without `parent`, the root units (no parent).',
        querystring: Type.Object(
          {
            parent: Type.Optional(Type.String({ pattern: UNIT_CODE_PATTERN, description: 'Parent unit code, e.g. H15' })),
            kind: Type.Optional(literals(UNIT_KINDS)),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(UnitView) }) }),
      },
    },
    async (request) => {
      const { parent, kind } = request.query;
      if (parent !== undefined) {
        const exists = await ctx.db.selectFrom('units').select('code').where('code', '=', parent).executeTakeFirst();
        if (!exists) throw unitNotFound(parent);
      }
      let q = selectUnits(ctx.db).orderBy('u.code');
      q = parent === undefined ? q.where('u.parent_code', 'is', null) : q.where('u.parent_code', '=', parent);
      if (kind) q = q.where('u.kind', '=', kind);
      const rows = await q.execute();
      return { items: rows.map((r) => unitView(r as UnitRow)) };
    },
  );

  app.get(
    '/api/units/:code',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Thông tin đơn vị / A unit with its parent and path',
        params: Type.Object({ code: Type.String({ pattern: UNIT_CODE_PATTERN }) }, { additionalProperties: false }),
        response: withErrors({ 200: UnitDetail }),
      },
    },
    async (request) => {
      const { code } = request.params;
      const u = await selectUnits(ctx.db).where('u.code', '=', code).executeTakeFirst();
      if (!u) throw unitNotFound(code);
      const pathCodes = u.path.split('/').filter((c) => c !== '' && c !== code);
      const ancestors = pathCodes.length
        ? await ctx.db.selectFrom('units').select(['code', 'kind', 'name', 'name_en']).where('code', 'in', pathCodes).execute()
        : [];
      const byCode = new Map(ancestors.map((a) => [a.code, a]));
      const ordered = pathCodes.map((c) => byCode.get(c)).filter((a): a is NonNullable<typeof a> => a !== undefined);
      const parent = u.parent_code ? byCode.get(u.parent_code) : undefined;
      return { ...unitView(u as UnitRow), parent: parent ? unitRef(parent) : null, ancestors: ordered.map(unitRef) };
    },
  );

  app.get(
    '/api/fields',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Danh sách lĩnh vực / Fields of procedures',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: withErrors({
          200: Type.Object({
            items: Type.Array(
              Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), procedureCount: Type.Integer({ description: 'Active procedures in the field.' }) }),
            ),
          }),
        }),
      },
    },
    async () => {
      const rows = await ctx.db
        .selectFrom('fields as f')
        .select(['f.code', 'f.name', 'f.name_en'])
        .select(sql<number>`(SELECT count(*) FROM procedures p WHERE p.field_code = f.code AND p.active)`.as('procedure_count'))
        .orderBy('f.code')
        .execute();
      return { items: rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, procedureCount: Number(r.procedure_count) })) };
    },
  );

  app.get(
    '/api/procedures',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Tra cứu thủ tục hành chính / Search procedures',
        description:
          'Active procedures. `q` (at most 200 characters) matches every word (diacritics optional) in the code, name, English name, everyday names and field; abbreviations, everyday names and English words are understood through the search lexicon (GET /api/search/lexicon), and a word the catalog does not know is also matched by the catalog words one typing mistake away. Results are ranked by `score` (src/catalog/search.ts), then code; without `q` the order is by code. Pass `nextCursor` back as `cursor` for the next page (a cursor belongs to its search and filters).',
        querystring: ListQuery,
        response: withErrors({ 200: Type.Object({ items: Type.Array(ProcedureSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) }),
      },
    },
    async (request) => listProcedures(ctx.db, request.query),
  );

  app.get(
    '/api/procedures/:code',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Chi tiết thủ tục / A procedure with its cases and documents',
        params: ProcedureCodeParam,
        response: withErrors({ 200: ProcedureDetailSchema }),
      },
    },
    async (request) => {
      const p = await getProcedure(ctx.db, request.params.code);
      if (!p) throw notFound('procedure', 'thủ tục', request.params.code);
      return p;
    },
  );

  app.put(
    '/api/procedures/:code',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Tạo hoặc cập nhật thủ tục (quản trị) / Create or replace a procedure (admin)',
        description: 'Replaces the procedure with its cases and documents in one transaction. Cases used by dossiers cannot be removed.',
        params: ProcedureCodeParam,
        body: ProcedureInputSchema,
        response: withErrors({ 200: ProcedureDetailSchema }),
      },
    },
    async (request) => {
      const actor = requireRole(request, ['admin']);
      if (request.body.code !== request.params.code) {
        throw invalidField('code', `must equal the code in the address (${request.params.code})`, `phải trùng với mã trên đường dẫn (${request.params.code})`);
      }
      return upsertProcedure(ctx.db, request.body, actor.userId);
    },
  );

  app.get(
    '/api/search/lexicon',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Từ điển tìm kiếm (quản trị) / Search lexicon (admin)',
        description: 'Abbreviations, everyday names, spelling variants and English words the procedure search understands, ordered by term.',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ items: Type.Array(LexiconEntrySchema) }) }),
      },
    },
    async (request) => {
      requireRole(request, ['admin']);
      return { items: await listLexicon(ctx.db) };
    },
  );

  app.put(
    '/api/search/lexicon/:term',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Thêm hoặc sửa từ trong từ điển tìm kiếm (quản trị) / Create or replace a lexicon term (admin)',
        description: 'The term is stored folded (no diacritics, lower case, at most 4 words). Takes effect on the next search of every server instance. Recorded in the audit log. 201 when created, 200 when replaced.',
        params: LexiconTermParam,
        body: LexiconPutBody,
        response: withErrors({ 200: LexiconEntrySchema, 201: LexiconEntrySchema }),
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, ['admin']);
      const { entry, created } = await putLexiconTerm(ctx.db, request.params.term, request.body, actor.userId, ctx.now());
      return reply.code(created ? 201 : 200).send(entry);
    },
  );

  app.delete(
    '/api/search/lexicon/:term',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Xóa từ khỏi từ điển tìm kiếm (quản trị) / Delete a lexicon term (admin)',
        description: 'Recorded in the audit log. 204 when deleted, 404 when there is no such term. (Seed terms are only added to a new, empty database, so a deleted one stays deleted.)',
        params: LexiconTermParam,
        response: withErrors({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, ['admin']);
      await deleteLexiconTerm(ctx.db, request.params.term, actor.userId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/catalog/export',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Xuất danh mục thủ tục (CSV/XLSX) / Export the catalog',
        description: 'One row per case; the columns are documented in src/catalog/import-export.ts and on the "Hướng dẫn" sheet of the XLSX. The file can be edited and imported again.',
        querystring: FormatQuery,
        response: withErrors({ 200: Type.Unknown({ description: 'text/csv or .xlsx file' }) }),
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'csv';
      const out = await exportCatalog(ctx.db, format);
      return reply
        .header('content-type', out.contentType)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .header('cache-control', 'no-store')
        .send(out.body);
    },
  );

  // The raw-body parsers are scoped to this plugin so they do not leak to other routes.
  app.register(async (sub) => {
    sub.addContentTypeParser(IMPORT_CONTENT_TYPES, { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));
    sub.post(
      '/api/catalog/import',
      {
        bodyLimit: MAX_IMPORT_BYTES,
        // Refuse before reading a large body.
        onRequest: async (request) => {
          requireRole(request, ['admin']);
        },
        schema: {
          tags: ['catalog'],
          summary: 'Nhập danh mục thủ tục (CSV/XLSX, quản trị) / Import the catalog (admin)',
          description: `Admin only. Raw body (not multipart), at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB, Content-Type text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or application/octet-stream; \`format\` defaults to the content type, else to the file's first bytes. All or nothing: any bad row → 400 {error:{code:'import_rejected', message, messageVi, rows:[{row, reason, reasonVi}]}} and nothing is written. Procedures in the file are replaced whole; others are kept.`,
          querystring: FormatQuery,
          response: {
            ...withErrors({ 200: Type.Object({ imported: Type.Integer({ description: 'Procedures written.' }), cases: Type.Integer() }) }),
            400: ImportRejectedBody,
            413: ErrorBody,
            415: ErrorBody,
          },
        },
      },
      async (request) => {
        const actor = requireRole(request, ['admin']);
        const body = request.body;
        if (!Buffer.isBuffer(body)) {
          throw new AppError(
            415,
            'unsupported_media_type',
            'Send the file itself as the body with Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.',
            'Hãy gửi chính tệp làm nội dung với Content-Type text/csv hoặc application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.',
          );
        }
        const { format: asked } = request.query as { format?: CatalogFormat };
        const format = formatOf(asked, request.headers['content-type'], body);
        return importCatalog(ctx.db, body, format, actor.userId);
      },
    );
  });
}
