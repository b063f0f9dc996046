import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanQuestion, faqWords, foldedWords, GENERIC_PHRASES, isWeakWord } from '../../src/core/assistant-text.js';

describe('cleanQuestion', () => {
  it('removes Vietnamese question forms and particles, keeps the subject', () => {
    assert.equal(cleanQuestion('Cho tôi hỏi làm giấy khai sinh cho con cần những gì ạ?'), 'lam giay khai sinh cho con');
    assert.equal(cleanQuestion('lam giay khai sinh cho con can gi'), 'lam giay khai sinh cho con');
    assert.equal(cleanQuestion('Đăng ký kết hôn ở đâu, mất bao lâu?'), 'dang ky ket hon');
    assert.equal(cleanQuestion('làm sao để xin giấy phép xây dựng'), 'xin giay phep xay dung');
    assert.equal(cleanQuestion('lý lịch tư pháp bao nhiêu tiền'), 'ly lich tu phap');
  });

  it('removes English question forms', () => {
    assert.equal(cleanQuestion('How do I register a birth?'), 'register birth');
    assert.equal(cleanQuestion('What documents do I need for marriage registration'), 'marriage registration');
  });

  it('keeps words that are filler alone but part of a phrase once folded', () => {
    // "đỏ" folds to "do" (a particle), "cổ" to "co", "bản" to "ban", "từ"/"tử" to "tu", "cước" next to "căn" (cần)
    assert.equal(cleanQuestion('sang tên sổ đỏ'), 'sang ten so do');
    assert.equal(cleanQuestion('thành lập công ty cổ phần'), 'thanh lap cong ty co phan');
    assert.equal(cleanQuestion('giấy chứng tử'), 'giay chung tu');
    assert.equal(cleanQuestion('sao y căn cước'), 'sao y can cuoc');
    assert.equal(cleanQuestion('trợ cấp xã hội'), 'tro cap xa hoi');
    // ... but not when the same word stands alone
    assert.equal(cleanQuestion('cái đó là gì'), '');
  });

  it('never lets a filler phrase swallow a protected word', () => {
    // "lệ phí" is a filler phrase, but "phí mai táng" is protected
    assert.equal(cleanQuestion('lệ phí mai táng'), 'phi mai tang');
  });

  it('returns an empty string when only filler is left', () => {
    assert.equal(cleanQuestion('cho em hỏi với ạ'), '');
    assert.equal(cleanQuestion('how do I'), '');
    assert.equal(cleanQuestion('   '), '');
  });
});

describe('faqWords', () => {
  it('drops pronouns and particles but keeps what general questions are about', () => {
    assert.deepEqual(faqWords('Làm sao tra cứu hồ sơ của tôi?'), ['sao', 'tra', 'cuu', 'ho', 'so'].filter((w) => w !== 'sao'));
    assert.deepEqual(faqWords('nộp trực tuyến được không'), ['nop', 'truc', 'tuyen']);
  });
});

describe('word helpers', () => {
  it('folds and splits', () => {
    assert.deepEqual(foldedWords('Đăng ký, KHAI-sinh!'), ['dang', 'ky', 'khai', 'sinh']);
  });
  it('knows weak words and generic phrases', () => {
    assert.equal(isWeakWord('lam'), true);
    assert.equal(isWeakWord('khai'), false);
    assert.equal(GENERIC_PHRASES.has('ca nhan'), true);
    assert.equal(GENERIC_PHRASES.has('khai sinh'), false);
  });
});
