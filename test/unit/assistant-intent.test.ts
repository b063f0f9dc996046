/**
 * What a question asks for (src/core/assistant-intent.ts): intents with and without diacritics,
 * in English, officials' questions, dossier codes, pages and copies; and the facts an answer gives.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { procedureFacts, readQuestion } from '../../src/core/assistant-intent.js';

const intents = (q: string, staff = false) => readQuestion(q, { staff }).intents;

describe('procedure questions', () => {
  it('documents, fee, time limit, where, online — with or without diacritics', () => {
    assert.deepEqual(intents('Làm giấy khai sinh cho con cần gì?'), ['documents']);
    assert.deepEqual(intents('lam giay khai sinh cho con can gi'), ['documents']);
    assert.deepEqual(intents('Lệ phí đăng ký kết hôn bao nhiêu tiền'), ['fee']);
    assert.deepEqual(intents('dang ky ket hon mat bao lau'), ['time_limit']);
    assert.deepEqual(intents('Nộp hồ sơ cấp phép xây dựng ở đâu'), ['where']);
    assert.deepEqual(intents('co nop truc tuyen duoc khong'), ['online']);
    assert.deepEqual(intents('khai tử cần giấy tờ gì, mất mấy ngày, phí bao nhiêu'), ['documents', 'fee', 'time_limit']);
  });

  it('English questions are read and answered in English', () => {
    const r = readQuestion('How much does marriage registration cost and how long does it take?');
    assert.equal(r.lang, 'en');
    assert.deepEqual(r.intents, ['fee', 'time_limit']);
    assert.equal(readQuestion('What documents do I need to register a birth').lang, 'en');
    assert.equal(readQuestion('đăng ký khai sinh').lang, 'vi');
    assert.equal(readQuestion('dang ky ket hon').lang, 'vi');
  });

  it('word boundaries: "phía" is not "phí", "tiến độ" is not money', () => {
    assert.deepEqual(intents('phía sau ủy ban'), []);
    assert.deepEqual(intents('tiến độ hồ sơ khai sinh'), []);
  });

  it('pages and copies for the fee', () => {
    const r = readQuestion('chứng thực bản sao 10 trang 3 bản hết bao nhiêu tiền');
    assert.equal(r.pages, 10);
    assert.equal(r.copies, 3);
    assert.deepEqual(r.intents, ['fee']);
    assert.equal(readQuestion('certify 12 pages, 2 copies: how much').pages, 12);
    assert.equal(readQuestion('lệ phí chứng thực').pages, null);
  });

  it('facts of an answer: asked ones; "what do I need" adds fee, time and online; none = overview', () => {
    assert.deepEqual(procedureFacts(readQuestion('khai sinh cần gì')), ['documents', 'fee', 'time_limit', 'online']);
    assert.deepEqual(procedureFacts(readQuestion('khai sinh phí bao nhiêu')), ['fee']);
    assert.deepEqual(procedureFacts(readQuestion('đăng ký khai sinh')), ['documents', 'fee', 'time_limit', 'where', 'online']);
    assert.deepEqual(procedureFacts(readQuestion('khai sinh cần gì, ở đâu')), ['documents', 'where']);
  });
});

describe('dossiers', () => {
  it('a dossier code is found and upper-cased; status words alone ask for one', () => {
    const r = readQuestion('hồ sơ h15.001-260302-0001 đến đâu rồi');
    assert.equal(r.dossierCode, 'H15.001-260302-0001');
    assert.ok(r.intents.includes('dossier_status'));
    assert.ok(intents('tra cứu hồ sơ của tôi').includes('dossier_status'));
    assert.equal(readQuestion('khai sinh cần gì').dossierCode, null);
    // a procedure's name is not a dossier question
    assert.ok(!intents('xác nhận tình trạng hôn nhân hết bao nhiêu tiền').includes('dossier_status'));
    assert.ok(!intents('certificate of single status').includes('dossier_status'));
  });
});

describe('officials', () => {
  it('work-queue questions only for staff, and only about dossiers', () => {
    assert.deepEqual(intents('hồ sơ nào đến hạn hôm nay', true), ['due_today']);
    assert.deepEqual(intents('ho so qua han', true), ['overdue']);
    assert.deepEqual(intents('hồ sơ nào đến hạn hôm nay', false), []);
    // the late-registration case of a procedure is not the overdue queue
    assert.ok(!intents('khai sinh quá hạn cần gì', true).includes('overdue'));
  });

  it('indicators: which one', () => {
    const r = readQuestion('tỷ lệ đúng hạn của xã tháng này', { staff: true });
    assert.deepEqual(r.intents, ['indicator']);
    assert.equal(r.indicator, 'on_time_rate');
    assert.equal(readQuestion('tỷ lệ thanh toán trực tuyến', { staff: true }).indicator, 'online_payment_share');
    assert.equal(readQuestion('ty le so hoa', { staff: true }).indicator, 'digitisation_rate');
    assert.equal(readQuestion('chỉ số hài lòng', { staff: true }).indicator, 'satisfaction');
    assert.notDeepEqual(readQuestion('tỷ lệ đúng hạn').intents, ['indicator']);
  });

  it('a short greeting', () => {
    assert.deepEqual(intents('Xin chào'), ['greeting']);
    assert.deepEqual(intents('xin chào, đăng ký khai sinh cần gì'), ['documents']);
  });
});
