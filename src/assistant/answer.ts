/**
 * The assistant's answers about a procedure, written from templates filled with catalog data only
 * (issue 6 §3, §6): the documents, the fee for the applicant's situation, the time limit and what
 * it means in dates from now by the working calendar, where to submit, whether it can be done
 * online, with links. A fact the catalog does not hold is not stated; the answer says where to ask.
 * Pure given the procedure and the calendar (unit-tested with fixed clocks).
 */
import { computeDueAt, localDateOf, weekdayOf, type CalendarConfig, type TimeLimitKind } from '../core/calendar.js';
import { computeFee, describeFee, type FeeRule } from '../core/fees.js';
import type { ProcedureIntent } from '../core/assistant-intent.js';
import { describeTimeLimit } from '../dossiers/receipt.js';

export type Lang = 'vi' | 'en';

export interface AnswerAction {
  label: string;
  href: string;
}

/** The catalog facts of one procedure the answers read (ProcedureDetail's shape, trimmed). */
export interface ProcedureFactsView {
  code: string;
  name: string;
  nameEn: string | null;
  implementingBody: string;
  level: 'province' | 'commune';
  onlineLevel: 'none' | 'partial' | 'full';
  noBoundary: boolean;
  cases: ReadonlyArray<{ code: string; name: string; nameEn: string; timeLimit: { kind: TimeLimitKind; value: number }; fee: FeeRule }>;
  documents: ReadonlyArray<{ name: string; nameEn: string; copies: number; originalRequired: boolean; required: boolean; caseCodes: readonly string[]; note: string }>;
}

const WEEKDAYS_VI = ['', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'];
const WEEKDAYS_EN = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "16:00 thứ Hai, 23/11/2026" / "16:00 Monday 23/11/2026", in the calendar's local time. */
export function localDateTime(cal: CalendarConfig, instant: Date, lang: Lang): string {
  const day = localDateOf(cal, instant);
  const local = new Date(instant.getTime() + cal.utcOffsetMinutes * 60_000);
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  const [y, m, d] = day.split('-');
  const w = weekdayOf(day);
  return lang === 'vi' ? `${hh}:${mm} ${WEEKDAYS_VI[w]}, ${d}/${m}/${y}` : `${hh}:${mm} ${WEEKDAYS_EN[w]} ${d}/${m}/${y}`;
}

const name = (p: { name: string; nameEn: string | null }, lang: Lang) => (lang === 'en' && p.nameEn ? p.nameEn : p.name);
const money = (n: number, lang: Lang) => (lang === 'vi' ? `${n.toLocaleString('vi-VN')} đồng` : `${n.toLocaleString('vi-VN')} VND`);

function documentLines(p: ProcedureFactsView, lang: Lang): string[] {
  const caseName = new Map(p.cases.map((c) => [c.code, lang === 'en' ? c.nameEn || c.name : c.name]));
  return p.documents.map((d) => {
    const copies =
      lang === 'vi'
        ? `${d.copies} bản${d.originalRequired ? ' (bản chính để đối chiếu)' : ''}`
        : `${d.copies} cop${d.copies === 1 ? 'y' : 'ies'}${d.originalRequired ? ' (original to be shown)' : ''}`;
    const when = d.caseCodes.length ? (lang === 'vi' ? ` — trường hợp: ${d.caseCodes.map((c) => caseName.get(c) ?? c).join('; ')}` : ` — case: ${d.caseCodes.map((c) => caseName.get(c) ?? c).join('; ')}`) : '';
    const optional = d.required ? '' : lang === 'vi' ? ' (nếu có)' : ' (if any)';
    return `• ${lang === 'en' && d.nameEn ? d.nameEn : d.name}${optional}: ${copies}${when}`;
  });
}

function feeLines(p: ProcedureFactsView, lang: Lang, situation: { pages: number | null; copies: number | null }): string[] {
  return p.cases.map((c) => {
    const desc = describeFee(c.fee)[lang];
    // Catalog notes are written "Vietnamese / English": the part in the answer's language, and
    // nothing when it only repeats the amount.
    const rawNote = 'note' in c.fee && typeof c.fee.note === 'string' ? c.fee.note.trim() : '';
    const parts = rawNote.split(' / ');
    const noteText = (parts.length === 2 ? parts[lang === 'vi' ? 0 : 1]! : rawNote).trim();
    const note = noteText && noteText !== desc ? ` (${noteText})` : '';
    let forYou = '';
    if (c.fee.kind !== 'free' && (situation.pages !== null || situation.copies !== null)) {
      const pages = situation.pages ?? undefined;
      const copies = situation.copies ?? undefined;
      if (c.fee.kind !== 'per_page' || pages !== undefined) {
        const amount = computeFee(c.fee, { pages, copies });
        const what =
          lang === 'vi'
            ? [pages !== undefined ? `${pages} trang` : null, copies !== undefined ? `${copies} bản` : null].filter(Boolean).join(', ')
            : [pages !== undefined ? `${pages} pages` : null, copies !== undefined ? `${copies} copies` : null].filter(Boolean).join(', ');
        forYou = lang === 'vi' ? ` → với ${what}: ${money(amount, lang)}` : ` → for ${what}: ${money(amount, lang)}`;
      }
    }
    return `• ${lang === 'en' ? c.nameEn || c.name : c.name}: ${desc}${note}${forYou}`;
  });
}

function timeLines(p: ProcedureFactsView, lang: Lang, cal: CalendarConfig, now: Date): string[] {
  return p.cases.map((c) => {
    const limit = describeTimeLimit(c.timeLimit.kind, c.timeLimit.value)[lang];
    const due = c.timeLimit.kind === 'none' ? null : computeDueAt(cal, now, c.timeLimit.kind, c.timeLimit.value);
    const when = due
      ? lang === 'vi'
        ? ` → nếu hồ sơ đầy đủ được tiếp nhận ngay bây giờ, hẹn trả kết quả vào ${localDateTime(cal, due, lang)}`
        : ` → if a complete dossier is received now, the result is due at ${localDateTime(cal, due, lang)}`
      : '';
    return `• ${lang === 'en' ? c.nameEn || c.name : c.name}: ${limit}${when}`;
  });
}

function whereLine(p: ProcedureFactsView, lang: Lang): string {
  if (lang === 'vi') {
    const desk = p.level === 'commune' ? 'Trung tâm phục vụ hành chính công (bộ phận một cửa) của xã, phường' : 'Trung tâm phục vụ hành chính công tỉnh';
    const anywhere = p.noBoundary ? ' Thủ tục không phụ thuộc địa giới hành chính: nộp tại bất kỳ điểm tiếp nhận nào trong tỉnh.' : '';
    return `Nơi nộp: ${desk}; cơ quan giải quyết: ${p.implementingBody}.${anywhere}`;
  }
  const desk = p.level === 'commune' ? "the ward's or commune's public administrative service centre (one-stop desk)" : "the province's public administrative service centre";
  const anywhere = p.noBoundary ? ' This procedure has no administrative boundary: any service point in the province receives it.' : '';
  return `Where: ${desk}; decided by: ${p.implementingBody}.${anywhere}`;
}

function onlineLine(p: ProcedureFactsView, lang: Lang): string {
  const vi = {
    full: 'Nộp trực tuyến: có, trực tuyến toàn trình (nộp, theo dõi, thanh toán và nhận kết quả điện tử mà không phải đến cơ quan).',
    partial: 'Nộp trực tuyến: có, trực tuyến một phần (nộp hồ sơ trực tuyến, có bước phải đến cơ quan, ví dụ nhận kết quả bản giấy).',
    none: 'Nộp trực tuyến: chưa; nộp trực tiếp hoặc qua bưu chính.',
  };
  const en = {
    full: 'Online: yes, fully online (submit, follow, pay and receive the electronic result without going to the office).',
    partial: 'Online: partly (submit online; some step needs a visit, e.g. collecting a paper result).',
    none: 'Online: not yet; submit in person or by post.',
  };
  return (lang === 'vi' ? vi : en)[p.onlineLevel];
}

/** The answer about one procedure for the facts asked. */
export function procedureAnswer(
  p: ProcedureFactsView,
  facts: readonly ProcedureIntent[],
  opts: { lang: Lang; cal: CalendarConfig; now: Date; pages: number | null; copies: number | null },
): { answer: string; actions: AnswerAction[] } {
  const { lang } = opts;
  const out: string[] = [lang === 'vi' ? `${name(p, lang)} (mã thủ tục ${p.code})` : `${name(p, lang)} (procedure ${p.code})`];
  for (const f of facts) {
    if (f === 'documents') {
      out.push(lang === 'vi' ? 'Giấy tờ cần chuẩn bị:' : 'Documents to prepare:');
      const lines = documentLines(p, lang);
      out.push(...(lines.length ? lines : [lang === 'vi' ? '• Danh mục giấy tờ chưa có trong cơ sở dữ liệu thủ tục; vui lòng hỏi bộ phận một cửa.' : '• The document list is not in the catalog yet; ask the one-stop desk.']));
    } else if (f === 'fee') {
      out.push(lang === 'vi' ? 'Phí, lệ phí:' : 'Fees:');
      out.push(...feeLines(p, lang, { pages: opts.pages, copies: opts.copies }));
    } else if (f === 'time_limit') {
      out.push(lang === 'vi' ? 'Thời hạn giải quyết:' : 'Time limit:');
      out.push(...timeLines(p, lang, opts.cal, opts.now));
    } else if (f === 'where') {
      out.push(whereLine(p, lang));
    } else if (f === 'online') {
      out.push(onlineLine(p, lang));
    }
  }
  const actions: AnswerAction[] = [];
  if (p.onlineLevel !== 'none') actions.push({ label: lang === 'vi' ? 'Nộp hồ sơ trực tuyến' : 'Submit online', href: `/nop-ho-so/${encodeURIComponent(p.code)}` });
  actions.push({ label: lang === 'vi' ? 'Xem chi tiết thủ tục' : 'Procedure details', href: `/thu-tuc/${encodeURIComponent(p.code)}` });
  return { answer: out.join('\n'), actions };
}
