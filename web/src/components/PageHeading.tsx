import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/index.js';
import { useRouter } from '../router.js';
import { Loading } from './ErrorBox.js';

/**
 * The page's <h1>. Sets the document title, and after a navigation moves keyboard and screen
 * reader focus to itself once the page is `ready` (its data shown), so the reader starts at the
 * new content instead of at the top of the old one.
 */
export function PageHeading({ children, title, ready = true, id }: { children: ReactNode; title: string; ready?: boolean; id?: string }) {
  const t = useT();
  const { focusKey } = useRouter();
  const ref = useRef<HTMLHeadingElement>(null);
  const focused = useRef(0);

  useEffect(() => {
    document.title = t('app.pageTitle', { page: title });
  }, [t, title]);

  useEffect(() => {
    if (!ready || focusKey === 0 || focused.current === focusKey) return;
    focused.current = focusKey;
    ref.current?.focus();
  }, [ready, focusKey]);

  return (
    <h1 ref={ref} tabIndex={-1} id={id} className="page-heading">
      {children}
    </h1>
  );
}

/** A page whose data is still loading: its heading (focus waits for the data) and the loading notice. */
export function LoadingPage({ title }: { title: string }) {
  return (
    <>
      <PageHeading title={title} ready={false}>
        {title}
      </PageHeading>
      <Loading />
    </>
  );
}
