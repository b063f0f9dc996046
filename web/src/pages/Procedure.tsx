import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { FeeCalculator } from '../components/FeeCalculator.js';
import { PageHeading } from '../components/PageHeading.js';
import { feeNote, feeText, timeLimitText } from '../format.js';
import { pick, useT, type Translate } from '../i18n/index.js';
import { Link } from '../router.js';
import type { PageProps } from '../routes.js';
import type { ProcedureCase, ProcedureDetail, ProcedureDocument, Unit } from '../types.js';
import { useApi } from '../useApi.js';

const VERIFY_KEYS = ['code', 'timeLimit', 'fee', 'documents', 'legalBasis'] as const;
const UNIT_KINDS = ['commune', 'ward', 'department', 'province'] as const;

/** Names of the listed receiving units (a procedure lists a handful at most). */
function useUnitNames(codes: readonly string[]): Map<string, Unit> {
  const [units, setUnits] = useState(new Map<string, Unit>());
  const key = codes.join(',');
  useEffect(() => {
    if (key === '') return;
    let live = true;
    void Promise.all(
      key
        .split(',')
        .slice(0, 20)
        .map((c) => api.get<Unit>(`/api/units/${encodeURIComponent(c)}`).catch(() => null)),
    ).then((list) => {
      if (live) setUnits(new Map(list.filter((u): u is Unit => u !== null).map((u) => [u.code, u])));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return units;
}

function docsFor(docs: readonly ProcedureDocument[], caseCode: string): ProcedureDocument[] {
  return docs.filter((d) => d.caseCodes.length === 0 || d.caseCodes.includes(caseCode));
}

function DocumentItem({ doc }: { doc: ProcedureDocument }) {
  const t = useT();
  const name = pick(t, doc.name, doc.nameEn);
  const details = [t.plural('doc.copies', doc.copies), doc.originalRequired ? t('doc.original') : t('doc.anyCopy')];
  if (!doc.required) details.push(t('doc.optional'));
  // Document notes are written "Vietnamese / English" like fee notes.
  const docNote = feeNote(t, doc.note);
  return (
    <li>
      <span lang={name.lang}>{name.text}</span> <span className="doc-meta">({details.join(t('common.listSeparator'))})</span>
      {docNote && (
        <span className="doc-note" lang={docNote.lang}>
          {docNote.text}
        </span>
      )}
    </li>
  );
}

function CaseSection({ p, c, index }: { p: ProcedureDetail; c: ProcedureCase; index: number }) {
  const t = useT();
  const name = pick(t, c.name, c.nameEn);
  const headingId = `case-${index}`;
  const note = feeNote(t, c.fee.note);
  const docs = docsFor(p.documents, c.code);
  const online = p.onlineLevel !== 'none';
  return (
    <section className="case" aria-labelledby={headingId}>
      <h3 id={headingId} lang={name.lang}>
        {name.text}
      </h3>
      <dl className="facts">
        <div>
          <dt>{t('proc.timeLimit')}</dt>
          <dd>{timeLimitText(t, c.timeLimit)}</dd>
        </div>
        {c.serviceNorm && (
          <div>
            <dt>{t('proc.serviceNorm')}</dt>
            <dd>{timeLimitText(t, c.serviceNorm)}</dd>
          </div>
        )}
        <div>
          <dt>{t('proc.fee')}</dt>
          <dd>
            {feeText(t, c.fee)}
            {note && (
              <span className="fee-note" lang={note.lang}>
                {note.text}
              </span>
            )}
          </dd>
        </div>
      </dl>
      {c.fee.kind === 'per_page' && <FeeCalculator rule={c.fee} />}
      <h4>{t('proc.documents')}</h4>
      {docs.length === 0 ? (
        <p>{t('proc.noDocuments')}</p>
      ) : (
        <ol className="documents">
          {docs.map((d) => (
            <DocumentItem key={d.seq} doc={d} />
          ))}
        </ol>
      )}
      {online && (
        <p>
          <Link className="button" to={`/nop-ho-so/${encodeURIComponent(p.code)}?case=${encodeURIComponent(c.code)}`} aria-describedby={headingId}>
            {t('proc.submitOnline')}
          </Link>
        </p>
      )}
    </section>
  );
}

function whereKinds(t: Translate, kinds: readonly string[]): string {
  return UNIT_KINDS.filter((k) => kinds.includes(k))
    .map((k) => t(`unitKind.${k}`))
    .join(t('common.listSeparator'));
}

export default function Procedure({ params }: PageProps) {
  const t = useT();
  const code = params.code ?? '';
  const { data: p, error, loading, reload } = useApi<ProcedureDetail>(`/api/procedures/${encodeURIComponent(code)}`);
  const units = useUnitNames(p?.implementingUnits ?? []);

  if (error !== undefined) {
    const missing = error instanceof ApiError && (error.status === 404 || error.status === 400);
    return (
      <>
        <PageHeading title={missing ? t('proc.notFound', { code }) : t('error.title')}>{missing ? t('proc.notFound', { code }) : t('error.title')}</PageHeading>
        {!missing && <ErrorBox error={error} onRetry={reload} />}
        <p>
          <Link to="/tim-kiem">{t('proc.backToSearch')}</Link>
        </p>
      </>
    );
  }
  if (loading || !p) return <Loading />;

  const name = pick(t, p.name, p.nameEn);
  const field = pick(t, p.fieldName, p.fieldNameEn);
  const toVerify = VERIFY_KEYS.filter((k) => p.verification[k] === 'to_verify').map((k) => t(`verify.${k}`));
  const kinds = whereKinds(t, p.implementingUnitKinds);
  const unitNames = p.implementingUnits.map((c) => {
    const u = units.get(c);
    return u ? pick(t, u.name, u.nameEn).text : c;
  });
  const vi = t.lang === 'vi' ? undefined : 'vi';

  return (
    <article className="procedure">
      <p className="breadcrumb">
        <Link to="/tim-kiem">{t('proc.backToSearch')}</Link>
      </p>
      <PageHeading title={name.text}>
        <span lang={name.lang}>{name.text}</span>
      </PageHeading>
      <p className="card-meta">
        <span>{t('search.codeLabel', { code: p.code })}</span>
        <span className={`badge badge-${p.onlineLevel}`}>{t(`online.${p.onlineLevel}`)}</span>
      </p>

      {toVerify.length > 0 && (
        <p className="notice notice-warning">{t('proc.toVerify', { items: toVerify.join(t('common.listSeparator')) })}</p>
      )}

      <section aria-labelledby="overview">
        <h2 id="overview">{t('proc.overview')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('proc.code')}</dt>
            <dd>{p.code}</dd>
          </div>
          <div>
            <dt>{t('proc.field')}</dt>
            <dd lang={field.lang}>{field.text}</dd>
          </div>
          <div>
            <dt>{t('proc.level')}</dt>
            <dd>{t(`level.${p.level}`)}</dd>
          </div>
          <div>
            <dt>{t('proc.body')}</dt>
            <dd lang={vi}>{p.implementingBody}</dd>
          </div>
          <div>
            <dt>{t('proc.applicants')}</dt>
            <dd>
              {p.applicantTypes
                .filter((a): a is 'citizen' | 'business' => a === 'citizen' || a === 'business')
                .map((a) => t(`applicant.${a}`))
                .join(t('common.listSeparator'))}
            </dd>
          </div>
          <div>
            <dt>{t('proc.result')}</dt>
            <dd>
              <span lang={vi}>{p.resultName}</span> ({t(`resultType.${p.resultType}`)})
            </dd>
          </div>
          <div>
            <dt>{t('proc.online')}</dt>
            <dd>
              {t(`online.${p.onlineLevel}`)}. {p.fullOnlineEligible ? t('proc.fullOnlineYes') : t('proc.fullOnlineNo')}
            </dd>
          </div>
          <div>
            <dt>{t('proc.legalBasis')}</dt>
            <dd lang={vi}>
              <ul className="plain">
                {p.legalBasis
                  .split(';')
                  .map((s) => s.trim())
                  .filter(Boolean)
                  .map((s) => (
                    <li key={s}>{s}</li>
                  ))}
              </ul>
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="where">
        <h2 id="where">{t('proc.where')}</h2>
        <ul>
          {kinds !== '' && <li>{t('proc.whereKinds', { kinds })}</li>}
          {unitNames.length > 0 && <li>{t('proc.whereUnits', { units: unitNames.join(t('common.listSeparator')) })}</li>}
          {p.noBoundary && <li>{t('proc.noBoundary')}</li>}
          {p.onlineLevel !== 'none' && <li>{t('proc.whereOnline')}</li>}
        </ul>
      </section>

      <section aria-labelledby="cases">
        <h2 id="cases">{t('proc.cases')}</h2>
        {p.cases.length > 1 && <p>{t('proc.casesIntro')}</p>}
        {p.onlineLevel === 'none' && <p className="notice">{t('proc.notOnline')}</p>}
        {p.cases.map((c, i) => (
          <CaseSection key={c.code} p={p} c={c} index={i} />
        ))}
      </section>

      <p className="updated">{t('proc.updatedAt', { date: t.dateTime(p.updatedAt) })}</p>
    </article>
  );
}
