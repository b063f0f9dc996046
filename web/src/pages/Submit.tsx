/**
 * Online submission (issue 3 §3): choose the case, fill the procedure's e-form (identity fields
 * prefilled from the login), attach each document, save a draft, submit once. The form is checked
 * with the same code the server uses (src/core/eform.ts); the server's field errors are shown at
 * their fields. One Idempotency-Key per submission attempt, reused when the same attempt is sent
 * again (double click, retry after a network error), so one dossier is made.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { PageHeading, LoadingPage } from '../components/PageHeading.js';
import { DocumentUpload } from '../components/portal/DocumentUpload.js';
import { byField, Control, describedBy, EFormField, ErrorSummary, FieldMessage, fieldId, problemsFromError, Status, type Problem } from '../components/portal/forms.js';
import { newIdempotencyKey, send } from '../components/portal/http.js';
import type { Attachment, Dossier, Draft, Prefill } from '../components/portal/types.js';
import { prefillValues, validateFormData, type FormDefinition } from '../../../src/core/eform.js';
import { pick, useT } from '../i18n/index.js';
import { Link, useRouter, useSearchParams } from '../router.js';
import type { PageProps } from '../routes.js';
import { useSession } from '../session.js';
import type { ProcedureDetail, Unit } from '../types.js';
import { feeText, timeLimitText } from '../format.js';
import { useApi } from '../useApi.js';

const PROVINCE = 'H15';
const UNIT_FIELD = 'receiving-unit';
const unitStorageKey = (code: string) => `motcua.receivingUnit.${code}`;

function loadSavedUnit(code: string): string {
  try {
    return window.localStorage.getItem(unitStorageKey(code)) ?? '';
  } catch {
    return '';
  }
}
function saveUnit(code: string, unit: string) {
  try {
    window.localStorage.setItem(unitStorageKey(code), unit);
  } catch {
    // Not remembered; the applicant chooses again next time.
  }
}

/** formData as sent: only the form's fields, blank text and empty numbers left out. */
function cleanValues(form: FormDefinition, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form) {
    const v = values[f.key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && v.trim() === '') continue;
    out[f.key] = v;
  }
  return out;
}

export default function Submit({ params }: PageProps) {
  const t = useT();
  const { user } = useSession();
  const { location } = useRouter();
  const code = params.code ?? '';
  const title = t('submit.title');

  if (user === undefined) return <Loading />;
  if (user === null) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <p>{t('submit.loginFirst')}</p>
        <p>
          <a className="button" href={`/api/auth/oidc/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`}>
            {t('submit.login')}
          </a>
        </p>
        <p>
          <Link to={`/thu-tuc/${encodeURIComponent(code)}`}>{t('submit.procedureLink', { code })}</Link>
        </p>
      </>
    );
  }
  if (user.role !== 'citizen') {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <p className="notice notice-warning">{t('submit.citizensOnly')}</p>
      </>
    );
  }
  return <SubmitForm code={code} />;
}

interface Initial {
  caseCode: string;
  values: Record<string, unknown>;
  attachments: Attachment[];
  draftSavedAt: string | null;
}

function SubmitForm({ code }: { code: string }) {
  const t = useT();
  const proc = useApi<ProcedureDetail>(`/api/procedures/${encodeURIComponent(code)}`);
  const prefill = useApi<Prefill>('/api/me/prefill');
  const [draft, setDraft] = useState<{ loaded: boolean; data: Draft | null; error: unknown }>({ loaded: false, data: null, error: undefined });

  useEffect(() => {
    let live = true;
    api
      .get<Draft>(`/api/drafts/${encodeURIComponent(code)}`)
      .then((d) => live && setDraft({ loaded: true, data: d, error: undefined }))
      .catch((err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 404) setDraft({ loaded: true, data: null, error: undefined });
        else setDraft({ loaded: true, data: null, error: err });
      });
    return () => {
      live = false;
    };
  }, [code]);

  const title = t('submit.title');
  if (proc.error !== undefined) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        {proc.error instanceof ApiError && proc.error.status === 404 ? <p className="notice notice-error">{t('proc.notFound', { code })}</p> : <ErrorBox error={proc.error} onRetry={proc.reload} />}
      </>
    );
  }
  if (!proc.data || !draft.loaded || (prefill.loading && prefill.error === undefined)) {
    return <LoadingPage title={title} />;
  }
  const p = proc.data;
  if (p.onlineLevel === 'none') {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <p className="notice notice-warning">{t('proc.notOnline')}</p>
        <p>
          <Link to={`/thu-tuc/${encodeURIComponent(code)}`}>{t('submit.procedureLink', { code })}</Link>
        </p>
      </>
    );
  }
  const form = (p.form ?? []) as FormDefinition;
  const keys = new Set(form.map((f) => f.key));
  const fromDraft = Object.fromEntries(Object.entries(draft.data?.formData ?? {}).filter(([k]) => keys.has(k)));
  const initial: Initial = {
    caseCode: draft.data?.caseCode ?? '',
    values: { ...(prefill.data ? prefillValues(form, prefill.data) : {}), ...fromDraft },
    attachments: draft.data?.attachments ?? [],
    draftSavedAt: draft.data?.updatedAt ?? null,
  };
  return <Filling proc={p} form={form} initial={initial} draftError={draft.error} prefillError={prefill.error} />;
}

function Filling({ proc, form, initial, draftError, prefillError }: { proc: ProcedureDetail; form: FormDefinition; initial: Initial; draftError: unknown; prefillError: unknown }) {
  const t = useT();
  const { navigate } = useRouter();
  const search = useSearchParams();
  const askedCase = search.get('case') ?? '';
  const firstCase = proc.cases[0]?.code ?? '';
  const validCase = (c: string) => proc.cases.some((x) => x.code === c);
  const [caseCode, setCaseCode] = useState(validCase(initial.caseCode) ? initial.caseCode : validCase(askedCase) ? askedCase : firstCase);
  const [values, setValues] = useState<Record<string, unknown>>(initial.values);
  const [attachments, setAttachments] = useState<Attachment[]>(initial.attachments);
  const [unit, setUnit] = useState(() => loadSavedUnit(proc.code));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [sending, setSending] = useState(false);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState(initial.draftSavedAt ? t('submit.draftRestored', { date: t.dateTime(initial.draftSavedAt) }) : '');
  const lastAttempt = useRef<{ body: string; key: string } | null>(null);
  const sendingRef = useRef(false);

  // Where the dossier is received: chosen by the applicant for commune procedures (or when the
  // catalog names no unit); a province procedure goes to its implementing unit.
  const needsUnit = proc.level === 'commune' || proc.implementingUnits.length === 0;
  const units = useApi<{ items: Unit[] }>(needsUnit ? '/api/units' : null, { parent: PROVINCE });
  const unitOptions = useMemo(
    () => (units.data?.items ?? []).filter((u) => proc.implementingUnitKinds.includes(u.kind) || proc.implementingUnits.includes(u.code)),
    [units.data, proc.implementingUnitKinds, proc.implementingUnits],
  );

  const kase = proc.cases.find((c) => c.code === caseCode);
  const documents = proc.documents.filter((d) => d.caseCodes.length === 0 || d.caseCodes.includes(caseCode));
  const docSeqs = new Set(documents.map((d) => d.seq));
  const errors = byField(problems);
  const procName = pick(t, proc.name, proc.nameEn);

  const keys = new Set(form.map((f) => f.key));
  const setValue = (key: string, v: unknown) => setValues((old) => ({ ...old, [key]: v }));
  const fail = (list: Problem[]) => {
    setProblems(list);
    setAttempt((a) => a + 1);
  };

  const toFieldId = (sent: Attachment[]) => (f: string): string | null => {
    if (f.startsWith('formData.')) {
      const key = f.slice('formData.'.length).split('.')[0]!;
      return keys.has(key) ? fieldId(key) : null;
    }
    if (f === 'caseCode') return `case-${firstCase}`;
    if (f === 'receivingUnit' || f === 'decidingUnit') return needsUnit ? UNIT_FIELD : null;
    const m = /^(?:attachments|attachmentIds)\.(\d+)/.exec(f);
    if (m) {
      const a = sent[Number(m[1])];
      return a ? `doc-${a.documentSeq ?? 'other'}` : null;
    }
    return null;
  };
  const draftBody = () => ({
    caseCode,
    formData: cleanValues(form, values),
    attachmentIds: attachments.map((a) => a.id),
  });

  const saveDraft = async () => {
    const partial = validateFormData(form, cleanValues(form, values), { partial: true });
    if (partial.length) {
      fail(partial.map((e) => ({ fieldId: toFieldId(attachments)(e.field), text: t.lang === 'vi' ? e.messageVi : e.message })));
      return;
    }
    setSaving(true);
    setStatus(t('submit.saving'));
    try {
      const d = await send<Draft>('PUT', `/api/drafts/${encodeURIComponent(proc.code)}`, { json: draftBody() });
      if (needsUnit && unit) saveUnit(proc.code, unit);
      setProblems([]);
      setStatus(t('submit.draftSaved', { date: t.dateTime(d.updatedAt) }));
    } catch (err) {
      setStatus('');
      fail(problemsFromError(err, t, toFieldId(attachments)));
    } finally {
      setSaving(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sendingRef.current) return;
    const formData = cleanValues(form, values);
    const list: Problem[] = [];
    if (!kase) list.push({ fieldId: `case-${firstCase}`, text: t('submit.caseRequired') });
    if (needsUnit && !unitOptions.some((u) => u.code === unit)) list.push({ fieldId: UNIT_FIELD, text: t('submit.unitRequired') });
    for (const p of validateFormData(form, formData)) list.push({ fieldId: toFieldId(attachments)(p.field), text: t.lang === 'vi' ? p.messageVi : p.message });
    if (list.length) {
      fail(list);
      setStatus('');
      return;
    }
    const sent = attachments.filter((a) => a.documentSeq === null || docSeqs.has(a.documentSeq));
    const body = {
      procedureCode: proc.code,
      caseCode,
      ...(needsUnit ? { receivingUnit: unit } : {}),
      formData,
      attachments: sent.map((a) => ({ id: a.id })),
    };
    const bodyText = JSON.stringify(body);
    // Same attempt (nothing changed since the last try): same key, so the server answers with the dossier it made.
    if (!lastAttempt.current || lastAttempt.current.body !== bodyText) lastAttempt.current = { body: bodyText, key: newIdempotencyKey() };
    sendingRef.current = true;
    setSending(true);
    setStatus(t('submit.sending'));
    try {
      const d = await send<Dossier>('POST', '/api/dossiers', { json: body, idempotencyKey: lastAttempt.current.key });
      if (needsUnit) saveUnit(proc.code, unit);
      navigate(`/ho-so/${encodeURIComponent(d.code)}/bien-nhan`);
    } catch (err) {
      setStatus('');
      fail(problemsFromError(err, t, toFieldId(sent)));
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  };

  const title = t('submit.title');
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/thu-tuc/${encodeURIComponent(proc.code)}`}>{t('submit.procedureLink', { code: proc.code })}</Link>
      </p>
      <PageHeading title={`${title}: ${procName.text}`}>
        {title}
        <span className="heading-sub" lang={procName.lang}>
          {procName.text}
        </span>
      </PageHeading>
      <ErrorSummary problems={problems} attempt={attempt} />
      {draftError !== undefined && <ErrorBox error={draftError} />}
      {prefillError !== undefined && <p className="notice notice-warning">{t('submit.prefillFailed')}</p>}
      <p className="lead">{t('submit.intro')}</p>
      <form noValidate onSubmit={(e) => void submit(e)} className="portal-form">
        <fieldset className="form-section">
          <legend>{t('submit.caseLegend')}</legend>
          <FieldMessage id={`case-${firstCase}`} error={errors[`case-${firstCase}`]} />
          <div className="radio-list">
            {proc.cases.map((c) => {
              const n = pick(t, c.name, c.nameEn);
              const id = `case-${c.code}`;
              return (
                <div className="radio-row" key={c.code}>
                  <input type="radio" id={id} name="caseCode" value={c.code} checked={caseCode === c.code} onChange={() => setCaseCode(c.code)} aria-describedby={`${id}-facts`} />
                  <label htmlFor={id}>
                    <span lang={n.lang}>{n.text}</span>
                  </label>
                  <p id={`${id}-facts`} className="hint radio-hint">
                    {t('submit.caseFacts', { time: timeLimitText(t, c.timeLimit), fee: feeText(t, c.fee) })}
                  </p>
                </div>
              );
            })}
          </div>
        </fieldset>

        {needsUnit && (
          <fieldset className="form-section">
            <legend>{t('submit.unitLegend')}</legend>
            {units.error !== undefined ? (
              <ErrorBox error={units.error} onRetry={units.reload} />
            ) : (
              <Control id={UNIT_FIELD} label={t('submit.unitLabel')} hint={t('submit.unitHint')} error={errors[UNIT_FIELD]} required>
                <select
                  id={UNIT_FIELD}
                  value={unit}
                  onChange={(e) => setUnit(e.target.value)}
                  aria-invalid={errors[UNIT_FIELD] ? true : undefined}
                  aria-describedby={describedBy(UNIT_FIELD, true, Boolean(errors[UNIT_FIELD]))}
                  aria-required
                >
                  <option value="">{units.loading ? t('common.loading') : t('portal.choose')}</option>
                  {unitOptions.map((u) => {
                    const n = pick(t, u.name, u.nameEn);
                    return (
                      <option key={u.code} value={u.code} lang={n.lang}>
                        {n.text}
                      </option>
                    );
                  })}
                </select>
              </Control>
            )}
          </fieldset>
        )}

        <fieldset className="form-section">
          <legend>{t('submit.formLegend')}</legend>
          {form.length === 0 ? (
            <p>{t('submit.noForm')}</p>
          ) : (
            <>
              <p className="hint">{t('submit.prefillNote')}</p>
              {form.map((f) => (
                <EFormField key={f.key} field={f} value={values[f.key]} error={errors[fieldId(f.key)]} onChange={(v) => setValue(f.key, v)} />
              ))}
            </>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('submit.documentsLegend')}</legend>
          {documents.length === 0 ? (
            <p>{t('proc.noDocuments')}</p>
          ) : (
            <>
              <p className="hint">{t('submit.documentsHint')}</p>
              <ol className="doc-uploads">
                {documents.map((d) => {
                  const n = pick(t, d.name, d.nameEn);
                  const id = `doc-${d.seq}`;
                  return (
                    <li key={d.seq} className="doc-upload-item">
                      <p className="doc-title">
                        <span lang={n.lang}>{n.text}</span>
                        <span className="muted">
                          {' '}
                          ({t.plural('doc.copies', d.copies)}
                          {d.originalRequired ? `, ${t('doc.original')}` : ''}
                          {d.required ? '' : `, ${t('doc.optional')}`})
                        </span>
                      </p>
                      <DocumentUpload
                        id={id}
                        procedureCode={proc.code}
                        documentSeq={d.seq}
                        label={n.text}
                        files={attachments.filter((a) => a.documentSeq === d.seq)}
                        onAdded={(a) => setAttachments((old) => [...old, a])}
                        onRemoved={(aid) => setAttachments((old) => old.filter((x) => x.id !== aid))}
                        error={errors[id]}
                      />
                    </li>
                  );
                })}
              </ol>
            </>
          )}
        </fieldset>

        {kase && <p className="notice">{t('submit.feeNote', { fee: feeText(t, kase.fee) })}</p>}

        <div className="button-row">
          <button type="submit" className="button" disabled={sending} aria-disabled={sending}>
            {sending ? t('submit.sendingButton') : t('submit.submit')}
          </button>
          <button type="button" className="button button-secondary" disabled={saving || sending} onClick={() => void saveDraft()}>
            {t('submit.saveDraft')}
          </button>
        </div>
        <Status>{status}</Status>
      </form>
    </>
  );
}

