import { pick, useT } from '../i18n/index.js';
import { Link } from '../router.js';
import type { ProcedureSummary } from '../types.js';

/** One search result: name (link), code, field, level and online service level. */
export function ProcedureCard({ procedure: p }: { procedure: ProcedureSummary }) {
  const t = useT();
  const name = pick(t, p.name, p.nameEn);
  const field = pick(t, p.fieldName, p.fieldNameEn);
  return (
    <article className="card">
      <h3 className="card-title">
        <Link to={`/thu-tuc/${encodeURIComponent(p.code)}`} lang={name.lang}>
          {name.text}
        </Link>
      </h3>
      <p className="card-meta">
        <span>{t('search.codeLabel', { code: p.code })}</span>
        <span lang={field.lang}>{field.text}</span>
        <span>{t(`level.${p.level}`)}</span>
        <span className={`badge badge-${p.onlineLevel}`}>{t(`online.${p.onlineLevel}`)}</span>
      </p>
      <p className="card-body" lang={t.lang === 'vi' ? undefined : 'vi'}>
        {p.implementingBody}
      </p>
    </article>
  );
}
