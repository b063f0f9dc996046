/**
 * A newcomer finds "Đăng ký khai sinh" (birth registration) in a real browser, on a desktop and on
 * a 360 px phone: types it without diacritics on the home page, opens it from the results, reads
 * its cases, documents, fee and time limit, switches to English and back; then does the same
 * search with the keyboard only. axe-core runs on every page visited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
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

// The labels the tests look for, as in web/src/i18n/vi.ts and en.ts.
const VI = {
  homeTitle: 'Tra cứu thủ tục hành chính',
  searchLabel: 'Tìm thủ tục hành chính',
  searchSubmit: 'Tìm kiếm',
  skip: 'Bỏ qua, đến nội dung chính',
  switchLang: 'English',
  cases: 'Các trường hợp thực hiện',
  documents: 'Thành phần hồ sơ',
  fee: 'Phí, lệ phí',
  timeLimit: 'Thời hạn giải quyết',
};
const EN = { switchLang: 'Tiếng Việt', cases: 'Cases', documents: 'Documents to submit' };

// Procedure 1.001193 as in src/catalog/data/procedures.json.
const BIRTH = {
  code: '1.001193',
  name: 'Đăng ký khai sinh',
  nameEn: 'Birth registration',
  caseOnTime: 'Đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh)',
  caseLate: 'Đăng ký khai sinh quá hạn',
  document: 'Tờ khai đăng ký khai sinh (theo mẫu)',
  documentEn: 'Birth registration form (standard form)',
  lateFee: '8.000 đồng',
  free: 'Miễn phí',
  sameDay: 'Trong ngày làm việc',
  legalBasis: 'Luật Hộ tịch số 60/2014/QH13',
};

let server: RunningServer;
let browser: Browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

type Locator = ReturnType<Page['locator']>;

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** The focused element is drawn with a visible indicator (outline or box shadow). */
async function assertFocusVisible(page: Page, what: string): Promise<void> {
  const style = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    const cs = getComputedStyle(el);
    return { outline: `${cs.outlineStyle} ${cs.outlineWidth}`, boxShadow: cs.boxShadow, tag: el.tagName };
  });
  assert.ok(style, `${what}: nothing has focus`);
  const visible = (!style.outline.startsWith('none') && !style.outline.endsWith(' 0px')) || style.boxShadow !== 'none';
  assert.ok(visible, `${what}: focus is not visible (${JSON.stringify(style)})`);
}

/** Presses Tab until `target` has focus; fails after `max` presses. Returns the presses used. */
async function tabTo(page: Page, target: Locator, max: number, what: string): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return i;
  }
  const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  assert.fail(`${what}: not reached after ${max} Tab presses (focus is on ${where})`);
}

async function searchResults(s: PageSession) {
  // The results are a list of links to procedure pages, in rank order.
  const links = s.page.getByRole('main').locator('a[href^="/thu-tuc/"]');
  await links.first().waitFor();
  return links;
}

for (const viewport of VIEWPORTS) {
  describe(`find a procedure (${viewport.name} ${viewport.width}×${viewport.height})`, () => {
    it('finds "đăng ký khai sinh" typed without diacritics and reads its cases, documents, fee and time limit', { timeout: 180_000 }, async () => {
      await withPage(browser, server, viewport, 'find', async (s) => {
        const { page } = s;
        // Home
        await page.goto(`${server.url}/`);
        await page.getByRole('heading', { level: 1, name: VI.homeTitle }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
        await screenshot(s, 'home');
        await checkA11y(s, 'home');
        await assertNoHorizontalScroll(s, 'home');
        s.assertClean('home');

        // Search without diacritics
        const box = page.getByRole('searchbox', { name: VI.searchLabel });
        await box.fill('dang ky khai sinh');
        await page.getByRole('button', { name: VI.searchSubmit, exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/tim-kiem' && u.searchParams.get('q') === 'dang ky khai sinh');
        const results = await searchResults(s);
        const names = (await results.allInnerTexts()).map((t) => t.trim());
        const rank = names.findIndex((n) => n.split('\n')[0]!.trim() === BIRTH.name);
        assert.ok(rank >= 0 && rank < 3, `"${BIRTH.name}" should be among the first 3 results, got: ${JSON.stringify(names.slice(0, 5))}`);
        await screenshot(s, 'search-results');
        await checkA11y(s, 'search-results');
        await assertNoHorizontalScroll(s, 'search results');
        s.assertClean('search results');

        // The procedure page
        await results.nth(rank).click();
        await page.waitForURL((u) => u.pathname === `/thu-tuc/${BIRTH.code}`);
        const main = page.getByRole('main');
        await main.getByRole('heading', { level: 1, name: BIRTH.name }).waitFor();
        await main.getByRole('heading', { name: VI.cases }).waitFor();
        await main.getByRole('heading', { name: VI.documents }).first().waitFor();
        for (const text of [BIRTH.caseOnTime, BIRTH.caseLate, BIRTH.document, BIRTH.lateFee, BIRTH.free, BIRTH.sameDay, BIRTH.legalBasis]) {
          assert.ok(await main.getByText(text).first().isVisible(), `procedure page: "${text}" is not visible`);
        }
        for (const label of [VI.fee, VI.timeLimit]) {
          assert.ok((await main.getByText(label).count()) > 0, `procedure page: no "${label}"`);
        }
        await screenshot(s, 'procedure');
        await checkA11y(s, 'procedure');
        await assertNoHorizontalScroll(s, 'procedure page');
        s.assertClean('procedure page');

        // English and back
        await page.getByRole('button', { name: VI.switchLang }).or(page.getByRole('link', { name: VI.switchLang })).first().click();
        await main.getByRole('heading', { level: 1, name: BIRTH.nameEn }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        await main.getByRole('heading', { name: EN.cases }).waitFor();
        await main.getByRole('heading', { name: EN.documents }).first().waitFor();
        assert.ok(await main.getByText(BIRTH.documentEn).first().isVisible(), 'English procedure page: the documents are not in English');
        await screenshot(s, 'procedure-en');
        await checkA11y(s, 'procedure-en');
        await page.getByRole('button', { name: EN.switchLang }).or(page.getByRole('link', { name: EN.switchLang })).first().click();
        await main.getByRole('heading', { level: 1, name: BIRTH.name }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
        s.assertClean('language switch');
      });
    });

    it('works with the keyboard only: skip link first, then the search box; Enter searches and opens', { timeout: 120_000 }, async () => {
      await withPage(browser, server, viewport, 'keyboard', async (s) => {
        const { page } = s;
        await page.goto(`${server.url}/`);
        await page.getByRole('heading', { level: 1, name: VI.homeTitle }).waitFor();

        await page.keyboard.press('Tab');
        const skip = page.getByRole('link', { name: VI.skip });
        assert.ok(await isFocused(skip), 'the first Tab should reach the skip link');
        assert.ok(await skip.isVisible(), 'the skip link should be visible when it has focus');
        await assertFocusVisible(page, 'skip link');

        // Enter on the skip link moves focus to the main content (the search box is the next stop).
        await page.keyboard.press('Enter');
        const inMain = await page.evaluate(() => {
          const main = document.querySelector('main');
          return !!main && (main === document.activeElement || main.contains(document.activeElement) || location.hash.length > 1);
        });
        assert.ok(inMain, 'the skip link should move focus to the main content');

        const box = page.getByRole('searchbox', { name: VI.searchLabel });
        await tabTo(page, box, 10, 'the search box (after the skip link)');
        await assertFocusVisible(page, 'search box');
        await page.keyboard.type('khai sinh');
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.pathname === '/tim-kiem' && u.searchParams.get('q') === 'khai sinh');
        const results = await searchResults(s);
        const names = (await results.allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
        const rank = names.indexOf(BIRTH.name);
        assert.ok(rank >= 0, `"${BIRTH.name}" should be among the results for "khai sinh": ${JSON.stringify(names)}`);

        // Tab to the result and open it with Enter.
        await tabTo(page, results.nth(rank), 80, `the result "${BIRTH.name}"`);
        await assertFocusVisible(page, 'result link');
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.pathname === `/thu-tuc/${BIRTH.code}`);
        const heading = page.getByRole('main').getByRole('heading', { level: 1, name: BIRTH.name });
        await heading.waitFor();
        // After an in-app navigation, focus moves to the new page's heading (screen readers start there).
        await page.waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 5000 }).catch(() => {
          assert.fail('after opening a procedure, focus should move to its heading');
        });
        s.assertClean('keyboard journey');
      });
    });
  });
}
