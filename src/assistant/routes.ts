/**
 * POST /api/assistant/ask (issue 6 §1): open to everyone (citizens need no account); officials get
 * answers within their scope from their own session. Rate-limited per client address.
 */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../platform/context.js';
import type { App } from '../platform/http.js';
import { ErrorBody, withErrors } from '../platform/schemas.js';
import { LookupRateLimited } from '../dossiers/lookup.js';
import { AppError } from '../platform/errors.js';
import { ask, ASK_LIMIT } from './ask.js';

const Link = Type.Object({ label: Type.String(), href: Type.String() });

export const AskBody = Type.Object({
  answer: Type.String({ description: 'Plain text; lines starting with "• " are list items. Never HTML.' }),
  procedures: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), score: Type.Number() }), { description: 'The procedures the answer is about or was chosen among, best first.' }),
  actions: Type.Array(Link),
  dossiers: Type.Array(Type.Object({ code: Type.String(), href: Type.String() })),
  kind: Type.String({ description: 'procedure | dossier | dossier_needs_verification | dossier_not_found | staff_due_today | staff_overdue | staff_indicator | faq | greeting | no_match' }),
  lang: Type.Union([Type.Literal('vi'), Type.Literal('en')]),
  rephrased: Type.Boolean(),
});

export function registerAssistantRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/assistant/ask',
    {
      schema: {
        tags: ['assistant'],
        summary: 'Hỏi trợ lý ảo / Ask the virtual assistant',
        description:
          'A question about a procedure (documents, fee for given pages and copies, time limit and the appointment it would give now, where, online), a dossier (only with its code and the matching phone or ID number, or to its owner and to staff who may see it), or, for officials, their dossiers due today or overdue and their unit on an indicator. Answers come from the catalog and the dossiers only; 60 questions a minute per client address.',
        body: Type.Object(
          {
            question: Type.String({ minLength: 1, maxLength: 500 }),
            dossierCode: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
            phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Phone number or ID number given with the dossier.' })),
            lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
          },
          { additionalProperties: false },
        ),
        response: { ...withErrors({ 200: AskBody }), 429: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const question = request.body.question.trim();
      try {
        return await ask(ctx, request.actor ?? null, { ...request.body, question: question || request.body.question }, request.ip);
      } catch (err) {
        if (err instanceof LookupRateLimited) reply.header('retry-after', String(err.retryAfterSeconds));
        else if (err instanceof AppError && err.status === 429) reply.header('retry-after', String(ASK_LIMIT.windowSeconds));
        throw err;
      }
    },
  );
}
