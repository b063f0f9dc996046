import { useState } from 'react';
import { api } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading } from '../components/PageHeading.js';
import { useT } from '../i18n/index.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import type { Page } from '../types.js';
import type { Dossier } from '../components/portal/types.js';
import { LoginPrompt } from '../components/portal/LoginPrompt.js';

type DossierSummary = Dossier;

/** What the applicant has to do now, if anything. */
function actionKey(d: Dossier) {
  if (d.statusCode === 5) return 'my.action.supplement' as const;
  if (d.statusCode === 6 && (d.feeAmount ?? 0) > 0 && !d.paidAt) return 'my.action.pay' as const;
  if (d.statusCode === 9 || d.statusCode === 10) return 'my.action.rate' as const;
  return null;
}
import { useApi } from '../useApi.js';

/** The logged-in applicant's dossiers (GET /api/me/dossiers), newest first, page by page, each linked to its page. */
export default function MyDossiers() {
  const t = useT();
  const { user } = useSession();
  const first = useApi<Page<DossierSummary>>(user ? '/api/me/dossiers' : null);
  const [more, setMore] = useState<{ items: DossierSummary[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(undefined);

  const title = t('my.title');
  if (user === undefined) return <Loading />;
  if (user === null) return <LoginPrompt title={title} text={t('my.loginFirst')} button={t('home.followLogin')} />;

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.get<Page<DossierSummary>>('/api/me/dossiers', { cursor: nextCursor });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setMoreError(err);
    }
  };

  return (
    <>
      <PageHeading title={title} ready={!first.loading}>
        {title}
      </PageHeading>
      {first.error !== undefined && <ErrorBox error={first.error} onRetry={first.reload} />}
      {first.loading && <Loading />}
      {first.data && items.length === 0 && <p>{t('my.empty')}</p>}
      {items.length > 0 && (
        <div className="table-wrap" role="region" aria-label={t('my.caption')} tabIndex={0}>
          <table className="table">
            <caption>{t('my.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('my.code')}</th>
                <th scope="col">{t('my.procedure')}</th>
                <th scope="col">{t('my.status')}</th>
                <th scope="col">{t('my.submittedAt')}</th>
                <th scope="col">{t('my.appointmentAt')}</th>
                <th scope="col">{t('my.action')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.code}>
                  <th scope="row">
                    <Link to={`/ho-so/${encodeURIComponent(d.code)}`}>{d.code}</Link>
                  </th>
                  <td lang={t.lang === 'vi' ? undefined : 'vi'}>{d.procedureName ?? d.procedureCode}</td>
                  <td>{t.lang === 'vi' ? d.statusName.vi : d.statusName.en}</td>
                  <td>{t.dateTime(d.submittedAt)}</td>
                  <td>{d.appointmentAt ? t.dateTime(d.appointmentAt) : t('my.none')}</td>
                  <td>
                    {(() => {
                      const k = actionKey(d);
                      if (!k) return t('my.none');
                      const to = k === 'my.action.pay' ? `/ho-so/${encodeURIComponent(d.code)}/thanh-toan` : `/ho-so/${encodeURIComponent(d.code)}`;
                      return (
                        <Link to={to} aria-label={`${t(k)} — ${d.code}`}>
                          {t(k)}
                        </Link>
                      );
                    })()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {moreError !== undefined && <ErrorBox error={moreError} />}
      {nextCursor && (
        <p>
          <button type="button" className="button button-secondary" onClick={() => void loadMore()}>
            {t('common.loadMore')}
          </button>
        </p>
      )}
    </>
  );
}
