/**
 * A citizen logs in through the local OpenID provider (the stand-in for VNeID) in a real browser,
 * on a desktop and on a 360 px phone: the login link leads to the provider's page, a wrong
 * password is refused there with a message, the right one brings the citizen back to the page
 * they started from with their name in the header, the session survives a reload, and logging out
 * ends it on the server. axe-core runs on every page visited, the provider's pages included.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DEMO_CITIZEN_PASSWORD, DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { checkA11y, launchBrowser, screenshot, startServer, loginThroughProvider, staffApi, VIEWPORTS, withPage, type RunningServer } from './harness.js';

// The labels the tests look for, as in web/src/i18n/vi.ts and src/identity/oidc-provider.ts.
const VI = {
  login: 'Đăng nhập bằng VNeID (mô phỏng)',
  logout: 'Đăng xuất',
  myDossiers: 'Hồ sơ của tôi',
  myEmpty: 'Bạn chưa nộp hồ sơ nào.',
  myCaption: 'Các hồ sơ bạn đã nộp',
};
const PROVIDER = {
  title: /Cổng định danh mô phỏng VNeID/,
  idNumber: /Số định danh cá nhân \(CCCD\)/,
  password: /^Mật khẩu/,
  submit: 'Đăng nhập / Log in',
  wrong: 'Số CCCD hoặc mật khẩu không đúng',
};

// Different people on the two viewports; H'Hen Niê's name has an apostrophe (escaping) and Ê.
const CITIZENS = {
  desktop: DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0001')!,
  phone: DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0003')!,
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

for (const viewport of VIEWPORTS) {
  const citizen = CITIZENS[viewport.name];

  describe(`log in through the simulated VNeID (${viewport.name} ${viewport.width}×${viewport.height})`, () => {
    it(`logs in as ${citizen.fullName}, comes back logged in, and logs out`, { timeout: 180_000 }, async () => {
      await withPage(browser, server, viewport, 'login', async (s) => {
        const { page } = s;
        // The provider answers a refused login with 401 and its login page again (checked below).
        s.allow(new RegExp(`^${server.oidcUrl}/interaction/[^/]+/login$`), 401);
        // Start from a procedure page: after the login the citizen is back there.
        const startPath = '/thu-tuc/1.001193';
        await page.goto(`${server.url}${startPath}`);
        await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor();
        const login = page.getByRole('link', { name: VI.login });
        await login.waitFor();
        const href = await login.getAttribute('href');
        assert.ok(href, 'the login link has no href');
        const loginUrl = new URL(href, server.url);
        assert.equal(loginUrl.pathname, '/api/auth/oidc/login');
        assert.equal(loginUrl.searchParams.get('returnTo'), startPath, 'the login link should come back to the current page');
        s.assertClean('procedure page before login');

        // The provider's login page
        await login.click();
        await page.waitForURL((u) => `${u.protocol}//${u.host}` === server.oidcUrl && u.pathname.startsWith('/interaction/'));
        assert.match(await page.title(), PROVIDER.title);
        await screenshot(s, 'oidc-login');
        await checkA11y(s, 'oidc-login');

        // A wrong password is refused with a message, and the page stays accessible.
        await page.getByLabel(PROVIDER.idNumber).fill(citizen.idNumber);
        await page.getByLabel(PROVIDER.password).fill('not-the-password');
        await page.getByRole('button', { name: PROVIDER.submit }).click();
        const alert = page.getByRole('alert');
        await alert.waitFor();
        assert.match(await alert.innerText(), new RegExp(PROVIDER.wrong));
        assert.equal(await page.getByLabel(PROVIDER.idNumber).inputValue(), citizen.idNumber, 'the CCCD number should be kept');
        await screenshot(s, 'oidc-login-error');
        await checkA11y(s, 'oidc-login-error');
        s.assertClean('provider login page');

        // The right password: back to the starting page, logged in.
        await page.getByLabel(PROVIDER.password).fill(DEMO_CITIZEN_PASSWORD);
        await page.getByRole('button', { name: PROVIDER.submit }).click();
        await page.waitForURL((u) => `${u.protocol}//${u.host}` === server.url && u.pathname === startPath);
        const banner = page.getByRole('banner');
        await banner.getByText(citizen.fullName).first().waitFor();
        assert.equal(await page.getByRole('link', { name: VI.login }).count(), 0, 'the login link should be gone once logged in');
        const me = await page.request.get(`${server.url}/api/auth/me`);
        assert.equal(me.status(), 200);
        const body = (await me.json()) as { user: { fullName: string; role: string; idNumber: string } };
        assert.deepEqual([body.user.fullName, body.user.role, body.user.idNumber], [citizen.fullName, 'citizen', citizen.idNumber]);
        await screenshot(s, 'logged-in');
        await checkA11y(s, 'logged-in');
        s.assertClean('back from the provider');

        // Still logged in after a reload (the session cookie, not page state).
        await page.reload();
        await banner.getByText(citizen.fullName).first().waitFor();

        // "My dossiers" is offered once logged in, and lists this citizen's dossiers (or none yet).
        await page.getByRole('navigation').getByRole('link', { name: VI.myDossiers }).click();
        await page.waitForURL((u) => u.pathname === '/ho-so-cua-toi');
        const main = page.getByRole('main');
        await main.getByRole('heading', { level: 1, name: VI.myDossiers }).waitFor();
        await main.getByText(VI.myEmpty).or(main.getByRole('table', { name: VI.myCaption })).first().waitFor();
        await screenshot(s, 'my-dossiers');
        await checkA11y(s, 'my-dossiers');
        s.assertClean('my dossiers');

        // Log out: the header offers the login again, and the server forgot the session.
        await page.getByRole('button', { name: VI.logout }).or(page.getByRole('link', { name: VI.logout })).first().click();
        await page.getByRole('link', { name: VI.login }).waitFor();
        assert.equal(await banner.getByText(citizen.fullName).count(), 0, 'the name should be gone after logging out');
        const meAfter = await page.request.get(`${server.url}/api/auth/me`);
        assert.equal(meAfter.status(), 401, 'the session should be gone on the server after logging out');
        await page.reload();
        await page.getByRole('link', { name: VI.login }).waitFor();
        await checkA11y(s, 'logged-out');
        s.assertClean('after logging out');
      });
    });
  });
}

describe('shortcuts for later journeys', () => {
  it('staffApi: a desk officer acts through the API with a session and CSRF token', async () => {
    const desk = await staffApi(server, 'motcua.bmt');
    assert.equal(desk.user.role, 'desk_officer');
    const me = await desk.request<{ user: { role: string; unitCode: string } }>('GET', '/api/auth/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.unitCode, desk.user.unitCode);
    await assert.rejects(staffApi(server, 'motcua.bmt', 'wrong-password'), /staff login motcua.bmt: 401/);
  });

  it('loginThroughProvider: logs a demo citizen in and returns to the starting page', { timeout: 120_000 }, async () => {
    const citizen = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0002')!;
    await withPage(browser, server, VIEWPORTS[0]!, 'login-shortcut', async (s) => {
      await loginThroughProvider(s, citizen, '/tim-kiem?q=khai%20sinh');
      const me = await s.page.request.get(`${server.url}/api/auth/me`);
      assert.equal(((await me.json()) as { user: { idNumber: string } }).user.idNumber, citizen.idNumber);
    });
  });
});
