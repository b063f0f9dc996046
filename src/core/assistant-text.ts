/**
 * How the assistant reads a free-form question before searching the catalog (pure): the question
 * is folded like procedures.search_text (no diacritics, lower case), then the words that say how
 * someone asks rather than what they ask about are removed — question forms ("cho tôi hỏi",
 * "làm sao để", "cần những gì", "how do I"), pronouns and particles ("tôi", "ạ", "nhé"). What is
 * left goes through the catalog search's lexicon and typo correction (src/catalog/search.ts).
 *
 * Words that also occur inside procedure names are deliberately kept even though people use them
 * as filler too: "cho" (tặng cho), "con" (nhận cha, mẹ, con), "lại" (đăng ký lại), "mới",
 * "làm" (lexicon phrases such as "làm giấy khai sinh" start with it; the retrieval drops it when
 * it is left alone, see WEAK_WORDS).
 */
import { foldVietnamese } from './text.js';

/**
 * Multi-word question forms, folded, removed wherever they occur (longest first). Only phrases
 * that never carry the subject of a question belong here.
 */
export const FILLER_PHRASES: readonly string[] = [
  // Vietnamese: asking, wanting, how, what is needed, how much, how long, where
  'cho toi hoi', 'cho minh hoi', 'cho em hoi', 'cho chau hoi', 'cho hoi', 'xin hoi', 'xin cho hoi', 'toi muon hoi', 'em muon hoi', 'muon hoi',
  'lam sao de', 'lam the nao de', 'lam the nao', 'lam sao', 'nhu the nao', 'the nao', 'ra sao', 'the nao la', 'phai lam gi', 'can lam gi',
  'can nhung giay to gi', 'can giay to gi', 'can nhung gi', 'can nhung', 'can chuan bi gi', 'can chuan bi nhung gi', 'chuan bi gi', 'chuan bi nhung gi', 'gom nhung gi', 'gom nhung giay to gi', 'nhung giay to nao', 'giay to gi', 'giay to nao', 'giay to can thiet', 'can gi', 'can mang gi', 'mang theo gi',
  'bao nhieu tien', 'het bao nhieu', 'mat bao nhieu', 'bao nhieu', 'le phi', 'phi bao nhieu', 'chi phi bao nhieu', 'ton bao nhieu',
  'mat bao lau', 'bao lau', 'bao lau thi', 'may ngay', 'bao nhieu ngay', 'khi nao', 'bao gio', 'thoi gian giai quyet', 'thoi han',
  'o dau', 'tai dau', 'noi nao', 'cho nao', 'nop o dau', 'nop tai dau', 'den dau',
  'co duoc khong', 'duoc khong', 'co the', 'co phai', 'hay khong', 'co khong', 'phai khong', 'khong a', 'duoc ko', 'dc ko', 'duoc k',
  'thu tuc', 'ho so', 'quy trinh', 'huong dan', 'trinh tu', 'the thuc',
  'nop truc tuyen', 'nop online', 'lam online', 'truc tuyen', 'online', 'qua mang',
  // English
  'how do i', 'how can i', 'how to', 'how much', 'how long', 'what documents', 'which documents', 'what papers', 'what do i need', 'do i need', 'what is', 'what are',
  'where do i', 'where can i', 'where to', 'i want to', 'i need to', 'i need', 'i want', 'can i', 'is it possible to', 'please', 'apply for', 'apply', 'get a', 'get an',
  'required documents', 'documents needed', 'documents', 'requirements', 'procedure for', 'procedure', 'process', 'fee for', 'fee', 'cost', 'time limit', 'online',
];

/**
 * Single folded words that are filler in any question: pronouns, particles, question words, a
 * few verbs of wanting and asking. (Both the diacritic-less spelling and common chat shorthand.)
 */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  // pronouns and forms of address
  'toi', 'minh', 'em', 'anh', 'chi', 'chau', 'bac', 'ong', 'ba', 'co', 'chu', 'tui', 'nha',
  // particles and question words
  'a', 'a.', 'oi', 'nhe', 'nha', 'ha', 'ho', 'vay', 'the', 'thi', 'la', 'ma', 'nhi', 'chu', 'gi', 'nao', 'sao', 'dau', 'khong', 'ko', 'k', 'hok', 'hong', 'ak', 'ah', 'vs', 'j',
  'duoc', 'dc', 'can', 'phai', 'nhung', 'cac', 'cai', 'viec', 've', 'cua', 'voi', 'va', 'hoac', 'de', 'muon', 'hoi', 'giup', 'xin', 'vui', 'long', 'may', 'se', 'da', 'roi',
  'nay', 'do', 'kia', 'ay', 'o', 'tai', 'tu', 'den', 'nhu', 'neu', 'khi', 'thuc', 'hien', 'nop', 'mat', 'het', 'tien', 'phi', 'ngay', 'gio',
  'moi', 'biet', 'thong', 'tin', 'chuan', 'bi', 'mang', 'theo', 'giay', 'to', 'gom', 'co', 'them', 'nua', 'luon', 'ngay',
  // English
  'i', 'me', 'my', 'we', 'our', 'you', 'your', 'a', 'an', 'the', 'to', 'for', 'of', 'in', 'on', 'at', 'is', 'are', 'do', 'does', 'how', 'what', 'which', 'where', 'when', 'can',
  'need', 'needed', 'want', 'get', 'and', 'or', 'with', 'it', 'this', 'that', 'there', 'be', 'much', 'long', 'does', 'take', 'takes', 'should', 'would', 'could', 'about', 'from', 'please', 'new', 'one', 'some', 'any', 'after', 'before', 'by', 'as', 'am', 'was', 's',
]);

/**
 * Words kept by cleanQuestion because they start or sit inside lexicon phrases ("làm giấy khai
 * sinh", "xin phép xây nhà"), but that say nothing on their own: the retrieval ignores a search
 * group that is only one of these.
 */
export const WEAK_WORDS: ReadonlySet<string> = new Set(['lam', 'xin', 'giay', 'cho', 'con', 'moi', 'lai', 'cap', 'dang', 'ky', 'dang ky']);

/**
 * Folded phrases whose words are never dropped, because one of them alone is a filler word once
 * the diacritics are gone: "sổ đỏ" (đó), "cổ phần" (có), "bản sao" (bạn), "tư pháp" (từ),
 * "địa chỉ" (chị), "chữ ký" (chú), "tài sản" (tại), "căn cước" (cần)...
 */
export const PROTECTED_PHRASES: readonly string[] = [
  'so do', 'sao y', 'sao luc', 'xa hoi', 'chung thuc', 'diem chi', 'cai tao', 'cai chinh', 'co phan', 'ban sao', 'chung tu', 'khai tu', 'bao tu', 'ban chinh', 'tu phap', 'dia chi', 'chu ky', 'tai san', 'can cuoc', 'ngay sinh', 'gia thu', 'ho gia dinh',
  'bao tro', 'nguoi khuyet tat', 'nguoi cao tuoi', 'nguoi nuoc ngoai', 'nguoi giam ho', 'thue tro', 'chi phi', 'phi mai tang', 'tien mai tang',
  'to khai', 'ho ten', 'hon nhan', 'ly lich', 'tam vang', 'do an', 'giay phep', 'dia ban', 'nha o', 'tro cap', 'cham soc', 'nuoi duong',
];

/** Words kept although they can be filler (see header). */
const KEEP_WORDS: ReadonlySet<string> = new Set(['lam', 'cho', 'con', 'lai', 'moi', 'giay', 'xin', 'ho', 'ten', 'nha', 'dat', 'so', 'cap', 'doi', 'mat']);

/** Folded words of a text: no diacritics, lower case, split on anything but letters and digits. */
export function foldedWords(s: string): string[] {
  return foldVietnamese(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

const PROTECTED = PROTECTED_PHRASES.map((p) => p.split(' '));
const PHRASES = [...FILLER_PHRASES].map((p) => p.split(' ')).sort((a, b) => b.length - a.length);

/**
 * The question without question forms and filler words, folded, words separated by single
 * spaces. Returns '' when nothing is left (a greeting, "help", a bare question word).
 */
export function cleanQuestion(question: string): string {
  const words = foldedWords(question);
  const kept: string[] = [];
  const isProtected = new Array<boolean>(words.length).fill(false);
  for (const p of PROTECTED) {
    for (let k = 0; k + p.length <= words.length; k++) {
      if (p.every((w, j) => words[k + j] === w)) for (let j = 0; j < p.length; j++) isProtected[k + j] = true;
    }
  }
  let i = 0;
  outer: while (i < words.length) {
    if (isProtected[i]) {
      kept.push(words[i]!);
      i++;
      continue;
    }
    for (const p of PHRASES) {
      if (p.length > 1 && p.every((w, j) => words[i + j] === w)) {
        // A filler phrase drops its words, except those of a protected phrase it overlaps.
        for (let j = 0; j < p.length; j++) if (isProtected[i + j]) kept.push(words[i + j]!);
        i += p.length;
        continue outer;
      }
    }
    const w = words[i]!;
    if (KEEP_WORDS.has(w) || !FILLER_WORDS.has(w)) kept.push(w);
    i++;
  }
  return kept.join(' ');
}

/**
 * Folded phrases that qualify who applies or what kind of paper, common to many procedure names
 * ("cá nhân", "hộ gia đình", "người nước ngoài", "Việt Nam"): found in a name they do not show
 * that the name is what the question is about ("thuế thu nhập cá nhân" is not a land procedure).
 */
export const GENERIC_PHRASES: ReadonlySet<string> = new Set([
  'ca nhan', 'ho gia dinh', 'gia dinh', 'cong dan', 'nguoi nuoc ngoai', 'nuoc ngoai', 'viet nam', 'to chuc', 'co quan', 'giay to', 'van ban',
  'tham quyen', 'hang thang', 'nguoi yeu cau', 'cu tru', 'doi voi', 'lien quan', 'truong hop', 'tai viet',
]);

/** Whether a search group made only of `source` (folded) says nothing by itself. */
export function isWeakWord(source: string): boolean {
  return WEAK_WORDS.has(source);
}

/**
 * Pronouns, particles and function words (folded): what faqWords drops. Narrower than
 * FILLER_WORDS, because a general question is often about what the procedure search ignores
 * ("nộp trực tuyến", "tra cứu hồ sơ", "bao lâu").
 */
export const PARTICLE_WORDS: ReadonlySet<string> = new Set([
  'toi', 'minh', 'em', 'anh', 'chi', 'chau', 'bac', 'ong', 'ba', 'co', 'chu', 'tui', 'a', 'oi', 'nhe', 'nha', 'ha', 'vay', 'the', 'thi', 'la', 'ma', 'nhi',
  'gi', 'nao', 'sao', 'khong', 'ko', 'k', 'duoc', 'dc', 'can', 'phai', 'nhung', 'cac', 'cai', 'viec', 've', 'cua', 'voi', 'va', 'hoac', 'de', 'muon', 'hoi', 'xin',
  'cho', 'lam', 'nay', 'do', 'o', 'tai', 'khi', 'neu', 'se', 'da', 'roi', 'dang', 'biet', 'giup',
  'i', 'me', 'my', 'we', 'you', 'an', 'to', 'for', 'of', 'in', 'on', 'at', 'is', 'are', 'does', 'how', 'what', 'which', 'can', 'it', 'and', 'or', 'please', 'should',
]);

/** Folded words of a general question worth looking up in the FAQ (no particles or pronouns). */
export function faqWords(question: string): string[] {
  return foldedWords(question).filter((w) => !PARTICLE_WORDS.has(w) && w.length > 0);
}
