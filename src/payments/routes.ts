/** HTTP routes of payments: start, list, receipt, the local provider's page and the provider callback. */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireActor } from '../identity/http-auth.js';
import type { App } from '../platform/http.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { withErrors } from '../platform/schemas.js';
import { selectScopedDossier, type ScopedDossierRow } from '../dossiers/repository.js';
import { canSee } from '../dossiers/act.js';
import { localProvider } from './local-provider.js';
import { LOCAL_PAGE_CSP, renderMessagePage, renderPayPage } from './local-page.js';
import { getPayment, listDossierPayments, paymentReceipt } from './queries.js';
import { effectiveStatus } from './repository.js';
import { settlePayment, type SettleResult } from './settle.js';
import { startPayment } from './start-payment.js';

const Code = Type.String({ minLength: 5, maxLength: 60, pattern: '^[A-Za-z0-9.]+-\\d{6}-\\d{4,}$', description: 'Dossier code' });
const Reference = Type.String({ pattern: '^TT[0-9A-Z]{12}$', description: 'Payment reference, e.g. TT4K9M2Q7XH3AB' });
const Name = Type.Object({ vi: Type.String(), en: Type.String() });
const NStr = Type.Union([Type.String(), Type.Null()]);

const PaymentView = Type.Object(
  {
    reference: Type.String(),
    dossierCode: Type.String(),
    amount: Type.Integer(),
    currency: Type.String(),
    provider: Type.String(),
    method: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('failed'), Type.Literal('expired')]),
    statusName: Name,
    createdAt: Type.String(),
    expiresAt: Type.String(),
    paidAt: NStr,
    failedAt: NStr,
    receiptNumber: NStr,
  },
  { $id: 'Payment' },
);

const StartedPaymentView = Type.Intersect([
  PaymentView,
  Type.Object({
    payUrl: Type.String({ description: 'Where to send the payer (the provider’s page).' }),
    vietqr: Type.Object({
      payload: Type.String({ description: 'VietQR (NAPAS, EMVCo) string for a bank transfer of the exact amount.' }),
      qrSvg: Type.String({ description: 'The payload as a QR code, SVG markup.' }),
      bankBin: Type.String(),
      accountNumber: Type.String(),
      accountName: Type.String(),
      purpose: Type.String({ description: 'Transfer content: the payment reference.' }),
    }),
  }),
]);

const Receipt = Type.Object({
  receiptNumber: Type.String(),
  reference: Type.String(),
  dossierCode: Type.String(),
  procedure: Type.Object({ code: Type.String(), name: Type.String() }),
  unit: Type.Object({ code: Type.String(), name: Type.String() }),
  payer: Type.Object({ name: Type.String(), idNumber: NStr }),
  amount: Type.Integer(),
  currency: Type.String(),
  amountInWords: Type.String(),
  paidAt: Type.String(),
  method: Type.String(),
  methodName: Name,
  provider: Type.String(),
  providerTxnId: NStr,
  simulated: Type.Boolean({ description: 'Paid through the built-in local provider (mô phỏng): no real money.' }),
});

/** Where the portal shows the outcome to the payer. */
export const resultPagePath = (dossierCode: string, reference: string) =>
  `/ho-so/${encodeURIComponent(dossierCode)}/thanh-toan?ref=${encodeURIComponent(reference)}`;

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', LOCAL_PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

function callbackReply(reply: FastifyReply, r: SettleResult) {
  if (r.outcome === 'rejected_amount') {
    return reply.status(400).send(new AppError(400, 'amount_mismatch', 'The amount does not match the payment; nothing was settled.', 'Số tiền không khớp với khoản thanh toán; không ghi nhận.').toBody());
  }
  if (r.outcome === 'rejected_unknown_payment') {
    return reply.status(400).send(new AppError(400, 'unknown_payment', 'No payment has this reference; nothing was settled.', 'Không có khoản thanh toán với mã này; không ghi nhận.').toBody());
  }
  return reply.status(200).send({ received: true, outcome: r.outcome, replayed: r.replayed });
}

export function registerPaymentRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/dossiers/:code/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Bắt đầu thanh toán trực tuyến / Start paying a dossier’s fee online',
        description:
          'By the applicant who owns the dossier, while the desk has requested payment (status 6). Returns the payment (201), or the one already pending (200), with the provider page to go to and a VietQR for a bank transfer. 409 when no fee is due.',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: StartedPaymentView, 201: StartedPaymentView }),
      },
    },
    async (request, reply) => {
      const r = await startPayment(ctx, requireActor(request), request.params.code);
      return reply.status(r.created ? 201 : 200).send(r.view);
    },
  );

  app.get(
    '/api/dossiers/:code/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Các lần thanh toán của hồ sơ / Payments of a dossier',
        description: 'The applicant who owns the dossier, or staff whose jurisdiction holds, received or decides it. Newest first.',
        params: Type.Object({ code: Code }),
        response: withErrors({ 200: Type.Object({ dossierCode: Type.String(), feeAmount: Type.Union([Type.Integer(), Type.Null()]), items: Type.Array(PaymentView) }) }),
      },
    },
    async (request) => listDossierPayments(ctx, requireActor(request), request.params.code),
  );

  app.get(
    '/api/payments/:reference',
    {
      schema: {
        tags: ['payments'],
        summary: 'Một khoản thanh toán / A payment',
        params: Type.Object({ reference: Reference }),
        response: withErrors({ 200: PaymentView }),
      },
    },
    async (request) => getPayment(ctx, requireActor(request), request.params.reference),
  );

  app.get(
    '/api/payments/:reference/receipt',
    {
      schema: {
        tags: ['payments'],
        summary: 'Biên lai thu phí, lệ phí / Payment receipt',
        description: 'For a completed payment: number, dossier, procedure, payer, amount in digits and in Vietnamese words, time and method. 409 when not paid.',
        params: Type.Object({ reference: Reference }),
        response: withErrors({ 200: Receipt }),
      },
    },
    async (request) => paymentReceipt(ctx, requireActor(request), request.params.reference),
  );

  app.get(
    '/api/payments/local/:reference',
    {
      schema: {
        tags: ['payments'],
        summary: 'Trang thanh toán của cổng mô phỏng / The local (simulated) provider’s payment page',
        description: 'HTML for the applicant who started the payment: pay, fail or time out.',
        params: Type.Object({ reference: Reference }),
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (!actor) {
        return html(reply, 401, renderMessagePage('Cần đăng nhập', 'Login required', 'Vui lòng đăng nhập rồi mở lại trang thanh toán từ hồ sơ của bạn.', 'Please log in, then open the payment page again from your dossier.'));
      }
      const found = await paymentWithDossier(ctx, request.params.reference);
      if (!found || !canSee(actor, found.dossier) || found.dossier.owner_id !== actor.userId) {
        return html(reply, 404, renderMessagePage('Không tìm thấy', 'Not found', 'Không tìm thấy khoản thanh toán này.', 'This payment was not found.'));
      }
      const { p, dossier } = found;
      const provider = await localProvider(ctx);
      return html(
        reply,
        200,
        renderPayPage({
          reference: p.reference,
          dossierCode: dossier.code,
          procedureName: dossier.procedure_name,
          amount: Number(p.amount),
          expiresAt: p.expires_at,
          status: effectiveStatus(p, ctx.now()),
          token: provider.formToken(p.reference),
          returnUrl: resultPagePath(dossier.code, p.reference),
        }),
      );
    },
  );

  // Requests that do not come from our scripts: the provider page's plain form and the provider's
  // callback. They carry no session (sessionless) and prove themselves by a signature; they need
  // their bodies as sent (form fields; the exact JSON text the signature covers).
  app.register(async (plain) => {
    const child = plain.withTypeProvider<TypeBoxTypeProvider>();
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    child.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => done(null, body));

    child.post(
      '/api/payments/local/:reference/simulate',
      {
        config: { sessionless: true },
        schema: {
          tags: ['payments'],
          summary: 'Cổng mô phỏng: kết quả do người nộp chọn / Local provider: the result the payer chose',
          description:
            'Form post from the local payment page (token from that page). Sends a signed callback to motcua exactly as a provider would, then redirects (303) to the portal’s payment result page.',
          params: Type.Object({ reference: Reference }),
          body: Type.Object(
            {
              outcome: Type.Union([Type.Literal('paid'), Type.Literal('failed'), Type.Literal('expired')]),
              token: Type.String({ pattern: '^[0-9a-f]{64}$' }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const provider = await localProvider(ctx);
        const { reference } = request.params;
        if (!provider.checkFormToken(reference, request.body.token)) {
          return html(reply, 403, renderMessagePage('Không hợp lệ', 'Not valid', 'Biểu mẫu thanh toán không hợp lệ; hãy mở lại trang thanh toán từ hồ sơ.', 'The payment form is not valid; open the payment page again from your dossier.'));
        }
        const found = await paymentWithDossier(ctx, reference);
        if (!found) return html(reply, 404, renderMessagePage('Không tìm thấy', 'Not found', 'Không tìm thấy khoản thanh toán này.', 'This payment was not found.'));
        const now = ctx.now();
        if (effectiveStatus(found.p, now) === 'pending') {
          // The provider's side: sign the event, then deliver it to our callback handling, which
          // verifies it like any provider's (in-process instead of over the network).
          const sent = provider.simulate({ reference, amount: Number(found.p.amount), outcome: request.body.outcome }, now);
          const verified = provider.verifyCallback(sent.body, { 'x-motcua-signature': sent.signature }, now);
          if (!verified.ok) throw new Error(`local provider produced an unverifiable callback: ${verified.detail}`);
          await settlePayment(ctx, provider.name, verified.event, request.log);
        }
        return reply.header('cache-control', 'no-store').redirect(resultPagePath(found.dossier.code, reference), 303);
      },
    );

    child.post(
      '/api/payments/callback/local',
      {
        config: { sessionless: true },
        schema: {
          tags: ['payments'],
          summary: 'Thông báo kết quả từ cổng thanh toán / Payment provider callback (local provider)',
          description:
            'JSON {eventId, reference, outcome: paid|failed|expired, amount, txnId, at} signed with header x-motcua-signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">. A bad or older than 5 minutes signature → 401, nothing recorded. A repeated eventId changes nothing (200). Amount mismatch or unknown reference → 400, recorded.',
          response: {
            200: Type.Object({ received: Type.Boolean(), outcome: Type.String(), replayed: Type.Boolean() }),
            400: withErrors({})[400],
            401: withErrors({})[401],
          },
        },
      },
      async (request, reply) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        const provider = await localProvider(ctx);
        const v = provider.verifyCallback(raw, request.headers, ctx.now());
        if (!v.ok) {
          if (v.reason === 'malformed') {
            return reply.status(400).send(new AppError(400, 'invalid_event', `The callback body is not a payment event: ${v.detail}.`, 'Nội dung thông báo không phải sự kiện thanh toán hợp lệ.').toBody());
          }
          request.log.warn({ ip: request.ip, reason: v.reason, detail: v.detail }, 'payment callback refused: signature');
          return reply
            .status(401)
            .send(new AppError(401, 'bad_signature', 'The callback signature is missing, wrong or too old.', 'Chữ ký của thông báo thanh toán bị thiếu, sai hoặc đã quá hạn.').toBody());
        }
        return callbackReply(reply, await settlePayment(ctx, provider.name, v.event, request.log));
      },
    );
  });
}

async function paymentWithDossier(ctx: AppContext, reference: string) {
  const p = await ctx.db.selectFrom('payments').selectAll().where('reference', '=', reference).executeTakeFirst();
  if (!p) return null;
  const dossier = (await selectScopedDossier(ctx.db).where('d.id', '=', p.dossier_id).executeTakeFirst()) as ScopedDossierRow | undefined;
  return dossier ? { p, dossier } : null;
}
