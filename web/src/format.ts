/** Catalog facts written for a person, in the current language. */
import type { Translate } from './i18n/index.js';
import type { FeeRule, TimeLimit } from './types.js';

export function timeLimitText(t: Translate, limit: TimeLimit): string {
  switch (limit.kind) {
    case 'same_day':
      return t('time.same_day');
    case 'none':
      return t('time.none');
    case 'working_days':
    case 'hours':
    case 'days':
      return t.plural(`time.${limit.kind}`, limit.value);
  }
}

export function feeText(t: Translate, rule: FeeRule): string {
  switch (rule.kind) {
    case 'free':
      return t('fee.free');
    case 'fixed':
      return t('fee.fixed', { amount: t.money(rule.amount), unit: t(`fee.unit.${rule.unit ?? 'dossier'}`) });
    case 'per_page':
      return t('fee.perPage', {
        rate: t.money(rule.rate),
        from: t.number(rule.laterFromPage),
        laterRate: t.money(rule.laterRate),
        cap: t.money(rule.capPerCopy),
      });
  }
}

/**
 * Fee notes in the catalog are written "Vietnamese / English"; show the half in the current
 * language (the whole note when it is not in that form).
 */
/** Also used for document notes, written the same way. */
export function feeNote(t: Translate, note: string | undefined): { text: string; lang: 'vi' | undefined } | null {
  if (!note || note.trim() === '') return null;
  const i = note.lastIndexOf(' / ');
  if (i < 0) return { text: note, lang: t.lang === 'en' ? 'vi' : undefined };
  return t.lang === 'en' ? { text: note.slice(i + 3), lang: undefined } : { text: note.slice(0, i), lang: undefined };
}
