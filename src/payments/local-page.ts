/**
 * The local provider's payment page: plain server-rendered HTML, Vietnamese first, English second.
 * No script at all (forms POST); every value escaped; the one stylesheet is allowed by its hash
 * in the Content-Security-Policy, so the page works under a strict policy.
 */
import crypto from 'node:crypto';
import { amountInWordsVi } from '../core/money-words.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f4f6f8;margin:0}
main{max-width:34rem;margin:2rem auto;background:#fff;border:1px solid #c9d1d9;border-radius:8px;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}
.en{color:#4a5560}
.note{background:#fff8e1;border:1px solid #b58900;border-radius:4px;padding:.5rem .75rem}
dl{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
@media (max-width:32rem){main{margin:0;border-radius:0;border-width:0 0 1px}dl{grid-template-columns:minmax(0,1fr)}dd{margin-bottom:.5rem}}
.actions{display:flex;flex-direction:column;gap:.75rem;margin-top:1rem}
button{font:inherit;font-size:1.05rem;padding:.75rem 1rem;border-radius:6px;border:2px solid #0b4f8a;cursor:pointer;text-align:left;background:#fff;color:#0b4f8a}
button.pay{background:#0b4f8a;color:#fff}
button:focus-visible,a:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
a{color:#0b4f8a}
`.trim();

const CSS_HASH = crypto.createHash('sha256').update(CSS).digest('base64');

/** The Content-Security-Policy of these pages: nothing but our stylesheet and posting back to us. */
export const LOCAL_PAGE_CSP = `default-src 'none'; style-src 'sha256-${CSS_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

const money = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;

function layout(titleVi: string, titleEn: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(titleVi)} / ${escapeHtml(titleEn)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(titleVi)} <span class="en" lang="en">/ ${escapeHtml(titleEn)}</span></h1>
<p class="note">Cổng thanh toán mô phỏng: không có tiền thật được chuyển. <span lang="en">Simulated payment gateway: no real money moves.</span></p>
${body}
</main>
</body>
</html>`;
}

export interface PayPageInput {
  reference: string;
  dossierCode: string;
  procedureName: string;
  amount: number;
  expiresAt: Date;
  status: 'pending' | 'paid' | 'failed' | 'expired';
  token: string;
  returnUrl: string;
}

export function renderPayPage(p: PayPageInput): string {
  const details = `<dl>
<dt>Mã hồ sơ <span class="en" lang="en">/ Dossier</span></dt><dd>${escapeHtml(p.dossierCode)}</dd>
<dt>Thủ tục <span class="en" lang="en">/ Procedure</span></dt><dd>${escapeHtml(p.procedureName)}</dd>
<dt>Số tiền <span class="en" lang="en">/ Amount</span></dt><dd><strong>${escapeHtml(money(p.amount))}</strong> (${escapeHtml(amountInWordsVi(p.amount))})</dd>
<dt>Mã thanh toán <span class="en" lang="en">/ Reference</span></dt><dd>${escapeHtml(p.reference)}</dd>
<dt>Hết hạn lúc <span class="en" lang="en">/ Expires at</span></dt><dd><time datetime="${escapeHtml(p.expiresAt.toISOString())}">${escapeHtml(vnTime(p.expiresAt))}</time></dd>
</dl>`;
  if (p.status !== 'pending') {
    const names = {
      paid: ['Khoản thanh toán này đã hoàn tất.', 'This payment is complete.'],
      failed: ['Khoản thanh toán này không thành công.', 'This payment failed.'],
      expired: ['Khoản thanh toán này đã hết thời gian.', 'This payment timed out.'],
    } as const;
    const [vi, en] = names[p.status];
    return layout('Thanh toán phí, lệ phí', 'Pay the fee', `${details}
<p role="status">${vi} <span lang="en">${en}</span></p>
<p><a href="${escapeHtml(p.returnUrl)}">Quay lại hồ sơ <span lang="en">/ Back to the dossier</span></a></p>`);
  }
  const action = `/api/payments/local/${encodeURIComponent(p.reference)}/simulate`;
  return layout('Thanh toán phí, lệ phí', 'Pay the fee', `${details}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="token" value="${escapeHtml(p.token)}">
<fieldset>
<legend>Chọn kết quả thanh toán mô phỏng <span class="en" lang="en">/ Choose the simulated result</span></legend>
<div class="actions">
<button type="submit" name="outcome" value="paid" class="pay">Thanh toán thành công <span lang="en">/ Pay</span></button>
<button type="submit" name="outcome" value="failed">Thanh toán thất bại <span lang="en">/ Fail</span></button>
<button type="submit" name="outcome" value="expired">Hết thời gian <span lang="en">/ Time out</span></button>
</div>
</fieldset>
</form>
<p><a href="${escapeHtml(p.returnUrl)}">Quay lại hồ sơ <span lang="en">/ Back to the dossier</span></a></p>`);
}

export function renderMessagePage(titleVi: string, titleEn: string, vi: string, en: string): string {
  return layout(titleVi, titleEn, `<p role="alert">${escapeHtml(vi)} <span lang="en">${escapeHtml(en)}</span></p>
<p><a href="/">Trang chủ <span lang="en">/ Home</span></a></p>`);
}

function vnTime(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ngày ${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} (giờ Việt Nam)`;
}
