/**
 * /can-bo/dang-nhap: officials log in with username and password (POST /api/auth/login), then go
 * to their queues (or back to the workspace page that sent them here).
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, setCsrfToken } from '../api.js';
import { PageHeading } from '../components/PageHeading.js';
import { byField, Control, describedBy, ErrorSummary, problemsFromError, type Problem } from '../components/portal/forms.js';
import { useT } from '../i18n/index.js';
import { useRouter, useSearchParams } from '../router.js';
import type { PageProps } from '../routes.js';
import { useSession } from '../session.js';
import type { Session } from '../types.js';
import { isStaffUser } from './common.js';

/** Only paths inside the workspace or the leaders' dashboard: never an open redirect. */
function safeReturn(raw: string | null): string {
  return raw && /^\/(can-bo|lanh-dao)(\/[^/\\]*)*(\?.*)?$/.test(raw) && !raw.startsWith('/can-bo/dang-nhap') ? raw : '/can-bo';
}

export default function StaffLogin(_props: PageProps) {
  const t = useT();
  const { navigate } = useRouter();
  const params = useSearchParams();
  const { user, refresh } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const title = t('ws.login.title');
  const target = safeReturn(params.get('returnTo'));

  const fail = (p: Problem[]) => {
    setProblems(p);
    setAttempt((a) => a + 1);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Problem[] = [];
    if (!username.trim()) local.push({ fieldId: 'ws-username', text: t('ws.login.usernameMissing') });
    if (!password) local.push({ fieldId: 'ws-password', text: t('ws.login.passwordMissing') });
    if (local.length) return fail(local);
    setBusy(true);
    try {
      const s = await api.post<Session>('/api/auth/login', { username: username.trim(), password });
      setCsrfToken(s.csrfToken);
      await refresh();
      navigate(target);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) fail([{ fieldId: null, text: t('ws.login.rateLimited') }, ...problemsFromError(err, t, () => null)]);
      else if (err instanceof ApiError && err.status === 401) fail([{ fieldId: 'ws-password', text: t('ws.login.wrong') }]);
      else fail(problemsFromError(err, t, (f) => (f === 'username' ? 'ws-username' : f === 'password' ? 'ws-password' : null)));
    } finally {
      setBusy(false);
    }
  };

  const errors = byField(problems);
  return (
    <div className="narrow">
      <PageHeading title={title}>{title}</PageHeading>
      {isStaffUser(user) && <p className="notice">{t('ws.login.already', { name: user.fullName })}</p>}
      <p>{t('ws.login.intro')}</p>
      <ErrorSummary problems={problems} attempt={attempt} />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Control id="ws-username" label={t('ws.login.username')} error={errors['ws-username']} required>
          <input
            id="ws-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            aria-invalid={errors['ws-username'] ? true : undefined}
            aria-describedby={describedBy('ws-username', false, Boolean(errors['ws-username']))}
            onChange={(e) => setUsername(e.target.value)}
          />
        </Control>
        <Control id="ws-password" label={t('ws.login.password')} error={errors['ws-password']} required>
          <input
            id="ws-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            aria-invalid={errors['ws-password'] ? true : undefined}
            aria-describedby={describedBy('ws-password', false, Boolean(errors['ws-password']))}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Control>
        <p className="button-row">
          <button type="submit" className="button" disabled={busy} aria-disabled={busy}>
            {busy ? t('ws.login.sending') : t('ws.login.submit')}
          </button>
        </p>
      </form>
      <p className="muted">{t('ws.login.citizenHint')}</p>
    </div>
  );
}
