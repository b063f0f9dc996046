/**
 * The browser-test harness checks itself: axe-core really fails a page with serious violations,
 * console and page errors are really caught, and mail sent over SMTP is really decoded. Without
 * these, a clean journey could mean a blind harness.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { checkA11y, launchBrowser, openPage, startMailSink, VIEWPORTS, type MailSink } from './harness.js';

const nowhere = { url: 'http://127.0.0.1:9', oidcUrl: 'http://localhost:9' };

describe('e2e harness', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('checkA11y fails on serious and critical violations and names the rule and element', async () => {
    const s = await openPage(browser, nowhere, VIEWPORTS[0]!);
    try {
      await s.page.setContent('<!doctype html><html><head><title>x</title></head><body><main><img src="data:,"><input id="q"></main></body></html>');
      await assert.rejects(checkA11y(s, 'harness-bad', { save: false }), (err: Error) => {
        assert.match(err.message, /html-has-lang/);
        assert.match(err.message, /image-alt/);
        assert.match(err.message, /\[critical\] label/);
        assert.match(err.message, /#q/);
        return true;
      });
      await s.page.setContent(
        '<!doctype html><html lang="vi"><head><title>Trang thử</title></head><body><main><h1>Tra cứu</h1>' +
          '<label for="q">Tìm thủ tục</label><input id="q"><img src="data:," alt="Quốc huy"></main></body></html>',
      );
      await checkA11y(s, 'harness-good', { save: false });
    } finally {
      await s.close();
    }
  });

  it('assertClean reports console errors and uncaught page errors', async () => {
    const s = await openPage(browser, nowhere, VIEWPORTS[1]!);
    try {
      await s.page.setContent('<!doctype html><html lang="vi"><head><title>x</title></head><body></body></html>');
      s.assertClean('blank page');
      await s.page.evaluate(() => {
        console.error('hỏng rồi');
        setTimeout(() => {
          throw new Error('lỗi không bắt');
        }, 0);
      });
      await s.page.waitForTimeout(200);
      assert.throws(() => s.assertClean('broken page'), (err: Error) => {
        assert.match(err.message, /console error: hỏng rồi/);
        assert.match(err.message, /page error: lỗi không bắt/);
        return true;
      });
      s.assertClean('after the problems were reported');
    } finally {
      await s.close();
    }
  });
});

describe('e2e mail sink', () => {
  let sink: MailSink;
  before(async () => {
    sink = await startMailSink();
  });
  after(async () => {
    await sink?.close();
  });

  it('receives a message over SMTP and decodes its Vietnamese subject, text and html', async () => {
    const transport = nodemailer.createTransport(sink.url);
    const text = 'Kính gửi Ông/Bà Nguyễn Văn An: hồ sơ H15.001-260301-0001 đã được tiếp nhận. '.repeat(4);
    await transport.sendMail({
      from: 'motcua <no-reply@motcua.local>',
      to: 'nguyen.van.an@example.vn',
      subject: 'Hồ sơ đã được tiếp nhận – Đắk Lắk',
      text,
      html: '<p>Đắk Lắk — hồ sơ đã được tiếp nhận</p>',
    });
    const m = await sink.waitFor((x) => x.to.includes('nguyen.van.an@example.vn'));
    assert.equal(m.subject, 'Hồ sơ đã được tiếp nhận – Đắk Lắk');
    assert.equal(m.text.trim(), text.trim());
    assert.match(m.html, /Đắk Lắk — hồ sơ đã được tiếp nhận/);
    assert.equal(m.from, 'no-reply@motcua.local');
    await assert.rejects(sink.waitFor((x) => x.subject === 'không có', 300), /No matching mail/);
  });
});
