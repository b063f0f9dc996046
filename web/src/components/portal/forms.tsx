/**
 * Form building blocks of the portal pages, accessible by construction: every control has a
 * label, its hint and error are tied to it with aria-describedby, an invalid control says so with
 * aria-invalid, and a failed submit shows an error summary that takes focus and links each
 * problem to its control.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError, errorMessages } from '../../api.js';
import type { FormField } from '../../../../src/core/eform.js';
import { useT, type Translate } from '../../i18n/index.js';
import type { Bilingual } from './types.js';

/** A bilingual text from the API in the current language. */
export const bi = (t: Translate, b: Bilingual | { vi: string; en: string }): string => (t.lang === 'vi' ? b.vi : b.en);
/** A message from the API ({message, messageVi}) in the current language. */
export const msg = (t: Translate, m: { message: string; messageVi: string }): string => (t.lang === 'vi' ? m.messageVi : m.message);

export interface Problem {
  /** The id of the control to go to; null when the problem is not about one control. */
  fieldId: string | null;
  text: string;
}

/** Field errors by control id (the first message of each control is shown next to it). */
export type FieldErrors = Record<string, string>;

export function byField(problems: Problem[]): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) if (p.fieldId && !(p.fieldId in out)) out[p.fieldId] = p.text;
  return out;
}

/**
 * Problems from a failed request: each field error of the API mapped to a control by `toFieldId`
 * (null = not a control of this form), then the general message when no field error explains it.
 */
export function problemsFromError(err: unknown, t: Translate, toFieldId: (apiField: string) => string | null): Problem[] {
  if (err instanceof ApiError && err.fields.length > 0) {
    const out: Problem[] = err.fields.map((f) => ({ fieldId: toFieldId(f.field), text: msg(t, f) }));
    if (out.every((p) => p.fieldId === null)) return [{ fieldId: null, text: t.lang === 'vi' ? err.messageVi : err.messageEn }, ...out];
    return out;
  }
  return errorMessages(err, t).map((text) => ({ fieldId: null, text }));
}

/**
 * The list of problems after a failed submit. `attempt` changes on each failed submit: the
 * summary then takes focus, so keyboard and screen reader users land on it.
 */
export function ErrorSummary({ problems, attempt }: { problems: Problem[]; attempt: number }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    if (attempt > 0) ref.current?.focus();
  }, [attempt]);
  if (problems.length === 0) return null;
  return (
    <div ref={ref} className="error-summary" tabIndex={-1} role="alert" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="error-summary-title">
        {t('portal.errorSummary')}
      </h2>
      <ul>
        {problems.map((p, i) =>
          p.fieldId ? (
            <li key={i}>
              <a
                href={`#${p.fieldId}`}
                onClick={(e) => {
                  e.preventDefault();
                  const el = document.getElementById(p.fieldId!);
                  el?.focus();
                  el?.scrollIntoView({ block: 'center' });
                }}
              >
                {p.text}
              </a>
            </li>
          ) : (
            <li key={i}>{p.text}</li>
          ),
        )}
      </ul>
    </div>
  );
}

/** The ids a control is described by: its hint and its error, when present. */
export function describedBy(id: string, hint: boolean, error: boolean, extra?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null, extra ?? null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function FieldMessage({ id, error }: { id: string; error: string | undefined }) {
  const t = useT();
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error">
      <span className="visually-hidden">{t('portal.errorPrefix')} </span>
      {error}
    </p>
  );
}

/** Label + hint + control + error, stacked. */
export function Control({ id, label, hint, error, required, children }: { id: string; label: ReactNode; hint?: ReactNode; error?: string; required?: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <div className={error ? 'control control-invalid' : 'control'}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required-mark"> ({t('portal.required')})</span> : <span className="optional-mark"> ({t('portal.optional')})</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldMessage id={id} error={error} />
      {children}
    </div>
  );
}

export const fieldId = (key: string) => `ef-${key}`;

/** One field of a procedure's e-form, rendered from its definition (src/core/eform.ts). */
export function EFormField({ field, value, error, onChange }: { field: FormField; value: unknown; error?: string; onChange: (v: unknown) => void }) {
  const t = useT();
  const id = fieldId(field.key);
  const label = bi(t, field.label);
  const help = field.help ? bi(t, field.help) : undefined;
  const formatHint =
    field.type === 'date' ? t('portal.hint.date') : field.type === 'phone' ? t('portal.hint.phone') : field.type === 'id_number' ? t('portal.hint.idNumber') : field.type === 'email' ? t('portal.hint.email') : undefined;
  const hintText = [help, formatHint].filter(Boolean).join(' ');
  const common = {
    id,
    name: field.key,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hintText !== '', Boolean(error)),
    'aria-required': field.required ? true : undefined,
  } as const;
  const str = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

  if (field.type === 'checkbox') {
    return (
      <div className={error ? 'control control-check control-invalid' : 'control control-check'}>
        <FieldMessage id={id} error={error} />
        <div className="check-row">
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <label htmlFor={id}>
            {label}
            {field.required && <span className="required-mark"> ({t('portal.required')})</span>}
          </label>
        </div>
        {hintText && (
          <p id={`${id}-hint`} className="hint">
            {hintText}
          </p>
        )}
      </div>
    );
  }

  let input: ReactNode;
  switch (field.type) {
    case 'textarea':
      input = <textarea {...common} rows={4} value={str} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'select':
      input = (
        <select {...common} value={str} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('portal.choose')}</option>
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {bi(t, o.label)}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      input = (
        <input
          type="number"
          inputMode="decimal"
          {...common}
          min={field.min}
          max={field.max}
          value={str}
          onChange={(e) => {
            const raw = e.target.value;
            onChange(raw === '' ? undefined : Number.isFinite(Number(raw)) ? Number(raw) : raw);
          }}
        />
      );
      break;
    case 'date':
      input = <input type="date" {...common} value={str} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'phone':
      input = <input type="tel" autoComplete="tel" inputMode="tel" {...common} value={str} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'email':
      input = <input type="email" autoComplete="email" {...common} value={str} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'id_number':
      input = <input type="text" inputMode="numeric" autoComplete="off" {...common} value={str} onChange={(e) => onChange(e.target.value)} />;
      break;
    default:
      input = <input type="text" {...common} maxLength={field.maxLength} value={str} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <Control id={id} label={label} hint={hintText || undefined} error={error} required={field.required}>
      {input}
    </Control>
  );
}

/** A live region for short status messages ("Saved at 10:42"). */
export function Status({ children }: { children: ReactNode }) {
  return (
    <p className="status-line" role="status" aria-live="polite">
      {children}
    </p>
  );
}

/** Size of a file for people: "1,2 MB", "350 KB". */
export function fileSize(t: Translate, bytes: number): string {
  if (bytes >= 1_048_576) return t('portal.size.mb', { n: t.number(Math.round((bytes / 1_048_576) * 10) / 10) });
  return t('portal.size.kb', { n: t.number(Math.max(1, Math.round(bytes / 1024))) });
}
