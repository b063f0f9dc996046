/**
 * The foot of a keyset-paginated list: the error of the last "load more" (with a retry), the
 * button while there is a next page, and how many rows are shown (announced politely).
 */
import { useT } from '../i18n/index.js';
import { ErrorBox } from './ErrorBox.js';

export function LoadMore({ hasMore, busy, error, onLoadMore, shown }: { hasMore: boolean; busy: boolean; error: unknown; onLoadMore: () => void; shown: string | null }) {
  const t = useT();
  return (
    <>
      {error !== undefined && <ErrorBox error={error} onRetry={onLoadMore} />}
      {hasMore && (
        <p>
          <button type="button" className="button button-secondary" disabled={busy} onClick={onLoadMore}>
            {busy ? t('common.loading') : t('common.loadMore')}
          </button>
        </p>
      )}
      {shown !== null && (
        <p className="muted" role="status">
          {shown}
        </p>
      )}
    </>
  );
}
