/**
 * Looking a dossier up without logging in (issue 3 §4): code plus the applicant's phone or ID
 * number. A mismatch gets one neutral message, whatever was wrong.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { PageHeading } from '../components/PageHeading.js';
import { Control, describedBy, ErrorSummary, problemsFromError, type Problem, byField } from '../components/portal/forms.js';
import { MissingBox, TimelineSteps, TimelineSummary } from '../components/portal/Timeline.js';
import type { Timeline } from '../components/portal/types.js';
import { useT } from '../i18n/index.js';
import { useSearchParams } from '../router.js';

const CODE_ID = 'lookup-code';
const SECRET_ID = 'lookup-secret';
const CODE_PATTERN = /^[A-Za-z0-9.]+-\d{6}-\d{4,}$/;

export default function Lookup() {
  const t = useT();
  const params = useSearchParams();
  const [code, setCode] = useState(params.get('ma') ?? '');
  const [secret, setSecret] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Timeline | null>(null);
  const [notFound, setNotFound] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);
  const resultId = useId();
  const errors = byField(problems);
  const title = t('lookup.title');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const c = code.trim();
    const s = secret.trim();
    const list: Problem[] = [];
    if (c === '') list.push({ fieldId: CODE_ID, text: t('lookup.codeRequired') });
    else if (!CODE_PATTERN.test(c)) list.push({ fieldId: CODE_ID, text: t('lookup.codeFormat') });
    if (s === '') list.push({ fieldId: SECRET_ID, text: t('lookup.secretRequired') });
    setResult(null);
    setNotFound(false);
    if (list.length) {
      setProblems(list);
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    setProblems([]);
    try {
      const r = await api.post<Timeline>('/api/lookup', { code: c, phoneOrIdNumber: s });
      setResult(r);
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setNotFound(true);
        requestAnimationFrame(() => resultRef.current?.focus());
      } else {
        setProblems(problemsFromError(err, t, (f) => (f === 'code' ? CODE_ID : f === 'phoneOrIdNumber' ? SECRET_ID : null)));
        setAttempt((a) => a + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="lead">{t('lookup.intro')}</p>
      <ErrorSummary problems={problems} attempt={attempt} />
      <form noValidate onSubmit={(e) => void submit(e)} className="portal-form lookup-form">
        <Control id={CODE_ID} label={t('lookup.code')} hint={t('lookup.codeHint')} error={errors[CODE_ID]} required>
          <input
            id={CODE_ID}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={errors[CODE_ID] ? true : undefined}
            aria-describedby={describedBy(CODE_ID, true, Boolean(errors[CODE_ID]))}
            aria-required
          />
        </Control>
        <Control id={SECRET_ID} label={t('lookup.secret')} hint={t('lookup.secretHint')} error={errors[SECRET_ID]} required>
          <input
            id={SECRET_ID}
            type="text"
            inputMode="tel"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            aria-invalid={errors[SECRET_ID] ? true : undefined}
            aria-describedby={describedBy(SECRET_ID, true, Boolean(errors[SECRET_ID]))}
            aria-required
          />
        </Control>
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('lookup.searching') : t('lookup.submit')}
          </button>
        </div>
      </form>
      <div ref={resultRef} tabIndex={-1} aria-labelledby={result || notFound ? resultId : undefined} className="lookup-result" aria-live="polite">
        {notFound && (
          <div className="notice notice-warning">
            <h2 id={resultId} className="notice-title">
              {t('lookup.notFoundTitle')}
            </h2>
            <p>{t('lookup.notFound')}</p>
          </div>
        )}
        {result && (
          <section>
            <h2 id={resultId}>{t('lookup.resultTitle', { code: result.code })}</h2>
            <TimelineSummary data={result} />
            <MissingBox data={result} />
            <TimelineSteps data={result} headingLevel={3} />
          </section>
        )}
      </div>
    </>
  );
}
