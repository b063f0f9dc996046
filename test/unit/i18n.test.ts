/** The web app's catalogues: English has exactly the Vietnamese keys, nothing is empty, placeholders agree. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { vi } from '../../web/src/i18n/vi.js';
import { en } from '../../web/src/i18n/en.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('web i18n catalogues', () => {
  it('have the same keys in Vietnamese and English', () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(vi).sort());
  });

  it('have no empty text', () => {
    for (const [lang, cat] of [['vi', vi], ['en', en]] as const) {
      for (const [key, text] of Object.entries(cat)) {
        assert.ok(text.trim().length > 0, `${lang} ${key} is empty`);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      assert.deepEqual(placeholders(en[key]), placeholders(vi[key]), key);
    }
  });

  it('give every plural key both forms', () => {
    for (const key of Object.keys(vi)) {
      if (key.endsWith('.one')) assert.ok(`${key.slice(0, -4)}.other` in vi, `${key} without .other`);
      if (key.endsWith('.other')) assert.ok(`${key.slice(0, -6)}.one` in vi, `${key} without .one`);
    }
  });

  it('are not copies of each other (the English is translated)', () => {
    const same = Object.keys(vi).filter((k) => vi[k as keyof typeof vi] === en[k as keyof typeof vi] && /[à-ỹđĐ]/i.test(vi[k as keyof typeof vi]));
    assert.deepEqual(same, []);
  });
});
