/**
 * The virtual assistant's panel (issue 6): a non-modal dialog with the conversation, a question
 * box and, on request, the dossier code and phone/ID number that a status question needs. It asks
 * POST /api/assistant/ask (src/assistant/routes.ts) and shows the answer as plain text: the server
 * fills its templates with catalog data, and nothing it returns is ever treated as HTML. Every
 * answer lists the procedures and dossiers it used, with links to them, and what to do next.
 *
 * Loaded lazily by Launcher.tsx on the first open.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { api, errorMessages } from '../api.js';
import { useT, type Translate } from '../i18n/index.js';
import type { MessageKey } from '../i18n/vi.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

/** The answer of POST /api/assistant/ask. */
export interface AskReply {
  answer: string;
  procedures: { code: string; name: string; score: number }[];
  actions: { label: string; href: string }[];
  dossiers?: { code: string; href: string }[];
  kind: string;
}

type MessageBody = { from: 'person'; text: string } | { from: 'assistant'; reply: AskReply } | { from: 'error'; lines: string[] };
type Message = MessageBody & { id: number };

const MAX_QUESTION = 500;
/** Officials; mirrors STAFF_ROLES of src/identity/actor.ts (as App.tsx does). */
const STAFF_ROLES = ['desk_officer', 'specialist', 'unit_leader', 'province_leader', 'admin'];
const CITIZEN_SUGGESTIONS: MessageKey[] = ['asst.suggest.birth', 'asst.suggest.marriage', 'asst.suggest.building'];
const STAFF_SUGGESTIONS: MessageKey[] = ['asst.suggest.dueToday', 'asst.suggest.overdue', 'asst.suggest.birth'];
/** Below this width the panel covers the screen (styles in assistant.css use the same 40rem). */
const NARROW = '(max-width: 40rem)';

type Block = { kind: 'p'; text: string } | { kind: 'ul'; items: string[] };

/** The answer's lines as paragraphs, with runs of "• " lines as lists. */
export function toBlocks(answer: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of answer.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const bullet = /^[•\-*]\s+(.*)$/.exec(line);
    const last = blocks[blocks.length - 1];
    if (bullet) {
      if (last?.kind === 'ul') last.items.push(bullet[1]!);
      else blocks.push({ kind: 'ul', items: [bullet[1]!] });
    } else {
      blocks.push({ kind: 'p', text: line });
    }
  }
  return blocks;
}

/** Links the server may give: pages of this app, web pages, phone numbers and mail addresses. */
function safeHref(href: string): { internal: boolean } | null {
  if (href.startsWith('/') && !href.startsWith('//')) return { internal: true };
  if (/^(https?:|tel:|mailto:)/i.test(href)) return { internal: false };
  return null;
}

function ReplyLink({ href, children, className, onFollow }: { href: string; children: string; className?: string; onFollow: () => void }) {
  const kind = safeHref(href);
  // Anything else (javascript:, data:...) is shown as text: the label still tells what to do.
  if (!kind) return <span className={className}>{children}</span>;
  if (kind.internal) {
    const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
      if (e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) onFollow();
    };
    return (
      <Link to={href} className={className} onClick={onClick}>
        {children}
      </Link>
    );
  }
  return (
    <a href={href} className={className} rel="noopener noreferrer">
      {children}
    </a>
  );
}

function Reply({ reply, t, onFollow }: { reply: AskReply; t: Translate; onFollow: () => void }) {
  const dossiers = reply.dossiers ?? [];
  return (
    <>
      <div className="asst-answer">
        {toBlocks(reply.answer).map((b, i) =>
          b.kind === 'p' ? (
            <p key={i}>{b.text}</p>
          ) : (
            <ul key={i}>
              {b.items.map((item, j) => (
                <li key={j}>{item}</li>
              ))}
            </ul>
          ),
        )}
      </div>
      {reply.procedures.length > 0 && (
        <div className="asst-cites">
          <p className="asst-cites-title">{t('asst.sources')}</p>
          <ul>
            {reply.procedures.map((p) => (
              <li key={p.code}>
                <ReplyLink href={`/thu-tuc/${encodeURIComponent(p.code)}`} onFollow={onFollow}>
                  {p.name}
                </ReplyLink>{' '}
                <span className="asst-code">({p.code})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {dossiers.length > 0 && (
        <div className="asst-cites">
          <p className="asst-cites-title">{t('asst.dossiers')}</p>
          <ul>
            {dossiers.map((d) => (
              <li key={d.code}>
                <ReplyLink href={d.href} onFollow={onFollow}>
                  {d.code}
                </ReplyLink>
              </li>
            ))}
          </ul>
        </div>
      )}
      {reply.actions.length > 0 && (
        <ul className="asst-actions" aria-label={t('asst.actions')}>
          {reply.actions.map((a) => (
            <li key={`${a.href} ${a.label}`}>
              <ReplyLink href={a.href} className="button button-secondary asst-action" onFollow={onFollow}>
                {a.label}
              </ReplyLink>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export default function ChatPanel({ id, open, onClose }: { id: string; open: boolean; onClose: (restoreFocus?: boolean) => void }) {
  const t = useT();
  const { user } = useSession();
  const staff = !!user && STAFF_ROLES.includes(user.role);
  const [messages, setMessages] = useState<Message[]>([]);
  const [question, setQuestion] = useState('');
  const [lookupOpen, setLookupOpen] = useState(false);
  const [dossierCode, setDossierCode] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const nextId = useRef(1);
  const input = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const ids = useId();
  const titleId = 'asst-title';
  const introId = `${ids}-intro`;
  const qId = `${ids}-q`;
  const qHintId = `${ids}-q-hint`;
  const qErrorId = `${ids}-q-error`;
  const lookupId = `${ids}-lookup`;

  // Opening puts the cursor in the question box (also when the chunk has just loaded).
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  // Logging in or out starts a new conversation: an official's answers about dossiers must not stay
  // on the screen of a shared desk computer for the next person.
  const userId = user ? user.id : null;
  useEffect(() => {
    setMessages([]);
    setDossierCode('');
    setPhone('');
  }, [userId]);

  // A new message scrolls the log to its start: a long answer is read from its beginning.
  useEffect(() => {
    const el = log.current;
    const last = el?.lastElementChild as HTMLElement | null | undefined;
    if (el && last) el.scrollTop = Math.max(0, last.offsetTop - el.offsetTop - 8);
  }, [messages, busy]);

  const add = (m: MessageBody) => {
    const id = nextId.current++;
    setMessages((ms) => [...ms, { ...m, id }]);
  };

  const ask = async (text: string) => {
    const q = text.trim();
    if (busy) return;
    if (q === '') return setProblem('asst.empty');
    if (q.length > MAX_QUESTION) return setProblem('asst.tooLong');
    setProblem(null);
    add({ from: 'person', text: q });
    setQuestion('');
    setBusy(true);
    const body: Record<string, string> = { question: q, lang: t.lang };
    if (lookupOpen && dossierCode.trim()) body.dossierCode = dossierCode.trim();
    if (lookupOpen && phone.trim()) body.phone = phone.trim();
    try {
      const reply = await api.post<AskReply>('/api/assistant/ask', body);
      add({ from: 'assistant', reply });
    } catch (err) {
      add({ from: 'error', lines: errorMessages(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void ask(question);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };

  // On a phone the panel covers the page: following one of its links closes it to show the page.
  const onFollow = () => {
    if (window.matchMedia(NARROW).matches) onClose(false);
  };

  const clear = () => {
    setMessages([]);
    setProblem(null);
    input.current?.focus();
  };

  const suggestions = staff ? STAFF_SUGGESTIONS : CITIZEN_SUGGESTIONS;

  return (
    <div id={id} className="asst-panel" role="dialog" aria-labelledby={titleId} aria-describedby={introId} hidden={!open} onKeyDown={onKeyDown}>
      <div className="asst-head">
        <h2 id={titleId} className="asst-title">
          {t('asst.title')}
        </h2>
        <button type="button" className="button button-secondary asst-close" onClick={() => onClose()}>
          {t('asst.close')}
        </button>
      </div>
      <div className="asst-body">
        {/* Once the conversation starts, the introduction gives its room to the log (still read as the dialog's description). */}
        <p id={introId} className={messages.length > 0 ? 'visually-hidden' : 'asst-intro'}>
          {t(staff ? 'asst.introStaff' : 'asst.intro')}
        </p>
        <div ref={log} className="asst-log" role="log" aria-live="polite" aria-label={t('asst.logLabel')} tabIndex={messages.length > 0 ? 0 : undefined}>
          {messages.map((m) =>
            m.from === 'person' ? (
              <div key={m.id} className="asst-msg asst-msg-person">
                <p className="visually-hidden">{t('asst.you')}</p>
                <p className="asst-bubble">{m.text}</p>
              </div>
            ) : m.from === 'assistant' ? (
              <div key={m.id} className="asst-msg asst-msg-assistant">
                <p className="visually-hidden">{t('asst.bot')}</p>
                <Reply reply={m.reply} t={t} onFollow={onFollow} />
              </div>
            ) : (
              <div key={m.id} className="asst-msg asst-msg-error notice notice-error">
                <p className="notice-title">{t('asst.errorTitle')}</p>
                {m.lines.map((line) => (
                  <p key={line}>{line}</p>
                ))}
              </div>
            ),
          )}
          {busy && (
            <p className="asst-msg asst-thinking">
              {t('asst.thinking')}
            </p>
          )}
        </div>
        {messages.length === 0 && !busy && (
          <div className="asst-suggestions">
            <p className="asst-cites-title" id={`${ids}-sugg`}>
              {t('asst.suggestions')}
            </p>
            <ul aria-labelledby={`${ids}-sugg`}>
              {suggestions.map((key) => (
                <li key={key}>
                  <button
                    type="button"
                    className="button button-secondary asst-suggestion"
                    onClick={() => {
                      // The suggestions go away once asked: the focus moves on to the question box.
                      input.current?.focus();
                      void ask(t(key));
                    }}
                  >
                    {t(key)}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <form className="asst-form" onSubmit={onSubmit} noValidate>
          <label htmlFor={qId}>{t('asst.question')}</label>
          <p id={qHintId} className="hint">
            {t('asst.questionHint', { max: MAX_QUESTION })}
          </p>
          {problem && (
            <p id={qErrorId} className="field-error">
              {t(problem, { max: MAX_QUESTION })}
            </p>
          )}
          <div className="asst-row">
            <input
              ref={input}
              id={qId}
              type="text"
              value={question}
              maxLength={MAX_QUESTION}
              autoComplete="off"
              aria-describedby={problem ? `${qErrorId} ${qHintId}` : qHintId}
              aria-invalid={problem ? true : undefined}
              onChange={(e) => setQuestion(e.target.value)}
            />
            {/* aria-disabled, not disabled: a disabled button would drop the focus of whoever clicked it. */}
            <button type="submit" className="button" aria-disabled={busy}>
              {t('asst.send')}
            </button>
          </div>
          <button type="button" className="button-link asst-toggle" aria-expanded={lookupOpen} aria-controls={lookupId} onClick={() => setLookupOpen((o) => !o)}>
            {t('asst.lookupToggle')}
          </button>
          <fieldset id={lookupId} className="asst-lookup" hidden={!lookupOpen}>
            <legend className="visually-hidden">{t('asst.lookupToggle')}</legend>
            <p className="hint">{t('asst.lookupHint')}</p>
            <div className="control">
              <label htmlFor={`${ids}-code`}>{t('asst.dossierCode')}</label>
              <input id={`${ids}-code`} type="text" value={dossierCode} maxLength={40} autoComplete="off" spellCheck={false} onChange={(e) => setDossierCode(e.target.value)} />
            </div>
            <div className="control">
              <label htmlFor={`${ids}-phone`}>{t('asst.phone')}</label>
              <input id={`${ids}-phone`} type="text" inputMode="numeric" value={phone} maxLength={20} autoComplete="off" onChange={(e) => setPhone(e.target.value)} />
            </div>
          </fieldset>
          {messages.length > 0 && (
            <button type="button" className="button-link asst-clear" onClick={clear}>
              {t('asst.clear')}
            </button>
          )}
        </form>
        {messages.length === 0 && <p className="asst-note">{t('asst.note')}</p>}
      </div>
    </div>
  );
}
