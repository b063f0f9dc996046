/**
 * The officials' journey of issue 4 §8 in a real browser (desktop 1280×800): a newcomer desk
 * officer finds the staff login from the home page, sees the queues with their counts, receives a
 * walk-in applicant (scanned PDF, receipt PDF), forwards the dossier; the specialist forwards it to
 * the leader (and is offered no "finish"); the leader finishes it; the desk returns the result in
 * person. An online dossier submitted by a citizen is received from the "waiting for receipt"
 * queue, a supplement is asked for (form 2), the citizen supplements, and the desk finds it back in
 * processing. Then the signed result verifies at /verify and a modified copy does not. On the
 * 360 px phone the login and the queues are checked too. axe-core runs on every page visited; the
 * harness fails the test on any console error, page error or failed request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { DEMO_PASSWORD } from '../../src/seed/demo.js';
import {
  assertNoHorizontalScroll,
  checkA11y,
  launchBrowser,
  loginThroughProvider,
  screenshot,
  startServer,
  VIEWPORTS,
  withPage,
  type PageSession,
  type RunningServer,
  makePdf,
} from './harness.js';

// Labels as in web/src/i18n/vi.ts (ws.* keys) and the status names of src/core/dossier-machine.ts.
const VI = {
  staffLoginLink: 'Cán bộ đăng nhập',
  username: /^Tên đăng nhập/,
  password: /^Mật khẩu/,
  loginSubmit: 'Đăng nhập',
  logout: 'Đăng xuất',
  queuesTitle: 'Hàng đợi hồ sơ',
  queueOnline: 'Chờ tiếp nhận (trực tuyến)',
  queueProcessing: 'Đang xử lý',
  walkInNav: 'Tiếp nhận trực tiếp',
  walkInSearch: /^Tìm thủ tục/,
  walkInSearchButton: 'Tìm',
  choose: 'Chọn',
  caseLabel: /^Trường hợp/,
  name: /^Họ và tên/,
  phone: /^Số điện thoại/,
  walkInSubmit: 'Tiếp nhận hồ sơ',
  receiptLink: /^In giấy tiếp nhận \(PDF\)/,
  openDossier: 'Mở hồ sơ',
  actionsTitle: 'Thao tác',
};
const ACT = {
  receive: 'Tiếp nhận',
  request_supplement: 'Yêu cầu bổ sung',
  refuse: 'Từ chối tiếp nhận',
  forward: 'Chuyển bước tiếp theo',
  finish: 'Hoàn thành (có kết quả)',
  return_result: 'Trả kết quả',
  request_payment: 'Yêu cầu thanh toán',
  apologize: 'Xin lỗi, hẹn lại',
  stop: 'Dừng xử lý',
  assign: 'Phân công',
};
const STATUS = { 1: 'Mới đăng ký', 2: 'Được tiếp nhận', 4: 'Đang xử lý', 5: 'Yêu cầu bổ sung giấy tờ', 9: 'Đã xử lý xong', 10: 'Đã trả kết quả' } as const;

const BIRTH = { code: '1.001193', name: 'Đăng ký khai sinh', onTime: 'DUNG_HAN' };
const UNIT = 'H15.001';
const STAFF = { desk: 'motcua.bmt', specialist: 'chuyenvien.bmt', leader: 'lanhdao.bmt' };
const MISSING = 'Bản sao giấy chứng sinh';
const CITIZEN = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0006')!;

let server: RunningServer;
let browser: Browser;
let tmpDir: string;
let pdfFile: string;


before(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-ws-journey-'));
  pdfFile = path.join(tmpDir, 'to-khai-quet.pdf');
  await makePdf(pdfFile, 'Tờ khai đăng ký khai sinh, bản quét (mô phỏng) / scanned form (simulated)');
  server = await startServer({ demoDossiers: 20 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

/** Every page visited: axe-core clean and no browser problem; on the phone no sideways scrolling. */
async function checkPage(s: PageSession, name: string, opts: { shot?: boolean } = {}): Promise<void> {
  if (opts.shot) await screenshot(s, `ws-${name}`);
  await checkA11y(s, `ws-${name}`);
  if (s.viewport.name === 'phone') await assertNoHorizontalScroll(s, `${name} at ${s.page.url()}`);
  s.assertClean(name);
}

/** The staff login form, filled as a person does; lands on `landing` (the queues by default). */
async function staffLogin(s: PageSession, username: string, landing = '/can-bo'): Promise<void> {
  const { page } = s;
  const main = page.getByRole('main');
  await main.getByRole('heading', { level: 1, name: VI.staffLoginLink }).waitFor();
  await page.getByLabel(VI.username).fill(username);
  await page.getByLabel(VI.password).fill(DEMO_PASSWORD);
  await main.getByRole('button', { name: VI.loginSubmit, exact: true }).click();
  await page.waitForURL((u) => `${u.pathname}${u.search}` === landing);
  await page.getByRole('button', { name: VI.logout }).waitFor();
}

async function logout(s: PageSession): Promise<void> {
  const { page } = s;
  await page.getByRole('banner').getByRole('button', { name: VI.logout }).click();
  await page.getByRole('banner').getByRole('button', { name: VI.logout }).waitFor({ state: 'detached' });
  const me = await page.request.get(`${server.url}/api/auth/me`);
  assert.equal(me.status(), 401, 'the session should be gone after logging out');
}

/** Opens the staff dossier page by its address; logs in first when the page asks for it. */
async function openDossier(s: PageSession, code: string, username?: string): Promise<void> {
  const { page } = s;
  const target = `/can-bo/ho-so/${encodeURIComponent(code)}`;
  await page.goto(`${server.url}${target}`);
  if (username) {
    // Not logged in: the page offers the staff login, which brings the official back here.
    await page.getByRole('main').getByRole('link', { name: VI.staffLoginLink }).click();
    await staffLogin(s, username, target);
  }
  await page.getByRole('main').getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
  await page.getByRole('heading', { name: VI.actionsTitle, level: 2 }).waitFor();
}

/** The status shown on the dossier page (the facts list of the timeline summary). */
async function shownStatus(s: PageSession): Promise<string> {
  const dd = s.page.getByRole('main').locator('dl.facts dt', { hasText: /^Trạng thái$/ }).first().locator('xpath=following-sibling::dd[1]');
  return (await dd.innerText()).trim();
}

async function expectStatus(s: PageSession, status: string): Promise<void> {
  const { page } = s;
  await page
    .getByRole('main')
    .locator('dl.facts dd strong', { hasText: status })
    .first()
    .waitFor()
    .catch(async () => assert.fail(`expected the status "${status}", the page shows "${await shownStatus(s).catch(() => '?')}"`));
}

/** The action buttons offered on the dossier page now, by their labels. */
async function offeredActions(s: PageSession): Promise<string[]> {
  const panel = s.page.getByRole('region', { name: VI.actionsTitle });
  return (await panel.locator('ul.ws-action-buttons > li > button').allInnerTexts()).map((x) => x.trim()).sort();
}

/** Opens the action's form, fills it, confirms, and waits for the "done" notice. */
async function act(s: PageSession, label: string, fill: (form: ReturnType<PageSession['page']['locator']>) => Promise<void> = async () => {}): Promise<void> {
  const { page } = s;
  const panel = page.getByRole('region', { name: VI.actionsTitle });
  await panel.getByRole('button', { name: label, exact: true }).click();
  const form = page.locator('#ws-action-form');
  await form.getByRole('heading', { name: label }).waitFor();
  await fill(form);
  await form.getByRole('button', { name: `Xác nhận: ${label}` }).click();
  await panel.getByText(`Đã thực hiện: ${label}.`).waitFor({ timeout: 20_000 });
}

describe('the officials\' workspace journey (desktop 1280×800)', () => {
  const viewport = VIEWPORTS.find((v) => v.name === 'desktop')!;
  let walkInCode = '';
  let signed: { verificationCode: string; signerSubject: string; downloadUrl: string; sha256: string };
  let signedPdf = '';

  it('desk receives a walk-in dossier; specialist forwards; leader finishes; desk returns the result', { timeout: 600_000 }, async (t) => {
    const timings: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
    };

    await withPage(browser, server, viewport, 'ws-walk-in', async (s) => {
      const { page } = s;
      const main = page.getByRole('main');

      // ---- 1. A newcomer: the home page, the footer's staff login link, the login, the queues.
      await page.goto(`${server.url}/`);
      await main.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('link', { name: VI.staffLoginLink }).click();
      await page.waitForURL((u) => u.pathname === '/can-bo/dang-nhap');
      await main.getByRole('heading', { level: 1, name: VI.staffLoginLink }).waitFor();
      await checkPage(s, 'login', { shot: true });
      await staffLogin(s, STAFF.desk);
      await main.getByRole('heading', { level: 1, name: VI.queuesTitle }).waitFor();
      const tabs = page.getByRole('navigation', { name: 'Các hàng đợi' });
      const onlineTab = tabs.getByRole('link', { name: new RegExp(`^${VI.queueOnline.replace(/[()]/g, '\\$&')}`) });
      // Counts are numbers once loaded (not the "…" placeholder).
      await page.waitForFunction(() => [...document.querySelectorAll('.ws-tab-count')].every((e) => /\d/.test(e.textContent ?? '')));
      const counts = (await tabs.locator('.ws-tab-count').allInnerTexts()).map((x) => x.replace(/^Số hồ sơ:\s*/, '').trim());
      assert.equal(counts.length, 10, `ten queues with counts: ${JSON.stringify(counts)}`);
      for (const c of counts) assert.match(c, /^[\d.]+\+?$/, `a queue count: ${c}`);
      assert.equal(await onlineTab.getAttribute('aria-current'), 'page', 'the first queue shown is the online dossiers waiting for receipt');
      await main.getByText(`Số hồ sơ của đơn vị ${UNIT}`).waitFor();
      await checkPage(s, 'queues', { shot: true });
      lap('login+queues');

      // ---- 2. Walk-in: find the procedure, choose the case, the applicant, a scanned PDF, create.
      await page.getByRole('navigation', { name: 'Bàn làm việc của cán bộ' }).getByRole('link', { name: VI.walkInNav }).click();
      await page.waitForURL((u) => u.pathname === '/can-bo/tiep-nhan');
      await main.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ trực tiếp' }).waitFor();
      await checkPage(s, 'walk-in');
      await page.getByLabel(VI.walkInSearch).fill('khai sinh');
      await main.getByRole('button', { name: VI.walkInSearchButton, exact: true }).click();
      const hit = main.locator('ul.ws-choice-list > li', { hasText: `(${BIRTH.code})` });
      await hit.waitFor();
      assert.match(await hit.innerText(), new RegExp(`${BIRTH.name}\\s+\\(${BIRTH.code.replace('.', '\\.')}\\)`));
      await hit.getByRole('button', { name: VI.choose }).click();
      await main.getByRole('heading', { level: 2, name: `Bước 2: Hồ sơ "${BIRTH.name}"` }).waitFor();
      await page.getByLabel(VI.caseLabel).selectOption(BIRTH.onTime);
      const applicant = main.getByRole('group', { name: 'Người nộp hồ sơ' });
      await applicant.getByLabel(VI.name).fill('Hờ Thị Mai');
      await applicant.getByLabel(VI.phone).fill('0912345678');
      const upload = page.locator('#ws-w-doc-1');
      await upload.setInputFiles(pdfFile);
      await main.getByText(`Đã tải lên ${path.basename(pdfFile)}.`).first().waitFor();
      await checkPage(s, 'walk-in-form');
      await main.getByRole('button', { name: VI.walkInSubmit, exact: true }).click();
      const created = main.getByText(/^Đã tiếp nhận hồ sơ (H15\.001-\d{6}-\d{4})\.$/);
      await created.waitFor({ timeout: 30_000 });
      walkInCode = /(H15\.001-\d{6}-\d{4})/.exec(await created.innerText())![1]!;
      await main.getByText(/^Ngày hẹn trả kết quả: /).waitFor();
      await checkPage(s, 'walk-in-created', { shot: true });
      const receipt = main.getByRole('link', { name: VI.receiptLink });
      const href = await receipt.getAttribute('href');
      assert.ok(href, 'the receipt link has an address');
      const pdf = await page.request.get(new URL(href, server.url).toString());
      assert.equal(pdf.status(), 200);
      assert.match(pdf.headers()['content-type'] ?? '', /application\/pdf/);
      assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
      lap('walk-in');

      // ---- 3. The dossier page: received (status 2), the scan listed; the desk forwards it.
      await main.getByRole('link', { name: VI.openDossier }).click();
      await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/can-bo/ho-so/${walkInCode}`);
      await page.getByRole('heading', { name: VI.actionsTitle, level: 2 }).waitFor();
      await expectStatus(s, STATUS[2]);
      await main.getByRole('link', { name: path.basename(pdfFile) }).first().waitFor();
      const deskOffers = await offeredActions(s);
      assert.ok(deskOffers.includes(ACT.forward), `the desk may forward: ${JSON.stringify(deskOffers)}`);
      for (const no of [ACT.finish, ACT.return_result, ACT.receive, ACT.apologize, ACT.stop]) assert.ok(!deskOffers.includes(no), `the desk must not be offered "${no}": ${JSON.stringify(deskOffers)}`);
      await checkPage(s, 'dossier-desk', { shot: true });
      await act(s, ACT.forward);
      await expectStatus(s, STATUS[4]);
      await checkPage(s, 'dossier-forwarded');
      await logout(s);
      lap('desk-forward');

      // ---- The specialist: from the "in processing" queue, forwards to the leader; no finish for them.
      await page.goto(`${server.url}/can-bo/dang-nhap`);
      await staffLogin(s, STAFF.specialist);
      await page.getByRole('navigation', { name: 'Các hàng đợi' }).getByRole('link', { name: new RegExp(`^${VI.queueProcessing}`) }).click();
      await page.waitForURL((u) => u.pathname === '/can-bo' && u.searchParams.get('q') === 'processing');
      const row = main.getByRole('link', { name: walkInCode });
      await row.waitFor();
      await checkPage(s, 'queue-processing');
      await row.click();
      await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/can-bo/ho-so/${walkInCode}`);
      await page.getByRole('heading', { name: VI.actionsTitle, level: 2 }).waitFor();
      await expectStatus(s, STATUS[4]);
      const specialistOffers = await offeredActions(s);
      assert.ok(specialistOffers.includes(ACT.forward), `the specialist may forward: ${JSON.stringify(specialistOffers)}`);
      for (const no of [ACT.finish, ACT.return_result, ACT.apologize, ACT.stop, ACT.receive]) assert.ok(!specialistOffers.includes(no), `the specialist must not be offered "${no}": ${JSON.stringify(specialistOffers)}`);
      await checkPage(s, 'dossier-specialist');
      await act(s, ACT.forward);
      await expectStatus(s, STATUS[4]);
      await logout(s);
      lap('specialist');

      // ---- The leader: opens the dossier by its address (logs in from there), finishes with the result.
      await openDossier(s, walkInCode, STAFF.leader);
      await expectStatus(s, STATUS[4]);
      const leaderOffers = await offeredActions(s);
      assert.ok(leaderOffers.includes(ACT.finish), `the leader may finish: ${JSON.stringify(leaderOffers)}`);
      for (const no of [ACT.return_result, ACT.receive, ACT.request_payment]) assert.ok(!leaderOffers.includes(no), `the leader must not be offered "${no}": ${JSON.stringify(leaderOffers)}`);
      await checkPage(s, 'dossier-leader');
      await act(s, ACT.finish, async (form) => {
        await form.getByLabel(/^Tóm tắt kết quả/).fill('Đã cấp Giấy khai sinh cho cháu Hờ Minh An (mô phỏng)');
      });
      await expectStatus(s, STATUS[9]);
      await checkPage(s, 'dossier-finished');
      // "The leader signs": the electronic result is issued and signed (PAdES) with the unit's key.
      await main.getByRole('button', { name: 'Ký số và phát hành kết quả', exact: true }).click();
      const issuedText = await main.getByRole('status').filter({ hasText: 'Mã xác thực' }).innerText();
      const verificationCode = /Mã xác thực: ([A-Z2-7]{10})/.exec(issuedText)?.[1];
      assert.ok(verificationCode, `the page shows the verification code: ${issuedText}`);
      await checkPage(s, 'dossier-signed', { shot: true });
      const check = await page.request.get(`${server.url}/api/verify/${verificationCode}`);
      assert.equal(check.status(), 200, await check.text());
      const checked = (await check.json()) as { signer: { subject: string }; document: { dossierCode: string } };
      assert.equal(checked.document.dossierCode, walkInCode);
      signed = { verificationCode, signerSubject: checked.signer.subject, downloadUrl: '', sha256: '' };
      const resultPdf = await page.request.get(`${server.url}/api/dossiers/${encodeURIComponent(walkInCode)}/result.pdf`);
      assert.equal(resultPdf.status(), 200);
      assert.match(resultPdf.headers()['content-type'] ?? '', /application\/pdf/);
      const bytes = await resultPdf.body();
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      signedPdf = path.join(tmpDir, `ket-qua-${walkInCode}.pdf`);
      fs.writeFileSync(signedPdf, bytes);
      await logout(s);
      lap('leader+sign');

      // ---- The desk again: the "waiting to return" queue, returns the result in person.
      await page.goto(`${server.url}/can-bo/dang-nhap`);
      await staffLogin(s, STAFF.desk);
      await page.getByRole('navigation', { name: 'Các hàng đợi' }).getByRole('link', { name: /^Chờ trả kết quả/ }).click();
      await page.waitForURL((u) => u.searchParams.get('q') === 'finished');
      await main.getByRole('link', { name: walkInCode }).click();
      await page.getByRole('heading', { name: VI.actionsTitle, level: 2 }).waitFor();
      await expectStatus(s, STATUS[9]);
      const returnOffers = await offeredActions(s);
      assert.ok(returnOffers.includes(ACT.return_result), `the desk may return the result: ${JSON.stringify(returnOffers)}`);
      assert.ok(!returnOffers.includes(ACT.finish), `the desk must not be offered "finish": ${JSON.stringify(returnOffers)}`);
      await act(s, ACT.return_result, async (form) => {
        assert.ok(await form.getByLabel('Trực tiếp tại bộ phận một cửa').isChecked(), 'in person is the default way to return');
      });
      await expectStatus(s, STATUS[10]);
      assert.deepEqual(await offeredActions(s), [], 'nothing more to do on a returned dossier');
      await main.getByText('Bạn không có thao tác nào trên hồ sơ này lúc này.').waitFor();
      await checkPage(s, 'dossier-returned');
      lap('return');

      // ---- Anyone verifies the signed result at /verify; a copy with one byte changed fails.
      await page.goto(`${server.url}/verify`);
      await main.getByRole('heading', { level: 1, name: 'Kiểm tra kết quả có ký số' }).waitFor();
      await checkPage(s, 'verify');
      await page.getByLabel(/^Tệp kết quả \(PDF\)/).setInputFiles(signedPdf);
      await main.getByRole('button', { name: 'Kiểm tra tệp', exact: true }).click();
      const verdict = main.locator('.lookup-result [data-verdict]');
      await verdict.waitFor();
      assert.equal(await verdict.getAttribute('data-verdict'), 'valid', `verdict: ${await verdict.innerText()}`);
      assert.match(await verdict.innerText(), /HỢP LỆ: chữ ký đúng và tệp chưa bị thay đổi/);
      const signer = (await main.locator('.lookup-result dl.facts dt', { hasText: /^Người ký$/ }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
      assert.ok(signer.length > 0 && signed.signerSubject.includes(signer), `the signer "${signer}" should be the one who signed (${signed.signerSubject})`);
      // The uploaded file is byte for byte the one the system issued (its verification code).
      await main.locator('.lookup-result').getByText(`Tệp trùng khớp với bản hệ thống đã phát hành (mã ${signed.verificationCode}).`).waitFor();
      await checkPage(s, 'verify-valid', { shot: true });

      const altered = Buffer.from(fs.readFileSync(signedPdf));
      // A byte inside the signed range (the binary comment on the second line, covered by the
      // signature's first ByteRange segment): the file still opens, but it is not what was signed.
      const at = altered.indexOf(0x0a) + 2;
      altered[at] = altered[at]! ^ 0x01;
      const alteredPdf = path.join(tmpDir, `ket-qua-${walkInCode}-sua.pdf`);
      fs.writeFileSync(alteredPdf, altered);
      await page.getByLabel(/^Tệp kết quả \(PDF\)/).setInputFiles(alteredPdf);
      await main.getByRole('button', { name: 'Kiểm tra tệp', exact: true }).click();
      await main.locator('.lookup-result [data-verdict="altered"]').waitFor();
      assert.match(await main.locator('.lookup-result [data-verdict]').innerText(), /KHÔNG HỢP LỆ/);
      await checkPage(s, 'verify-altered', { shot: true });
      lap('verify');
    });
    t.diagnostic(`desktop walk-in timings (ms): ${JSON.stringify(timings)}`);
  });

  it('an online dossier: the desk receives it from the queue, asks for a supplement, gets it back in processing', { timeout: 600_000 }, async (t) => {
    const timings: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
    };
    let onlineCode = '';

    // The citizen submits online through the portal's API from their own logged-in page.
    await withPage(browser, server, viewport, 'ws-online-citizen', async (c) => {
      await loginThroughProvider(c, CITIZEN, '/');
      onlineCode = await submitOnline(c);
    });
    assert.match(onlineCode, /^H15\.001-\d{6}-\d{4}$/);
    lap('citizen-submits');

    await withPage(browser, server, viewport, 'ws-online-desk', async (s) => {
      const { page } = s;
      const main = page.getByRole('main');
      await page.goto(`${server.url}/can-bo/dang-nhap`);
      await staffLogin(s, STAFF.desk);
      // The default queue is the online dossiers waiting for receipt.
      const row = main.getByRole('row', { name: new RegExp(onlineCode.replace(/\./g, '\\.')) });
      await row.waitFor();
      assert.match(await row.innerText(), /Trực tuyến/);
      assert.match(await row.innerText(), new RegExp(CITIZEN.fullName));
      await row.getByRole('link', { name: onlineCode }).click();
      await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/can-bo/ho-so/${onlineCode}`);
      await page.getByRole('heading', { name: VI.actionsTitle, level: 2 }).waitFor();
      await expectStatus(s, STATUS[1]);
      const offers = await offeredActions(s);
      for (const yes of [ACT.receive, ACT.refuse, ACT.request_supplement]) assert.ok(offers.includes(yes), `the desk may "${yes}" an online dossier: ${JSON.stringify(offers)}`);
      assert.ok(!offers.includes(ACT.finish), `no finish for the desk: ${JSON.stringify(offers)}`);
      await checkPage(s, 'online-dossier');
      await act(s, ACT.receive);
      await expectStatus(s, STATUS[2]);
      lap('receive');

      // The supplement request (form 2): an empty form is refused with both fields named, then filled.
      const panel = page.getByRole('region', { name: VI.actionsTitle });
      await panel.getByRole('button', { name: ACT.request_supplement, exact: true }).click();
      const form = page.locator('#ws-action-form');
      await form.getByRole('button', { name: `Xác nhận: ${ACT.request_supplement}` }).click();
      await form.getByText('Nhập lý do.').first().waitFor();
      await form.getByText('Liệt kê ít nhất một giấy tờ còn thiếu, mỗi dòng một giấy tờ.').first().waitFor();
      await checkPage(s, 'supplement-form-errors');
      await form.getByLabel(/^Lý do/).fill('Thiếu giấy chứng sinh (mô phỏng)');
      await form.getByLabel(/^Giấy tờ còn thiếu/).fill(MISSING);
      await form.getByRole('button', { name: `Xác nhận: ${ACT.request_supplement}` }).click();
      await panel.getByText(`Đã thực hiện: ${ACT.request_supplement}.`).waitFor({ timeout: 20_000 });
      await expectStatus(s, STATUS[5]);
      await main.getByText(MISSING).first().waitFor();
      await main.getByText('Đang tạm dừng tính thời gian (chờ bổ sung)').waitFor();
      await checkPage(s, 'online-supplement-requested', { shot: true });
      lap('request-supplement');
    });

    // The citizen supplements the missing document (upload + supplement action from their page).
    await withPage(browser, server, viewport, 'ws-online-citizen-supplement', async (c) => {
      await loginThroughProvider(c, CITIZEN, '/');
      const status = await c.page.evaluate(
        async ({ code, pdf, missing, procedure }) => {
          const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
          const form = new FormData();
          form.append('procedureCode', procedure);
          form.append('file', new Blob([Uint8Array.from(atob(pdf), (ch) => ch.charCodeAt(0))], { type: 'application/pdf' }), 'giay-chung-sinh.pdf');
          const up = await fetch('/api/attachments', { method: 'POST', headers: { 'x-csrf-token': me.csrfToken }, body: form });
          if (up.status !== 201 && up.status !== 200) throw new Error(`upload: ${up.status} ${await up.text()}`);
          const att = (await up.json()) as { id: string };
          const r = await fetch(`/api/dossiers/${encodeURIComponent(code)}/actions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, 'idempotency-key': `ws-journey-supplement-${code}` },
            body: JSON.stringify({ type: 'supplement', documents: [missing], attachmentIds: [att.id] }),
          });
          if (r.status !== 200) throw new Error(`supplement: ${r.status} ${await r.text()}`);
          return ((await r.json()) as { statusCode: number }).statusCode;
        },
        { code: onlineCode, pdf: fs.readFileSync(pdfFile).toString('base64'), missing: MISSING, procedure: BIRTH.code },
      );
      assert.equal(status, 4, 'the supplement resumes the processing');
    });
    lap('citizen-supplements');

    await withPage(browser, server, viewport, 'ws-online-desk-again', async (s) => {
      const { page } = s;
      const main = page.getByRole('main');
      await page.goto(`${server.url}/can-bo/dang-nhap`);
      await staffLogin(s, STAFF.desk);
      await page.getByRole('navigation', { name: 'Các hàng đợi' }).getByRole('link', { name: new RegExp(`^${VI.queueProcessing}`) }).click();
      await page.waitForURL((u) => u.searchParams.get('q') === 'processing');
      await main.getByRole('link', { name: onlineCode }).click();
      await page.getByRole('heading', { name: VI.actionsTitle, level: 2 }).waitFor();
      await expectStatus(s, STATUS[4]);
      await main.getByRole('link', { name: 'giay-chung-sinh.pdf' }).first().waitFor();
      await checkPage(s, 'online-supplemented', { shot: true });
      lap('back-in-processing');
    });
    t.diagnostic(`desktop online timings (ms): ${JSON.stringify(timings)}`);
  });
});

/** POST /api/dossiers as the logged-in citizen, as the portal's submit page does. */
async function submitOnline(c: PageSession): Promise<string> {
  return c.page.evaluate(
    async (input) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const r = await fetch('/api/dossiers', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, 'idempotency-key': `ws-journey-${input.idNumber}-${Date.now()}` },
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
            relationshipToChild: 'me',
            childFullName: 'H Hương Niê',
            childDateOfBirth: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
            childSex: 'nu',
            childPlaceOfBirth: 'Bệnh viện Đa khoa tỉnh Đắk Lắk',
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
    { procedure: BIRTH.code, caseCode: BIRTH.onTime, unit: UNIT, fullName: CITIZEN.fullName, idNumber: CITIZEN.idNumber, phone: CITIZEN.phone, email: CITIZEN.email, address: CITIZEN.address },
  );
}

describe('the staff login and queues on a phone (360×740)', () => {
  const viewport = VIEWPORTS.find((v) => v.name === 'phone')!;
  it('a desk officer logs in from the home page and sees the queues with counts', { timeout: 300_000 }, async () => {
    await withPage(browser, server, viewport, 'ws-phone', async (s) => {
      const { page } = s;
      const main = page.getByRole('main');
      await page.goto(`${server.url}/`);
      await main.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('link', { name: VI.staffLoginLink }).click();
      await page.waitForURL((u) => u.pathname === '/can-bo/dang-nhap');
      await checkPage(s, 'login', { shot: true });
      // A wrong password is answered in words next to the field, not by a console error.
      s.allow(/\/api\/auth\/login$/, 401);
      await page.getByLabel(VI.username).fill(STAFF.desk);
      await page.getByLabel(VI.password).fill('sai-mat-khau');
      await main.getByRole('button', { name: VI.loginSubmit, exact: true }).click();
      await main.getByText(/^Sai tên đăng nhập hoặc mật khẩu/).first().waitFor();
      await checkPage(s, 'login-wrong');
      await page.getByLabel(VI.password).fill(DEMO_PASSWORD);
      await main.getByRole('button', { name: VI.loginSubmit, exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/can-bo');
      await main.getByRole('heading', { level: 1, name: VI.queuesTitle }).waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('.ws-tab-count')].every((e) => /\d/.test(e.textContent ?? '')));
      await checkPage(s, 'queues', { shot: true });
      await page.goto(`${server.url}/can-bo/tiep-nhan`);
      await main.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ trực tiếp' }).waitFor();
      await checkPage(s, 'walk-in');
    });
  });
});
