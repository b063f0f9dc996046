/**
 * The dossier's documents on the dossier page (thành phần hồ sơ): each document the procedure asks
 * for, whether it is digitised (its electronic copy: scanned, uploaded online, or reused) with a
 * link to view it, and — for the official who may digitise now — a file input to upload its scan
 * and mark it digitised, and the copies already digitised in the applicant's earlier dossiers with
 * a "Reuse" button (once-only). Mirrors GET /api/dossiers/:code/documents (src/dossiers/documents.ts).
 *
 * After a change only this list is refreshed (the page keeps its place and focus); the processing
 * history shows the new "digitise" action on the next load of the page.
 */
import { useState } from 'react';
import { api } from '../api.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { ACCEPT, uploadErrorText } from '../components/portal/DocumentUpload.js';
import { bi, fileSize, problemsFromError } from '../components/portal/forms.js';
import { newIdempotencyKey, send } from '../components/portal/http.js';
import type { Bilingual } from '../components/portal/types.js';
import { useT, type Translate } from '../i18n/index.js';
import { useApi } from '../useApi.js';

interface Copy {
  source: 'scan' | 'upload' | 'reuse';
  fileName: string;
  sizeBytes: number;
  digitisedAt: string;
  digitisedBy: string | null;
  reusedFrom: string | null;
  downloadUrl: string;
}

interface Offer {
  dossierCode: string;
  documentSeq: number;
  procedureCode: string;
  procedureName: string;
  fileName: string;
  sizeBytes: number;
  digitisedAt: string;
  downloadUrl: string;
}

interface DossierDocument {
  seq: number;
  name: Bilingual;
  required: boolean;
  copy: Copy | null;
  reuseOffers: Offer[];
}

export interface DossierDocuments {
  code: string;
  procedureCode: string;
  mayDigitise: boolean;
  digitised: boolean;
  documents: DossierDocument[];
}

type Note = { kind: 'done' | 'busy' | 'error'; text: string };

function copyLine(t: Translate, c: Copy): string {
  const how = c.source === 'reuse' ? t('ws.docs.source.reuse', { code: c.reusedFrom ?? '' }) : c.source === 'upload' ? t('ws.docs.source.upload') : t('ws.docs.source.scan');
  const when = t('ws.docs.digitisedAt', { at: t.dateTime(c.digitisedAt) });
  return c.digitisedBy ? `${how}; ${when}, ${t('ws.docs.by', { name: c.digitisedBy })}` : `${how}; ${when}`;
}

function NewTabLink({ href, children }: { href: string; children: string }) {
  const t = useT();
  return (
    <a href={href} target="_blank" rel="noopener">
      {children}
      <span className="visually-hidden"> {t('ws.newTab')}</span>
    </a>
  );
}

export function DocumentsPanel({ code }: { code: string }) {
  const t = useT();
  const path = `/api/dossiers/${encodeURIComponent(code)}/documents`;
  const loaded = useApi<DossierDocuments>(path);
  // The list as answered after this page's own changes (reloading through useApi would blank it).
  const [fresh, setFresh] = useState<DossierDocuments | null>(null);
  const [notes, setNotes] = useState<Record<number, Note>>({});
  const data = fresh ?? loaded.data;

  if (loaded.error !== undefined && !fresh) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (!data) return <Loading />;

  const note = (seq: number, n: Note | null) =>
    setNotes((all) => {
      const next = { ...all };
      if (n) next[seq] = n;
      else delete next[seq];
      return next;
    });
  const refresh = async () => setFresh(await api.get<DossierDocuments>(path));

  const digitise = async (d: DossierDocument, body: Record<string, unknown>, doneText: string) => {
    await send('POST', `${path}/${d.seq}/digitise`, { json: body, idempotencyKey: newIdempotencyKey() });
    await refresh();
    note(d.seq, { kind: 'done', text: doneText });
  };

  const uploadScan = async (d: DossierDocument, file: File, input: HTMLInputElement) => {
    const name = bi(t, d.name);
    note(d.seq, { kind: 'busy', text: t('ws.docs.sending', { file: file.name }) });
    try {
      const form = new FormData();
      form.append('procedureCode', data.procedureCode);
      form.append('documentSeq', String(d.seq));
      form.append('file', file, file.name);
      let id: string;
      try {
        id = (await send<{ id: string }>('POST', '/api/attachments', { form })).id;
      } catch (err) {
        note(d.seq, { kind: 'error', text: uploadErrorText(err, t) });
        return;
      }
      await digitise(d, { attachmentId: id }, t('ws.docs.done', { name }));
    } catch (err) {
      note(d.seq, { kind: 'error', text: problemsFromError(err, t, () => null).map((p) => p.text).join(' ') });
    } finally {
      input.value = '';
    }
  };

  const reuse = async (d: DossierDocument, o: Offer) => {
    note(d.seq, { kind: 'busy', text: t('ws.docs.reusing') });
    try {
      await digitise(d, { reuseFrom: { dossierCode: o.dossierCode, documentSeq: o.documentSeq } }, t('ws.docs.reused', { code: o.dossierCode, name: bi(t, d.name) }));
    } catch (err) {
      note(d.seq, { kind: 'error', text: problemsFromError(err, t, () => null).map((p) => p.text).join(' ') });
    }
  };

  const required = data.documents.filter((d) => d.required);
  const done = required.filter((d) => d.copy).length;

  return (
    <>
      {data.documents.length === 0 ? (
        <p>{t('ws.docs.none')}</p>
      ) : (
        <p>
          {data.digitised ? <span className="tag tag-good">{t('ws.docs.allDone')}</span> : t('ws.docs.summary', { done: t.number(done), total: t.number(required.length) })}
        </p>
      )}
      <ol className="doc-uploads" hidden={data.documents.length === 0}>
        {data.documents.map((d) => {
          const n = notes[d.seq];
          const inputId = `ws-doc-scan-${d.seq}`;
          const statusId = `ws-doc-status-${d.seq}`;
          const name = bi(t, d.name);
          return (
            <li key={d.seq} className="doc-upload-item">
              <h3 className="ws-small-heading doc-title">
                {name} {!d.required && <span className="muted">{t('ws.docs.optional')}</span>}
              </h3>
              {d.copy ? (
                <p>
                  <span className="tag tag-good">{t('ws.docs.digitised')}</span> {copyLine(t, d.copy)}:{' '}
                  <NewTabLink href={d.copy.downloadUrl}>{d.copy.fileName}</NewTabLink> <span className="muted">({fileSize(t, d.copy.sizeBytes)})</span>
                </p>
              ) : (
                <p>
                  <span className="tag tag-warn">{t('ws.docs.notDigitised')}</span>
                </p>
              )}
              {data.mayDigitise && (
                <>
                  {!d.copy && d.reuseOffers.length > 0 && (
                    <>
                      <p>{t('ws.docs.offers')}</p>
                      <ul className="file-list">
                        {d.reuseOffers.map((o) => (
                          <li key={`${o.dossierCode}-${o.documentSeq}`}>
                            {t('ws.docs.offer', { code: o.dossierCode, procedure: o.procedureName, at: t.dateTime(o.digitisedAt) })}:{' '}
                            <NewTabLink href={o.downloadUrl}>{o.fileName}</NewTabLink> <span className="muted">({fileSize(t, o.sizeBytes)})</span>{' '}
                            <button
                              type="button"
                              className="button button-secondary"
                              disabled={n?.kind === 'busy'}
                              aria-label={t('ws.docs.reuseLabel', { file: o.fileName, code: o.dossierCode, name })}
                              onClick={() => void reuse(d, o)}
                            >
                              {t('ws.docs.reuse')}
                            </button>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                  <div className="upload">
                    <label htmlFor={inputId} className="upload-label">
                      {d.copy ? t('ws.docs.replace') : t('ws.docs.upload')}
                    </label>
                    <p id={`${inputId}-hint`} className="hint">
                      {t('ws.docs.uploadHint')}
                    </p>
                    <input
                      id={inputId}
                      type="file"
                      accept={ACCEPT}
                      disabled={n?.kind === 'busy'}
                      aria-describedby={`${inputId}-hint ${statusId}`}
                      onChange={(e) => {
                        const f = e.target.files?.[0];
                        if (f) void uploadScan(d, f, e.target);
                      }}
                    />
                  </div>
                </>
              )}
              <p id={statusId} className="status-line" role="status">
                {n && n.kind !== 'error' ? n.text : ''}
              </p>
              {n?.kind === 'error' && (
                <p className="notice notice-error" role="alert">
                  {n.text}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
