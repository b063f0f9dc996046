/**
 * Email notifications through a REAL local SMTP server (smtp-server on 127.0.0.1, random port):
 * a dossier with an applicant email is submitted online, received and asked for a supplement;
 * runOnce sends one message per public step, in Vietnamese and English, UTF-8 intact, with the
 * missing list and the lookup link; a second run sends nothing again; two notifiers at once send
 * each message once; while the SMTP server refuses, messages wait and are retried with backoff,
 * and are given up (failed) only after the maximum attempts.
 */
import { BIRTH_FORM } from '../helpers/forms.js';
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { describeEachDatabase, json, type TestEnv } from '../helpers/harness.js';
import { backoffMs, MAX_ATTEMPTS, runOnce, type NotifierLog } from '../../src/notifications/notifier.js';

interface Captured {
  from: string;
  to: string[];
  raw: string;
}

const received: Captured[] = [];
let refuse = false;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onConnect(_session, cb) {
    if (refuse) {
      const err = new Error('Service temporarily unavailable (test)') as Error & { responseCode: number };
      err.responseCode = 421;
      return cb(err);
    }
    cb();
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      cb();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
const port = (smtp.server.address() as AddressInfo).port;
after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const quiet: NotifierLog = { info: () => {}, warn: () => {}, error: () => {} };

/** Decodes RFC 2047 encoded words (=?UTF-8?B?...?= / =?UTF-8?Q?...?=), joining adjacent ones. */
function decodeWords(v: string): string {
  return v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** Minimal parse of a single-part text message: unfolded headers and the decoded body. */
function parseMessage(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const payload = raw.slice(split + 4);
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const body =
    enc === 'base64'
      ? Buffer.from(payload.replace(/\s+/g, ''), 'base64').toString('utf8')
      : enc === 'quoted-printable'
        ? Buffer.from(payload.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
        : payload;
  return { headers, body };
}


let keyN = 0;
const key = () => `notify-${Date.now()}-${++keyN}`;

async function act(env: TestEnv, headers: Record<string, string>, code: string, body: Record<string, unknown>) {
  const res = await env.app.inject({ method: 'POST', url: `/api/dossiers/${code}/actions`, headers: { ...headers, 'idempotency-key': key() }, payload: body });
  assert.equal(res.statusCode, 200, `${String(body.type)}: ${res.body}`);
}

describeEachDatabase(
  'email notifications',
  (env) => {
    let desk: Record<string, string>;
    let owner: { userId: number; headers: Record<string, string> };
    let code = '';
    let email = '';
    const mine = () => received.filter((m) => m.to.includes(email)).map((m) => ({ ...m, ...parseMessage(m.raw) }));

    it('submitted, received, supplement requested: one message each, bilingual, UTF-8 intact, with the missing list and the link', async () => {
      env().setNow('2026-03-02T01:00:00Z');
      email = `le.quyen.${env().kind}@example.vn`;
      desk = await env().login('motcua.bmt');
      owner = await env().citizen(`vneid-notify-${env().kind}`, { fullName: 'Hoàng Thị Lệ Quyên (mô phỏng)', idNumber: '066190000321', phone: '0912000321' });
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...owner.headers, 'idempotency-key': key() },
        payload: { procedureCode: '1.001193', caseCode: 'DUNG_HAN', receivingUnit: 'H15.001', formData: BIRTH_FORM, applicant: { email } },
      });
      assert.equal(res.statusCode, 201, res.body);
      code = json<{ code: string }>(res).code;
      env().setNow('2026-03-02T02:00:00Z');
      await act(env(), desk, code, { type: 'receive' });
      env().setNow('2026-03-02T03:00:00Z');
      await act(env(), desk, code, { type: 'request_supplement', reason: 'Giấy chứng sinh bị mờ', missing: ['Giấy chứng sinh (bản chụp rõ nét)', 'Giấy đăng ký kết hôn của cha mẹ – bản sao'] });

      const r = await runOnce(env().ctx, quiet);
      assert.equal(r.created, 3);
      assert.equal(r.sent, 3);
      const msgs = mine();
      assert.equal(msgs.length, 3);
      const subjects = msgs.map((m) => decodeWords(m.headers.subject ?? ''));
      assert.deepEqual(subjects, [
        `[Một cửa] Hồ sơ ${code}: Nộp hồ sơ trực tuyến / Submitted online`,
        `[Một cửa] Hồ sơ ${code}: Hồ sơ được tiếp nhận / Dossier received`,
        `[Một cửa] Hồ sơ ${code}: Yêu cầu bổ sung hồ sơ / Supplement requested`,
      ]);
      const supp = msgs[2]!;
      assert.match(supp.headers['content-type'] ?? '', /text\/plain; charset=utf-8/i);
      assert.deepEqual(supp.to, [email]);
      assert.match(supp.from, /@/);
      assert.ok(supp.body.startsWith('Kính gửi Hoàng Thị Lệ Quyên (mô phỏng),'), supp.body);
      for (const s of [
        `Hồ sơ ${code} – Đăng ký khai sinh`,
        'Yêu cầu bổ sung hồ sơ lúc 10:00 ngày 02/03/2026.',
        'Trạng thái hiện tại: Yêu cầu bổ sung giấy tờ.',
        'Lý do: Giấy chứng sinh bị mờ',
        'Giấy tờ, thông tin cần bổ sung:\n  1. Giấy chứng sinh (bản chụp rõ nét)\n  2. Giấy đăng ký kết hôn của cha mẹ – bản sao',
        'Thời gian chờ bổ sung không tính vào thời hạn giải quyết.',
        `Theo dõi hồ sơ: ${env().ctx.config.publicUrl}/tra-cuu?ma=${code}`,
        'Supplement requested at 10:00, 02/03/2026 (Vietnam time).',
      ]) {
        assert.ok(supp.body.includes(s), `body should contain "${s}":\n${supp.body}`);
      }
      const recv = msgs[1]!;
      assert.match(recv.body, /Ngày hẹn trả kết quả: 17:00 ngày 02\/03\/2026\./);

      const rows = await env().ctx.db.selectFrom('notifications').selectAll().where('recipient', '=', email).orderBy('id').execute();
      assert.equal(rows.length, 3);
      assert.ok(rows.every((n) => n.status === 'sent' && n.attempts === 1 && n.sent_at !== null && n.channel === 'email'));
    });

    it('running again sends nothing twice and creates nothing new', async () => {
      const before = mine().length;
      const r = await runOnce(env().ctx, quiet);
      assert.deepEqual(r, { created: 0, sent: 0, retried: 0, failed: 0 });
      assert.equal(mine().length, before);
    });

    it('the applicant’s own supplement is not emailed; a dossier without email gets no notification', async () => {
      env().setNow('2026-03-02T04:00:00Z');
      await act(env(), owner.headers, code, { type: 'supplement', documents: ['giay-chung-sinh.pdf'] });
      const walkIn = await env().app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: { ...desk, 'idempotency-key': key() },
        payload: { procedureCode: 'H15-HT-05', caseCode: 'MAC_DINH', applicant: { name: 'Không có thư (mô phỏng)', phone: '0912000999' } },
      });
      assert.equal(walkIn.statusCode, 201, walkIn.body);
      const before = await env().ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const r = await runOnce(env().ctx, quiet);
      assert.equal(r.created, 0);
      const afterCount = await env().ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
    });

    it('while the SMTP server refuses, the message waits and is retried with backoff, then delivered once', async () => {
      env().setNow('2026-03-02T05:00:00Z');
      await act(env(), desk, code, { type: 'request_payment', amount: 8000 });
      const count = mine().length;
      refuse = true;
      try {
        const r1 = await runOnce(env().ctx, quiet);
        assert.equal(r1.created, 1);
        assert.equal(r1.retried, 1);
        const n1 = await env().ctx.db.selectFrom('notifications').selectAll().where('recipient', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
        assert.equal(n1.status, 'pending');
        assert.equal(n1.attempts, 1);
        assert.ok(n1.last_error);
        assert.equal(n1.next_attempt_at.toISOString(), new Date(Date.parse('2026-03-02T05:00:00Z') + backoffMs(1)).toISOString());
        // Not due yet: nothing is attempted.
        const r2 = await runOnce(env().ctx, quiet);
        assert.deepEqual(r2, { created: 0, sent: 0, retried: 0, failed: 0 });
      } finally {
        refuse = false;
      }
      env().setNow(new Date(Date.parse('2026-03-02T05:00:00Z') + backoffMs(1)));
      const r3 = await runOnce(env().ctx, quiet);
      assert.equal(r3.sent, 1);
      const msgs = mine();
      assert.equal(msgs.length, count + 1);
      const last = msgs[msgs.length - 1]!;
      assert.equal(decodeWords(last.headers.subject ?? ''), `[Một cửa] Hồ sơ ${code}: Yêu cầu thực hiện nghĩa vụ tài chính (nộp phí, lệ phí) / Fee payment requested`);
      assert.ok(last.body.includes('Số tiền phải nộp: 8.000 đồng.'), last.body);
      const n = await env().ctx.db.selectFrom('notifications').selectAll().where('recipient', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(n.status, 'sent');
      assert.equal(n.attempts, 2);
    });

    it('two notifiers at once (two server instances) deliver each message exactly once', async () => {
      env().setNow('2026-03-02T06:00:00Z');
      await act(env(), owner.headers, code, { type: 'confirm_payment', method: 'cash' });
      const count = mine().length;
      const [a, b] = await Promise.all([runOnce(env().ctx, quiet), runOnce(env().ctx, quiet)]);
      assert.equal(a.created + b.created, 1);
      // The second may find the message already claimed, or not yet created: run once more to settle.
      await runOnce(env().ctx, quiet);
      assert.equal(mine().length, count + 1);
      assert.equal(a.sent + b.sent <= 1, true);
    });

    it(`gives up after ${MAX_ATTEMPTS} attempts: status failed with the last error, never lost silently`, async () => {
      let t = Date.parse('2026-03-03T01:00:00Z');
      env().setNow(new Date(t));
      await act(env(), desk, code, { type: 'request_supplement', reason: 'Cần thêm giấy tờ', missing: ['Sổ hộ khẩu (mô phỏng)'] });
      refuse = true;
      try {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const r = await runOnce(env().ctx, quiet);
          assert.equal(attempt === MAX_ATTEMPTS ? r.failed : r.retried, 1, `attempt ${attempt}`);
          t += backoffMs(attempt);
          env().setNow(new Date(t));
        }
      } finally {
        refuse = false;
      }
      const n = await env().ctx.db.selectFrom('notifications').selectAll().where('recipient', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(n.status, 'failed');
      assert.equal(n.attempts, MAX_ATTEMPTS);
      assert.ok(n.last_error);
      const r = await runOnce(env().ctx, quiet);
      assert.equal(r.sent + r.retried + r.failed, 0);
    });
  },
  { env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Một cửa Đắk Lắk (mô phỏng) <no-reply@motcua.test>' } },
);
