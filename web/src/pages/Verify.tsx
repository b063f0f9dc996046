/**
 * Verifying a signed result (issue 4 §5): upload the PDF or enter its verification code; the
 * answer says in words (not by colour alone) whether the signature is valid and the file intact,
 * who signed and when. No login.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, NetworkError } from '../api.js';
import { PageHeading } from '../components/PageHeading.js';
import { Control, describedBy, ErrorSummary, problemsFromError, type Problem, byField } from '../components/portal/forms.js';
import { useT } from '../i18n/index.js';
import { useSearchParams } from '../router.js';

const FILE_ID = 'verify-file';
const CODE_ID = 'verify-code';
const CODE_PATTERN = /^[A-Za-z2-7]{10}$/;
const MAX_BYTES = 20 * 1024 * 1024;

interface VerifyAnswer {
  signed: boolean;
  intact: boolean;
  signer: { commonName: string | null; organization: string | null; serial: string; subject: string } | null;
  signedAt: string | null;
  certificateValidAtSigning: boolean | null;
  knownSigner: boolean;
  problems: Array<{ code: string; vi: string; en: string }>;
  verdict: { code: 'valid' | 'altered' | 'unsigned' | 'unknown_signer'; vi: string; en: string };
  registered: { verificationCode: string; dossierCode: string; sameFile: boolean } | null;
  document?: { dossierCode: string; unitName: string; procedureName: string; issuedAt: string };
}

/** POST the file itself (Content-Type application/pdf); errors as ApiError like the JSON client. */
async function verifyFile(file: File): Promise<VerifyAnswer> {
  let res: Response;
  try {
    res = await fetch('/api/verify', { method: 'POST', headers: { 'content-type': 'application/pdf', accept: 'application/json' }, body: file, credentials: 'omit' });
  } catch (err) {
    throw new NetworkError(err);
  }
  const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string; messageVi: string } } | VerifyAnswer | null;
  if (!res.ok) {
    const e = data && 'error' in data && data.error ? data.error : null;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`, e?.messageVi ?? `Lỗi HTTP ${res.status}`);
  }
  return data as VerifyAnswer;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default function Verify() {
  const t = useT();
  const params = useSearchParams();
  const [file, setFile] = useState<File | null>(null);
  const [code, setCode] = useState(params.get('code') ?? '');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerifyAnswer | null>(null);
  const [notFound, setNotFound] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);
  const resultId = useId();
  const errors = byField(problems);
  const title = t('verify.page.title');

  const run = async (work: () => Promise<VerifyAnswer>, fieldId: string) => {
    setBusy(true);
    setProblems([]);
    setResult(null);
    setNotFound(false);
    try {
      setResult(await work());
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setNotFound(true);
        requestAnimationFrame(() => resultRef.current?.focus());
      } else {
        setProblems(problemsFromError(err, t, () => fieldId));
        setAttempt((a) => a + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  const fail = (fieldId: string, text: string) => {
    setResult(null);
    setNotFound(false);
    setProblems([{ fieldId, text }]);
    setAttempt((a) => a + 1);
  };

  const submitFile = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!file) return fail(FILE_ID, t('verify.page.fileRequired'));
    if (file.size > MAX_BYTES) return fail(FILE_ID, t('verify.page.fileTooLarge'));
    void run(() => verifyFile(file), FILE_ID);
  };

  const checkCode = (c: string) => {
    if (c === '') return fail(CODE_ID, t('verify.page.codeRequired'));
    if (!CODE_PATTERN.test(c)) return fail(CODE_ID, t('verify.page.codeFormat'));
    void run(() => api.get<VerifyAnswer>(`/api/verify/${encodeURIComponent(c.toUpperCase())}`), CODE_ID);
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) checkCode(code.trim());
  };

  // A link with ?code=... (printed on the result) checks at once.
  const initial = useRef(params.get('code'));
  useEffect(() => {
    if (initial.current && CODE_PATTERN.test(initial.current.trim())) checkCode(initial.current.trim());
  }, []);

  const yesNo = (v: boolean | null) => (v === null ? t('verify.page.unknown') : v ? t('verify.page.yes') : t('verify.page.no'));
  const verdictText = (r: VerifyAnswer) =>
    r.verdict.code === 'valid'
      ? t('verify.page.valid')
      : r.verdict.code === 'altered'
        ? t('verify.page.altered')
        : r.verdict.code === 'unsigned'
          ? t('verify.page.unsigned')
          : t('verify.page.unknownSigner');
  const verdictClass = (r: VerifyAnswer) => (r.verdict.code === 'valid' ? 'notice notice-success' : r.verdict.code === 'unknown_signer' ? 'notice notice-warning' : 'notice notice-error');
  const mark = (r: VerifyAnswer) => (r.verdict.code === 'valid' ? '✔ ' : r.verdict.code === 'unknown_signer' ? '⚠ ' : '✘ ');

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="lead">{t('verify.page.intro')}</p>
      <ErrorSummary problems={problems} attempt={attempt} />

      <section aria-labelledby="verify-by-file">
        <h2 id="verify-by-file">{t('verify.page.byFile')}</h2>
        <form noValidate onSubmit={submitFile} className="portal-form">
          <Control id={FILE_ID} label={t('verify.page.file')} hint={t('verify.page.fileHint')} error={errors[FILE_ID]} required>
            <input
              id={FILE_ID}
              type="file"
              accept="application/pdf,.pdf"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              aria-invalid={errors[FILE_ID] ? true : undefined}
              aria-describedby={describedBy(FILE_ID, true, Boolean(errors[FILE_ID]))}
              aria-required
            />
          </Control>
          <div className="button-row">
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('verify.page.checking') : t('verify.page.submitFile')}
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="verify-by-code">
        <h2 id="verify-by-code">{t('verify.page.byCode')}</h2>
        <form noValidate onSubmit={submitCode} className="portal-form">
          <Control id={CODE_ID} label={t('verify.page.code')} hint={t('verify.page.codeHint')} error={errors[CODE_ID]} required>
            <input
              id={CODE_ID}
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={12}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              aria-invalid={errors[CODE_ID] ? true : undefined}
              aria-describedby={describedBy(CODE_ID, true, Boolean(errors[CODE_ID]))}
              aria-required
            />
          </Control>
          <div className="button-row">
            <button type="submit" className="button button-secondary" disabled={busy}>
              {busy ? t('verify.page.checking') : t('verify.page.submitCode')}
            </button>
          </div>
        </form>
      </section>

      <div ref={resultRef} tabIndex={-1} aria-labelledby={result || notFound ? resultId : undefined} className="lookup-result" aria-live="polite">
        {notFound && (
          <div className="notice notice-warning">
            <h2 id={resultId} className="notice-title">
              {t('verify.page.resultTitle')}
            </h2>
            <p>{t('verify.page.notFound')}</p>
          </div>
        )}
        {result && (
          <section>
            <h2 id={resultId}>{t('verify.page.resultTitle')}</h2>
            <p className={verdictClass(result)} data-verdict={result.verdict.code}>
              <strong>
                <span aria-hidden="true">{mark(result)}</span>
                {verdictText(result)}
              </strong>
            </p>
            {result.signer && (
              <dl className="facts">
                <Fact label={t('verify.page.signer')}>{result.signer.commonName ?? result.signer.subject}</Fact>
                {result.signer.organization && <Fact label={t('verify.page.organization')}>{result.signer.organization}</Fact>}
                <Fact label={t('verify.page.signedAt')}>{result.signedAt ? t.dateTime(result.signedAt) : t('verify.page.unknown')}</Fact>
                <Fact label={t('verify.page.certValid')}>{yesNo(result.certificateValidAtSigning)}</Fact>
                <Fact label={t('verify.page.known')}>{yesNo(result.knownSigner)}</Fact>
                <Fact label={t('verify.page.serial')}>{result.signer.serial}</Fact>
                {result.document && (
                  <>
                    <Fact label={t('verify.page.dossier')}>{result.document.dossierCode}</Fact>
                    <Fact label={t('verify.page.issuedBy')}>{result.document.unitName}</Fact>
                    <Fact label={t('verify.page.procedure')}>
                      <span lang="vi">{result.document.procedureName}</span>
                    </Fact>
                  </>
                )}
              </dl>
            )}
            {result.registered?.sameFile && !result.document && <p>{t('verify.page.sameFile', { code: result.registered.verificationCode })}</p>}
            {result.problems.length > 0 && (
              <>
                <h3>{t('verify.page.problems')}</h3>
                <ul>
                  {result.problems.map((p) => (
                    <li key={p.code}>{t.lang === 'vi' ? p.vi : p.en}</li>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}
      </div>
    </>
  );
}
