// 事项分类 and 责任清单: the seed tree is there after init (the seeds'
// examples, 1小时响应 · 24小时办结 by default), its shape, a county's override
// applies below the county and nowhere else (the effective category for a
// 滨河 household), the responsibility lookup (the narrowest place wins),
// scope of writes (a county override outside one's scope is 404), validation
// in Chinese changing nothing, audit entries, the OpenAPI document, and the
// pages passing tidy. Seeding happens at `linli init` / `linli demo`
// (categories_seed_if_empty).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';

import {forEachStore, startServer, DEMO} from '../lib/harness.mjs';

const COUNTY = '140930'; // 河曲县
const BINHE = '140930100010';
const MAYINGWEI = '140930100007';
const chinese = /[\u4e00-\u9fa5]/;
let seq = 0;
const uniq = (p) => `${p}_${process.pid % 10000}_${++seq}`;

function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], {input: html, encoding: 'utf8'});
  return r.status >= 2 ? r.stderr : '';
}

async function tree(c, q = '') {
  const r = await c.get(`/api/v1/categories?limit=500${q}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

forEachStore('categories and responsibilities', (store) => {
  let s;
  let household; // a 滨河社区 household
  let other; // a 马营围社区 place
  test.before(async () => {
    s = await startServer({store, demo: true});
    const admin = await s.login('admin');
    household = (await admin.get(`/api/v1/residents?place=${BINHE}&limit=1`)).body.items[0].place_code;
    other = (await admin.get(`/api/v1/residents?place=${MAYINGWEI}&limit=1`)).body.items[0].place_code;
  });
  test.after(async () => {
    await s.stop();
  });

  test('the seed tree is there after init, with the seeds\' categories and 60/1440 defaults', async () => {
    const binhe = await s.login('binhe');
    const r = await binhe.get('/api/v1/categories?limit=500');
    assert.equal(r.status, 200);
    s.validate('GET', '/api/v1/categories', 200, r.body);
    const items = r.body.items;
    const names = items.map((c) => c.name);
    for (const n of ['路灯修缮', '房屋漏水', '污水管网', '加装电梯', '停车', '充电桩', '飞线充电', '高空抛物', '噪音扰民', '油烟污染',
      '物业服务', '私搭乱建', '占道经营', '邻里纠纷', '困难帮扶', '政策咨询', '帮办代办', '供暖', '供气', '环境卫生', '非机动车停放'])
      assert.ok(names.includes(n), `seed has ${n}`);
    const light = items.find((c) => c.code === 'streetlight');
    assert.equal(light.response_minutes, 60);
    assert.equal(light.resolution_minutes, 1440);
    assert.equal(light.limits_text, '1小时响应 · 24小时办结');
    assert.equal(light.service_code, 'streetlight');
    // tree shape: depth first, each child right under its parent's subtree
    const codes = new Set(items.map((c) => c.code));
    assert.equal(codes.size, items.length, 'codes unique');
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      if (!c.parent_code) {
        assert.equal(c.depth, 0);
        continue;
      }
      const pi = items.findIndex((p) => p.code === c.parent_code);
      assert.ok(pi >= 0 && pi < i, `${c.code}: parent before it`);
      assert.equal(c.depth, items[pi].depth + 1);
      for (let j = pi + 1; j < i; j++) assert.ok(items[j].depth > items[pi].depth, `${c.code} inside its parent's subtree`);
    }
    assert.equal(items.find((c) => c.code === 'fume').parent_code, 'environment');
    assert.equal(items.find((c) => c.code === 'house_leak').parent_code, 'housing');
    // paging walks the same list
    const p1 = await binhe.get('/api/v1/categories?limit=5');
    assert.equal(p1.body.items.length, 5);
    const p2 = await binhe.get(`/api/v1/categories?limit=500&cursor=${p1.body.next_cursor}`);
    assert.deepEqual([...p1.body.items, ...p2.body.items].map((c) => c.code), items.map((c) => c.code));
    const one = await binhe.get('/api/v1/categories/streetlight');
    assert.equal(one.status, 200);
    s.validate('GET', '/api/v1/categories/{code}', 200, one.body);
    assert.equal((await binhe.get('/api/v1/categories/nonsense')).status, 404);
  });

  test('a county override applies below the county and not elsewhere; the narrowest wins', async () => {
    const xian = await s.login('xian');
    const r = await xian.patch(`/api/v1/categories/noise?place=${COUNTY}`, {response_minutes: 30, resolution_minutes: 720, tier: '现场处置'});
    assert.equal(r.status, 200, r.text);
    s.validate('PATCH', '/api/v1/categories/{code}', 200, r.body);
    assert.equal(r.body.response_minutes, 30);
    assert.equal(r.body.override_place, COUNTY);
    const binhe = await s.login('binhe');
    const at = async (place) => (await binhe.get(`/api/v1/categories/noise?place=${place}`)).body;
    const h = await at(household);
    assert.equal(h.response_minutes, 30);
    assert.equal(h.resolution_minutes, 720);
    assert.equal(h.tier, 'onsite');
    assert.equal(h.limits_text, '30分钟响应 · 12小时办结');
    // the definition itself is unchanged, and the tree at the household agrees
    assert.equal((await binhe.get('/api/v1/categories/noise')).body.response_minutes, 60);
    const t = await tree(binhe, `&place=${household}`);
    assert.equal(t.find((c) => c.code === 'noise').response_minutes, 30);
    // another county (the admin sees all): the global 60
    const admin = await s.login('admin');
    const places = (await admin.get('/api/v1/places/14/children?limit=50'));
    const elsewhere = places.status === 200 ? (places.body.items || []).map((p) => p.code).find((c) => c.length >= 4 && !COUNTY.startsWith(c)) : null;
    if (elsewhere) assert.equal((await admin.get(`/api/v1/categories/noise?place=${elsewhere}`)).body.response_minutes, 60);
    // 滨河社区 narrows it further; 马营围社区 keeps the county's
    const b = await binhe.patch(`/api/v1/categories/noise?place=${BINHE}`, {resolution_minutes: 240});
    assert.equal(b.status, 200, b.text);
    assert.equal((await at(household)).resolution_minutes, 240);
    assert.equal((await at(household)).response_minutes, 30); // inherited from the county
    assert.equal((await admin.get(`/api/v1/categories/noise?place=${other}`)).body.resolution_minutes, 720);
    // null goes back to inheriting
    assert.equal((await binhe.patch(`/api/v1/categories/noise?place=${BINHE}`, {resolution_minutes: null})).status, 200);
    assert.equal((await at(household)).resolution_minutes, 720);
  });

  test('writes are scoped: another community\'s override is 404, global rows need the admin', async () => {
    const binhe = await s.login('binhe');
    const r = await binhe.patch(`/api/v1/categories/parking?place=${MAYINGWEI}`, {response_minutes: 10});
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
    assert.match(r.body.error.message, chinese);
    const xikou = await s.login('xikou');
    assert.equal((await xikou.patch(`/api/v1/categories/parking?place=${COUNTY}`, {response_minutes: 10})).status, 404);
    const g = await binhe.patch('/api/v1/categories/parking', {response_minutes: 10});
    assert.equal(g.status, 403);
    assert.match(g.body.error.message, chinese);
    const wangge = await s.login('wangge1');
    assert.ok([403, 404].includes((await wangge.patch(`/api/v1/categories/parking?place=${BINHE}`, {response_minutes: 10})).status));
    const admin = await s.login('admin');
    assert.equal((await admin.get(`/api/v1/categories/parking?place=${MAYINGWEI}`)).body.response_minutes, 60);
    // a local category of 马营围社区 is not there for 滨河社区
    const code = uniq('mywlocal');
    const mk = await (await s.login('mayingwei')).post('/api/v1/categories', {code, name: '马营围特色事项', parent_code: 'service', place_code: MAYINGWEI});
    assert.equal(mk.status, 201, mk.text);
    s.validate('POST', '/api/v1/categories', 201, mk.body);
    assert.equal((await binhe.get(`/api/v1/categories/${code}`)).status, 404);
    assert.equal((await binhe.patch(`/api/v1/categories/${code}`, {response_minutes: 5})).status, 404);
    assert.ok(!(await tree(binhe)).some((c) => c.code === code));
    assert.ok((await tree(await s.login('xian'))).some((c) => c.code === code));
    // the admin may change the global definition
    const ok = await admin.patch('/api/v1/categories/parking', {description: '停车难', skill: '法律', whistle: '宣传哨'});
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.whistle, 'publicity');
  });

  test('bad input answers 400/409 in Chinese and changes nothing', async () => {
    const admin = await s.login('admin');
    const xian = await s.login('xian');
    const before = await tree(admin);
    const audits = (await admin.get('/api/v1/audit?limit=1')).body.items[0].id;
    const bad = [
      [xian.patch(`/api/v1/categories/sewer?place=${COUNTY}`, {tier: 'nonsense'}), 400, 'tier'],
      [xian.patch(`/api/v1/categories/sewer?place=${COUNTY}`, {response_minutes: -5}), 400, 'response_minutes'],
      [xian.patch(`/api/v1/categories/sewer?place=${COUNTY}`, {response_minutes: 2000, resolution_minutes: 1000}), 400, 'response_minutes'],
      [xian.patch(`/api/v1/categories/sewer?place=${COUNTY}`, {name: '改名'}), 400, null],
      [admin.post('/api/v1/categories', {code: 'streetlight', name: '重复'}), 409, 'code'],
      [admin.post('/api/v1/categories', {code: uniq('x'), name: '无上级', parent_code: 'no_such'}), 400, 'parent_code'],
      [admin.post('/api/v1/categories', {code: 'Bad Code', name: '坏代码'}), 400, 'code'],
      [admin.post('/api/v1/categories', {code: uniq('x'), name: '', parent_code: 'service'}), 400, 'name'],
      [admin.post('/api/v1/categories', {code: uniq('x'), name: '负时限', resolution_minutes: 0}), 400, 'resolution_minutes'],
      [admin.post('/api/v1/categories', {code: uniq('x'), name: '哨', whistle: '口哨'}), 400, 'whistle'],
      [xian.post('/api/v1/responsibilities', {category_code: 'sewer', place_code: COUNTY, org_id: 999999}), 404, 'org_id'],
      [xian.post('/api/v1/responsibilities', {category_code: 'no_such', place_code: COUNTY, org_id: 1}), 400, 'category_code'],
      [xian.post('/api/v1/responsibilities', {category_code: 'sewer', place_code: COUNTY, org_id: 1, role: '旁观'}), 400, 'role'],
    ];
    for (const [p, status, field] of bad) {
      const r = await p;
      assert.equal(r.status, status, r.text);
      assert.match(r.body.error.message, chinese, r.text);
      if (field) assert.equal(r.body.error.field, field, r.text);
      s.validate('POST', '/api/v1/categories', status, r.body);
    }
    assert.deepEqual(await tree(admin), before);
    const after = (await admin.get('/api/v1/audit?limit=1')).body.items[0].id;
    assert.equal(after, audits, 'nothing audited');
  });

  test('responsibility lookup: the narrowest place wins; scope; audit', async () => {
    const admin = await s.login('admin');
    const xian = await s.login('xian');
    const binhe = await s.login('binhe');
    const orgs = (await admin.get('/api/v1/organisations?limit=500')).body.items;
    const zhujian = orgs.find((o) => o.name.includes('住房和城乡建设'));
    const community = orgs.find((o) => o.place_code === BINHE);
    const mywOrg = orgs.find((o) => o.place_code === MAYINGWEI);
    assert.ok(zhujian && community && mywOrg);
    const county = await xian.post('/api/v1/responsibilities', {category_code: 'house_leak', place_code: COUNTY, org_id: zhujian.id, role: 'lead', note: '县住建局主责'});
    assert.equal(county.status, 201, county.text);
    s.validate('POST', '/api/v1/responsibilities', 201, county.body);
    const assist = await xian.post('/api/v1/responsibilities', {category_code: 'house_leak', place_code: COUNTY, org_id: community.id, role: '配合'});
    assert.equal(assist.status, 201, assist.text);
    assert.equal(assist.body.role, 'assist');
    // 滨河社区's secretary names the county department for his community
    const local = await binhe.post('/api/v1/responsibilities', {category_code: 'house_leak', place_code: BINHE, org_id: community.id, role: 'lead'});
    assert.equal(local.status, 201, local.text);
    const dup = await binhe.post('/api/v1/responsibilities', {category_code: 'house_leak', place_code: BINHE, org_id: community.id});
    assert.equal(dup.status, 409);
    assert.match(dup.body.error.message, chinese);
    const who = async (c, place, cat = 'house_leak') => {
      const r = await c.get(`/api/v1/responsibilities?category=${cat}&place=${place}`);
      assert.equal(r.status, 200, r.text);
      s.validate('GET', '/api/v1/responsibilities', 200, r.body);
      return r.body.items;
    };
    const atHome = await who(binhe, household);
    assert.deepEqual(atHome.map((x) => [x.org_id, x.role, x.place_code]), [[community.id, 'lead', BINHE]]);
    const atOther = await who(admin, other);
    assert.deepEqual(atOther.map((x) => x.org_id).sort(), [zhujian.id, community.id].sort());
    assert.ok(atOther.every((x) => x.place_code === COUNTY));
    // a category with no rows falls back to its parent's
    const parent = await xian.post('/api/v1/responsibilities', {category_code: 'housing', place_code: COUNTY, org_id: zhujian.id});
    assert.equal(parent.status, 201);
    assert.deepEqual((await who(binhe, household, 'elevator')).map((x) => x.category_code), ['housing']);
    // scope: 马营围's secretary does not see 滨河's entry nor delete it
    const myw = await s.login('mayingwei');
    assert.ok(!(await myw.get('/api/v1/responsibilities?limit=500')).body.items.some((x) => x.id === local.body.id));
    assert.equal((await myw.del(`/api/v1/responsibilities/${local.body.id}`)).status, 404);
    assert.equal((await binhe.post('/api/v1/responsibilities', {category_code: 'sewer', place_code: MAYINGWEI, org_id: mywOrg.id})).status, 404);
    // binhe may not delete the county's entry (he sees it, it is not his)
    assert.equal((await binhe.del(`/api/v1/responsibilities/${county.body.id}`)).status, 403);
    const del = await binhe.del(`/api/v1/responsibilities/${local.body.id}`);
    assert.equal(del.status, 200);
    s.validate('DELETE', '/api/v1/responsibilities/{id}', 200, del.body);
    assert.deepEqual((await who(binhe, household)).map((x) => x.place_code), [COUNTY, COUNTY]);
    const audit = (await admin.get('/api/v1/audit?limit=50')).body.items;
    for (const [entity, action, actor] of [['responsibility', 'create', 'xian'], ['responsibility', 'delete', 'binhe'],
      ['category', 'override', 'xian'], ['category', 'create', 'mayingwei'], ['category', 'update', 'admin']])
      assert.ok(audit.some((e) => e.entity === entity && e.action === action && e.actor === actor), `${entity} ${action} by ${actor}`);
    const ov = audit.find((e) => e.entity === 'category' && e.action === 'override' && e.actor === 'xian');
    assert.equal(ov.place_code, COUNTY);
  });

  test('pages: the tree with limits, the edit form, the responsibility list; tidy clean', async () => {
    const b = await s.browserLogin('xian');
    let html = await b.get(`/categories?place=${COUNTY}`);
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(html), '');
    assert.match(html, /1小时响应 · 24小时办结/);
    assert.match(html, /路灯修缮/);
    assert.match(html, /派单处置/);
    html = await b.get(`/categories?edit=sewer&place=${COUNTY}`);
    assert.equal(tidyErrors(html), '');
    assert.match(html, /action="\/categories\/sewer"/);
    html = await b.postForm('/categories/sewer', {place: COUNTY, response_minutes: '45', resolution_minutes: '', tier: 'dispatch', skill: '水电维修', whistle: '', working_hours_set: '1', active_set: '1', active: '1'});
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(html), '');
    assert.match(html, /45分钟响应 · 24小时办结/);
    const api = await s.login('xian');
    assert.equal((await api.get(`/api/v1/categories/sewer?place=${household}`)).body.response_minutes, 45);
    const bad = await b.postFormRaw('/categories/sewer', {place: COUNTY, response_minutes: '-1', tier: 'dispatch', working_hours_set: '1', active_set: '1', active: '1'});
    assert.equal(bad.status, 400);
    assert.equal(tidyErrors(bad.text), '');
    assert.match(bad.text, /响应时限/);
    html = await b.get(`/responsibilities?category=house_leak&place=${household}`);
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(html), '');
    assert.match(html, /住房和城乡建设/);
    const resident = await s.browserLogin('binhe');
    html = await resident.get('/responsibilities');
    assert.equal(tidyErrors(html), '');
    assert.match(html, /新增条目/);
  });
});
