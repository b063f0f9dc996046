/**
 * The virtual assistant's button, fixed at the bottom corner of every page (portal and workspace).
 * Only this button is in the main bundle: the panel itself (ChatPanel.tsx) is a lazy chunk fetched
 * on the first open, so pages that never open it do not pay for it. Once loaded the panel stays
 * mounted (hidden when closed), so closing and reopening keeps the conversation.
 */
import { lazy, Suspense, useCallback, useRef, useState } from 'react';
import { useT } from '../i18n/index.js';
import './assistant.css';

const PANEL_ID = 'asst-panel';

function LoadFailed({ id, open, onClose }: { id: string; open: boolean; onClose: (restoreFocus?: boolean) => void }) {
  const t = useT();
  return (
    <div id={id} className="asst-panel" role="dialog" aria-labelledby="asst-title" hidden={!open} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="asst-head">
        <h2 id="asst-title" className="asst-title">
          {t('asst.title')}
        </h2>
        <button type="button" className="button button-secondary asst-close" onClick={() => onClose()}>
          {t('asst.close')}
        </button>
      </div>
      <div className="asst-body">
        <p className="notice notice-error" role="alert">
          {t('asst.loadFailed')}
        </p>
      </div>
    </div>
  );
}

// A failed chunk download (offline, a new release replacing the old files) must not take the page
// down with it: the panel says so instead. React.lazy caches the outcome, so a reload is needed.
const ChatPanel = lazy(() => import('./ChatPanel.js').catch(() => ({ default: LoadFailed })));

export function AssistantLauncher() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  const close = useCallback((restoreFocus = true) => {
    setOpen(false);
    // Back to where the reader was; not when they followed a link (the new page takes the focus).
    if (restoreFocus) button.current?.focus();
  }, []);

  const toggle = () => {
    setLoaded(true);
    setOpen((o) => !o);
  };

  return (
    <div className="asst-root">
      <button
        ref={button}
        type="button"
        className="asst-launcher"
        aria-expanded={open}
        aria-controls={loaded ? PANEL_ID : undefined}
        onClick={toggle}
      >
        <span aria-hidden="true" className="asst-launcher-icon">
          ?
        </span>
        {t('asst.open')}
      </button>
      {loaded && (
        <Suspense
          fallback={
            open ? (
              <p className="asst-panel asst-panel-loading" role="status">
                {t('common.loading')}
              </p>
            ) : null
          }
        >
          <ChatPanel id={PANEL_ID} open={open} onClose={close} />
        </Suspense>
      )}
    </div>
  );
}
