/**
 * /lanh-dao/don-vi/:unit?indicator=…: one heatmap cell explained down to dossier codes. The
 * unit's figures (GET /api/monitoring/heatmap?unit=…, its total row) to switch indicator; the
 * indicator's formula with this cell's numerator and denominator; the procedures behind it
 * (GET /api/monitoring/drill); and the dossiers counted in the numerator and in the denominator
 * (GET /api/monitoring/drill/dossiers, a page at a time by keyset cursor), each linked to its
 * page. `procedure` narrows the dossier lists to one procedure.
 */
import { useMemo, useState } from 'react';
import { api } from '../api.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { LoadMore } from '../components/LoadMore.js';
import { LoadingPage } from '../components/PageHeading.js';
import { useT, type Translate } from '../i18n/index.js';
import { Link, useSearchParams } from '../router.js';
import type { PageProps } from '../routes.js';
import { useApi } from '../useApi.js';
import { channelName } from '../workspace/common.js';
import {
  BandTag,
  biText,
  CellBody,
  cellPath,
  COMPOSITE_INDICATORS,
  DashboardHeading,
  DashboardNav,
  dossierPath,
  drillPath,
  ErrorPage,
  fieldText,
  LeadersOnly,
  LoadState,
  PeriodLine,
  TableRegion,
  unitName,
  valueText,
} from './common.js';
import { apiQuery, viewFrom, viewOfPeriod, viewSearch, type ViewQuery } from './period.js';
import type { DrillAnswer, DrillDossier, DrillDossiersAnswer, DrillPart, HeatmapAnswer, HeatmapIndicatorId } from './types.js';

const PAGE = 50;
const INDICATOR = /^[a-z_0-9]{1,40}$/;
const PROCEDURE = /^[A-Za-z0-9.-]{1,40}$/;

export default function DrillPage({ params }: PageProps) {
  const t = useT();
  const title = t('dash.drill.title');
  const search = useSearchParams();
  const unit = params.unit ?? '';
  // A composite group score has no single list of dossiers: its items are on the index page.
  const composite = COMPOSITE_INDICATORS.includes((search.get('indicator') ?? '') as HeatmapIndicatorId);
  return (
    <LeadersOnly title={title}>
      {composite ? (
        <>
          <DashboardNav view={viewFrom(search)} />
          <h1>{title}</h1>
          <p>{t('dash.drill.composite')}</p>
          <p>
            <Link to={cellPath(unit, search.get('indicator') as HeatmapIndicatorId, viewFrom(search))}>{t('dash.drill.compositeLink')}</Link>
          </p>
        </>
      ) : (
        <Inner unit={unit} />
      )}
    </LeadersOnly>
  );
}

/** What the numerator and the denominator of each computed indicator count, in words. */
function partText(t: Translate, id: HeatmapIndicatorId, part: DrillPart): string {
  switch (id) {
    case 'on_time_rate':
    case 'online_share':
    case 'group_2':
    case 'overdue_pending':
    case 'due_soon':
    case 'full_online_share':
    case 'online_payment_share':
    case 'digitisation_rate':
    case 'reuse_rate':
    case 'satisfaction':
      return t(`dash.part.${id}.${part}`);
    default:
      return t(part === 'numerator' ? 'dash.part.numerator' : 'dash.part.denominator');
  }
}

function Inner({ unit }: { unit: string }) {
  const t = useT();
  const params = useSearchParams();
  const view = useMemo(() => viewFrom(params), [params]);
  const rawIndicator = params.get('indicator') ?? '';
  const indicator = INDICATOR.test(rawIndicator) ? (rawIndicator as HeatmapIndicatorId) : ('on_time_rate' as HeatmapIndicatorId);
  const rawProcedure = params.get('procedure');
  const procedure = rawProcedure && PROCEDURE.test(rawProcedure) ? rawProcedure : undefined;
  const q = apiQuery(view);

  const row = useApi<HeatmapAnswer>('/api/monitoring/heatmap', { ...q, unit });
  const drill = useApi<DrillAnswer>('/api/monitoring/drill', { ...q, unit, indicator });
  const data = drill.data;
  const heat = row.data;
  const ind = heat?.indicators.find((i) => i.id === indicator);

  if (drill.error !== undefined) {
    return <ErrorPage title={t('dash.drill.title')} view={view} error={drill.error} onRetry={drill.reload} back={`/lanh-dao${viewSearch(view)}`} backText={t('dash.drill.back')} />;
  }
  if (!data || !heat || !ind) {
    return (
      <>
        <LoadingPage title={t('dash.drill.title')} />
        {row.error !== undefined && <ErrorBox error={row.error} onRetry={row.reload} />}
      </>
    );
  }

  const n = unitName(t, data.unit);
  const title = t('dash.drill.heading', { unit: n.text, indicator: biText(t, ind.name) });
  const cellView = viewOfPeriod(data.period, view.field);
  const unitRow = heat.rows[0];
  const counts = data.cell.denominator === null;
  const procName = new Map(data.procedures.map((p) => [p.procedure.code, p.procedure]));
  const chosen = procedure ? data.procedures.find((p) => p.procedure.code === procedure) : undefined;
  const note = data.cell.note ? biText(t, data.notes[data.cell.note]) : null;

  return (
    <>
      <nav className="breadcrumb" aria-label={t('dash.drill.breadcrumb')}>
        <Link to={`/lanh-dao${viewSearch(view)}`}>{t('dash.nav.heatmap')}</Link> › <span lang={n.lang}>{n.text}</span> › {biText(t, ind.name)}
      </nav>
      <DashboardHeading title={title} view={view} />
      <PeriodLine period={data.period} field={view.field} today={data.today} path={(v) => drillPath(unit, indicator, v, { procedure })} />
      {data.field && <p>{fieldText(t, data.field)}</p>}

      <section aria-labelledby="dash-drill-how">
        <h2 id="dash-drill-how">{t('dash.drill.how')}</h2>
        <div className={`drill-figure band-${data.cell.band}`}>
          <CellBody ind={ind} cell={data.cell} />
        </div>
        <dl className="facts">
          <div>
            <dt>{t('dash.drill.formula')}</dt>
            <dd>{biText(t, data.formula)}</dd>
          </div>
          {data.cell.formula && (
            <div>
              <dt>{t('dash.drill.computation')}</dt>
              <dd>
                <code>{data.cell.formula}</code>
                {data.cell.value !== null && ` = ${valueText(t, ind, data.cell.value)}`}
              </dd>
            </div>
          )}
          <div>
            <dt>{counts ? t('dash.drill.count') : t('dash.drill.numerator')}</dt>
            <dd>
              {data.cell.numerator === null ? t('dash.value.na') : t.number(data.cell.numerator)} — {partText(t, indicator, 'numerator')}
            </dd>
          </div>
          {!counts && (
            <div>
              <dt>{t('dash.drill.denominator')}</dt>
              <dd>
                {data.cell.denominator === null ? t('dash.value.na') : t.number(data.cell.denominator)} — {partText(t, indicator, 'denominator')}
              </dd>
            </div>
          )}
          {note && (
            <div>
              <dt>{t('dash.drill.note')}</dt>
              <dd>{note}</dd>
            </div>
          )}
          {ind.timeframe === 'now' && (
            <div>
              <dt>{t('dash.drill.when')}</dt>
              <dd>{t('dash.drill.now', { today: t.dateTime(heat.asOf) })}</dd>
            </div>
          )}
        </dl>
      </section>

      {unitRow && (
        <nav className="indicator-switch" aria-labelledby="dash-drill-others">
          <h2 id="dash-drill-others">{t('dash.drill.others')}</h2>
          <ul>
            {heat.indicators
              .filter((i) => i.computed)
              .map((i) => {
                const c = unitRow.cells[i.id];
                return (
                  <li key={i.id} className={`band-${c.band}`}>
                    <Link to={cellPath(unit, i.id, cellView)} aria-current={i.id === indicator ? 'page' : undefined}>
                      {biText(t, i.name)}
                    </Link>
                    : {valueText(t, i, c.value)} <BandTag band={c.band} />
                  </li>
                );
              })}
          </ul>
        </nav>
      )}

      <section aria-labelledby="dash-drill-procs">
        <h2 id="dash-drill-procs">{t('dash.drill.procedures')}</h2>
        {data.procedures.length === 0 ? (
          <p>{t('dash.drill.noProcedures')}</p>
        ) : (
          <TableRegion labelledBy="dash-drill-procs" caption={t('dash.drill.proceduresCaption', { indicator: biText(t, ind.name) })}>
            <thead>
              <tr>
                <th scope="col">{t('dash.drill.procedure')}</th>
                <th scope="col">{counts ? t('dash.drill.count') : t('dash.drill.numerator')}</th>
                {!counts && <th scope="col">{t('dash.drill.denominator')}</th>}
                {!counts && <th scope="col">{t('dash.drill.value')}</th>}
                <th scope="col">{t('dash.drill.dossiers')}</th>
              </tr>
            </thead>
            <tbody>
              {data.procedures.map((p) => {
                const pn = t.lang === 'en' && p.procedure.nameEn ? { text: p.procedure.nameEn, lang: undefined } : { text: p.procedure.name, lang: t.lang === 'vi' ? undefined : 'vi' };
                return (
                  <tr key={p.procedure.code} className={p.procedure.code === procedure ? 'chosen-row' : undefined}>
                    <th scope="row">
                      <span className="dossier-code">{p.procedure.code}</span> <span lang={pn.lang}>{pn.text}</span>
                    </th>
                    <td>{p.numerator === null ? t('dash.value.na') : t.number(p.numerator)}</td>
                    {!counts && <td>{p.denominator === null ? t('dash.value.na') : t.number(p.denominator)}</td>}
                    {!counts && (
                      <td className={`cell band-${p.band}`}>
                        {valueText(t, ind, p.value)} <BandTag band={p.band} />
                      </td>
                    )}
                    <td>
                      <Link
                        to={`${drillPath(unit, indicator, cellView, { procedure: p.procedure.code })}`}
                        aria-current={p.procedure.code === procedure ? 'true' : undefined}
                        aria-label={t('dash.drill.procedureDossiers', { code: p.procedure.code })}
                      >
                        {t('dash.drill.show')}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </TableRegion>
        )}
      </section>

      <section aria-labelledby="dash-drill-dossiers">
        <h2 id="dash-drill-dossiers">{t('dash.drill.dossiersTitle')}</h2>
        {procedure && (
          <p className="notice">
            {t('dash.drill.onlyProcedure', { code: procedure })} <Link to={drillPath(unit, indicator, cellView)}>{t('dash.drill.allProcedures')}</Link>
          </p>
        )}
        <DossierList
          key={`n-${JSON.stringify([indicator, procedure, view])}`}
          unit={unit}
          indicator={indicator}
          part="numerator"
          view={view}
          procedure={procedure}
          title={`${counts ? t('dash.drill.count') : t('dash.drill.numerator')}: ${partText(t, indicator, 'numerator')}`}
          total={chosen ? chosen.numerator : data.cell.numerator}
          names={procName}
        />
        {!counts && (
          <DossierList
            key={`d-${JSON.stringify([indicator, procedure, view])}`}
            unit={unit}
            indicator={indicator}
            part="denominator"
            view={view}
            procedure={procedure}
            title={`${t('dash.drill.denominator')}: ${partText(t, indicator, 'denominator')}`}
            total={chosen ? chosen.denominator : data.cell.denominator}
            names={procName}
          />
        )}
      </section>
      <p>
        <Link to={`/lanh-dao${viewSearch(view)}`}>{t('dash.drill.back')}</Link>
      </p>
    </>
  );
}

interface ListProps {
  unit: string;
  indicator: HeatmapIndicatorId;
  part: DrillPart;
  view: ViewQuery;
  procedure: string | undefined;
  title: string;
  total: number | null;
  names: Map<string, { name: string; nameEn: string | null }>;
}

function DossierList({ unit, indicator, part, view, procedure, title, total, names }: ListProps) {
  const t = useT();
  const query = { ...apiQuery(view), unit, indicator, part, procedure, limit: PAGE };
  const first = useApi<DrillDossiersAnswer>('/api/monitoring/drill/dossiers', query);
  const [more, setMore] = useState<{ items: DrillDossier[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const id = `dash-list-${part}`;

  const loadMore = async () => {
    if (!nextCursor) return;
    setBusy(true);
    setMoreError(undefined);
    try {
      const page = await api.get<DrillDossiersAnswer>('/api/monitoring/drill/dossiers', { ...query, cursor: nextCursor });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setBusy(false);
    }
  };

  const now = Date.now();
  return (
    <div className="drill-list">
      <h3 id={id}>{title}</h3>
      <LoadState error={first.error} loading={first.loading} onRetry={first.reload} />
      {first.data && items.length === 0 && <p>{t('dash.drill.noDossiers')}</p>}
      {items.length > 0 && (
        <TableRegion labelledBy={id} caption={title}>
          <thead>
            <tr>
              <th scope="col">{t('ws.col.code')}</th>
              <th scope="col">{t('ws.col.procedure')}</th>
              <th scope="col">{t('dash.drill.decidingUnit')}</th>
              <th scope="col">{t('ws.col.channel')}</th>
              <th scope="col">{t('ws.col.status')}</th>
              <th scope="col">{t('dash.drill.legalDue')}</th>
              <th scope="col">{t('dash.drill.finished')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => {
              const p = names.get(d.procedureCode);
              const pn = p ? (t.lang === 'en' && p.nameEn ? { text: p.nameEn, lang: undefined } : { text: p.name, lang: t.lang === 'vi' ? undefined : 'vi' }) : null;
              const overdue = d.finishedAt === null && d.legalAppointmentAt !== null && Date.parse(d.legalAppointmentAt) < now;
              return (
                <tr key={d.code}>
                  <th scope="row">
                    <Link className="dossier-code" to={dossierPath(d.code)}>
                      {d.code}
                    </Link>
                  </th>
                  <td>
                    <span className="dossier-code">{d.procedureCode}</span>
                    {pn && (
                      <>
                        {' '}
                        <span lang={pn.lang}>{pn.text}</span>
                      </>
                    )}
                  </td>
                  <td>{d.decidingUnit}</td>
                  <td>{channelName(t, d.channel)}</td>
                  <td>{t(`ws.status.${d.statusCode}` as 'ws.status.1')}</td>
                  <td>
                    {d.legalAppointmentAt ? <time dateTime={d.legalAppointmentAt}>{t.dateTime(d.legalAppointmentAt)}</time> : t('dash.value.na')}
                    {overdue && (
                      <>
                        {' '}
                        <span className="tag tag-bad">{t('ws.due.overdue')}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {d.finishedAt ? <time dateTime={d.finishedAt}>{t.dateTime(d.finishedAt)}</time> : t('dash.drill.notFinished')}
                    {d.timeliness && (
                      <>
                        {' '}
                        <span className={d.timeliness === 'late' ? 'tag tag-bad' : 'tag tag-good'}>{t(`dash.timeliness.${d.timeliness}`)}</span>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </TableRegion>
      )}
      <LoadMore
        hasMore={Boolean(nextCursor)}
        busy={busy}
        error={moreError}
        onLoadMore={() => void loadMore()}
        shown={
          items.length === 0
            ? null
            : total !== null
              ? t('dash.drill.shownOf', { n: t.number(items.length), total: t.number(total) })
              : t('ws.queues.shown', { n: t.number(items.length) })
        }
      />
    </div>
  );
}

