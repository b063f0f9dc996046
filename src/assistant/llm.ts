/**
 * Optional generative phrasing (issue 6 §4): an OpenAI-compatible chat endpoint may rephrase an
 * answer already built from catalog facts, nothing more. Off unless ASSISTANT_LLM_URL is set.
 *
 * The model gets only the facts text and is told to keep every fact; its text is used only if
 * it kept every number of the facts (fees, dates, times, time limits, codes) and added none, so a
 * fee, a deadline or a count it invented or dropped sends the template's own text instead. Any
 * failure (timeout, error, refusal) does the same: the assistant never depends on the model.
 * Citations and links are not part of the text: they are returned alongside, untouched.
 */
import { foldTerm } from '../core/search-query.js';

export interface LlmConfig {
  url: string;
  model: string;
  key: string | null;
}

export const LLM_TIMEOUT_MS = 4000;
const MAX_CHARS = 4000;

/** The numbers of a text as written (digits with their . , : / separators): 8.000, 16:00, 23/11/2026. */
export function numbersOf(text: string): string[] {
  return (text.match(/\d+(?:[.,:/]\d+)*/g) ?? []).sort();
}

/** True when `candidate` states exactly the numbers of `facts` (as a multiset) and is not empty. */
export function keepsFacts(facts: string, candidate: string): boolean {
  if (candidate.trim() === '' || candidate.length > MAX_CHARS) return false;
  const a = numbersOf(facts);
  const b = numbersOf(candidate);
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) return false;
  // The procedure's name must still be there (the first line of a procedure answer).
  const first = facts.split('\n')[0]!.replace(/\(.*\)/, '').trim();
  return first === '' || foldTerm(candidate).includes(foldTerm(first));
}

const SYSTEM: Record<'vi' | 'en', string> = {
  vi: 'Bạn viết lại câu trả lời về thủ tục hành chính cho dễ đọc, thân thiện, bằng tiếng Việt. Chỉ dùng các thông tin đã cho; giữ nguyên mọi con số, ngày giờ, mức phí, mã và tên giấy tờ; không thêm thông tin mới; không thêm liên kết.',
  en: 'Rewrite this answer about an administrative procedure to read well, in English. Use only the facts given; keep every number, date, time, fee, code and document name exactly; add nothing; add no links.',
};

/** The rephrased text, or null to keep the template's (off, failed, or not faithful). */
export async function rephrase(cfg: LlmConfig, facts: string, lang: 'vi' | 'en'): Promise<string | null> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), LLM_TIMEOUT_MS);
  try {
    const res = await fetch(`${cfg.url}/chat/completions`, {
      method: 'POST',
      signal: ctrl.signal,
      headers: { 'content-type': 'application/json', ...(cfg.key ? { authorization: `Bearer ${cfg.key}` } : {}) },
      body: JSON.stringify({
        model: cfg.model,
        temperature: 0.2,
        messages: [
          { role: 'system', content: SYSTEM[lang] },
          { role: 'user', content: facts },
        ],
      }),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    const text = body.choices?.[0]?.message?.content;
    if (typeof text !== 'string') return null;
    return keepsFacts(facts, text) ? text.trim() : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
