/**
 * What a question to the virtual assistant asks for (issue 6), from its words alone: pure, so that
 * every rule is unit-tested. Which procedure it is about is found separately (retrieval over the
 * catalog); this module says which facts of it to answer with, whether it is about a dossier, or,
 * for officials, about their work queues and indicators.
 *
 * Questions are folded (lower case, no diacritics, đ → d) so that "lệ phí", "le phi" and "LỆ PHÍ"
 * read alike; English keywords are recognised as well. Several intents may hold at once ("cần gì
 * và mất bao lâu"); none means an overview of the procedure.
 */
import { foldTerm } from './search-query.js';

export type ProcedureIntent = 'documents' | 'fee' | 'time_limit' | 'where' | 'online';
export type StaffIntent = 'due_today' | 'overdue' | 'indicator';
export type Intent = ProcedureIntent | StaffIntent | 'dossier_status' | 'greeting';

export type IndicatorKey = 'on_time_rate' | 'overdue_pending' | 'due_soon' | 'online_share' | 'online_payment_share' | 'digitisation_rate' | 'satisfaction';

export interface QuestionReading {
  /** The folded question. */
  folded: string;
  /** Answer language: English when the question reads as English, else Vietnamese. */
  lang: 'vi' | 'en';
  intents: Intent[];
  /** A dossier code found in the question (as written, upper-cased). */
  dossierCode: string | null;
  /** Pages and copies mentioned for a fee ("10 trang", "3 bản"). */
  pages: number | null;
  copies: number | null;
  /** For the indicator intent: which indicator. */
  indicator: IndicatorKey | null;
}

/** Dossier codes as motcua formats them: unit-yyMMdd-NNNN, e.g. H15.001-260302-0001. */
export const DOSSIER_CODE_RE = /\b([A-Z0-9]{2,10}(?:\.[A-Z0-9]{1,10})*-\d{6}-\d{4,6})\b/i;

/** Folded keyword phrases per intent (matched on word boundaries). */
const KEYWORDS: Record<Exclude<Intent, 'dossier_status' | 'greeting' | 'indicator'>, readonly string[]> = {
  documents: [
    'can gi', 'can nhung gi', 'can giay', 'giay to', 'ho so gom', 'thanh phan ho so', 'mang theo', 'chuan bi', 'can mang', 'nop nhung gi', 'can co gi',
    'documents', 'document', 'papers', 'what do i need', 'what is needed', 'required', 'requirements', 'bring',
  ],
  fee: [
    'le phi', 'phi', 'bao nhieu tien', 'mat tien', 'ton tien', 'mat phi', 'chi phi', 'nop tien', 'mien phi', 'gia bao nhieu', 'het bao nhieu',
    'fee', 'fees', 'cost', 'costs', 'how much', 'price', 'charge', 'free',
  ],
  time_limit: [
    'bao lau', 'may ngay', 'bao nhieu ngay', 'thoi han', 'thoi gian', 'bao gio', 'khi nao', 'lau khong', 'mat may ngay', 'ngay hen', 'hen tra',
    'how long', 'when will', 'how many days', 'time limit', 'deadline', 'processing time',
  ],
  where: ['o dau', 'noi nop', 'nop o dau', 'lam o dau', 'den dau', 'co quan nao', 'cho nao', 'tai dau', 'where', 'which office'],
  online: [
    'truc tuyen', 'online', 'qua mang', 'tren mang', 'dich vu cong', 'toan trinh', 'tai nha', 'khong can den', 'qua internet', 'dien tu',
    'internet', 'from home', 'on the web', 'website',
  ],
  due_today: ['den han hom nay', 'han hom nay', 'het han hom nay', 'tra hom nay', 'due today', 'today'],
  overdue: ['qua han', 'tre han', 'tre hen', 'cham tra', 'overdue', 'late dossiers', 'late'],
};

// About a dossier, not a procedure: "tình trạng hôn nhân" (marital status) is a procedure's name.
const STATUS_WORDS = [
  'tinh trang ho so', 'trang thai ho so', 'ho so den dau', 'den dau roi', 'da xong chua', 'xong chua', 'tra cuu ho so', 'ho so cua toi', 'ho so con thieu',
  'dossier status', 'status of my', 'my dossier', 'my application', 'track my',
];
const INDICATOR_WORDS = ['chi so', 'ty le', 'chi tieu', 'dung han bao nhieu', 'xep hang', 'diem', 'indicator', 'rate', 'score', 'ranking', 'how is', 'how does'];
const GREETINGS = ['xin chao', 'chao ban', 'chao', 'hello', 'hi', 'alo', 'cam on', 'thank you', 'thanks'];

/** Indicator words, most specific first. */
const INDICATORS: ReadonlyArray<[IndicatorKey, readonly string[]]> = [
  ['online_payment_share', ['thanh toan truc tuyen', 'online payment']],
  ['digitisation_rate', ['so hoa', 'digitis', 'digitiz']],
  ['satisfaction', ['hai long', 'satisf']],
  ['due_soon', ['sap den han', 'due soon']],
  ['overdue_pending', ['qua han', 'tre han', 'overdue']],
  ['online_share', ['truc tuyen', 'online']],
  ['on_time_rate', ['dung han', 'dung hen', 'on time', 'on-time']],
];

/** Words that mark a question as English (folded Vietnamese has none of them as words). */
const ENGLISH = ['how', 'what', 'where', 'when', 'which', 'who', 'do', 'does', 'i', 'my', 'the', 'a', 'an', 'is', 'are', 'to', 'for', 'need', 'can', 'register', 'get', 'apply'];

const has = (folded: string, phrase: string) => new RegExp(`(^|[^a-z0-9])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`).test(folded);
const hasAny = (folded: string, phrases: readonly string[]) => phrases.some((p) => has(folded, p));

function numberBefore(folded: string, units: readonly string[]): number | null {
  const m = folded.match(new RegExp(`(\\d{1,6})\\s*(?:${units.join('|')})\\b`));
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Reads a question. `staff`: the asker works in a unit (officials' intents apply). */
export function readQuestion(question: string, opts: { staff?: boolean } = {}): QuestionReading {
  const folded = foldTerm(question).replace(/\s+/g, ' ').trim();
  const words = folded.split(/[^a-z0-9]+/).filter(Boolean);
  const englishWords = words.filter((w) => ENGLISH.includes(w)).length;
  const lang: 'vi' | 'en' = englishWords >= 2 || (englishWords === 1 && words.length <= 3) ? 'en' : 'vi';
  const code = question.match(DOSSIER_CODE_RE);
  const intents: Intent[] = [];
  const staff = opts.staff === true;

  if (code || hasAny(folded, STATUS_WORDS)) intents.push('dossier_status');
  if (staff) {
    const indicator = INDICATORS.find(([, ws]) => hasAny(folded, ws))?.[0] ?? null;
    if (hasAny(folded, INDICATOR_WORDS) && indicator) {
      return { folded, lang, intents: ['indicator'], dossierCode: code ? code[1]!.toUpperCase() : null, pages: null, copies: null, indicator };
    }
    // Work-queue questions name dossiers ("hồ sơ quá hạn"), so that "khai sinh quá hạn" stays a
    // question about the late-registration case of a procedure.
    const aboutDossiers = hasAny(folded, ['ho so', 'dossier', 'dossiers', 'viec', 'nhung ho so', 'bao nhieu ho so']);
    if (aboutDossiers && hasAny(folded, KEYWORDS.due_today)) intents.push('due_today');
    else if (aboutDossiers && hasAny(folded, KEYWORDS.overdue)) intents.push('overdue');
  }
  for (const k of ['documents', 'fee', 'time_limit', 'where', 'online'] as const) if (hasAny(folded, KEYWORDS[k])) intents.push(k);
  // "miễn phí không" is about the fee; "phí" inside "phía" is not (word boundaries above).
  if (intents.length === 0 && hasAny(folded, GREETINGS) && words.length <= 4) intents.push('greeting');
  return {
    folded,
    lang,
    intents,
    dossierCode: code ? code[1]!.toUpperCase() : null,
    pages: numberBefore(folded, ['trang', 'to', 'pages?']),
    copies: numberBefore(folded, ['ban sao', 'ban', 'copies', 'copy']),
    indicator: null,
  };
}

/**
 * The procedure facts to answer with: those asked for, or all of them for an overview. "What do I
 * need" (documents alone) is answered with what the applicant must bring and pay and how long it
 * takes, and whether it can be done online: the documents, the fee, the time limit, online.
 */
export function procedureFacts(r: QuestionReading): ProcedureIntent[] {
  const asked = r.intents.filter((i): i is ProcedureIntent => ['documents', 'fee', 'time_limit', 'where', 'online'].includes(i));
  if (asked.length === 0) return ['documents', 'fee', 'time_limit', 'where', 'online'];
  if (asked.length === 1 && asked[0] === 'documents') return ['documents', 'fee', 'time_limit', 'online'];
  return asked;
}
