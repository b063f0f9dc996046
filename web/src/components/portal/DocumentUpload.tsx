/**
 * Upload control for one document of a dossier (thành phần hồ sơ): a file input (PDF, JPEG, PNG),
 * the files already attached with a remove button, and the server's answer (413 too large, 415
 * wrong type...) in the current language next to the input.
 */
import { useId, useRef, useState } from 'react';
import { ApiError } from '../../api.js';
import { useT } from '../../i18n/index.js';
import { describedBy, fileSize, FieldMessage, msg } from './forms.js';
import { send } from './http.js';
import type { Attachment } from './types.js';

export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';
/** The server's default upload limit (UPLOAD_MAX_MB); the server's answer is what counts. */
export const UPLOAD_LIMIT_MB = 10;

export function uploadErrorText(err: unknown, t: ReturnType<typeof useT>): string {
  if (err instanceof ApiError) {
    const field = err.fields.find((f) => f.field === 'file');
    const main = t.lang === 'vi' ? err.messageVi : err.messageEn;
    if (err.status === 413 || err.status === 415) return main;
    return field ? `${main} (${msg(t, field)})` : main;
  }
  return t('portal.upload.failed');
}

export function DocumentUpload({
  id,
  procedureCode,
  documentSeq,
  label,
  files,
  onAdded,
  onRemoved,
  error,
  removable = true,
}: {
  id: string;
  procedureCode: string;
  documentSeq: number | null;
  label: string;
  files: Attachment[];
  onAdded: (a: Attachment) => void;
  onRemoved: (id: string) => void;
  error?: string;
  removable?: boolean;
}) {
  const t = useT();
  const statusId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState('');

  const upload = async (file: File) => {
    setBusy(true);
    setProblem(undefined);
    setStatus(t('portal.upload.sending', { file: file.name }));
    const form = new FormData();
    form.append('procedureCode', procedureCode);
    if (documentSeq !== null) form.append('documentSeq', String(documentSeq));
    form.append('file', file, file.name);
    try {
      const a = await send<Attachment>('POST', '/api/attachments', { form });
      onAdded(a);
      setStatus(t('portal.upload.done', { file: a.fileName }));
    } catch (err) {
      setStatus('');
      setProblem(uploadErrorText(err, t));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const remove = async (a: Attachment) => {
    setProblem(undefined);
    try {
      await send<null>('DELETE', `/api/attachments/${encodeURIComponent(a.id)}`);
      onRemoved(a.id);
      setStatus(t('portal.upload.removed', { file: a.fileName }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        onRemoved(a.id);
        return;
      }
      setProblem(uploadErrorText(err, t));
    }
  };

  const shown = problem ?? error;
  return (
    <div className={shown ? 'upload upload-invalid' : 'upload'}>
      <label htmlFor={id} className="upload-label">
        {t('portal.upload.label', { name: label })}
      </label>
      <p id={`${id}-hint`} className="hint">
        {t('portal.upload.hint', { mb: UPLOAD_LIMIT_MB })}
      </p>
      <FieldMessage id={id} error={shown} />
      <input
        ref={input}
        id={id}
        type="file"
        accept={ACCEPT}
        disabled={busy}
        aria-invalid={shown ? true : undefined}
        aria-describedby={describedBy(id, true, Boolean(shown), statusId)}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void upload(f);
        }}
      />
      <p id={statusId} className="status-line" role="status" aria-live="polite">
        {status}
      </p>
      {files.length > 0 && (
        <ul className="file-list">
          {files.map((a) => (
            <li key={a.id}>
              <a href={`/api/attachments/${encodeURIComponent(a.id)}`}>{a.fileName}</a> <span className="muted">({fileSize(t, a.sizeBytes)})</span>{' '}
              {removable && (
                <button type="button" className="remove-link" onClick={() => void remove(a)} aria-label={t('portal.upload.removeLabel', { file: a.fileName })}>
                  {t('portal.upload.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
