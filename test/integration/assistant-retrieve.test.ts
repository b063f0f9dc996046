/**
 * The assistant's retrieval (src/assistant/retrieve.ts) on the seeded catalog and FAQ, on each
 * database: which procedure a free-form question is about, "no match" for what the catalog does
 * not have, and the FAQ entry for general questions. The full labelled set runs in
 * `npm run eval:assistant`; these are representative cases of each kind.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { retrieveFaq, retrieveProcedures } from '../../src/assistant/retrieve.js';
import { describeEachDatabase } from '../helpers/harness.js';

describeEachDatabase('assistant retrieval', (env) => {
  const top = async (q: string) => {
    const r = await retrieveProcedures(env().ctx, q, { limit: 3 });
    assert.equal(r.noMatch, false, `"${q}" should match, got no match (${JSON.stringify(r.procedures)})`);
    return r.procedures[0]!.code;
  };

  it('finds the procedure from everyday Vietnamese, with or without diacritics', async () => {
    assert.equal(await top('làm giấy khai sinh cho con cần gì'), '1.001193');
    assert.equal(await top('lam giay khai sinh cho con can gi'), '1.001193');
    assert.equal(await top('cho tôi hỏi đăng ký tạm trú ở đâu'), 'H15-CU-02');
    assert.equal(await top('mất giấy khai sinh thì làm lại thế nào'), 'H15-HT-06');
  });

  it('understands typos, abbreviations and everyday names', async () => {
    assert.equal(await top('thu tuc dang ky khia sinh'), '1.001193');
    assert.equal(await top('xin GPXD nhà 3 tầng'), 'H15-XD-01');
    assert.equal(await top('sang tên sổ đỏ'), 'H15-DD-03');
    assert.equal(await top('lam LLTP het bao nhieu tien'), 'H15-LLTP-01');
  });

  it('understands English questions', async () => {
    assert.equal(await top('how do I register a birth'), '1.001193');
    assert.equal(await top('marriage registration documents'), '1.000894');
  });

  it('ranks best first with scores in [0, 1], at most the limit', async () => {
    const r = await retrieveProcedures(env().ctx, 'sổ đỏ', { limit: 2 });
    assert.ok(r.procedures.length >= 1 && r.procedures.length <= 2);
    for (const p of r.procedures) assert.ok(p.score >= 0 && p.score <= 1, `score ${p.score}`);
    for (let i = 1; i < r.procedures.length; i++) assert.ok(r.procedures[i - 1]!.score >= r.procedures[i]!.score);
    assert.ok(r.procedures.every((p) => p.code.startsWith('H15-DD-')), JSON.stringify(r.procedures));
    assert.equal(typeof r.procedures[0]!.name, 'string');
  });

  it('answers "no match" for what the catalog does not have, and for empty questions', async () => {
    for (const q of ['đổi bằng lái xe máy', 'mua vé tàu đi Sài Gòn', 'thời tiết Buôn Ma Thuột hôm nay', 'apply for a passport', 'cho em hỏi với ạ', '']) {
      const r = await retrieveProcedures(env().ctx, q);
      assert.equal(r.noMatch, true, `"${q}" should give no match, got ${JSON.stringify(r.procedures)}`);
    }
  });

  it('an inactive procedure is not offered', async () => {
    const { db } = env().ctx;
    await db.updateTable('procedures').set({ active: false }).where('code', '=', 'H15-CU-04').execute();
    try {
      const r = await retrieveProcedures(env().ctx, 'khai báo tạm vắng');
      assert.ok(!r.procedures.some((p) => p.code === 'H15-CU-04'));
    } finally {
      await db.updateTable('procedures').set({ active: true }).where('code', '=', 'H15-CU-04').execute();
    }
  });

  it('finds the FAQ entry of a general question, and none for an unrelated one', async () => {
    const hours = await retrieveFaq(env().ctx, 'trung tâm làm việc mấy giờ');
    assert.match(hours?.question ?? '', /giờ nào/);
    assert.match(hours!.answer, /07:00–11:30 và 13:30–17:00/);
    assert.ok(hours!.answerEn.length > 0);
    assert.match((await retrieveFaq(env().ctx, 'lam sao tra cuu ho so cua toi'))?.question ?? '', /tra cứu/);
    assert.match((await retrieveFaq(env().ctx, 'how do I pay online'))?.question ?? '', /Thanh toán/);
    assert.equal(await retrieveFaq(env().ctx, 'thời tiết hôm nay'), null);
    assert.equal(await retrieveFaq(env().ctx, ''), null);
  });

  it('an inactive FAQ entry is not used', async () => {
    const { db } = env().ctx;
    await db.updateTable('assistant_faq').set({ active: false }).where('slug', '=', 'vneid').execute();
    try {
      const hit = await retrieveFaq(env().ctx, 'đăng nhập VNeID');
      assert.notEqual(hit?.question, 'Đăng nhập bằng VNeID như thế nào?');
    } finally {
      await db.updateTable('assistant_faq').set({ active: true }).where('slug', '=', 'vneid').execute();
    }
  });
});
