/** GET /api/units and /api/units/:code on both databases. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, json } from '../helpers/harness.js';

interface Unit {
  code: string;
  parentCode: string | null;
  kind: string;
  name: string;
  nameEn: string | null;
  path: string;
  childCount: number;
}
interface Ref {
  code: string;
  kind: string;
  name: string;
}
interface ErrorBody {
  error: { code: string; message: string; messageVi: string; fields?: Array<{ field: string }> };
}

describeEachDatabase('units', (env) => {
  const get = (url: string) => env().app.inject({ method: 'GET', url });

  it('without parent: the roots (units with no parent)', async () => {
    const res = await get('/api/units');
    assert.equal(res.statusCode, 200);
    const { items } = json<{ items: Unit[] }>(res);
    assert.deepEqual(items.map((u) => u.code), ['VN']);
    assert.equal(items[0]?.parentCode, null);
    assert.equal(items[0]?.kind, 'nation');
  });

  it('children of VN include the province H15', async () => {
    const { items } = json<{ items: Unit[] }>(await get('/api/units?parent=VN'));
    const h15 = items.find((u) => u.code === 'H15');
    assert.ok(h15);
    assert.equal(h15.kind, 'province');
    assert.equal(h15.name, 'Tỉnh Đắk Lắk');
  });

  it('H15 has 102 commune-level children (14 wards, 88 communes) and the departments', async () => {
    const res = await get('/api/units?parent=H15');
    assert.equal(res.statusCode, 200);
    const { items } = json<{ items: Unit[] }>(res);
    const count = (kind: string) => items.filter((u) => u.kind === kind).length;
    assert.equal(count('ward'), 14);
    assert.equal(count('commune'), 88);
    assert.equal(count('ward') + count('commune'), 102);
    assert.ok(count('department') >= 15, `${count('department')} departments`);
    assert.ok(items.every((u) => u.parentCode === 'H15'));
    assert.equal(items.find((u) => u.code === 'H15.S02')?.name, 'Sở Tư pháp');
    assert.ok(items.some((u) => u.code === 'H15.TT'));
    const codes = items.map((u) => u.code);
    assert.equal(new Set(codes).size, codes.length);
    // each ward/commune has its one-stop desk
    assert.ok(items.filter((u) => u.kind === 'ward' || u.kind === 'commune').every((u) => u.childCount === 1));
  });

  it('kind filter', async () => {
    const wards = json<{ items: Unit[] }>(await get('/api/units?parent=H15&kind=ward')).items;
    assert.equal(wards.length, 14);
    assert.ok(wards.every((u) => u.kind === 'ward' && u.name.startsWith('Phường')));
    const communes = json<{ items: Unit[] }>(await get('/api/units?parent=H15&kind=commune')).items;
    assert.equal(communes.length, 88);
    assert.ok(communes.every((u) => u.name.startsWith('Xã')));
  });

  it('one unit with its parent and path (ancestors from the root)', async () => {
    const res = await get('/api/units/H15.001');
    assert.equal(res.statusCode, 200);
    const u = json<Unit & { parent: Ref | null; ancestors: Ref[] }>(res);
    assert.equal(u.kind, 'ward');
    assert.equal(u.path, '/VN/H15/H15.001/');
    assert.equal(u.parent?.code, 'H15');
    assert.deepEqual(u.ancestors.map((a) => a.code), ['VN', 'H15']);

    const desk = json<Unit & { parent: Ref | null; ancestors: Ref[] }>(await get('/api/units/H15.001.MC'));
    assert.equal(desk.kind, 'desk');
    assert.equal(desk.parent?.code, 'H15.001');
    assert.deepEqual(desk.ancestors.map((a) => a.code), ['VN', 'H15', 'H15.001']);

    const root = json<Unit & { parent: Ref | null; ancestors: Ref[] }>(await get('/api/units/VN'));
    assert.equal(root.parent, null);
    assert.deepEqual(root.ancestors, []);
    assert.equal(root.childCount, 1);
  });

  it('unknown unit → 404 in both languages (one unit and as a parent)', async () => {
    for (const url of ['/api/units/H15.999', '/api/units?parent=H15.999']) {
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      const body = json<ErrorBody>(res);
      assert.equal(body.error.code, 'not_found');
      assert.match(body.error.message, /H15\.999/);
      assert.match(body.error.messageVi, /Không tìm thấy đơn vị/);
    }
  });

  it('bad inputs → 400 in both languages', async () => {
    for (const url of ['/api/units?foo=1', '/api/units?kind=district', '/api/units?parent=%3Cx%3E', '/api/units/a%20b']) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      const body = json<ErrorBody>(res);
      assert.equal(body.error.code, 'invalid_input');
      assert.ok(body.error.messageVi.length > 0);
      assert.ok(body.error.fields?.length, url);
    }
  });
});
