import { useId, useState } from 'react';
import { computeFee } from '../../../src/core/fees.js';
import { useT } from '../i18n/index.js';
import type { FeeRule } from '../types.js';

type PerPage = Extract<FeeRule, { kind: 'per_page' }>;

const whole = (s: string): number | null => (/^\d{1,6}$/.test(s.trim()) && Number(s) >= 1 ? Number(s) : null);

/** Pages and copies → amount, with the same computeFee the server charges with. */
export function FeeCalculator({ rule }: { rule: PerPage }) {
  const t = useT();
  const id = useId();
  const [pages, setPages] = useState('1');
  const [copies, setCopies] = useState('1');
  const p = whole(pages);
  const c = whole(copies);
  let total: number | null = null;
  if (p !== null && c !== null) {
    try {
      total = computeFee(rule, { pages: p, copies: c });
    } catch {
      total = null;
    }
  }
  return (
    <fieldset className="calculator">
      <legend>{t('fee.calc.title')}</legend>
      <div className="calculator-row">
        <div className="control">
          <label htmlFor={`${id}-pages`}>{t('fee.calc.pages')}</label>
          <input id={`${id}-pages`} type="number" inputMode="numeric" min={1} max={100000} step={1} value={pages} onChange={(e) => setPages(e.target.value)} />
        </div>
        <div className="control">
          <label htmlFor={`${id}-copies`}>{t('fee.calc.copies')}</label>
          <input id={`${id}-copies`} type="number" inputMode="numeric" min={1} max={10000} step={1} value={copies} onChange={(e) => setCopies(e.target.value)} />
        </div>
      </div>
      <output htmlFor={`${id}-pages ${id}-copies`} aria-live="polite" className={total === null ? 'calc-result calc-invalid' : 'calc-result'}>
        {total === null ? t('fee.calc.invalid') : t('fee.calc.total', { amount: t.money(total) })}
      </output>
    </fieldset>
  );
}
