/**
 * The virtual assistant of issue 6 in a real browser. A citizen, not logged in, opens the portal
 * home, opens the assistant with the keyboard, asks "làm giấy khai sinh cho con cần gì" and gets
 * the documents, the fee and the time limit of "Đăng ký khai sinh" — compared with the catalog as
 * the API serves it (GET /api/procedures/1.001193), not with numbers written here — with the
 * procedure cited as a link to its page and a link to submit, which they follow. On the desktop
 * and on the 360 px phone (where the panel covers the screen without sideways scrolling); axe-core
 * runs with the panel open. Escape closes the panel and gives the focus back to its button; an
 * answer is text, never HTML. An official (chuyenvien.bmt) asks for the dossiers due today and
 * gets an answer that leads into the workspace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo.js';
import {
  assertNoHorizontalScroll,
  checkA11y,
  launchBrowser,
  screenshot,
  startServer,
  VIEWPORTS,
  withPage,
  type PageSession,
  type RunningServer,
} from './harness.js';

// Labels as in web/src/i18n/vi.ts (asst.* and ws.login.* keys).
const VI = {
  launcher: 'Trợ lý ảo',
  dialog: 'Trợ lý ảo',
  question: /^Câu hỏi của bạn/,
  send: 'Gửi câu hỏi',
  close: 'Đóng',
  lookupToggle: 'Tra cứu hồ sơ',
  dossierCode: 'Mã hồ sơ',
  phone: 'Số điện thoại hoặc số CCCD',
  empty: 'Hãy nhập câu hỏi.',
  suggestBirth: 'Làm giấy khai sinh cần gì?',
  suggestDueToday: 'Hồ sơ nào đến hạn hôm nay?',
  loginToSubmit: 'Đăng nhập để nộp hồ sơ',
  staffLogin: 'Cán bộ đăng nhập',
  username: /^Tên đăng nhập/,
  password: /^Mật khẩu/,
  loginSubmit: 'Đăng nhập',
  logout: 'Đăng xuất',
};
const BIRTH_CODE = '1.001193';
const CITIZEN_QUESTION = 'làm giấy khai sinh cho con cần gì';
const STAFF_QUESTION = 'hồ sơ đến hạn hôm nay';

interface CatalogProcedure {
  code: string;
  name: string;
  cases: { code: string; name: string; timeLimit: { kind: string; value: number }; fee: { kind: string; amount?: number } }[];
  documents: { name: string; required: boolean; caseCodes: string[] }[];
}

let server: RunningServer;
let browser: Browser;
let birth: CatalogProcedure;

before(async () => {
  server = await startServer({ demoDossiers: 60 });
  browser = await launchBrowser();
  const res = await fetch(`${server.url}/api/procedures/${BIRTH_CODE}`);
  assert.equal(res.status, 200, `GET /api/procedures/${BIRTH_CODE}`);
  birth = (await res.json()) as CatalogProcedure;
  assert.equal(birth.name, 'Đăng ký khai sinh');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Vietnamese thousands separators, as the answers write amounts (8000 → "8.000"). */
const viNumber = (n: number) => new Intl.NumberFormat('vi-VN').format(n);

/**
 * How an answer may write a catalog time limit. The wording is the server's; what is checked is
 * that the number and unit of the catalog (or "in the day" for same_day) are there.
 */
function timeLimitPattern(tl: { kind: string; value: number }): RegExp {
  switch (tl.kind) {
    case 'same_day':
      return /trong (ngày|ngày làm việc)|ngay trong ngày|giải quyết trong ngày/i;
    case 'working_days':
      return new RegExp(`${tl.value} ngày làm việc`, 'i');
    case 'days':
      return new RegExp(`${tl.value} ngày`, 'i');
    case 'hours':
      return new RegExp(`${tl.value} giờ`, 'i');
    default:
      return /thời hạn/i;
  }
}

function dialogOf(page: Page): Locator {
  return page.getByRole('dialog', { name: VI.dialog });
}

/** Asks a question by typing it and pressing Enter; returns the (last) answer once shown. */
async function ask(page: Page, question: string): Promise<Locator> {
  const dialog = dialogOf(page);
  const answers = dialog.locator('.asst-msg-assistant, .asst-msg-error');
  const before = await answers.count();
  await dialog.getByLabel(VI.question).fill(question);
  await dialog.getByLabel(VI.question).press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.asst-msg-assistant, .asst-msg-error').length > n, before, { timeout: 15_000 });
  const error = dialog.locator('.asst-msg-error');
  if ((await error.count()) > 0) assert.fail(`the assistant answered with an error: ${await error.last().innerText()}`);
  return dialog.locator('.asst-msg-assistant').last();
}

async function checkPanel(s: PageSession, name: string): Promise<void> {
  await screenshot(s, `assistant-${name}`);
  await checkA11y(s, `assistant-${name}`);
  if (s.viewport.name === 'phone') {
    await assertNoHorizontalScroll(s, `assistant ${name}`);
    const box = await dialogOf(s.page).boundingBox();
    assert.ok(box, 'the panel is shown');
    assert.ok(box.x >= 0 && box.x + box.width <= s.viewport.width + 0.5, `the panel fits the phone's width: x=${box.x} width=${box.width}`);
    const overflow = await dialogOf(s.page).evaluate((el) =>
      [...el.querySelectorAll('*')]
        // (.visually-hidden texts are clipped to 1 px on purpose: read by screen readers, not shown.)
        .filter((e) => !e.classList.contains('visually-hidden') && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth}>${e.clientWidth}`),
    );
    assert.deepEqual(overflow, [], `nothing inside the panel scrolls sideways (${name})`);
  }
  s.assertClean(name);
}

for (const viewport of VIEWPORTS) {
  describe(`the assistant for a citizen (${viewport.name} ${viewport.width}×${viewport.height})`, () => {
    it('asks what a birth registration needs and follows the link to submit', { timeout: 300_000 }, async () => {
      await withPage(browser, server, viewport, 'assistant-citizen', async (s) => {
        const { page } = s;
        const main = page.getByRole('main');
        await page.goto(`${server.url}/`);
        await main.getByRole('heading', { level: 1 }).waitFor();

        // ---- Keyboard: the button opens the panel and puts the cursor in the question box.
        const launcher = page.getByRole('button', { name: VI.launcher, exact: true });
        assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
        assert.equal(await dialogOf(page).count(), 0, 'the panel is loaded on the first open only');
        await launcher.focus();
        await page.keyboard.press('Enter');
        const dialog = dialogOf(page);
        await dialog.waitFor();
        assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
        const questionBox = dialog.getByLabel(VI.question);
        await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT' && !!document.activeElement.closest('[role="dialog"]'));
        assert.ok(await questionBox.evaluate((el) => el === document.activeElement), 'the question box has the focus');
        // Suggestions while the conversation is empty; the lookup fields only on request.
        await dialog.getByRole('button', { name: VI.suggestBirth }).waitFor();
        assert.equal(await dialog.getByLabel(VI.dossierCode).isVisible(), false);
        await dialog.getByRole('button', { name: VI.lookupToggle }).click();
        await dialog.getByLabel(VI.dossierCode).waitFor();
        await dialog.getByLabel(VI.phone).waitFor();
        await dialog.getByRole('button', { name: VI.lookupToggle }).click();
        await checkPanel(s, 'open-empty');

        // An empty question is not sent.
        await questionBox.focus();
        await page.keyboard.press('Enter');
        await dialog.getByText(VI.empty).waitFor();
        assert.equal(await questionBox.getAttribute('aria-invalid'), 'true');

        // Escape closes and gives the focus back to the button; reopening keeps the panel's state.
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        assert.ok(await launcher.evaluate((el) => el === document.activeElement), 'the focus is back on the assistant button');
        assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
        await page.keyboard.press('Enter');
        await dialog.waitFor();

        // ---- The question of the issue, typed as a person would.
        await questionBox.focus();
        await page.keyboard.type(CITIZEN_QUESTION);
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelectorAll('.asst-msg-assistant, .asst-msg-error').length > 0, undefined, { timeout: 15_000 });
        const answer = dialog.locator('.asst-msg-assistant').last();
        await answer.waitFor();
        assert.equal(await dialog.locator('.asst-msg-person .asst-bubble').last().innerText(), CITIZEN_QUESTION, 'the question is shown in the log');
        const text = (await answer.locator('.asst-answer').innerText()).replace(/\s+/g, ' ');

        // The documents: every required document of the catalog, by its catalog name.
        const required = birth.documents.filter((d) => d.required);
        assert.ok(required.length >= 2, 'the catalog lists required documents');
        for (const doc of required) assert.ok(text.includes(doc.name), `the answer should list "${doc.name}":\n${text}`);
        // The fee: free on time, the catalog amount when late.
        for (const c of birth.cases) {
          if (c.fee.kind === 'free') assert.match(text, /miễn (phí|lệ phí)|không (mất|thu) (phí|lệ phí)/i, `the answer should say case ${c.code} is free:\n${text}`);
          else if (c.fee.kind === 'fixed') assert.ok(text.includes(viNumber(c.fee.amount!)), `the answer should give the fee ${viNumber(c.fee.amount!)} of case ${c.code}:\n${text}`);
        }
        // The time limit of each case.
        for (const c of birth.cases) assert.match(text, timeLimitPattern(c.timeLimit), `the time limit of case ${c.code} (${JSON.stringify(c.timeLimit)}):\n${text}`);
        // No markup leaks into the answer: it is text.
        assert.doesNotMatch(text, /<\/?[a-z][^>]*>/i, 'the answer shows no HTML tags');

        // The cited procedure, linked to its page; a link to submit online.
        // (The actions may link to the page too; the citations are the list of sources.)
        const cited = answer.locator(`.asst-cites a[href="/thu-tuc/${BIRTH_CODE}"]`);
        assert.equal(await cited.count(), 1, 'the procedure is cited once with a link to its page');
        assert.equal((await cited.innerText()).trim(), birth.name);
        const submit = answer.locator(`a[href^="/nop-ho-so/${BIRTH_CODE}"]`).first();
        await submit.waitFor();
        await checkPanel(s, 'answer-birth');

        // ---- Follow the link to submit: the submit page asks this visitor to log in first.
        const submitHref = (await submit.getAttribute('href'))!;
        await submit.click();
        await page.waitForURL((u) => `${u.pathname}${u.search}` === submitHref);
        await main.getByRole('link', { name: VI.loginToSubmit }).waitFor();
        if (viewport.name === 'phone') {
          // The panel covered the screen: following its link closed it, and the page is shown.
          await dialog.waitFor({ state: 'hidden' });
          assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
          await assertNoHorizontalScroll(s, 'the submit page after the assistant');
        } else {
          // On the desktop the panel stays open beside the page, the conversation kept.
          assert.ok(await dialog.isVisible(), 'the panel stays open on the desktop');
        }
        await checkA11y(s, 'assistant-after-submit-link');
        s.assertClean('after the submit link');
      });
    });
  });
}

describe('the assistant shows what it is given as text, and speaks English (desktop)', () => {
  it('a question with markup is shown as typed, not run; the panel in English', { timeout: 120_000 }, async () => {
    await withPage(browser, server, VIEWPORTS[0]!, 'assistant-text', async (s) => {
      const { page } = s;
      await page.goto(`${server.url}/`);
      await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('button', { name: VI.launcher, exact: true }).click();
      const dialog = dialogOf(page);
      await dialog.waitFor();
      const question = '<img src=x onerror="window.__pwned=1"> lệ phí đăng ký kết hôn';
      await ask(page, question);
      assert.equal(await dialog.locator('.asst-msg-person .asst-bubble').last().innerText(), question);
      assert.equal(await dialog.locator('img').count(), 0, 'no element is made from the text');
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      s.assertClean('markup question');

      // In English: the panel's own words follow the language; an English question finds the procedure.
      await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Virtual assistant', exact: true }).waitFor();
      const en = page.getByRole('dialog', { name: 'Virtual assistant' });
      await en.waitFor();
      await en.getByLabel(/^Your question/).fill('What documents do I need to register a birth?');
      await en.getByRole('button', { name: 'Send question' }).click();
      await en.locator('.asst-msg-assistant').nth(1).waitFor();
      assert.equal(await en.locator('.asst-msg-error').count(), 0);
      await en.locator('.asst-msg-assistant').nth(1).locator(`.asst-cites a[href="/thu-tuc/${BIRTH_CODE}"]`).waitFor();
      await checkA11y(s, 'assistant-english');
      s.assertClean('english');
    });
  });
});

describe('the assistant for an official (desktop)', () => {
  it('chuyenvien.bmt asks for the dossiers due today and is led into the workspace', { timeout: 180_000 }, async () => {
    await withPage(browser, server, VIEWPORTS[0]!, 'assistant-official', async (s) => {
      const { page } = s;
      const main = page.getByRole('main');
      await page.goto(`${server.url}/can-bo/dang-nhap`);
      await main.getByRole('heading', { level: 1, name: VI.staffLogin }).waitFor();
      await page.getByLabel(VI.username).fill('chuyenvien.bmt');
      await page.getByLabel(VI.password).fill(DEMO_PASSWORD);
      await main.getByRole('button', { name: VI.loginSubmit, exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/can-bo');
      await page.getByRole('button', { name: VI.logout }).waitFor();

      await page.getByRole('button', { name: VI.launcher, exact: true }).click();
      const dialog = dialogOf(page);
      await dialog.waitFor();
      // Officials are offered their own questions.
      await dialog.getByRole('button', { name: VI.suggestDueToday }).waitFor();
      // The POST carries the session's CSRF token: a 403 would show as an error (and fail ask()).
      const answer = await ask(page, STAFF_QUESTION);
      const text = (await answer.innerText()).trim();
      assert.ok(text.length > 0, 'an answer is shown');
      const hrefs = await answer.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      assert.ok(
        hrefs.some((h) => h.startsWith('/can-bo')),
        `the answer should link into the workspace (/can-bo…); links: ${JSON.stringify(hrefs)}\n${text}`,
      );
      await checkPanel(s, 'official-due-today');
    });
  });
});
