/**
 * Issuing the electronic result of a finished dossier: the leader or specialist of the deciding
 * unit signs it (PAdES, the unit's key) once; afterwards anyone can check it at /verify.
 */
import { useState } from 'react';
import { ApiError } from '../api.js';
import { problemsFromError } from '../components/portal/forms.js';
import { send } from '../components/portal/http.js';
import { useT } from '../i18n/index.js';
import { useSession } from '../session.js';

interface Issued {
  verificationCode: string;
  signerSubject: string;
  signedAt: string;
}

const SIGNERS = ['unit_leader', 'specialist'];

export function SignResult({ code, statusCode }: { code: string; statusCode: number }) {
  const t = useT();
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [already, setAlready] = useState(false);
  const [error, setError] = useState('');
  if (statusCode !== 9 && statusCode !== 10) return null;
  if (!user || !SIGNERS.includes(user.role)) return null;

  const pdf = `/api/dossiers/${encodeURIComponent(code)}/result.pdf`;
  const sign = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      setIssued(await send<Issued>('POST', `/api/dossiers/${encodeURIComponent(code)}/result`));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'result_already_signed') setAlready(true);
      else setError(problemsFromError(err, t, () => null).map((p) => p.text).join(' '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="ws-sign-title">
      <h2 id="ws-sign-title">{t('ws.sign.title')}</h2>
      {issued ? (
        <div role="status">
          <p>{t('ws.sign.done', { code: issued.verificationCode, at: t.dateTime(issued.signedAt) })}</p>
          <p>
            <a href={pdf}>{t('ws.sign.download')}</a> · <a href={`/verify?code=${encodeURIComponent(issued.verificationCode)}`}>{t('ws.sign.verify')}</a>
          </p>
        </div>
      ) : already ? (
        <p role="status">
          {t('ws.sign.already')} <a href={pdf}>{t('ws.sign.download')}</a>
        </p>
      ) : (
        <>
          <p>{t('ws.sign.intro')}</p>
          <button type="button" className="button" onClick={() => void sign()} disabled={busy} aria-disabled={busy}>
            {busy ? t('ws.sign.signing') : t('ws.sign.button')}
          </button>
        </>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
