import { useId } from 'react';
import { useT } from '../i18n/index.js';

/** The labelled search input and its button; used inside a form by the home and search pages. */
export function SearchBox({ value, onChange, big = false }: { value: string; onChange(v: string): void; big?: boolean }) {
  const t = useT();
  const id = useId();
  return (
    <div className={big ? 'searchbox searchbox-big' : 'searchbox'}>
      <label htmlFor={`${id}-q`} className="searchbox-label">
        {t('search.label')}
      </label>
      <p id={`${id}-hint`} className="hint">
        {t('search.hint')}
      </p>
      <div className="searchbox-row">
        <input
          id={`${id}-q`}
          type="search"
          name="q"
          value={value}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
          placeholder={t('search.placeholder')}
          aria-describedby={`${id}-hint`}
          onChange={(e) => onChange(e.target.value)}
        />
        <button type="submit" className="button">
          {t('search.submit')}
        </button>
      </div>
    </div>
  );
}
