/**
 * The assistant's answers from catalog facts (src/assistant/answer.ts) with a fixed clock and the
 * default calendar: documents, fees for the applicant's pages and copies, time limits with the
 * appointment they give, where, online, links; and the guard on generative phrasing
 * (src/assistant/llm.ts): a text that drops, changes or adds a number is refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeCalendar } from '../../src/core/calendar.js';
import { DEFAULT_HOLIDAYS } from '../../src/core/holidays-default.js';
import { localDateTime, procedureAnswer, type ProcedureFactsView } from '../../src/assistant/answer.js';
import { keepsFacts, numbersOf } from '../../src/assistant/llm.js';

const cal = makeCalendar({ holidays: DEFAULT_HOLIDAYS });

const COPY: ProcedureFactsView = {
  code: 'X-01',
  name: 'Chứng thực bản sao từ bản chính',
  nameEn: 'Certified copy from the original',
  implementingBody: 'Ủy ban nhân dân cấp xã',
  level: 'commune',
  onlineLevel: 'partial',
  noBoundary: true,
  cases: [
    {
      code: 'A',
      name: 'Bản sao giấy tờ',
      nameEn: 'Copy of a document',
      timeLimit: { kind: 'working_days', value: 2 },
      fee: { kind: 'per_page', rate: 2000, laterRate: 1000, laterFromPage: 3, capPerCopy: 200000 },
    },
  ],
  documents: [
    { name: 'Bản chính giấy tờ', nameEn: 'The original', copies: 1, originalRequired: true, required: true, caseCodes: [], note: '' },
    { name: 'Bản sao cần chứng thực', nameEn: 'The copies to certify', copies: 1, originalRequired: false, required: true, caseCodes: ['A'], note: '' },
  ],
};

// Friday 20 November 2026, 09:00 in Vietnam.
const NOW = new Date('2026-11-20T02:00:00Z');

describe('procedure answers', () => {
  it('documents, with copies, originals and the case they belong to', () => {
    const a = procedureAnswer(COPY, ['documents'], { lang: 'vi', cal, now: NOW, pages: null, copies: null });
    assert.deepEqual(a.answer.split('\n'), [
      'Chứng thực bản sao từ bản chính (mã thủ tục X-01)',
      'Giấy tờ cần chuẩn bị:',
      '• Bản chính giấy tờ: 1 bản (bản chính để đối chiếu)',
      '• Bản sao cần chứng thực: 1 bản — trường hợp: Bản sao giấy tờ',
    ]);
    assert.deepEqual(a.actions, [
      { label: 'Nộp hồ sơ trực tuyến', href: '/nop-ho-so/X-01' },
      { label: 'Xem chi tiết thủ tục', href: '/thu-tuc/X-01' },
    ]);
  });

  it('the fee for the applicant situation: 10 pages, 3 copies = 3 × (2 × 2,000 + 8 × 1,000) = 36,000', () => {
    const a = procedureAnswer(COPY, ['fee'], { lang: 'vi', cal, now: NOW, pages: 10, copies: 3 });
    assert.match(a.answer, /→ với 10 trang, 3 bản: 36\.000 đồng$/m);
    const en = procedureAnswer(COPY, ['fee'], { lang: 'en', cal, now: NOW, pages: 10, copies: 3 });
    assert.match(en.answer, /→ for 10 pages, 3 copies: 36\.000 VND$/m);
    // without pages a per-page fee is only described
    assert.doesNotMatch(procedureAnswer(COPY, ['fee'], { lang: 'vi', cal, now: NOW, pages: null, copies: 3 }).answer, /→/);
  });

  it('the time limit and the appointment it gives now, by the working calendar', () => {
    // 2 working days from Friday 09:00: Monday 17:00 then Tuesday 09:00 (16 working hours).
    const a = procedureAnswer(COPY, ['time_limit'], { lang: 'vi', cal, now: NOW, pages: null, copies: null });
    assert.match(a.answer, /• Bản sao giấy tờ: 02 ngày làm việc → nếu hồ sơ đầy đủ được tiếp nhận ngay bây giờ, hẹn trả kết quả vào 09:00 thứ Ba, 24\/11\/2026/);
  });

  it('where (no boundary: anywhere in the province) and online level', () => {
    const a = procedureAnswer(COPY, ['where', 'online'], { lang: 'vi', cal, now: NOW, pages: null, copies: null });
    assert.match(a.answer, /Nơi nộp: .*Ủy ban nhân dân cấp xã\. Thủ tục không phụ thuộc địa giới hành chính/);
    assert.match(a.answer, /Nộp trực tuyến: có, trực tuyến một phần/);
    const none = procedureAnswer({ ...COPY, onlineLevel: 'none' }, ['online'], { lang: 'en', cal, now: NOW, pages: null, copies: null });
    assert.match(none.answer, /Online: not yet/);
    assert.deepEqual(none.actions.map((x) => x.href), ['/thu-tuc/X-01'], 'no submit link when it cannot be done online');
  });

  it('local date and time in both languages', () => {
    assert.equal(localDateTime(cal, NOW, 'vi'), '09:00 thứ Sáu, 20/11/2026');
    assert.equal(localDateTime(cal, NOW, 'en'), '09:00 Friday 20/11/2026');
  });
});

describe('generative phrasing is used only when it keeps every fact', () => {
  const facts = 'Đăng ký khai sinh (mã thủ tục 1.001193)\nPhí, lệ phí:\n• Quá hạn: 8.000 đồng/trường hợp\n• hẹn trả 17:00 thứ Sáu, 20/11/2026';
  it('numbers as written', () => {
    assert.deepEqual(numbersOf(facts), ['1.001193', '17:00', '20/11/2026', '8.000'].sort());
  });
  it('same numbers, same procedure: kept; dropped, changed or added: refused', () => {
    assert.ok(keepsFacts(facts, 'Thủ tục Đăng ký khai sinh (1.001193): nếu quá hạn, lệ phí là 8.000 đồng; hẹn trả 17:00 ngày 20/11/2026.'));
    assert.ok(!keepsFacts(facts, 'Thủ tục Đăng ký khai sinh (1.001193): lệ phí 8.000 đồng.'), 'dropped the appointment');
    assert.ok(!keepsFacts(facts, 'Đăng ký khai sinh (1.001193): lệ phí 10.000 đồng; hẹn trả 17:00 ngày 20/11/2026.'), 'changed the fee');
    assert.ok(!keepsFacts(facts, 'Đăng ký khai sinh (1.001193): lệ phí 8.000 đồng, xong trong 3 ngày; hẹn trả 17:00 ngày 20/11/2026.'), 'added a number');
    assert.ok(!keepsFacts(facts, 'Khai tử (1.001193): 8.000 đồng; 17:00 20/11/2026'), 'lost the procedure');
    assert.ok(!keepsFacts(facts, '   '));
  });
});
