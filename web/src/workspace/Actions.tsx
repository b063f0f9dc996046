/**
 * The actions an official may take on a dossier now — only those the server lists in
 * `allowedActions` — each with its own small form (reason, missing documents, amount...). Each
 * submit is one POST /api/dossiers/:code/actions with an Idempotency-Key kept for the attempt (a
 * retry after a network failure cannot act twice); the server's errors come back in both languages.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { byField, Control, describedBy, ErrorSummary, problemsFromError, type FieldErrors, type Problem } from '../components/portal/forms.js';
import { newIdempotencyKey, send } from '../components/portal/http.js';
import { useT } from '../i18n/index.js';
import type { StaffDossier } from './common.js';

/** The actions this page offers a form for, in the order shown. */
export const WORKSPACE_ACTIONS = [
  'receive',
  'request_supplement',
  'refuse',
  'assign',
  'forward',
  'accept_transfer',
  'request_payment',
  'confirm_payment',
  'finish',
  'return_result',
  'apologize',
  'stop',
] as const;
export type WorkspaceAction = (typeof WORKSPACE_ACTIONS)[number];

type Values = Record<string, string>;

/** Control ids of the action form, by API field. */
const fid = (field: string) => `ws-act-${field}`;

/** The request body of an action from the form's values, or the problems found before sending. */
function buildBody(type: WorkspaceAction, v: Values, t: ReturnType<typeof useT>): { body?: Record<string, unknown>; problems: Problem[] } {
  const problems: Problem[] = [];
  const need = (field: string, key: Parameters<typeof t>[0]) => {
    if (!(v[field] ?? '').trim()) problems.push({ fieldId: fid(field), text: t(key) });
  };
  const body: Record<string, unknown> = { type };
  const opt = (field: string) => {
    const s = (v[field] ?? '').trim();
    if (s) body[field] = s;
  };
  switch (type) {
    case 'receive':
    case 'accept_transfer':
      opt('note');
      break;
    case 'refuse':
    case 'stop':
      need('reason', 'ws.act.err.reason');
      opt('reason');
      break;
    case 'request_supplement': {
      need('reason', 'ws.act.err.reason');
      opt('reason');
      const missing = (v.missing ?? '')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      if (missing.length === 0) problems.push({ fieldId: fid('missing'), text: t('ws.act.err.missing') });
      else body.missing = missing;
      break;
    }
    case 'assign': {
      const n = Number((v.assigneeId ?? '').trim());
      if (!Number.isSafeInteger(n) || n < 1) problems.push({ fieldId: fid('assigneeId'), text: t('ws.act.err.assignee') });
      else body.assigneeId = n;
      opt('note');
      break;
    }
    case 'forward': {
      opt('toStep');
      opt('toUnit');
      const raw = (v.assigneeId ?? '').trim();
      if (raw) {
        const n = Number(raw);
        if (!Number.isSafeInteger(n) || n < 1) problems.push({ fieldId: fid('assigneeId'), text: t('ws.act.err.assignee') });
        else body.assigneeId = n;
      }
      opt('note');
      break;
    }
    case 'request_payment': {
      const raw = (v.amount ?? '').replace(/[.,\s]/g, '');
      const n = Number(raw);
      if (!/^[0-9]+$/.test(raw) || n < 1) problems.push({ fieldId: fid('amount'), text: t('ws.act.err.amount') });
      else body.amount = n;
      opt('note');
      break;
    }
    case 'confirm_payment':
      opt('method');
      opt('receiptNumber');
      break;
    case 'finish':
      opt('resultSummary');
      break;
    case 'return_result': {
      const method = v.method || 'in_person';
      body.method = method;
      if (method === 'post') {
        need('trackingNumber', 'ws.act.err.tracking');
        opt('trackingNumber');
      }
      break;
    }
    case 'apologize': {
      need('reason', 'ws.act.err.reason');
      opt('reason');
      const local = (v.newAppointmentAt ?? '').trim();
      const ms = local ? Date.parse(`${local}:00+07:00`) : NaN;
      if (!Number.isFinite(ms)) problems.push({ fieldId: fid('newAppointmentAt'), text: t('ws.act.err.appointment') });
      else body.newAppointmentAt = new Date(ms).toISOString();
      break;
    }
  }
  return problems.length ? { problems } : { body, problems };
}

/** What was just done, kept by the page across its reload; takes focus when it appears. */
function DoneNotice({ text }: { text: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <p ref={ref} tabIndex={-1} className="notice notice-success" role="status">
      {text}
    </p>
  );
}

export function ActionPanel({ dossier, done, onDone }: { dossier: StaffDossier; done: string; onDone: (message: string) => void }) {
  const t = useT();
  const offered = WORKSPACE_ACTIONS.filter((a) => dossier.allowedActions.includes(a));
  const [open, setOpen] = useState<WorkspaceAction | null>(null);
  // digitise is offered per document in the documents section (Documents.tsx).
  const others = dossier.allowedActions.filter((a) => !(WORKSPACE_ACTIONS as readonly string[]).includes(a) && a !== 'digitise');

  return (
    <section className="panel panel-action" aria-labelledby="ws-actions-title">
      <h2 id="ws-actions-title">{t('ws.act.title')}</h2>
      {done && <DoneNotice key={done + dossier.version} text={done} />}
      {offered.length === 0 ? (
        <p>{t('ws.act.none')}</p>
      ) : (
        <ul className="ws-action-buttons">
          {offered.map((a) => (
            <li key={a}>
              <button
                type="button"
                className={open === a ? 'button' : 'button button-secondary'}
                aria-expanded={open === a}
                aria-controls={open === a ? 'ws-action-form' : undefined}
                onClick={() => {
                  setOpen(open === a ? null : a);
                }}
              >
                {t(`ws.act.${a}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && <p className="muted">{t('ws.act.elsewhere', { list: others.join(', ') })}</p>}
      {open && (
        <ActionForm
          key={`${open}-${dossier.version}`}
          type={open}
          dossier={dossier}
          onCancel={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onDone(t('ws.act.done', { action: t(`ws.act.${open}`) }));
          }}
        />
      )}
    </section>
  );
}

function ActionForm({ type, dossier, onCancel, onDone }: { type: WorkspaceAction; dossier: StaffDossier; onCancel: () => void; onDone: () => void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const [values, setValues] = useState<Values>((): Values => (type === 'request_payment' && dossier.feeAmount ? { amount: String(dossier.feeAmount) } : type === 'return_result' ? { method: 'in_person' } : {}));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  // One key per attempt at this action: a retry of the same attempt cannot act twice.
  const key = useRef(newIdempotencyKey());

  useEffect(() => heading.current?.focus(), []);

  const set = (k: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const errors: FieldErrors = byField(problems);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const built = buildBody(type, values, t);
    if (!built.body) {
      setProblems(built.problems);
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    try {
      await send(`POST`, `/api/dossiers/${encodeURIComponent(dossier.code)}/actions`, { json: built.body, idempotencyKey: key.current });
      onDone();
    } catch (err) {
      setProblems(problemsFromError(err, t, (f) => (document.getElementById(fid(f)) ? fid(f) : null)));
      setAttempt((a) => a + 1);
    } finally {
      setBusy(false);
    }
  };

  const text = (field: string, label: string, opts: { required?: boolean; hint?: string; multiline?: boolean; type?: string; inputMode?: 'numeric' } = {}): ReactNode => {
    const id = fid(field);
    const common = {
      id,
      name: field,
      value: values[field] ?? '',
      onChange: set(field),
      'aria-invalid': errors[id] ? true : undefined,
      'aria-describedby': describedBy(id, Boolean(opts.hint), Boolean(errors[id])),
      'aria-required': opts.required ? true : undefined,
    } as const;
    return (
      <Control id={id} label={label} hint={opts.hint} error={errors[id]} required={opts.required}>
        {opts.multiline ? <textarea rows={4} {...common} /> : <input type={opts.type ?? 'text'} inputMode={opts.inputMode} {...common} />}
      </Control>
    );
  };

  let fields: ReactNode;
  switch (type) {
    case 'receive':
    case 'accept_transfer':
      fields = text('note', t('ws.act.f.note'), { multiline: true });
      break;
    case 'refuse':
    case 'stop':
      fields = text('reason', t('ws.act.f.reason'), { required: true, multiline: true, hint: type === 'refuse' ? t('ws.act.h.refuse') : t('ws.act.h.stop') });
      break;
    case 'request_supplement':
      fields = (
        <>
          {text('reason', t('ws.act.f.reason'), { required: true, multiline: true })}
          {text('missing', t('ws.act.f.missing'), { required: true, multiline: true, hint: t('ws.act.h.missing') })}
        </>
      );
      break;
    case 'assign':
      fields = (
        <>
          {text('assigneeId', t('ws.act.f.assigneeId'), { required: true, inputMode: 'numeric', hint: t('ws.act.h.assigneeId') })}
          {text('note', t('ws.act.f.note'), { multiline: true })}
        </>
      );
      break;
    case 'forward':
      fields = (
        <>
          {text('toStep', t('ws.act.f.toStep'), { hint: t('ws.act.h.toStep', { step: dossier.currentStep }) })}
          {text('toUnit', t('ws.act.f.toUnit'), { hint: t('ws.act.h.toUnit') })}
          {text('assigneeId', t('ws.act.f.assigneeId'), { inputMode: 'numeric', hint: t('ws.act.h.assigneeId') })}
          {text('note', t('ws.act.f.note'), { multiline: true })}
        </>
      );
      break;
    case 'request_payment':
      fields = (
        <>
          {text('amount', t('ws.act.f.amount'), { required: true, inputMode: 'numeric', hint: t('ws.act.h.amount') })}
          {text('note', t('ws.act.f.note'), { multiline: true })}
        </>
      );
      break;
    case 'confirm_payment':
      fields = (
        <>
          {text('method', t('ws.act.f.payMethod'), { hint: t('ws.act.h.payMethod') })}
          {text('receiptNumber', t('ws.act.f.receiptNumber'))}
        </>
      );
      break;
    case 'finish':
      fields = text('resultSummary', t('ws.act.f.resultSummary'), { multiline: true });
      break;
    case 'return_result':
      fields = (
        <>
          <fieldset className="control">
            <legend>{t('ws.act.f.returnMethod')}</legend>
            {(['in_person', 'online', 'post'] as const).map((m) => (
              <div className="check-row" key={m}>
                <input type="radio" id={`ws-act-method-${m}`} name="method" value={m} checked={(values.method ?? 'in_person') === m} onChange={set('method')} />
                <label htmlFor={`ws-act-method-${m}`}>{t(`ws.act.method.${m}`)}</label>
              </div>
            ))}
          </fieldset>
          {values.method === 'post' && text('trackingNumber', t('ws.act.f.trackingNumber'), { required: true })}
        </>
      );
      break;
    case 'apologize':
      fields = (
        <>
          {text('reason', t('ws.act.f.reason'), { required: true, multiline: true })}
          {text('newAppointmentAt', t('ws.act.f.newAppointmentAt'), { required: true, type: 'datetime-local', hint: t('ws.act.h.newAppointmentAt') })}
        </>
      );
      break;
  }

  return (
    <form id="ws-action-form" className="ws-action-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="ws-action-form-title">
      <h3 id="ws-action-form-title" ref={heading} tabIndex={-1}>
        {t(`ws.act.${type}`)}
      </h3>
      <ErrorSummary problems={problems} attempt={attempt} />
      {fields}
      <p className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('ws.act.sending') : t('ws.act.confirm', { action: t(`ws.act.${type}`) })}
        </button>
        <button type="button" className="button-link" onClick={onCancel}>
          {t('ws.act.cancel')}
        </button>
      </p>
    </form>
  );
}
