import { useState, type FormEvent } from 'react';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading } from '../components/PageHeading.js';
import { SearchBox } from '../components/SearchBox.js';
import { pick, useT } from '../i18n/index.js';
import { Link, useRouter } from '../router.js';
import { useSession } from '../session.js';
import type { Field } from '../types.js';
import { useApi } from '../useApi.js';
import { withQuery } from '../api.js';

export default function Home() {
  const t = useT();
  const { navigate } = useRouter();
  const { user } = useSession();
  const [q, setQ] = useState('');
  const fields = useApi<{ items: Field[] }>('/api/fields');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(withQuery('/tim-kiem', { q: q.trim() }));
  };

  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <PageHeading title={t('home.title')} id="home-title">
          {t('home.title')}
        </PageHeading>
        <p className="lead">{t('home.intro')}</p>
        <form role="search" action="/tim-kiem" method="get" onSubmit={submit}>
          <SearchBox value={q} onChange={setQ} big />
        </form>
      </section>

      <section aria-labelledby="fields-title">
        <h2 id="fields-title">{t('home.fieldsTitle')}</h2>
        {fields.error !== undefined && <ErrorBox error={fields.error} onRetry={fields.reload} />}
        {fields.loading && <Loading />}
        {fields.data && (
          <ul className="field-list">
            {fields.data.items
              .filter((f) => f.procedureCount > 0)
              .map((f) => {
                const name = pick(t, f.name, f.nameEn);
                return (
                  <li key={f.code}>
                    <Link to={withQuery('/tim-kiem', { field: f.code })}>
                      <span className="field-name" lang={name.lang}>
                        {name.text}
                      </span>
                      <span className="field-count">{t.plural('home.fieldCount', f.procedureCount)}</span>
                    </Link>
                  </li>
                );
              })}
          </ul>
        )}
      </section>

      <section aria-labelledby="follow-title" className="panel">
        <h2 id="follow-title">{t('home.followTitle')}</h2>
        <p>{t('home.followText')}</p>
        {user ? (
          <p>
            <Link to="/ho-so-cua-toi">{t('home.followLink')}</Link>
          </p>
        ) : (
          <p>
            <a href={`/api/auth/oidc/login?returnTo=${encodeURIComponent('/ho-so-cua-toi')}`}>{t('home.followLogin')}</a>
          </p>
        )}
      </section>
    </>
  );
}
