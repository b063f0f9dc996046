/**
 * /can-bo/tiep-nhan: the desk officer receives a walk-in applicant: finds the procedure, picks the
 * case, types the applicant's details, scans or uploads the documents, and creates the dossier
 * (channel 1, received at once with its appointment). Then the receipt (form 1) can be printed.
 */
import { useRef, useState, type FormEvent } from 'react';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading } from '../components/PageHeading.js';
import { DocumentUpload } from '../components/portal/DocumentUpload.js';
import { byField, Control, describedBy, EFormField, ErrorSummary, fieldId, problemsFromError, type Problem } from '../components/portal/forms.js';
import type { FormField } from '../../../src/core/eform.js';
import { newIdempotencyKey, send } from '../components/portal/http.js';
import type { Attachment } from '../components/portal/types.js';
import { useT } from '../i18n/index.js';
import { Link } from '../router.js';
import type { PageProps } from '../routes.js';
import type { Page, ProcedureDetail, ProcedureSummary } from '../types.js';
import { useApi } from '../useApi.js';
import { StaffOnly, WorkspaceNav, type StaffDossier } from './common.js';

export default function WalkIn(_props: PageProps) {
  const t = useT();
  const title = t('ws.walkin.title');
  return (
    <StaffOnly title={title}>
      <Inner title={title} />
    </StaffOnly>
  );
}

const APPLICANT_FIELDS = ['name', 'idNumber', 'phone', 'email', 'address'] as const;
type ApplicantField = (typeof APPLICANT_FIELDS)[number];

function Inner({ title }: { title: string }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState<string | null>(null);
  const results = useApi<Page<ProcedureSummary>>(search === null ? null : '/api/procedures', { q: search ?? '', limit: 10 });
  const [code, setCode] = useState<string | null>(null);
  const detail = useApi<ProcedureDetail>(code ? `/api/procedures/${encodeURIComponent(code)}` : null);
  const [created, setCreated] = useState<StaffDossier | null>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setSearch(q.trim());
    setCode(null);
  };

  if (created) return <Created title={title} dossier={created} onAnother={() => {
    setCreated(null);
    setCode(null);
    setSearch(null);
    setQ('');
  }} />;

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <WorkspaceNav />
      <p>{t('ws.walkin.intro')}</p>
      <section aria-labelledby="ws-w-step1">
        <h2 id="ws-w-step1">{t('ws.walkin.step1')}</h2>
        <form role="search" onSubmit={onSearch} className="ws-filter-row">
          <div className="control">
            <label htmlFor="ws-w-q">{t('ws.walkin.search')}</label>
            <p id="ws-w-q-hint" className="hint">
              {t('ws.walkin.searchHint')}
            </p>
            <input id="ws-w-q" type="search" value={q} aria-describedby="ws-w-q-hint" onChange={(e) => setQ(e.target.value)} />
          </div>
          <p>
            <button type="submit" className="button button-secondary">
              {t('ws.walkin.searchButton')}
            </button>
          </p>
        </form>
        {results.error !== undefined && <ErrorBox error={results.error} onRetry={results.reload} />}
        {results.loading && <Loading />}
        {results.data && (
          <>
            <h3 ref={resultsHeading} tabIndex={-1} className="ws-small-heading" role="status">
              {results.data.items.length === 0 ? t('ws.walkin.noResults') : t('ws.walkin.results', { n: t.number(results.data.items.length) })}
            </h3>
            <ul className="ws-choice-list">
              {results.data.items.map((p) => (
                <li key={p.code}>
                  <button type="button" className={code === p.code ? 'button' : 'button button-secondary'} aria-pressed={code === p.code} onClick={() => setCode(p.code)}>
                    {t('ws.walkin.choose')}
                  </button>{' '}
                  <span lang={t.lang === 'en' ? 'en' : 'vi'}>{t.lang === 'en' && p.nameEn ? p.nameEn : p.name}</span> <span className="muted">({p.code})</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {code && detail.error !== undefined && <ErrorBox error={detail.error} onRetry={detail.reload} />}
      {code && detail.loading && <Loading />}
      {detail.data && detail.data.code === code && <WalkInForm key={code} procedure={detail.data} onCreated={setCreated} />}
    </>
  );
}

function WalkInForm({ procedure, onCreated }: { procedure: ProcedureDetail; onCreated: (d: StaffDossier) => void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const [caseCode, setCaseCode] = useState(procedure.cases.length === 1 ? procedure.cases[0]!.code : '');
  const [applicant, setApplicant] = useState<Record<ApplicantField, string>>({ name: '', idNumber: '', phone: '', email: '', address: '' });
  const [formValues, setFormValues] = useState<Record<string, unknown>>({});
  const formFields = procedure.form as FormField[];
  const [files, setFiles] = useState<Attachment[]>([]);
  // In person (1) or received by post (3), with the parcel's tracking number (mã bưu gửi).
  const [channel, setChannel] = useState<1 | 3>(1);
  const [tracking, setTracking] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const pname = t.lang === 'en' && procedure.nameEn ? procedure.nameEn : procedure.name;
  const docs = procedure.documents.filter((d) => d.caseCodes.length === 0 || !caseCode || d.caseCodes.includes(caseCode));
  const errors = byField(problems);

  const fieldOf = (apiField: string): string | null => {
    const m = /^\/?applicant[./](\w+)$/.exec(apiField);
    if (m && (APPLICANT_FIELDS as readonly string[]).includes(m[1]!)) return `ws-w-${m[1]}`;
    if (apiField === 'caseCode' || apiField === '/caseCode') return 'ws-w-case';
    if (apiField === 'postalTrackingNumber' || apiField === '/postalTrackingNumber') return 'ws-w-tracking';
    const f = /^\/?formData[./](\w+)$/.exec(apiField);
    if (f) return fieldId(f[1]!);
    return null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Problem[] = [];
    if (!caseCode) local.push({ fieldId: 'ws-w-case', text: t('ws.walkin.err.case') });
    if (!applicant.name.trim()) local.push({ fieldId: 'ws-w-name', text: t('ws.walkin.err.name') });
    if (applicant.phone.trim() && !/^\+?[0-9]{8,15}$/.test(applicant.phone.trim())) local.push({ fieldId: 'ws-w-phone', text: t('ws.walkin.err.phone') });
    if (applicant.idNumber.trim() && !/^[0-9A-Za-z]{6,20}$/.test(applicant.idNumber.trim())) local.push({ fieldId: 'ws-w-idNumber', text: t('ws.walkin.err.idNumber') });
    if (channel === 3 && tracking.trim() && !/^[A-Za-z0-9-]{4,40}$/.test(tracking.trim())) local.push({ fieldId: 'ws-w-tracking', text: t('ws.walkin.err.tracking') });
    if (local.length) {
      setProblems(local);
      setAttempt((a) => a + 1);
      return;
    }
    const app: Record<string, string> = {};
    for (const f of APPLICANT_FIELDS) if (applicant[f].trim()) app[f] = applicant[f].trim();
    const body: Record<string, unknown> = { procedureCode: procedure.code, caseCode, channel, applicant: app, attachments: files.map((f) => ({ id: f.id })) };
    if (channel === 3 && tracking.trim()) body.postalTrackingNumber = tracking.trim();
    const formData = Object.fromEntries(Object.entries(formValues).filter(([, v]) => v !== undefined && v !== '' && v !== false));
    if (Object.keys(formData).length) body.formData = formData;
    setBusy(true);
    try {
      const d = await send<StaffDossier>('POST', '/api/dossiers', { json: body, idempotencyKey: key.current });
      onCreated(d);
    } catch (err) {
      setProblems(problemsFromError(err, t, fieldOf));
      setAttempt((a) => a + 1);
    } finally {
      setBusy(false);
    }
  };

  const input = (f: ApplicantField, label: string, opts: { required?: boolean; type?: string; autoComplete?: string; hint?: string; inputMode?: 'numeric' | 'tel' | 'email' } = {}) => {
    const id = `ws-w-${f}`;
    return (
      <Control id={id} label={label} hint={opts.hint} error={errors[id]} required={opts.required}>
        <input
          id={id}
          type={opts.type ?? 'text'}
          inputMode={opts.inputMode}
          autoComplete="off"
          value={applicant[f]}
          aria-invalid={errors[id] ? true : undefined}
          aria-describedby={describedBy(id, Boolean(opts.hint), Boolean(errors[id]))}
          onChange={(e) => setApplicant((a) => ({ ...a, [f]: e.target.value }))}
        />
      </Control>
    );
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="ws-w-step2">
      <h2 id="ws-w-step2" ref={heading} tabIndex={-1}>
        {t('ws.walkin.step2', { name: pname })}
      </h2>
      <ErrorSummary problems={problems} attempt={attempt} />
      <Control id="ws-w-case" label={t('ws.walkin.case')} error={errors['ws-w-case']} required>
        <select id="ws-w-case" value={caseCode} aria-invalid={errors['ws-w-case'] ? true : undefined} aria-describedby={describedBy('ws-w-case', false, Boolean(errors['ws-w-case']))} onChange={(e) => setCaseCode(e.target.value)}>
          <option value="">{t('portal.choose')}</option>
          {procedure.cases.map((c) => (
            <option key={c.code} value={c.code}>
              {t.lang === 'en' && c.nameEn ? c.nameEn : c.name}
            </option>
          ))}
        </select>
      </Control>
      <fieldset className="ws-fieldset">
        <legend>{t('ws.walkin.channel')}</legend>
        {([1, 3] as const).map((c) => (
          <div className="radio-row" key={c}>
            <input type="radio" id={`ws-w-channel-${c}`} name="ws-w-channel" value={c} checked={channel === c} onChange={() => setChannel(c)} />
            <label htmlFor={`ws-w-channel-${c}`}>{c === 1 ? t('ws.walkin.channel1') : t('ws.walkin.channel3')}</label>
          </div>
        ))}
        {channel === 3 && (
          <Control id="ws-w-tracking" label={t('ws.walkin.tracking')} hint={t('ws.walkin.trackingHint')} error={errors['ws-w-tracking']}>
            <input
              id="ws-w-tracking"
              type="text"
              autoComplete="off"
              value={tracking}
              aria-invalid={errors['ws-w-tracking'] ? true : undefined}
              aria-describedby={describedBy('ws-w-tracking', true, Boolean(errors['ws-w-tracking']))}
              onChange={(e) => setTracking(e.target.value)}
            />
          </Control>
        )}
      </fieldset>
      <fieldset className="ws-fieldset">
        <legend>{t('ws.dossier.applicant')}</legend>
        {input('name', t('ws.walkin.name'), { required: true })}
        {input('idNumber', t('ws.walkin.idNumber'), { inputMode: 'numeric', hint: t('portal.hint.idNumber') })}
        {input('phone', t('ws.walkin.phone'), { type: 'tel', inputMode: 'tel', hint: t('portal.hint.phone') })}
        {input('email', t('ws.walkin.email'), { type: 'email', inputMode: 'email' })}
        {input('address', t('ws.walkin.address'))}
      </fieldset>
      {formFields.length > 0 && (
        <details className="ws-eform" open={Object.keys(errors).some((k) => k.startsWith('ef-')) || undefined}>
          <summary>{t('ws.walkin.eform')}</summary>
          <p className="hint">{t('ws.walkin.eformHint')}</p>
          {formFields.map((f) => (
            <EFormField key={f.key} field={f} value={formValues[f.key]} error={errors[fieldId(f.key)]} onChange={(v) => setFormValues((fv) => ({ ...fv, [f.key]: v }))} />
          ))}
        </details>
      )}
      <fieldset className="ws-fieldset">
        <legend>{t('ws.walkin.documents')}</legend>
        <p className="hint">{t('ws.walkin.documentsHint')}</p>
        {[...docs.map((d) => ({ seq: d.seq as number | null, label: `${d.seq}. ${t.lang === 'en' && d.nameEn ? d.nameEn : d.name}` })), { seq: null, label: t('ws.walkin.otherDocument') }].map((d) => (
          <DocumentUpload
            key={d.seq ?? 'other'}
            id={`ws-w-doc-${d.seq ?? 'other'}`}
            procedureCode={procedure.code}
            documentSeq={d.seq}
            label={d.label}
            files={files.filter((f) => f.documentSeq === d.seq)}
            onAdded={(a) => setFiles((fs) => [...fs, a])}
            onRemoved={(id) => setFiles((fs) => fs.filter((f) => f.id !== id))}
          />
        ))}
      </fieldset>
      <p className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('ws.walkin.sending') : t('ws.walkin.submit')}
        </button>
      </p>
    </form>
  );
}

function Created({ title, dossier, onAnother }: { title: string; dossier: StaffDossier; onAnother: () => void }) {
  const t = useT();
  const code = encodeURIComponent(dossier.code);
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <WorkspaceNav />
      <div className="notice notice-success" role="status">
        <p className="notice-title">{t('ws.walkin.created', { code: dossier.code })}</p>
        {dossier.appointmentAt && <p>{t('ws.walkin.appointment', { date: t.dateTime(dossier.appointmentAt) })}</p>}
      </div>
      <p className="button-row">
        <a className="button" href={`/api/dossiers/${code}/receipt.pdf`} target="_blank" rel="noopener">
          {t('ws.walkin.receipt')}
          <span className="visually-hidden"> {t('ws.newTab')}</span>
        </a>
        <Link className="button button-secondary" to={`/can-bo/ho-so/${code}`}>
          {t('ws.walkin.open')}
        </Link>
        <button type="button" className="button-link" onClick={onAnother}>
          {t('ws.walkin.another')}
        </button>
      </p>
    </>
  );
}
