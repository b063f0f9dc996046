/**
 * The citizen's whole journey of issue 3 in a real browser, on a desktop and on a 360 px phone:
 * find "đăng ký khai sinh" typed without diacritics, log in through the simulated VNeID, fill the
 * e-form, attach a PDF, submit (a double click makes one dossier), read the receipt and its PDF,
 * look the dossier up by code and phone (a wrong phone reveals nothing), supplement what the desk
 * asks for (and get the email about it), pay a fee through the local payment provider, and rate the
 * service once the result is returned. The officials act through the API meanwhile (staffApi).
 * axe-core runs on every page visited, the provider's pages included; key pages are screenshotted
 * to test-results/screenshots; on the phone no page scrolls sideways.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_CITIZENS, type SimulatedCitizen } from '../../src/identity/demo-citizens.js';
import {
  assertNoHorizontalScroll,
  checkA11y,
  launchBrowser,
  screenshot,
  staffApi,
  startServer,
  VIEWPORTS,
  withPage,
  type PageSession,
  type RunningServer,
  type StaffApi,
  makePdf,
} from './harness.js';

// The labels the test looks for, as in web/src/i18n/vi.ts, src/identity/oidc-provider.ts and src/payments/local-page.ts.
const VI = {
  searchLabel: 'Tìm thủ tục hành chính',
  searchSubmit: 'Tìm kiếm',
  submitOnline: 'Nộp hồ sơ trực tuyến',
  loginToSubmit: 'Đăng nhập để nộp hồ sơ',
  unitLabel: /^Xã, phường tiếp nhận hồ sơ/,
  submit: 'Nộp hồ sơ',
  receiptPdf: 'Tải giấy tiếp nhận (PDF)',
  logout: 'Đăng xuất',
  lookupCode: /^Mã hồ sơ/,
  lookupSecret: /^Số điện thoại hoặc số định danh của người nộp/,
  lookupSubmit: 'Tra cứu',
  lookupNotFound: 'Không tìm thấy hồ sơ',
  timeline: 'Tiến trình giải quyết',
  supplementTitle: 'Bổ sung hồ sơ',
  supplementSubmit: 'Gửi bổ sung',
  supplementSent: 'Đã gửi bổ sung hồ sơ.',
  payStart: 'Thanh toán trực tuyến',
  payReceipt: 'Biên lai thu phí, lệ phí',
  rateVery: 'Rất hài lòng',
  rateComment: /^Ý kiến của bạn/,
  rateSubmit: 'Gửi đánh giá',
  rateThanks: 'Cảm ơn bạn đã đánh giá.',
};
const PROVIDER = { title: /Cổng định danh mô phỏng VNeID/, idNumber: /Số định danh cá nhân \(CCCD\)/, password: /^Mật khẩu/, submit: 'Đăng nhập / Log in' };
const PAY_PROVIDER_BUTTON = 'Thanh toán thành công / Pay';

const BIRTH = { code: '1.001193', name: 'Đăng ký khai sinh', onTime: 'DUNG_HAN', late: 'QUA_HAN', lateFee: 8000 };
const UNIT = 'H15.001';
const STAFF = { desk: 'motcua.bmt', specialist: 'chuyenvien.bmt', leader: 'lanhdao.bmt' };
const MISSING = 'Bản sao giấy chứng sinh';

// Different people on the two viewports (each must start with no dossier of their own).
const CITIZENS: Record<'desktop' | 'phone', SimulatedCitizen> = {
  desktop: DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0004')!,
  phone: DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0005')!,
};

let server: RunningServer;
let browser: Browser;
let pdfFile: string;
let tmpDir: string;


before(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-journey-'));
  pdfFile = path.join(tmpDir, 'giay-chung-sinh.pdf');
  await makePdf(pdfFile, 'Giấy chứng sinh (mô phỏng) / Birth certificate (simulated)');
  server = await startServer({ smtp: true, demoDossiers: 20 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

interface DossierJson {
  code: string;
  statusCode: number;
  caseCode?: string;
  channel?: number;
  feeAmount: number | null;
  paidAt?: string | null;
  allowedActions?: string[];
}

async function act(staff: StaffApi, code: string, body: Record<string, unknown>): Promise<DossierJson> {
  const res = await staff.request<DossierJson>('POST', `/api/dossiers/${encodeURIComponent(code)}/actions`, body, { 'idempotency-key': randomUUID() });
  assert.equal(res.status, 200, `${staff.user.fullName}: ${JSON.stringify(body)} on ${code} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every page visited: axe-core clean, no console/network problem; on the phone no sideways scrolling. */
async function checkPage(s: PageSession, name: string, opts: { shot?: boolean; where?: string } = {}): Promise<void> {
  if (opts.shot) await screenshot(s, `journey-${name}`);
  await checkA11y(s, `journey-${name}`);
  if (s.viewport.name === 'phone') await assertNoHorizontalScroll(s, `${name} at ${s.page.url()}${opts.where ? ` (${opts.where})` : ''}`);
  s.assertClean(name);
}

/** The citizen's own dossiers, asked from the page (the citizen's session cookie). */
async function myDossiers(s: PageSession): Promise<DossierJson[]> {
  return s.page.evaluate(async () => {
    const r = await fetch('/api/me/dossiers?limit=100');
    if (!r.ok) throw new Error(`/api/me/dossiers: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { items: DossierJson[] }).items;
  });
}

async function logout(s: PageSession): Promise<void> {
  const { page } = s;
  await page.getByRole('button', { name: VI.logout }).or(page.getByRole('link', { name: VI.logout })).first().click();
  await page.getByRole('link', { name: 'Đăng nhập bằng VNeID (mô phỏng)' }).waitFor();
  const me = await page.request.get(`${server.url}/api/auth/me`);
  assert.equal(me.status(), 401, 'the session should be gone after logging out');
}

for (const viewport of VIEWPORTS) {
  const citizen = CITIZENS[viewport.name];

  describe(`the citizen's journey (${viewport.name} ${viewport.width}×${viewport.height})`, () => {
    it(`${citizen.fullName}: find, log in, submit, receipt, look up, supplement, pay, rate`, { timeout: 600_000 }, async (t) => {
      const timings: Record<string, number> = {};
      let mark = Date.now();
      const lap = (name: string) => {
        timings[name] = Date.now() - mark;
        mark = Date.now();
      };

      await withPage(browser, server, viewport, 'journey', async (s) => {
        const { page } = s;
        const main = page.getByRole('main');
        // The submit page asks for a saved draft first; "none yet" is a 404 (web/src/pages/Submit.tsx).
        s.allow(new RegExp(`/api/drafts/${BIRTH.code.replace('.', '\\.')}$`), 404);

        // ---- 1. Find the procedure without diacritics, open it, choose "submit online" for DUNG_HAN.
        await page.goto(`${server.url}/`);
        await main.getByRole('heading', { level: 1 }).waitFor();
        await checkPage(s, 'home');
        await page.getByRole('searchbox', { name: VI.searchLabel }).fill('dang ky khai sinh');
        await page.getByRole('button', { name: VI.searchSubmit, exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/tim-kiem' && u.searchParams.get('q') === 'dang ky khai sinh');
        const result = main.locator(`a[href="/thu-tuc/${BIRTH.code}"]`).first();
        await result.waitFor();
        assert.equal((await result.innerText()).split('\n')[0]!.trim(), BIRTH.name);
        await checkPage(s, 'search-results');
        await result.click();
        await page.waitForURL((u) => u.pathname === `/thu-tuc/${BIRTH.code}`);
        await main.getByRole('heading', { level: 1, name: BIRTH.name }).waitFor();
        await checkPage(s, 'procedure');
        const submitLink = main.locator(`a[href="/nop-ho-so/${BIRTH.code}?case=${BIRTH.onTime}"]`);
        assert.equal(await submitLink.innerText(), VI.submitOnline);
        await submitLink.click();
        const submitPath = `/nop-ho-so/${BIRTH.code}?case=${BIRTH.onTime}`;
        await page.waitForURL((u) => `${u.pathname}${u.search}` === submitPath);

        // Not logged in: the page asks for the login and brings the citizen back here afterwards.
        const loginLink = main.getByRole('link', { name: VI.loginToSubmit });
        await loginLink.waitFor();
        await checkPage(s, 'submit-login-first');
        await loginLink.click();
        await page.waitForURL((u) => `${u.protocol}//${u.host}` === server.oidcUrl);
        assert.match(await page.title(), PROVIDER.title);
        await checkPage(s, 'oidc-login');
        await page.getByLabel(PROVIDER.idNumber).fill(citizen.idNumber);
        await page.getByLabel(PROVIDER.password).fill('demo');
        await page.getByRole('button', { name: PROVIDER.submit }).click();
        await page.waitForURL((u) => `${u.protocol}//${u.host}` === server.url && `${u.pathname}${u.search}` === submitPath);
        await page.getByRole('banner').getByText(citizen.fullName).first().waitFor();
        assert.deepEqual(await myDossiers(s), [], `${citizen.fullName} should start with no dossier`);
        lap('find+login');

        // ---- 2. Fill the form (identity prefilled), attach a PDF, submit with a double click.
        await page.locator('#ef-childFullName').waitFor();
        assert.ok(await page.locator(`#case-${BIRTH.onTime}`).isChecked(), 'the case asked for in the link should be chosen');
        assert.equal(await page.locator('#ef-requesterName').inputValue(), citizen.fullName, 'name prefilled from the login');
        assert.equal(await page.locator('#ef-requesterIdNumber').inputValue(), citizen.idNumber, 'ID number prefilled');
        assert.equal(await page.locator('#ef-requesterPhone').inputValue(), citizen.phone, 'phone prefilled');
        assert.equal(await page.locator('#ef-requesterEmail').inputValue(), citizen.email, 'email prefilled');
        // The address is not prefilled: /api/me/prefill answers address null (src/dossiers/drafts.ts;
        // the users table keeps no address), so the citizen types it, as a newcomer would.
        const address = page.locator('#ef-requesterAddress');
        if ((await address.inputValue()) === '') await address.fill(citizen.address);
        await page.getByLabel(VI.unitLabel).selectOption(UNIT);
        await page.locator('#ef-relationshipToChild').selectOption(citizen.gender === 'male' ? 'cha' : 'me');
        await page.locator('#ef-childFullName').fill('Nguyễn Hoàng Minh Khôi');
        const born = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
        await page.locator('#ef-childDateOfBirth').fill(born);
        await page.locator('#ef-childSex').selectOption('nam');
        await page.locator('#ef-childPlaceOfBirth').fill('Bệnh viện Đa khoa vùng Tây Nguyên');
        await page.locator('#ef-childEthnicity').fill('Kinh');
        await page.locator('#ef-childNationality').fill('Việt Nam');
        await page.locator('#ef-commitment').check();
        const upload = page.getByLabel(/^Đính kèm tệp: Tờ khai đăng ký khai sinh/);
        assert.equal(await upload.getAttribute('id'), 'doc-1');
        await upload.setInputFiles(pdfFile);
        await main.getByText(`Đã tải lên ${path.basename(pdfFile)}.`).first().waitFor();
        await screenshot(s, 'journey-submit-form');
        await checkPage(s, 'submit-form');

        await main.getByRole('button', { name: VI.submit, exact: true }).dblclick();
        await page.waitForURL((u) => /^\/ho-so\/[^/]+\/bien-nhan$/.test(u.pathname), { timeout: 30_000 });
        const code = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
        assert.match(code, /^H15\.001-\d{6}-\d{4}$/);
        const mine = await myDossiers(s);
        assert.equal(mine.length, 1, `a double click should make one dossier, found ${JSON.stringify(mine.map((d) => d.code))}`);
        assert.equal(mine[0]!.code, code);
        assert.equal(mine[0]!.statusCode, 1);
        lap('submit');

        // The receipt page and its PDF.
        await main.getByText(`Đã nộp hồ sơ thành công. Mã hồ sơ của bạn là ${code}`).waitFor();
        await checkPage(s, 'receipt', { shot: true });
        const pdfHref = await main.getByRole('link', { name: VI.receiptPdf }).getAttribute('href');
        assert.ok(pdfHref, 'the receipt has no PDF link');
        const pdf = await page.request.get(new URL(pdfHref, server.url).toString());
        assert.equal(pdf.status(), 200);
        assert.match(pdf.headers()['content-type'] ?? '', /application\/pdf/);
        assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
        lap('receipt');

        // ---- 3. Log out; look the dossier up with a wrong phone (nothing revealed), then the right one.
        await logout(s);
        s.allow(/\/api\/lookup(\?|$)/, 404);
        await page.goto(`${server.url}/tra-cuu`);
        await main.getByRole('heading', { level: 1 }).waitFor();
        await checkPage(s, 'lookup');
        await page.getByLabel(VI.lookupCode).fill(code);
        await page.getByLabel(VI.lookupSecret).fill('0900000999');
        await main.getByRole('button', { name: VI.lookupSubmit, exact: true }).click();
        await main.getByRole('heading', { name: VI.lookupNotFound }).waitFor();
        assert.equal(await main.getByText(citizen.fullName).count(), 0, 'a wrong phone must reveal nothing');
        assert.equal(await main.getByRole('heading', { name: `Hồ sơ ${code}` }).count(), 0);
        await checkPage(s, 'lookup-not-found');
        await page.getByLabel(VI.lookupSecret).fill(citizen.phone);
        await main.getByRole('button', { name: VI.lookupSubmit, exact: true }).click();
        await main.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
        await main.getByText(VI.timeline).first().waitFor();
        assert.equal(await main.getByRole('heading', { name: VI.lookupNotFound }).count(), 0);
        await checkPage(s, 'lookup-result', { shot: true });
        lap('lookup');

        // ---- 4. The desk receives and asks for a supplement; the citizen supplements online.
        const desk = await staffApi(server, STAFF.desk);
        const specialist = await staffApi(server, STAFF.specialist);
        const leader = await staffApi(server, STAFF.leader);
        assert.equal(desk.user.unitCode, UNIT);
        const received = await act(desk, code, { type: 'receive' });
        assert.equal(received.statusCode, 2);
        const asked = await act(desk, code, { type: 'request_supplement', reason: 'Giấy chứng sinh chưa rõ nét (mô phỏng)', missing: [MISSING] });
        assert.equal(asked.statusCode, 5);
        // Status changes reach the applicant by email (the projector sends them through the mail sink's SMTP).
        const supplementMail = await server.mail!.waitFor((m) => m.to.includes(citizen.email) && m.subject.includes(code) && /bổ sung/i.test(m.subject), 60_000);
        assert.ok(supplementMail.text.includes(MISSING), `the email should name what is missing:\n${supplementMail.text}`);

        await page.goto(`${server.url}/ho-so/${encodeURIComponent(code)}`);
        await checkPage(s, 'dossier-login-first');
        // Logging out of the portal does not end the session at the identity provider (single sign-on,
        // as with VNeID): the provider may send the citizen straight back, or ask for the password again.
        await page.getByRole('link', { name: 'Đăng nhập bằng VNeID (mô phỏng)' }).first().click();
        const nameInBanner = page.getByRole('banner').getByText(citizen.fullName).first();
        await page.getByLabel(PROVIDER.idNumber).or(nameInBanner).first().waitFor();
        if (`${new URL(page.url()).protocol}//${new URL(page.url()).host}` === server.oidcUrl) {
          await checkPage(s, 'oidc-login-again');
          await page.getByLabel(PROVIDER.idNumber).fill(citizen.idNumber);
          await page.getByLabel(PROVIDER.password).fill('demo');
          await page.getByRole('button', { name: PROVIDER.submit }).click();
        }
        await nameInBanner.waitFor();
        assert.equal(decodeURIComponent(new URL(page.url()).pathname), `/ho-so/${code}`, `after the login the citizen should be back on the dossier: ${page.url()}`);
        const panel = main.getByRole('region', { name: VI.supplementTitle });
        await panel.waitFor();
        const items = (await panel.locator('.doc-title').allInnerTexts()).map((x) => x.trim());
        assert.deepEqual(items, [MISSING], 'the citizen should see exactly what is missing');
        await page.locator('#supplement-0').setInputFiles(pdfFile);
        await panel.getByText(`Đã tải lên ${path.basename(pdfFile)}.`).first().waitFor();
        await checkPage(s, 'supplement', { shot: true });
        await panel.getByRole('button', { name: VI.supplementSubmit, exact: true }).click();
        await main.getByText(VI.supplementSent).first().waitFor();
        const afterSupplement = await desk.request<DossierJson>('GET', `/api/dossiers/${encodeURIComponent(code)}`);
        assert.equal(afterSupplement.status, 200);
        assert.notEqual(afterSupplement.body.statusCode, 5, 'the supplement should end the wait for documents');
        assert.equal(afterSupplement.body.statusCode, 4, 'the dossier is back in processing (the clock resumes; RULES.supplement "resume")');
        await page.waitForFunction(() => !document.querySelector('#supplement-title'), undefined, { timeout: 15_000 }).catch(() => {
          assert.fail('the supplement form should disappear once the supplement is sent');
        });
        await checkPage(s, 'supplement-sent');
        lap('supplement');

        // ---- 5. A fee: a second dossier, late registration (8,000 đ), submitted from the page as the portal does.
        const lateCode = await page.evaluate(
          async (input) => {
            const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
            const r = await fetch('/api/dossiers', {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, 'idempotency-key': `journey-${input.idNumber}-late` },
              body: JSON.stringify({
                procedureCode: input.procedure,
                caseCode: input.caseCode,
                receivingUnit: input.unit,
                formData: {
                  requesterName: input.fullName,
                  requesterIdNumber: input.idNumber,
                  requesterPhone: input.phone,
                  requesterEmail: input.email,
                  requesterAddress: input.address,
                  relationshipToChild: 'cha',
                  childFullName: 'Y Blô Mlô',
                  childDateOfBirth: '2024-05-01',
                  childSex: 'nam',
                  childPlaceOfBirth: 'Trạm y tế xã Krông Pắc',
                  childEthnicity: 'Ê Đê',
                  childNationality: 'Việt Nam',
                  commitment: true,
                },
                attachments: [],
              }),
            });
            const text = await r.text();
            if (r.status !== 201 && r.status !== 200) throw new Error(`POST /api/dossiers: ${r.status} ${text}`);
            return (JSON.parse(text) as { code: string }).code;
          },
          { procedure: BIRTH.code, caseCode: BIRTH.late, unit: UNIT, fullName: citizen.fullName, idNumber: citizen.idNumber, phone: citizen.phone, email: citizen.email, address: citizen.address },
        );
        assert.equal((await myDossiers(s)).length, 2);
        await act(desk, lateCode, { type: 'receive' });
        const forwarded = await act(desk, lateCode, { type: 'forward' });
        assert.equal(forwarded.statusCode, 4);
        const feeAsked = await act(specialist, lateCode, { type: 'request_payment', amount: BIRTH.lateFee });
        assert.equal(feeAsked.statusCode, 6);

        await page.goto(`${server.url}/ho-so/${encodeURIComponent(lateCode)}/thanh-toan`);
        const payButton = main.getByRole('button', { name: VI.payStart, exact: true });
        await payButton.waitFor();
        await main.getByText('8.000').first().waitFor();
        await checkPage(s, 'payment', { shot: true });
        await payButton.click();
        await page.waitForURL((u) => u.pathname.startsWith('/api/payments/local/'));
        await checkPage(s, 'payment-provider', { shot: true, where: "the local payment provider's page, src/payments/local-page.ts" });
        await page.getByRole('button', { name: PAY_PROVIDER_BUTTON }).click();
        await page.waitForURL((u) => u.pathname === `/ho-so/${lateCode}/thanh-toan` && u.searchParams.has('ref'), { timeout: 30_000 });
        await main.getByText(/^Thanh toán thành công 8\.000/).first().waitFor();
        await main.getByRole('heading', { name: VI.payReceipt }).waitFor();
        await checkPage(s, 'payment-paid', { shot: true });
        const paid = await desk.request<DossierJson>('GET', `/api/dossiers/${encodeURIComponent(lateCode)}`);
        assert.equal(paid.body.statusCode, 4, 'the verified payment callback confirms the payment (status back to processing)');
        assert.ok(paid.body.paidAt, 'the dossier should be marked paid');
        lap('payment');

        // ---- 6. Sign, return the result in person; the citizen rates the service.
        const toLeader = await act(specialist, lateCode, { type: 'forward' });
        assert.equal(toLeader.statusCode, 4);
        const finished = await act(leader, lateCode, { type: 'finish', resultSummary: 'Đã cấp Giấy khai sinh (mô phỏng)' });
        assert.equal(finished.statusCode, 9);
        const returned = await act(desk, lateCode, { type: 'return_result', method: 'in_person' });
        assert.equal(returned.statusCode, 10);

        await page.goto(`${server.url}/ho-so/${encodeURIComponent(lateCode)}`);
        const rating = main.getByRole('region', { name: 'Đánh giá mức độ hài lòng' });
        await rating.waitFor();
        await rating.getByLabel(VI.rateVery, { exact: true }).check();
        await rating.getByLabel(VI.rateComment).fill('Thủ tục nhanh, cán bộ hướng dẫn tận tình.');
        await checkPage(s, 'rating');
        await rating.getByRole('button', { name: VI.rateSubmit, exact: true }).click();
        await rating.getByText(VI.rateThanks).waitFor();
        await checkPage(s, 'rating-done', { shot: true });
        const stored = await page.evaluate(async (c) => (await fetch(`/api/dossiers/${encodeURIComponent(c)}/rating`)).json(), lateCode);
        assert.match(JSON.stringify(stored), /very_satisfied/);
        lap('return+rating');
      });
      t.diagnostic(`${viewport.name} timings (ms): ${JSON.stringify(timings)}`);
    });
  });
}
