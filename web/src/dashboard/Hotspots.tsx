/**
 * The hot-spot panel of the heatmap page (GET /api/monitoring/hotspots): the red unit × indicator
 * cells, worst first; those falling fastest against the previous period; and the open dossiers due
 * by law within the next 2 working days, each linked to its page. Each list shows its first few
 * items and can be opened in full.
 */
import { useState, type ReactNode } from 'react';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { useT } from '../i18n/index.js';
import { Link } from '../router.js';
import { BandTag, biText, dossierPath, drillPath, fractionText, unitName, valueText } from './common.js';
import { periodText, type ViewQuery } from './period.js';
import type { HeatmapIndicatorId, HotspotsAnswer, IndicatorView } from './types.js';

const FIRST = 8;

export function HotspotsPanel({ data, error, onRetry, indicators, view }: { data: HotspotsAnswer | undefined; error: unknown; onRetry(): void; indicators: IndicatorView[]; view: ViewQuery }) {
  const t = useT();
  const byId = new Map<HeatmapIndicatorId, IndicatorView>(indicators.map((i) => [i.id, i]));
  return (
    <section className="hotspots" aria-labelledby="dash-hot-title">
      <h2 id="dash-hot-title">{t('dash.hot.title')}</h2>
      {error !== undefined && <ErrorBox error={error} onRetry={onRetry} />}
      {!data && error === undefined && <Loading />}
      {data && (
        <div className="hotspot-grid">
          <HotList
            id="dash-hot-red"
            title={t('dash.hot.red', { n: t.number(data.redCount) })}
            empty={t('dash.hot.redEmpty')}
            items={data.red.map((r) => {
              const ind = byId.get(r.indicator);
              if (!ind) return null;
              const n = unitName(t, r.unit);
              const fraction = fractionText(t, r);
              return (
                <li key={`${r.unit.code}-${r.indicator}`}>
                  <Link to={drillPath(r.unit.code, r.indicator, view)}>
                    <span lang={n.lang}>{n.text}</span>
                  </Link>
                  {' — '}
                  {biText(t, ind.name)}: <strong>{valueText(t, ind, r.value)}</strong>
                  {fraction ? ` (${fraction})` : ''} <BandTag band="red" />
                </li>
              );
            })}
          />
          <HotList
            id="dash-hot-falling"
            title={t('dash.hot.falling')}
            intro={t('dash.hot.fallingIntro', { previous: periodText(t, data.previousPeriod) })}
            empty={t('dash.hot.fallingEmpty')}
            items={data.falling.map((f) => {
              const ind = byId.get(f.indicator);
              if (!ind) return null;
              const n = unitName(t, f.unit);
              return (
                <li key={`${f.unit.code}-${f.indicator}`}>
                  <Link to={drillPath(f.unit.code, f.indicator, view)}>
                    <span lang={n.lang}>{n.text}</span>
                  </Link>
                  {' — '}
                  {t('dash.hot.fallingItem', { indicator: biText(t, ind.name), previous: valueText(t, ind, f.previous), current: valueText(t, ind, f.current) })} <BandTag band={f.currentBand} />
                </li>
              );
            })}
          />
          <HotList
            id="dash-hot-due"
            title={t('dash.hot.due', { n: data.dueSoon.more ? t('ws.count.more', { n: t.number(data.dueSoon.items.length) }) : t.number(data.dueSoon.items.length) })}
            intro={t('dash.hot.dueIntro')}
            empty={t('dash.hot.dueEmpty')}
            items={data.dueSoon.items.map((d) => {
              const n = unitName(t, d.unit);
              return (
                <li key={d.code}>
                  <Link className="dossier-code" to={dossierPath(d.code)}>
                    {d.code}
                  </Link>{' '}
                  <span lang="vi">{d.procedure.name}</span> · <span lang={n.lang}>{n.text}</span> ·{' '}
                  {t('dash.hot.dueAt', { date: t.dateTime(d.legalAppointmentAt) })}
                </li>
              );
            })}
          />
        </div>
      )}
    </section>
  );
}

function HotList({ id, title, intro, empty, items }: { id: string; title: string; intro?: string; empty: string; items: Array<ReactNode | null> }) {
  const t = useT();
  const [all, setAll] = useState(false);
  const present = items.filter((i) => i !== null);
  const shown = all ? present : present.slice(0, FIRST);
  return (
    <div className="hotspot-list">
      <h3 id={id}>{title}</h3>
      {intro && <p className="hint">{intro}</p>}
      {present.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ol aria-labelledby={id} id={`${id}-list`}>
          {shown}
        </ol>
      )}
      {present.length > FIRST && (
        <button type="button" className="button-link" aria-expanded={all} aria-controls={`${id}-list`} onClick={() => setAll((a) => !a)}>
          {all ? t('dash.hot.fewer') : t('dash.hot.all', { n: t.number(present.length) })}
        </button>
      )}
    </div>
  );
}
