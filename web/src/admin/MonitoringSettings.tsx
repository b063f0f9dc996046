/**
 * /quan-tri/chi-tieu: the monitoring settings (GET / PUT / DELETE /api/admin/monitoring-settings).
 * An admin edits the heatmap's green and yellow thresholds of each indicator, the lower bound of
 * each Decision 766 grade, the items that do not apply to communes and wards, and group 3's split;
 * leaders see the same page read-only. Only what was changed is sent, so two admins editing
 * different indicators do not undo each other. The server checks everything (the page does not
 * repeat its rules) and writes all or nothing; each problem is shown next to its field in both
 * languages and listed in a summary that takes focus.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type FieldProblem } from '../api.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { LoadingPage, PageHeading } from '../components/PageHeading.js';
import { ErrorSummary, msg, type Problem } from '../components/portal/forms.js';
import { leadersPage } from '../dashboard/common.js';
import { useT, type Translate } from '../i18n/index.js';
import { useSession } from '../session.js';
import { useApi } from '../useApi.js';

// ---- The API's answer (src/monitoring/settings-routes.ts SettingsBody) ----------------------------

interface Bi {
  vi: string;
  en: string;
}
interface Pair {
  green: number;
  yellow: number;
}
interface IndicatorSetting {
  id: string;
  name: Bi;
  unit: 'percent' | 'count' | 'points';
  direction: 'higher_is_better' | 'lower_is_better';
  maxValue: number | null;
  defaults: Pair;
  current: Pair;
  overridden: boolean;
}
interface ConfigView {
  gradeBands: Array<{ grade: string; name: Bi; minScore: number }>;
  notApplicable: Record<string, string[]>;
  group3MaxPoints: Record<G3, number>;
}
interface SettingsAnswer {
  thresholds: { updatedAt: string | null; updatedBy: string | null; indicators: IndicatorSetting[] };
  index766: {
    updatedAt: string | null;
    updatedBy: string | null;
    overridden: boolean;
    current: ConfigView;
    defaults: ConfigView;
    unitKinds: string[];
    subIndicators: Array<{ id: string; group: number; name: Bi }>;
  };
}

const PATH = '/api/admin/monitoring-settings';
/** The unit kinds whose not-applicable list the page edits (the others have none by default). */
const NA_KINDS = ['commune', 'ward'] as const;
type NaKind = (typeof NA_KINDS)[number];
const G3_IDS = ['3.1', '3.2', '3.3'] as const;
type G3 = (typeof G3_IDS)[number];

// ---- The form's state: what the inputs hold, as typed ---------------------------------------------

interface Draft {
  thresholds: Record<string, { green: string; yellow: string }>;
  bands: Record<string, string>;
  notApplicable: Record<NaKind, string[]>;
  group3: Record<G3, string>;
}

const draftOf = (s: SettingsAnswer): Draft => ({
  thresholds: Object.fromEntries(s.thresholds.indicators.map((i) => [i.id, { green: String(i.current.green), yellow: String(i.current.yellow) }])),
  bands: Object.fromEntries(s.index766.current.gradeBands.map((b) => [b.grade, String(b.minScore)])),
  notApplicable: { commune: [...(s.index766.current.notApplicable.commune ?? [])], ward: [...(s.index766.current.notApplicable.ward ?? [])] },
  group3: { ...(Object.fromEntries(G3_IDS.map((id) => [id, String(s.index766.current.group3MaxPoints[id])])) as Record<G3, string>) },
});

/**
 * A number as typed (a decimal comma accepted); what is not a number is sent as typed, so the
 * server says what is wrong with it in both languages.
 */
const num = (typed: string): number | string => {
  const x = typed.trim().replace(',', '.');
  return x !== '' && Number.isFinite(Number(x)) ? Number(x) : typed;
};
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The PUT body: only the indicators and configuration keys that differ from what was loaded. */
function changeOf(s: SettingsAnswer, d: Draft): Record<string, unknown> {
  const thresholds: Record<string, unknown> = {};
  for (const i of s.thresholds.indicators) {
    const x = d.thresholds[i.id];
    if (!x) continue;
    const green = num(x.green);
    const yellow = num(x.yellow);
    if (green !== i.current.green || yellow !== i.current.yellow) thresholds[i.id] = { green, yellow };
  }
  const cur = s.index766.current;
  const index766: Record<string, unknown> = {};
  const bands = cur.gradeBands.map((b) => ({ grade: b.grade, minScore: num(d.bands[b.grade] ?? '') }));
  if (bands.some((b, i) => b.minScore !== cur.gradeBands[i]!.minScore)) index766.gradeBands = bands;
  const na: Record<string, string[]> = {};
  for (const k of NA_KINDS) if (!sameList(d.notApplicable[k], cur.notApplicable[k] ?? [])) na[k] = d.notApplicable[k];
  if (Object.keys(na).length > 0) index766.notApplicable = na;
  const g3 = Object.fromEntries(G3_IDS.map((id) => [id, num(d.group3[id])]));
  if (G3_IDS.some((id) => g3[id] !== cur.group3MaxPoints[id])) index766.group3MaxPoints = g3;
  return {
    ...(Object.keys(thresholds).length > 0 ? { thresholds } : {}),
    ...(Object.keys(index766).length > 0 ? { index766 } : {}),
  };
}

// ---- Where each problem of the API belongs ---------------------------------------------------------

/** The key a problem is shown under (next to its field), from the API's field name. */
function problemKey(field: string): string | null {
  if (field.startsWith('thresholds.')) return field;
  if (field.startsWith('index766.gradeBands')) return 'bands';
  if (field.startsWith('index766.notApplicable')) return 'na';
  if (field.startsWith('index766.group3MaxPoints')) return 'g3';
  return null;
}

const controlId = {
  threshold: (id: string, which: 'green' | 'yellow') => `ms-t-${id}-${which}`,
  band: (grade: string) => `ms-band-${grade}`,
  na: (kind: string, item: string) => `ms-na-${kind}-${item.replace('.', '-')}`,
  g3: (id: string) => `ms-g3-${id.replace('.', '-')}`,
};
const errorId = (key: string) => `ms-err-${key.replace(/\./g, '-')}`;

/** The control a problem's link in the summary moves to. */
function focusTarget(key: string | null, s: SettingsAnswer): string | null {
  if (key === null) return null;
  if (key.startsWith('thresholds.')) {
    const id = key.slice('thresholds.'.length);
    return s.thresholds.indicators.some((i) => i.id === id) ? controlId.threshold(id, 'green') : null;
  }
  if (key === 'bands') return controlId.band(s.index766.current.gradeBands[0]!.grade);
  if (key === 'na') return controlId.na(NA_KINDS[0], s.index766.subIndicators[0]!.id);
  if (key === 'g3') return controlId.g3(G3_IDS[0]);
  return null;
}

/** A problem next to its field, Vietnamese first, then English. */
function FieldProblems({ id, problems }: { id: string; problems: FieldProblem[] | undefined }) {
  const t = useT();
  if (!problems || problems.length === 0) return null;
  return (
    <div id={id}>
      {problems.map((p, i) => (
        <p key={i} className="field-error">
          <span className="visually-hidden">{t('portal.errorPrefix')} </span>
          <span lang="vi">{p.messageVi}</span>
          {' / '}
          <span lang="en">{p.message}</span>
        </p>
      ))}
    </div>
  );
}

/** A group of settings whose problems (under `problemKey` in the server's answer) are listed under its legend. */
function SettingsFieldset({ problemKey, problems, legend, help, children }: { problemKey: string; problems: FieldProblem[] | undefined; legend: string; help: string; children: ReactNode }) {
  return (
    <fieldset className={problems ? 'form-section control-invalid' : 'form-section'} aria-describedby={problems ? errorId(problemKey) : undefined}>
      <legend>{legend}</legend>
      <p>{help}</p>
      <FieldProblems id={errorId(problemKey)} problems={problems} />
      {children}
    </fieldset>
  );
}

// ---- The page --------------------------------------------------------------------------------------

export default leadersPage('adm.ms.title', Inner);

const bi = (t: Translate, b: Bi) => (t.lang === 'vi' ? b.vi : b.en);

function Inner({ title }: { title: string }) {
  const t = useT();
  const { user } = useSession();
  const editable = user?.role === 'admin';
  const loaded = useApi<SettingsAnswer>(PATH);
  const [answer, setAnswer] = useState<SettingsAnswer | undefined>(undefined);
  const s = answer ?? loaded.data;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [byKey, setByKey] = useState<Record<string, FieldProblem[]>>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [confirmReset, setConfirmReset] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);

  useEffect(() => {
    if (s) setDraft(draftOf(s));
  }, [s]);

  if (loaded.error !== undefined && !s) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  }
  if (!s || !draft) return <LoadingPage title={title} />;

  const clearProblems = () => {
    setByKey({});
    setProblems([]);
    setFailure(undefined);
  };

  const showFailure = (err: unknown) => {
    if (err instanceof ApiError && err.status === 400 && err.fields.length > 0) {
      const keyed: Record<string, FieldProblem[]> = {};
      const list: Problem[] = [];
      for (const f of err.fields) {
        const key = problemKey(f.field);
        if (key) (keyed[key] ??= []).push(f);
        list.push({ fieldId: focusTarget(key, s), text: key ? msg(t, f) : t('error.fieldPrefix', { field: f.field, message: msg(t, f) }) });
      }
      setByKey(keyed);
      setProblems(list);
      setAttempt((a) => a + 1);
    } else {
      setFailure(err);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editable || busy) return;
    clearProblems();
    setStatus('');
    const body = changeOf(s, draft);
    if (Object.keys(body).length === 0) {
      setStatus(t('adm.ms.nothingChanged'));
      return;
    }
    setBusy(true);
    try {
      setAnswer(await api.put<SettingsAnswer>(PATH, body));
      setStatus(t('adm.ms.saved'));
    } catch (err) {
      showFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    clearProblems();
    setStatus('');
    setBusy(true);
    try {
      setAnswer(await api.delete<SettingsAnswer>(PATH));
      setConfirmReset(false);
      setStatus(t('adm.ms.resetDone'));
    } catch (err) {
      showFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const setThreshold = (id: string, which: 'green' | 'yellow', value: string) =>
    setDraft((d) => (d ? { ...d, thresholds: { ...d.thresholds, [id]: { ...d.thresholds[id]!, [which]: value } } } : d));
  const toggleNa = (kind: NaKind, item: string, on: boolean) =>
    setDraft((d) => {
      if (!d) return d;
      const list = d.notApplicable[kind].filter((x) => x !== item);
      return { ...d, notApplicable: { ...d.notApplicable, [kind]: on ? [...list, item] : list } };
    });

  const changedLine = (meta: { updatedAt: string | null; updatedBy: string | null }) =>
    meta.updatedAt ? t('adm.ms.lastChange', { when: t.dateTime(meta.updatedAt), who: meta.updatedBy ?? t('adm.ms.unknownUser') }) : t('adm.ms.neverChanged');

  const unitText = (i: IndicatorSetting) => t(`adm.ms.unit.${i.unit}`);
  const inputProps = (id: string, describedBy: string | undefined, invalid: boolean, max: number | null) => ({
    id,
    type: 'number' as const,
    inputMode: 'decimal' as const,
    step: 'any',
    min: 0,
    ...(max !== null ? { max } : {}),
    readOnly: !editable,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy,
    style: { width: '7rem' },
  });

  const lastGrade = s.index766.current.gradeBands.at(-1)?.grade;

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="lead">{t('adm.ms.lead')}</p>
      {!editable && <p className="notice">{t('adm.ms.readOnly')}</p>}
      <ErrorSummary problems={problems} attempt={attempt} />
      {failure !== undefined && <ErrorBox error={failure} />}

      <form onSubmit={(e) => void save(e)} noValidate aria-label={title}>
        <section aria-labelledby="ms-thresholds-title">
          <h2 id="ms-thresholds-title">{t('adm.ms.thresholds.title')}</h2>
          <p>{t('adm.ms.thresholds.help')}</p>
          <p className="muted">{changedLine(s.thresholds)}</p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('adm.ms.thresholds.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('adm.ms.col.indicator')}</th>
                  <th scope="col">{t('adm.ms.col.direction')}</th>
                  <th scope="col">{t('adm.ms.col.green')}</th>
                  <th scope="col">{t('adm.ms.col.yellow')}</th>
                  <th scope="col">{t('adm.ms.col.default')}</th>
                  <th scope="col">{t('adm.ms.col.state')}</th>
                </tr>
              </thead>
              <tbody>
                {s.thresholds.indicators.map((i) => {
                  const key = `thresholds.${i.id}`;
                  const errs = byKey[key];
                  const eid = errs ? errorId(key) : undefined;
                  const cmp = i.direction === 'higher_is_better' ? '≥' : '≤';
                  const name = bi(t, i.name);
                  const d = draft.thresholds[i.id]!;
                  return (
                    <tr key={i.id} className={errs ? 'control-invalid' : undefined}>
                      <th scope="row">
                        {name}
                        <br />
                        <span className="muted">{unitText(i)}</span>
                      </th>
                      <td>{t(`adm.ms.direction.${i.direction}`)}</td>
                      <td>
                        <label htmlFor={controlId.threshold(i.id, 'green')} className="visually-hidden">
                          {t('adm.ms.greenLabel', { indicator: name, cmp })}
                        </label>
                        <span aria-hidden="true">{cmp} </span>
                        <input {...inputProps(controlId.threshold(i.id, 'green'), eid, !!errs, i.maxValue)} value={d.green} onChange={(e) => setThreshold(i.id, 'green', e.target.value)} />
                      </td>
                      <td>
                        <label htmlFor={controlId.threshold(i.id, 'yellow')} className="visually-hidden">
                          {t('adm.ms.yellowLabel', { indicator: name, cmp })}
                        </label>
                        <span aria-hidden="true">{cmp} </span>
                        <input {...inputProps(controlId.threshold(i.id, 'yellow'), eid, !!errs, i.maxValue)} value={d.yellow} onChange={(e) => setThreshold(i.id, 'yellow', e.target.value)} />
                      </td>
                      <td>{t('adm.ms.defaultPair', { cmp, green: t.number(i.defaults.green), yellow: t.number(i.defaults.yellow) })}</td>
                      <td>
                        {i.overridden ? t('adm.ms.state.changed') : t('adm.ms.state.default')}
                        {eid && <FieldProblems id={eid} problems={errs} />}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>

        <section aria-labelledby="ms-index-title">
          <h2 id="ms-index-title">{t('adm.ms.index.title')}</h2>
          <p className="muted">{changedLine(s.index766)}</p>

          <SettingsFieldset problemKey="bands" problems={byKey.bands} legend={t('adm.ms.bands.title')} help={t('adm.ms.bands.help')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('adm.ms.bands.grade')}</th>
                  <th scope="col">{t('adm.ms.bands.min')}</th>
                  <th scope="col">{t('adm.ms.col.default')}</th>
                </tr>
              </thead>
              <tbody>
                {s.index766.current.gradeBands.map((b, n) => {
                  const name = bi(t, b.name);
                  const def = s.index766.defaults.gradeBands[n]?.minScore;
                  return (
                    <tr key={b.grade}>
                      <th scope="row">{name}</th>
                      <td>
                        {b.grade === lastGrade ? (
                          // The lowest grade always starts at 0 (every score has a grade).
                          <span>{t('adm.ms.bands.fromZero')}</span>
                        ) : (
                          <>
                            <label htmlFor={controlId.band(b.grade)} className="visually-hidden">
                              {t('adm.ms.bands.minLabel', { grade: name })}
                            </label>
                            <input
                              {...inputProps(controlId.band(b.grade), byKey.bands ? errorId('bands') : undefined, !!byKey.bands, 100)}
                              value={draft.bands[b.grade] ?? ''}
                              onChange={(e) => setDraft((d) => (d ? { ...d, bands: { ...d.bands, [b.grade]: e.target.value } } : d))}
                            />
                          </>
                        )}
                      </td>
                      <td>{def === undefined ? '' : t.number(def)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </SettingsFieldset>

          <SettingsFieldset problemKey="na" problems={byKey.na} legend={t('adm.ms.na.title')} help={t('adm.ms.na.help')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('adm.ms.na.item')}</th>
                  {NA_KINDS.map((k) => (
                    <th scope="col" key={k}>
                      {t(`dash.unitKind.${k}`)}
                    </th>
                  ))}
                  <th scope="col">{t('adm.ms.col.default')}</th>
                </tr>
              </thead>
              <tbody>
                {s.index766.subIndicators.map((item) => {
                  const name = `${item.id} ${bi(t, item.name)}`;
                  const defaults = NA_KINDS.filter((k) => (s.index766.defaults.notApplicable[k] ?? []).includes(item.id)).map((k) => t(`dash.unitKind.${k}`));
                  return (
                    <tr key={item.id}>
                      <th scope="row">{name}</th>
                      {NA_KINDS.map((k) => (
                        <td key={k}>
                          <input
                            type="checkbox"
                            id={controlId.na(k, item.id)}
                            checked={draft.notApplicable[k].includes(item.id)}
                            disabled={!editable}
                            onChange={(e) => toggleNa(k, item.id, e.target.checked)}
                          />
                          <label htmlFor={controlId.na(k, item.id)} className="visually-hidden">
                            {t('adm.ms.na.label', { item: name, kind: t(`dash.unitKind.${k}`) })}
                          </label>
                        </td>
                      ))}
                      <td>{defaults.length > 0 ? t('adm.ms.na.defaultFor', { kinds: defaults.join(t('common.listSeparator')) }) : t('adm.ms.na.applies')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </SettingsFieldset>

          <SettingsFieldset problemKey="g3" problems={byKey.g3} legend={t('adm.ms.g3.title')} help={t('adm.ms.g3.help')}>
            {G3_IDS.map((id) => {
              const item = s.index766.subIndicators.find((x) => x.id === id);
              return (
                <div className="control" key={id}>
                  <label htmlFor={controlId.g3(id)}>
                    {t('adm.ms.g3.label', { item: item ? `${id} ${bi(t, item.name)}` : id, default: t.number(s.index766.defaults.group3MaxPoints[id]) })}
                  </label>
                  <input
                    {...inputProps(controlId.g3(id), byKey.g3 ? errorId('g3') : undefined, !!byKey.g3, 12)}
                    value={draft.group3[id]}
                    onChange={(e) => setDraft((d) => (d ? { ...d, group3: { ...d.group3, [id]: e.target.value } } : d))}
                  />
                </div>
              );
            })}
          </SettingsFieldset>
        </section>

        <p className="status-line" role="status" aria-live="polite">
          {status}
        </p>
        {editable && (
          <div className="button-row">
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('adm.ms.saving') : t('adm.ms.save')}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setDraft(draftOf(s))}>
              {t('adm.ms.undo')}
            </button>
            {!confirmReset && (
              <button type="button" className="button button-secondary" disabled={busy} onClick={() => setConfirmReset(true)}>
                {t('adm.ms.reset')}
              </button>
            )}
          </div>
        )}
        {editable && confirmReset && (
          <div className="notice notice-warning" role="group" aria-labelledby="ms-reset-q">
            <p id="ms-reset-q">{t('adm.ms.resetQuestion')}</p>
            <div className="button-row">
              <button type="button" className="button" disabled={busy} onClick={() => void reset()}>
                {t('adm.ms.resetConfirm')}
              </button>
              <button type="button" className="button-link" onClick={() => setConfirmReset(false)}>
                {t('adm.ms.resetCancel')}
              </button>
            </div>
          </div>
        )}
      </form>
    </>
  );
}
