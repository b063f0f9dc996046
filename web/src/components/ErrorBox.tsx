import { errorMessages } from '../api.js';
import { useT } from '../i18n/index.js';

/** A failed request, in the current language, with a retry button when one makes sense. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const [first, ...rest] = errorMessages(error, t);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{t('error.title')}</p>
      <p>{first}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
