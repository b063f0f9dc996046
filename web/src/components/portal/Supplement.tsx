/**
 * Supplementing a dossier (issue 3 §5): what the desk asked for, one upload per missing item, a
 * note, and "send supplement" (action `supplement`, which resumes the clock).
 */
import { useRef, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/index.js';
import { DocumentUpload } from './DocumentUpload.js';
import { byField, Control, describedBy, ErrorSummary, problemsFromError, Status, type Problem } from './forms.js';
import { newIdempotencyKey, send } from './http.js';
import type { Attachment, Dossier, Timeline } from './types.js';

const NOTE_ID = 'supplement-note';
const MAX_NOTE = 2000;

export function SupplementForm({ dossier, timeline, onDone }: { dossier: Dossier; timeline: Timeline; onDone: () => void }) {
  const t = useT();
  const items = timeline.missing?.items.length ? timeline.missing.items : [t('dossier.supplement.extra')];
  const [files, setFiles] = useState<Record<number, Attachment[]>>({});
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const last = useRef<{ body: string; key: string } | null>(null);
  const errors = byField(problems);

  const fail = (list: Problem[]) => {
    setProblems(list);
    setAttempt((a) => a + 1);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const documents: string[] = [];
    const attachmentIds: string[] = [];
    items.forEach((item, i) => {
      for (const f of files[i] ?? []) {
        documents.push(`${item.slice(0, 300)}: ${f.fileName}`.slice(0, 500));
        attachmentIds.push(f.id);
      }
    });
    const text = note.trim();
    if (documents.length === 0 && text === '') {
      fail([{ fieldId: 'supplement-0', text: t('dossier.supplement.nothing') }]);
      return;
    }
    if (text.length > MAX_NOTE) {
      fail([{ fieldId: NOTE_ID, text: t('dossier.supplement.noteTooLong', { max: MAX_NOTE }) }]);
      return;
    }
    // The files themselves are linked to the dossier with the action (staff can open them).
    const body = { type: 'supplement', documents, ...(attachmentIds.length ? { attachmentIds } : {}), ...(text ? { note: text } : {}) };
    const bodyText = JSON.stringify(body);
    if (!last.current || last.current.body !== bodyText) last.current = { body: bodyText, key: newIdempotencyKey() };
    setBusy(true);
    setStatus(t('dossier.supplement.sending'));
    try {
      await send<Dossier>('POST', `/api/dossiers/${encodeURIComponent(dossier.code)}/actions`, { json: body, idempotencyKey: last.current.key });
      setProblems([]);
      setStatus(t('dossier.supplement.sent'));
      onDone();
    } catch (err) {
      setStatus('');
      fail(problemsFromError(err, t, (f) => (f === 'note' ? NOTE_ID : f.startsWith('documents') || f.startsWith('attachmentIds') ? 'supplement-0' : null)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel panel-action" aria-labelledby="supplement-title">
      <h2 id="supplement-title">{t('dossier.supplement.title')}</h2>
      <p>{t('dossier.supplement.intro')}</p>
      <ErrorSummary problems={problems} attempt={attempt} />
      <form noValidate onSubmit={(e) => void submit(e)} className="portal-form">
        <ol className="doc-uploads">
          {items.map((item, i) => (
            <li key={i} className="doc-upload-item">
              <p className="doc-title" lang="vi">
                {item}
              </p>
              <DocumentUpload
                id={`supplement-${i}`}
                procedureCode={dossier.procedureCode}
                documentSeq={null}
                label={item}
                files={files[i] ?? []}
                onAdded={(a) => setFiles((old) => ({ ...old, [i]: [...(old[i] ?? []), a] }))}
                onRemoved={(id) => setFiles((old) => ({ ...old, [i]: (old[i] ?? []).filter((x) => x.id !== id) }))}
                error={errors[`supplement-${i}`]}
              />
            </li>
          ))}
        </ol>
        <Control id={NOTE_ID} label={t('dossier.supplement.note')} hint={t('dossier.supplement.noteHint')} error={errors[NOTE_ID]}>
          <textarea
            id={NOTE_ID}
            rows={3}
            maxLength={MAX_NOTE}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={errors[NOTE_ID] ? true : undefined}
            aria-describedby={describedBy(NOTE_ID, true, Boolean(errors[NOTE_ID]))}
          />
        </Control>
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {t('dossier.supplement.submit')}
          </button>
        </div>
        <Status>{status}</Status>
      </form>
    </section>
  );
}
