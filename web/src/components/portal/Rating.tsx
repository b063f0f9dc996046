/** Rating the service once the result is ready or returned (issue 3 §7). */
import { useState, type FormEvent } from 'react';
import { ErrorBox } from '../ErrorBox.js';
import { useT } from '../../i18n/index.js';
import { useApi } from '../../useApi.js';
import { bi, byField, Control, describedBy, ErrorSummary, FieldMessage, problemsFromError, type Problem } from './forms.js';
import { send } from './http.js';
import type { RatingLevel, RatingView } from './types.js';

const LEVELS: RatingLevel[] = ['very_satisfied', 'satisfied', 'dissatisfied'];
const LEVEL_ID = 'rating-very_satisfied';
const COMMENT_ID = 'rating-comment';
const MAX_COMMENT = 1000;

export function RatingForm({ code }: { code: string }) {
  const t = useT();
  const loaded = useApi<RatingView>(`/api/dossiers/${encodeURIComponent(code)}/rating`);
  const [done, setDone] = useState<RatingView | null>(null);
  const [level, setLevel] = useState<RatingLevel | ''>('');
  const [comment, setComment] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const errors = byField(problems);
  const view = done ?? loaded.data;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const list: Problem[] = [];
    if (!level) list.push({ fieldId: LEVEL_ID, text: t('rate.levelRequired') });
    if (comment.trim().length > MAX_COMMENT) list.push({ fieldId: COMMENT_ID, text: t('rate.commentTooLong', { max: MAX_COMMENT }) });
    if (list.length) {
      setProblems(list);
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    try {
      const r = await send<RatingView>('POST', `/api/dossiers/${encodeURIComponent(code)}/rating`, { json: { level, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
      setProblems([]);
      setDone(r);
    } catch (err) {
      setProblems(problemsFromError(err, t, (f) => (f === 'level' ? LEVEL_ID : f === 'comment' ? COMMENT_ID : null)));
      setAttempt((a) => a + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="rating-title">
      <h2 id="rating-title">{t('rate.title')}</h2>
      {loaded.error !== undefined && <ErrorBox error={loaded.error} onRetry={loaded.reload} />}
      {view?.rating ? (
        <div role="status">
          {done && <p className="notice notice-success">{t('rate.thanks')}</p>}
          <p>{t('rate.yours', { level: bi(t, view.rating.levelName), date: t.dateTime(view.rating.createdAt) })}</p>
          {view.rating.comment && <blockquote className="quote">{view.rating.comment}</blockquote>}
        </div>
      ) : view && !view.canRate ? (
        <p>{t('rate.notYet')}</p>
      ) : view ? (
        <>
          <ErrorSummary problems={problems} attempt={attempt} />
          <form noValidate onSubmit={(e) => void submit(e)} className="portal-form">
            <fieldset className={errors[LEVEL_ID] ? 'control-invalid' : undefined} aria-describedby={errors[LEVEL_ID] ? `${LEVEL_ID}-error` : undefined}>
              <legend>{t('rate.level')}</legend>
              <FieldMessage id={LEVEL_ID} error={errors[LEVEL_ID]} />
              <div className="radio-list">
                {LEVELS.map((l) => (
                  <div className="radio-row" key={l}>
                    <input type="radio" id={`rating-${l}`} name="level" value={l} checked={level === l} onChange={() => setLevel(l)} aria-invalid={errors[LEVEL_ID] ? true : undefined} />
                    <label htmlFor={`rating-${l}`}>{t(`rate.level.${l}`)}</label>
                  </div>
                ))}
              </div>
            </fieldset>
            <Control id={COMMENT_ID} label={t('rate.comment')} error={errors[COMMENT_ID]}>
              <textarea
                id={COMMENT_ID}
                rows={3}
                maxLength={MAX_COMMENT}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                aria-invalid={errors[COMMENT_ID] ? true : undefined}
                aria-describedby={describedBy(COMMENT_ID, false, Boolean(errors[COMMENT_ID]))}
              />
            </Control>
            <div className="button-row">
              <button type="submit" className="button" disabled={busy}>
                {t('rate.submit')}
              </button>
            </div>
          </form>
        </>
      ) : null}
    </section>
  );
}
