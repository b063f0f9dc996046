/** Filing a complaint or recommendation (phản ánh, kiến nghị) about a dossier, and the ones already filed (issue 3 §7). */
import { useState, type FormEvent } from 'react';
import { useT } from '../../i18n/index.js';
import { useApi } from '../../useApi.js';
import { bi, byField, Control, describedBy, ErrorSummary, FieldMessage, problemsFromError, type Problem } from './forms.js';
import { send } from './http.js';
import type { Complaint } from './types.js';

const CATEGORIES = ['phan_anh', 'kien_nghi'] as const;
const CATEGORY_ID = 'complaint-phan_anh';
const CONTENT_ID = 'complaint-content';
const MAX_CONTENT = 4000;

export function ComplaintForm({ code }: { code: string }) {
  const t = useT();
  const mine = useApi<{ items: Complaint[]; nextCursor: string | null }>('/api/me/complaints', { limit: 100 });
  const [filed, setFiled] = useState<Complaint[]>([]);
  const [category, setCategory] = useState<(typeof CATEGORIES)[number] | ''>('');
  const [content, setContent] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const errors = byField(problems);
  const list = [...filed, ...(mine.data?.items ?? []).filter((c) => c.dossierCode === code && !filed.some((f) => f.code === c.code))];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const text = content.trim();
    const problemsNow: Problem[] = [];
    if (!category) problemsNow.push({ fieldId: CATEGORY_ID, text: t('complaint.categoryRequired') });
    if (text === '') problemsNow.push({ fieldId: CONTENT_ID, text: t('complaint.contentRequired') });
    else if (text.length > MAX_CONTENT) problemsNow.push({ fieldId: CONTENT_ID, text: t('complaint.contentTooLong', { max: MAX_CONTENT }) });
    if (problemsNow.length) {
      setProblems(problemsNow);
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    try {
      const c = await send<Complaint>('POST', '/api/complaints', { json: { category, content: text, dossierCode: code } });
      setFiled((old) => [c, ...old]);
      setContent('');
      setCategory('');
      setProblems([]);
    } catch (err) {
      setProblems(problemsFromError(err, t, (f) => (f === 'category' ? CATEGORY_ID : f === 'content' ? CONTENT_ID : null)));
      setAttempt((a) => a + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="complaint-title">
      <h2 id="complaint-title">{t('complaint.title')}</h2>
      <p>{t('complaint.intro')}</p>
      <div role="status" aria-live="polite">
        {filed[0] && <p className="notice notice-success">{t('complaint.sent', { code: filed[0].code, date: t.dateTime(filed[0].dueAt) })}</p>}
      </div>
      <ErrorSummary problems={problems} attempt={attempt} />
      <form noValidate onSubmit={(e) => void submit(e)} className="portal-form">
        <fieldset className={errors[CATEGORY_ID] ? 'control-invalid' : undefined} aria-describedby={errors[CATEGORY_ID] ? `${CATEGORY_ID}-error` : undefined}>
          <legend>{t('complaint.category')}</legend>
          <FieldMessage id={CATEGORY_ID} error={errors[CATEGORY_ID]} />
          <div className="radio-list">
            {CATEGORIES.map((c) => (
              <div className="radio-row" key={c}>
                <input type="radio" id={`complaint-${c}`} name="category" value={c} checked={category === c} onChange={() => setCategory(c)} aria-invalid={errors[CATEGORY_ID] ? true : undefined} />
                <label htmlFor={`complaint-${c}`}>{t(`complaint.category.${c}`)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <Control id={CONTENT_ID} label={t('complaint.content')} hint={t('complaint.contentHint', { max: t.number(MAX_CONTENT) })} error={errors[CONTENT_ID]} required>
          <textarea
            id={CONTENT_ID}
            rows={5}
            maxLength={MAX_CONTENT}
            value={content}
            onChange={(e) => setContent(e.target.value)}
            aria-invalid={errors[CONTENT_ID] ? true : undefined}
            aria-describedby={describedBy(CONTENT_ID, true, Boolean(errors[CONTENT_ID]))}
            aria-required
          />
        </Control>
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {t('complaint.submit')}
          </button>
        </div>
      </form>
      {list.length > 0 && (
        <>
          <h3>{t('complaint.listTitle')}</h3>
          <ul className="complaint-list">
            {list.map((c) => (
              <li key={c.code}>
                <p>
                  <strong>{c.code}</strong> · {bi(t, c.categoryName)} · {bi(t, c.statusName)}
                </p>
                <p className="muted">{t('complaint.due', { received: t.dateTime(c.receivedAt), due: t.dateTime(c.dueAt) })}</p>
                <p className="complaint-content">{c.content}</p>
                {c.answer && (
                  <p>
                    <strong>{t('complaint.answer')}</strong> {c.answer}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
