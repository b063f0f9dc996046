/**
 * Online payment through HTTP on a real database: a citizen pays the fee the desk asked for
 * (late birth registration, 8,000 đ) through the local provider; the signed callback settles it
 * once however often it is replayed; bad and old signatures change nothing; fail and time-out
 * paths; scope; the VietQR payload; the receipt; the index group 4 facts.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, submitOnline } from '../helpers/dossier-api.js';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { parseVietQr, vietQrCrcValid } from '../../src/core/vietqr.js';
import { callbackSecret } from '../../src/payments/local-provider.js';
import { signBody } from '../../src/payments/provider.js';
import { onlinePaymentFacts } from '../../src/payments/queries.js';

type Payment = {
  reference: string;
  dossierCode: string;
  amount: number;
  status: string;
  payUrl: string;
  expiresAt: string;
  receiptNumber: string | null;
  vietqr: { payload: string; qrSvg: string; purpose: string };
};
type ErrorBody = { error: { code: string; message: string; messageVi: string } };

/** An online late birth registration (fee 8,000 đ) received by the desk, which asks for the fee: status 6. */
async function dossierAwaitingPayment(env: TestEnv, citizen: Record<string, string>, desk: Record<string, string>): Promise<string> {
  const code = await submitOnline(env, citizen, '1.001193', 'QUA_HAN');
  await act(env, desk, code, { type: 'receive' });
  const d = await act(env, desk, code, { type: 'request_payment', amount: 8000 });
  assert.equal(d.statusCode, 6);
  return code;
}

async function start(env: TestEnv, headers: Record<string, string>, code: string, expect = 201) {
  const res = await env.app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments`, headers });
  assert.equal(res.statusCode, expect, res.body);
  return json<Payment>(res);
}

async function callback(env: TestEnv, body: string, signature: string) {
  return env.app.inject({
    method: 'POST',
    url: '/api/payments/callback/local',
    headers: { 'content-type': 'application/json', 'x-motcua-signature': signature },
    payload: body,
  });
}

function event(reference: string, outcome: string, amount: number, eventId: string, at: Date) {
  return JSON.stringify({ eventId, reference, outcome, amount, txnId: `BANK-${eventId}`, at: at.toISOString() });
}

async function counts(env: TestEnv, code: string) {
  const d = await env.ctx.db.selectFrom('dossiers').select(['id', 'status_code', 'paid_at']).where('code', '=', code).executeTakeFirstOrThrow();
  const paid = await env.ctx.db.selectFrom('payments').select(['reference', 'receipt_number']).where('dossier_id', '=', d.id).where('status', '=', 'paid').execute();
  const confirms = await env.ctx.db.selectFrom('dossier_actions').select(['actor_role', 'payload']).where('dossier_id', '=', d.id).where('type', '=', 'confirm_payment').execute();
  const refs = (await env.ctx.db.selectFrom('payments').select('reference').where('dossier_id', '=', d.id).execute()).map((r) => r.reference);
  const callbacks = refs.length ? await env.ctx.db.selectFrom('payment_callbacks').select(['event_id', 'outcome']).where('reference', 'in', refs).execute() : [];
  return { status: d.status_code, paidAt: d.paid_at, paid, confirms, callbacks };
}

async function simulate(env: TestEnv, citizen: Record<string, string>, reference: string, outcome: string) {
  const page = await env.app.inject({ method: 'GET', url: `/api/payments/local/${reference}`, headers: citizen });
  assert.equal(page.statusCode, 200, page.body);
  const token = /name="token" value="([0-9a-f]{64})"/.exec(page.body)?.[1];
  assert.ok(token, 'the payment page carries a form token');
  // A plain HTML form post: the browser sends the session cookie but no CSRF header.
  return env.app.inject({
    method: 'POST',
    url: `/api/payments/local/${reference}/simulate`,
    headers: { cookie: citizen.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `outcome=${outcome}&token=${token}`,
  });
}

describeEachDatabase('online payment', (env) => {
  let desk: Record<string, string>;
  let citizen: Record<string, string>;
  let other: Record<string, string>;

  it('sets up the desk and two citizens', async () => {
    env().setNow('2026-03-02T02:00:00Z'); // Mon 09:00 +07
    desk = await env().login('motcua.bmt');
    citizen = (await env().citizen('vneid-pay-1', { fullName: 'Trần Thị Bình (mô phỏng)', idNumber: '066190000011', phone: '0905000011' })).headers;
    other = (await env().citizen('vneid-pay-2', { fullName: 'Lê Văn Khác (mô phỏng)', idNumber: '066190000012', phone: '0905000012' })).headers;
  });

  it('no payment before the desk asks for the fee (409, bilingual)', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const code = await submitOnline(env(), citizen, '1.001193', 'QUA_HAN');
    const r = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments`, headers: citizen });
    assert.equal(r.statusCode, 409);
    const e = json<ErrorBody>(r).error;
    assert.equal(e.code, 'no_fee_due');
    assert.ok(e.message && e.messageVi && e.message !== e.messageVi);
  });

  it('full pay flow: start (reused while pending), VietQR, signed callback replayed 3 times → one payment, one confirm_payment, one receipt', async () => {
    env().setNow('2026-03-02T02:00:00Z');
    const code = await dossierAwaitingPayment(env(), citizen, desk);
    const p = await start(env(), citizen, code);
    assert.equal(p.amount, 8000);
    assert.equal(p.status, 'pending');
    assert.match(p.reference, /^TT[0-9A-Z]{12}$/);
    assert.equal(p.payUrl, `/api/payments/local/${p.reference}`);
    assert.equal(p.expiresAt, '2026-03-02T02:15:00.000Z');
    // Asking again while it is pending returns the same payment.
    const again = await start(env(), citizen, code, 200);
    assert.equal(again.reference, p.reference);

    assert.ok(vietQrCrcValid(p.vietqr.payload));
    const qr = parseVietQr(p.vietqr.payload);
    assert.equal(qr.amount, 8000);
    assert.equal(qr.purpose, p.reference);
    assert.equal(qr.bankBin, env().ctx.config.payment.vietqr.bankBin);
    assert.equal(qr.accountNumber, env().ctx.config.payment.vietqr.accountNumber);
    assert.equal(qr.initiation, 'dynamic');
    assert.match(p.vietqr.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/);

    env().setNow('2026-03-02T02:05:00Z');
    const secret = await callbackSecret(env().ctx);
    const now = env().ctx.now();
    const body = event(p.reference, 'paid', 8000, 'evt-full-1', now);
    const sig = signBody(secret, body, now);
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await callback(env(), body, sig));
    assert.deepEqual(replies.map((r) => r.statusCode), [200, 200, 200], replies.map((r) => r.body).join('\n'));
    assert.deepEqual(replies.map((r) => json<{ outcome: string; replayed: boolean }>(r)), [
      { received: true, outcome: 'paid', replayed: false },
      { received: true, outcome: 'paid', replayed: true },
      { received: true, outcome: 'paid', replayed: true },
    ]);
    // Replays at the same moment as well.
    const burst = await Promise.all([1, 2, 3].map(() => callback(env(), body, sig)));
    assert.deepEqual(burst.map((r) => r.statusCode), [200, 200, 200]);

    const c = await counts(env(), code);
    assert.equal(c.status, 4, 'confirm_payment moved the dossier back to processing');
    assert.equal(c.paidAt?.toISOString(), '2026-03-02T02:05:00.000Z');
    assert.equal(c.paid.length, 1);
    assert.match(c.paid[0]!.receipt_number!, /^BL-2026-\d{7}$/);
    assert.equal(c.confirms.length, 1);
    assert.equal(c.confirms[0]!.actor_role, 'system');
    assert.equal(c.confirms[0]!.payload.method, 'online');
    assert.equal(c.confirms[0]!.payload.receiptNumber, c.paid[0]!.receipt_number);
    assert.equal(c.confirms[0]!.payload.paymentReference, p.reference);
    assert.equal(c.callbacks.length, 1);

    // A different event about the already-paid payment changes nothing.
    const late = event(p.reference, 'failed', 8000, 'evt-full-2', now);
    const r2 = await callback(env(), late, signBody(secret, late, now));
    assert.equal(r2.statusCode, 200);
    assert.equal(json<{ outcome: string }>(r2).outcome, 'ignored_already_settled');
    const c2 = await counts(env(), code);
    assert.equal(c2.paid.length, 1);
    assert.equal(c2.confirms.length, 1);
    assert.equal(c2.callbacks.length, 2);

    // Paid: nothing more to pay.
    const r3 = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments`, headers: citizen });
    assert.equal(r3.statusCode, 409);

    // The list and the receipt.
    const list = json<{ items: Payment[] }>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/payments`, headers: citizen }));
    assert.deepEqual(list.items.map((x) => [x.reference, x.status]), [[p.reference, 'paid']]);
    const staffList = await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/payments`, headers: desk });
    assert.equal(staffList.statusCode, 200);
    const receipt = await env().app.inject({ method: 'GET', url: `/api/payments/${p.reference}/receipt`, headers: citizen });
    assert.equal(receipt.statusCode, 200, receipt.body);
    const rc = json<Record<string, unknown>>(receipt);
    assert.equal(rc.receiptNumber, c.paid[0]!.receipt_number);
    assert.equal(rc.dossierCode, code);
    assert.equal(rc.amount, 8000);
    assert.equal(rc.amountInWords, 'Tám nghìn đồng');
    assert.equal(rc.paidAt, '2026-03-02T02:05:00.000Z');
    assert.equal(rc.method, 'online');
    assert.deepEqual(rc.payer, { name: 'Trần Thị Bình (mô phỏng)', idNumber: '066190000011' });
    assert.equal((rc.procedure as { code: string }).code, '1.001193');
    assert.equal(rc.simulated, true);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/payments/${p.reference}/receipt`, headers: desk })).statusCode, 200);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/payments/${p.reference}/receipt`, headers: other })).statusCode, 404);

    // Index group 4: this dossier counts as paid online.
    const facts = await onlinePaymentFacts(env().ctx.db, { units: ['H15.001'], from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') });
    assert.ok(facts.dossiersPaidOnline >= 1);
    assert.ok(facts.dossiersWithFee >= facts.dossiersPaidOnline);
    assert.equal(facts.proceduresWithOnlinePayment, 1);
  });

  it('a bad or old signature → 401 and nothing is changed or recorded', async () => {
    env().setNow('2026-03-03T02:00:00Z');
    const code = await dossierAwaitingPayment(env(), citizen, desk);
    const p = await start(env(), citizen, code);
    const secret = await callbackSecret(env().ctx);
    const now = env().ctx.now();
    const body = event(p.reference, 'paid', 8000, 'evt-bad-1', now);
    const attempts = [
      signBody('not-the-secret-at-all-000000', body, now),
      signBody(secret, body.replace('8000', '8001'), now), // signature of another body
      signBody(secret, body, new Date(now.getTime() - 6 * 60_000)), // older than 5 minutes
      signBody(secret, body, new Date(now.getTime() + 6 * 60_000)),
      'v1=abc',
      '',
    ];
    for (const sig of attempts) {
      const r = await env().app.inject({
        method: 'POST',
        url: '/api/payments/callback/local',
        headers: { 'content-type': 'application/json', ...(sig ? { 'x-motcua-signature': sig } : {}) },
        payload: body,
      });
      assert.equal(r.statusCode, 401, `${sig}: ${r.body}`);
      const e = json<ErrorBody>(r).error;
      assert.equal(e.code, 'bad_signature');
      assert.ok(e.messageVi.length > 0);
    }
    const c = await counts(env(), code);
    assert.equal(c.status, 6);
    assert.equal(c.paid.length, 0);
    assert.equal(c.confirms.length, 0);
    assert.equal(c.callbacks.length, 0);
    // The event id was not taken by the forged attempts: the genuine event still settles it.
    const ok = await callback(env(), body, signBody(secret, body, now));
    assert.equal(json<{ outcome: string }>(ok).outcome, 'paid');
  });

  it('amount mismatch and unknown reference are rejected (400) and recorded; the payment stays payable', async () => {
    env().setNow('2026-03-04T02:00:00Z');
    const code = await dossierAwaitingPayment(env(), citizen, desk);
    const p = await start(env(), citizen, code);
    const secret = await callbackSecret(env().ctx);
    const now = env().ctx.now();
    const wrong = event(p.reference, 'paid', 800, 'evt-amount-1', now);
    const r = await callback(env(), wrong, signBody(secret, wrong, now));
    assert.equal(r.statusCode, 400);
    assert.equal(json<ErrorBody>(r).error.code, 'amount_mismatch');
    const unknown = event('TT000000000000', 'paid', 8000, 'evt-unknown-1', now);
    const r2 = await callback(env(), unknown, signBody(secret, unknown, now));
    assert.equal(json<ErrorBody>(r2).error.code, 'unknown_payment');
    const c = await counts(env(), code);
    assert.equal(c.status, 6);
    assert.deepEqual(c.callbacks.map((x) => x.outcome), ['rejected_amount']);
    const recorded = await env().ctx.db.selectFrom('payment_callbacks').select('outcome').where('event_id', '=', 'evt-unknown-1').executeTakeFirst();
    assert.equal(recorded?.outcome, 'rejected_unknown_payment');
    const list = json<{ items: Payment[] }>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/payments`, headers: citizen }));
    assert.equal(list.items[0]!.status, 'pending');
    // A signed body that is not an event → 400, nothing recorded.
    const junk = JSON.stringify({ hello: 'world' });
    const r3 = await callback(env(), junk, signBody(secret, junk, now));
    assert.equal(r3.statusCode, 400);
    assert.equal(json<ErrorBody>(r3).error.code, 'invalid_event');
  });

  it('the local provider page: fail, then time out, then a fresh payment succeeds; redirects to the portal page', async () => {
    env().setNow('2026-03-05T02:00:00Z');
    const code = await dossierAwaitingPayment(env(), citizen, desk);
    const p1 = await start(env(), citizen, code);

    const page = await env().app.inject({ method: 'GET', url: `/api/payments/local/${p1.reference}`, headers: citizen });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /form-action 'self'/);
    assert.doesNotMatch(page.body, /<script/i);
    assert.match(page.body, /<html lang="vi">/);
    for (const label of ['Thanh toán thành công', 'Thanh toán thất bại', 'Hết thời gian', 'Pay', 'Fail', 'Time out', '8.000 đ', 'Tám nghìn đồng', code]) {
      assert.ok(page.body.includes(label), `page shows ${label}`);
    }
    // Not logged in → 401 page; someone else → 404 page.
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/payments/local/${p1.reference}` })).statusCode, 401);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/payments/local/${p1.reference}`, headers: other })).statusCode, 404);

    const failed = await simulate(env(), citizen, p1.reference, 'failed');
    assert.equal(failed.statusCode, 303, failed.body);
    assert.equal(failed.headers.location, `/ho-so/${code}/thanh-toan?ref=${p1.reference}`);
    let list = json<{ items: Payment[] }>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/payments`, headers: citizen }));
    assert.equal(list.items[0]!.status, 'failed');
    assert.equal((await counts(env(), code)).status, 6);

    const p2 = await start(env(), citizen, code);
    assert.notEqual(p2.reference, p1.reference);
    const timedOut = await simulate(env(), citizen, p2.reference, 'expired');
    assert.equal(timedOut.statusCode, 303);
    list = json<{ items: Payment[] }>(await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/payments`, headers: citizen }));
    assert.deepEqual(list.items.map((x) => x.status), ['expired', 'failed']);

    // A form with a forged token changes nothing.
    const p3 = await start(env(), citizen, code);
    const forged = await env().app.inject({
      method: 'POST',
      url: `/api/payments/local/${p3.reference}/simulate`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `outcome=paid&token=${'0'.repeat(64)}`,
    });
    assert.equal(forged.statusCode, 403);
    assert.equal((await counts(env(), code)).status, 6);
    // Receipt of an unpaid payment → 409.
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/payments/${p3.reference}/receipt`, headers: citizen })).statusCode, 409);

    const paid = await simulate(env(), citizen, p3.reference, 'paid');
    assert.equal(paid.statusCode, 303);
    const c = await counts(env(), code);
    assert.equal(c.status, 4);
    assert.equal(c.paid.length, 1);
    assert.equal(c.confirms.length, 1);
    // The page of a settled payment offers no buttons any more.
    const after = await env().app.inject({ method: 'GET', url: `/api/payments/local/${p3.reference}`, headers: citizen });
    assert.doesNotMatch(after.body, /<form/);
    assert.match(after.body, /đã hoàn tất/);
  });

  it('a pending payment past its expiry reads as expired, a new one can be started, and a late success does not settle it', async () => {
    env().setNow('2026-03-06T02:00:00Z');
    const code = await dossierAwaitingPayment(env(), citizen, desk);
    const p1 = await start(env(), citizen, code);
    env().setNow('2026-03-06T02:16:00Z');
    const view = json<Payment>(await env().app.inject({ method: 'GET', url: `/api/payments/${p1.reference}`, headers: citizen }));
    assert.equal(view.status, 'expired');
    const secret = await callbackSecret(env().ctx);
    const now = env().ctx.now();
    const body = event(p1.reference, 'paid', 8000, 'evt-late-1', now);
    const r = await callback(env(), body, signBody(secret, body, now));
    assert.equal(json<{ outcome: string }>(r).outcome, 'expired');
    assert.equal((await counts(env(), code)).status, 6);
    const p2 = await start(env(), citizen, code);
    assert.notEqual(p2.reference, p1.reference);
    assert.equal(p2.expiresAt, '2026-03-06T02:31:00.000Z');
  });

  it('scope: another citizen gets 404, staff cannot pay for the applicant (403), unknown dossier 404, bad code 400', async () => {
    env().setNow('2026-03-09T02:00:00Z');
    const code = await dossierAwaitingPayment(env(), citizen, desk);
    const r1 = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments`, headers: other });
    assert.equal(r1.statusCode, 404);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/payments`, headers: other })).statusCode, 404);
    const r2 = await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments`, headers: desk });
    assert.equal(r2.statusCode, 403);
    const hoaphu = await env().login('motcua.hoaphu');
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/dossiers/${code}/payments`, headers: hoaphu })).statusCode, 404);
    assert.equal((await env().app.inject({ method: 'POST', url: '/api/dossiers/H15.001-260309-9999/payments', headers: citizen })).statusCode, 404);
    const bad = await env().app.inject({ method: 'POST', url: '/api/dossiers/not-a-code/payments', headers: citizen });
    assert.equal(bad.statusCode, 400);
    assert.ok(json<ErrorBody>(bad).error.messageVi);
    assert.equal((await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments` })).statusCode, 401);
    // Without the CSRF header a logged-in start is refused.
    assert.equal((await env().app.inject({ method: 'POST', url: `/api/dossiers/${code}/payments`, headers: { cookie: citizen.cookie! } })).statusCode, 403);
    const p = await start(env(), citizen, code);
    assert.equal((await env().app.inject({ method: 'GET', url: `/api/payments/${p.reference}`, headers: other })).statusCode, 404);
  });

  it('the callback secret is generated once and kept', async () => {
    const a = await callbackSecret(env().ctx);
    const b = await callbackSecret(env().ctx);
    assert.equal(a, b);
    assert.ok(a.length >= 32);
  });
});

describeEachDatabase(
  'online payment with a configured callback secret',
  (env) => {
    it('signs and verifies with PAYMENT_CALLBACK_SECRET; the stored one is not used', async () => {
      env().setNow('2026-03-02T02:00:00Z');
      const desk = await env().login('motcua.bmt');
      const citizen = (await env().citizen('vneid-pay-cfg')).headers;
      const code = await dossierAwaitingPayment(env(), citizen, desk);
      const p = await start(env(), citizen, code);
      const now = env().ctx.now();
      const body = event(p.reference, 'paid', 8000, 'evt-cfg-1', now);
      const r = await callback(env(), body, signBody('configured-secret-0123456789', body, now));
      assert.equal(r.statusCode, 200, r.body);
      assert.equal((await env().ctx.db.selectFrom('settings').select('key').where('key', '=', 'payment.local.callback_secret').executeTakeFirst()), undefined);
    });
  },
  { env: { PAYMENT_CALLBACK_SECRET: 'configured-secret-0123456789' } },
);
