/**
 * Pieces shared by the workspace and the dashboard: the row of a face's own links under the page
 * heading (the current one marked for assistive technology), and the options of a field select.
 */
import { pick, useT } from '../i18n/index.js';
import { Link, useRouter } from '../router.js';
import type { Field } from '../types.js';

/** Links to a face's pages; `path` is the page a link stands for (its `to` may add a query). */
export function SectionNav({ label, items }: { label: string; items: ReadonlyArray<{ to: string; path: string; label: string }> }) {
  const { location } = useRouter();
  return (
    <nav className="ws-nav" aria-label={label}>
      <ul>
        {items.map((i) => (
          <li key={i.path}>
            <Link to={i.to} aria-current={location.pathname === i.path ? 'page' : undefined}>
              {i.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The options of a field select: "any", the fields, and the chosen code if it is not (yet) among them. */
export function FieldOptions({ fields, value, anyLabel }: { fields: readonly Field[] | undefined; value: string; anyLabel: string }) {
  const t = useT();
  return (
    <>
      <option value="">{anyLabel}</option>
      {(fields ?? []).map((f) => {
        const n = pick(t, f.name, f.nameEn);
        return (
          <option key={f.code} value={f.code} lang={n.lang}>
            {n.text}
          </option>
        );
      })}
      {value !== '' && fields && !fields.some((f) => f.code === value) && <option value={value}>{value}</option>}
    </>
  );
}
