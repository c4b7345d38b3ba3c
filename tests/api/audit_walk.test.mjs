// Every write route — API and form — leaves its entry in the audit log. The
// list of routes comes from `linli routes`; each needs a recipe below that
// makes a successful call and names the entry it expects. A write route
// without a recipe fails this test, so new routes cannot skip the audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { forEachStore, startServer, DEMO, ROOT } from '../lib/harness.mjs';
import { merged } from '../lib/extensions.mjs';

let seq = 0;
const uniq = (p) => `${p}${Date.now() % 100000}${++seq}`;

// A valid 身份证号 for a 河曲 birth date (GB 11643 check digit).
function idNumber(birth, serial) {
  const body = `140930${birth.replace(/-/g, '')}${String(serial).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

// Recipes: key "METHOD path" → async (ctx) => {entity, action} after a successful call.
const BASE_RECIPES = {
  'POST /api/v1/auth/login': async (x) => { await x.s.login('binhe_sg', DEMO.password); return { entity: 'account', action: 'login', actor: 'binhe_sg' }; },
  'POST /api/v1/auth/logout': async (x) => {
    const c = await x.s.login('binhe_sg', DEMO.password);
    x.ok(await c.post('/api/v1/auth/logout', {}));
    return { entity: 'account', action: 'logout', actor: 'binhe_sg' };
  },
  'POST /login': async (x) => { await x.s.browserLogin('binhe_sg', DEMO.password); return { entity: 'account', action: 'login', actor: 'binhe_sg' }; },
  'POST /logout': async (x) => {
    const b = await x.s.browserLogin('binhe_sg', DEMO.password);
    x.ok(await b.postFormRaw('/logout', {}));
    return { entity: 'account', action: 'logout', actor: 'binhe_sg' };
  },
  'POST /api/v1/me/password': async (x) => {
    const name = uniq('pw');
    await x.s.cli(['user', 'add', name, '--role', 'resident', '--place', '140930100010'], 'pass12345\n');
    const c = await x.s.login(name, 'pass12345');
    x.ok(await c.post('/api/v1/me/password', { old_password: 'pass12345', password: 'pass67890' }));
    return { entity: 'account', action: 'password', actor: name };
  },
  'POST /api/v1/accounts': async (x) => {
    x.ok(await x.api.post('/api/v1/accounts', { username: uniq('a'), password: 'pass12345', role: 'grid_worker', place_code: '140930100010' }));
    return { entity: 'account', action: 'create' };
  },
  'POST /accounts': async (x) => {
    x.ok(await x.page.postFormRaw('/accounts', { username: uniq('p'), password: 'pass12345', role: 'grid_worker', place_code: '140930100010' }));
    return { entity: 'account', action: 'create' };
  },
  'POST /api/v1/accounts/{id}/grants': async (x) => {
    x.ok(await x.api.post(`/api/v1/accounts/${x.acct}/grants`, { role: 'grid_worker', place_code: '140930100010' }));
    return { entity: 'account', action: 'grant' };
  },
  'POST /accounts/{id}/grants': async (x) => {
    x.ok(await x.page.postFormRaw(`/accounts/${x.acct}/grants`, { role: 'grid_worker', place_code: '140930100010' }));
    return { entity: 'account', action: 'grant' };
  },
  'DELETE /api/v1/grants/{id}': async (x) => {
    const g = await x.api.post(`/api/v1/accounts/${x.acct}/grants`, { role: 'resident', place_code: '140930100010' });
    x.ok(g);
    const grant = g.body.grants.find((y) => y.role === 'resident');
    x.ok(await x.api.del(`/api/v1/grants/${grant.id}`));
    return { entity: 'account', action: 'revoke' };
  },
  'POST /accounts/{id}/revoke': async (x) => {
    const g = await x.api.post(`/api/v1/accounts/${x.acct}/grants`, { role: 'volunteer', place_code: '140930100010' });
    const grant = g.body.grants.find((y) => y.role === 'volunteer');
    x.ok(await x.page.postFormRaw(`/accounts/${x.acct}/revoke`, { grant_id: grant.id }));
    return { entity: 'account', action: 'revoke' };
  },
  'POST /api/v1/accounts/{id}/password': async (x) => { x.ok(await x.api.post(`/api/v1/accounts/${x.acct}/password`, { password: 'pass13579' })); return { entity: 'account', action: 'password' }; },
  'POST /accounts/{id}/password': async (x) => { x.ok(await x.page.postFormRaw(`/accounts/${x.acct}/password`, { password: 'pass24680' })); return { entity: 'account', action: 'password' }; },
  'POST /api/v1/accounts/{id}/disable': async (x) => { x.ok(await x.api.post(`/api/v1/accounts/${x.acct}/disable`, {})); return { entity: 'account', action: 'disable' }; },
  'POST /api/v1/accounts/{id}/enable': async (x) => { x.ok(await x.api.post(`/api/v1/accounts/${x.acct}/enable`, {})); return { entity: 'account', action: 'enable' }; },
  'POST /accounts/{id}/disable': async (x) => { x.ok(await x.page.postFormRaw(`/accounts/${x.acct}/disable`, {})); return { entity: 'account', action: 'disable' }; },
  'POST /accounts/{id}/enable': async (x) => { x.ok(await x.page.postFormRaw(`/accounts/${x.acct}/enable`, {})); return { entity: 'account', action: 'enable' }; },

  'POST /api/v1/residents': async (x) => {
    x.ok(await x.api.post('/api/v1/residents', { name: '审计甲', place_code: x.household, id_number: idNumber('1980-01-02', 101 + seq++) }));
    return { entity: 'person', action: 'create' };
  },
  'POST /residents': async (x) => {
    x.ok(await x.page.postFormRaw('/residents', { name: '审计乙', place_code: x.household, id_number: idNumber('1981-03-04', 201 + seq++) }));
    return { entity: 'person', action: 'create' };
  },
  'PATCH /api/v1/residents/{id}': async (x) => { x.ok(await x.api.patch(`/api/v1/residents/${x.person}`, { note: uniq('备注') })); return { entity: 'person', action: 'update' }; },
  'POST /residents/{id}/edit': async (x) => {
    const r = await x.api.get(`/api/v1/residents/${x.person}`);
    x.ok(await x.page.postFormRaw(`/residents/${x.person}/edit`, { name: r.body.name, place_code: r.body.place_code, note: uniq('页') }));
    return { entity: 'person', action: 'update' };
  },
  'POST /api/v1/residents/{id}/reveal': async (x) => { x.ok(await x.api.post(`/api/v1/residents/${x.person}/reveal`, {reason: '核实低保申请'})); return { entity: 'person', action: 'reveal' }; },
  'POST /residents/{id}/reveal': async (x) => { x.ok(await x.page.postFormRaw(`/residents/${x.person}/reveal`, {reason: '核实低保申请'})); return { entity: 'person', action: 'reveal' }; },
  'PUT /api/v1/residents/{id}/party-member': async (x) => { x.ok(await x.api.put(`/api/v1/residents/${x.person}/party-member`, { kind: 'resident' })); return { entity: 'person', action: 'update' }; },
  'POST /residents/{id}/party-member': async (x) => { x.ok(await x.page.postFormRaw(`/residents/${x.person}/party-member`, { kind: 'retired' })); return { entity: 'person', action: 'update' }; },
  'PUT /api/v1/residents/{id}/volunteer': async (x) => { x.ok(await x.api.put(`/api/v1/residents/${x.person}/volunteer`, { skills: ['水电维修'] })); return { entity: 'person', action: 'update' }; },
  'POST /residents/{id}/volunteer': async (x) => { x.ok(await x.page.postFormRaw(`/residents/${x.person}/volunteer`, { skills: '医生' })); return { entity: 'person', action: 'update' }; },
  'PUT /api/v1/residents/{id}/partner': async (x) => { x.ok(await x.api.put(`/api/v1/residents/${x.person}/partner`, { trade: 'express', company: '顺丰' })); return { entity: 'person', action: 'update' }; },
  'POST /residents/{id}/partner': async (x) => { x.ok(await x.page.postFormRaw(`/residents/${x.person}/partner`, { trade: 'delivery', company: '美团' })); return { entity: 'person', action: 'update' }; },
  'PUT /api/v1/residents/{id}/community-worker': async (x) => { x.ok(await x.api.put(`/api/v1/residents/${x.person}/community-worker`, { community_code: '140930100010', post: '网格员', grade: 3 })); return { entity: 'person', action: 'update' }; },
  'POST /residents/{id}/community-worker': async (x) => { x.ok(await x.page.postFormRaw(`/residents/${x.person}/community-worker`, { community_code: '140930100010', post: '网格员', grade: '4' })); return { entity: 'person', action: 'update' }; },
  'PUT /api/v1/residents/{id}/care-tags': async (x) => { x.ok(await x.api.put(`/api/v1/residents/${x.person}/care-tags`, { care_tags: ['empty_nest'] })); return { entity: 'person', action: 'update' }; },
  'POST /residents/{id}/care-tags': async (x) => { x.ok(await x.page.postFormRaw(`/residents/${x.person}/care-tags`, { care_tags: 'poor_family' })); return { entity: 'person', action: 'update' }; },

  'POST /api/v1/imports/people': async (x) => {
    const csv = readFileSync(`${ROOT}/tests/fixtures/people_good.csv`, 'utf8');
    x.ok(await x.admin.raw('POST', '/api/v1/imports/people', { headers: { 'Content-Type': 'text/csv' }, body: csv }));
    return { entity: 'people', action: 'import', actor: 'admin' };
  },
  'POST /import': async (x) => {
    const csv = '姓名,性别,出生日期,身份证号,手机号,所在地代码\n' +
      `页面导入,女,1970-06-07,${idNumber('1970-06-07', 402)},13912349999,140930100010\n`;
    const b = await x.s.browserLogin('admin', DEMO.password);
    await b.postMultipart('/import', { action: 'import', file: { filename: 'people.csv', type: 'text/csv', content: csv } });
    assert.ok(b.last.status < 400, `POST /import answered ${b.last.status}`);
    return { entity: 'people', action: 'import', actor: 'admin' };
  },

  'POST /api/v1/organisations': async (x) => {
    x.ok(await x.api.post('/api/v1/organisations', { kind: 'volunteer_team', name: uniq('审计志愿队'), place_code: '140930100010' }));
    return { entity: 'organisation', action: 'create' };
  },
  'POST /organisations': async (x) => {
    x.ok(await x.page.postFormRaw('/organisations', { kind: 'social_org', name: uniq('审计社会组织'), place_code: '140930100010' }));
    return { entity: 'organisation', action: 'create' };
  },
  'PATCH /api/v1/organisations/{id}': async (x) => { x.ok(await x.api.patch(`/api/v1/organisations/${x.org}`, { phone: '0350-7212345' })); return { entity: 'organisation', action: 'update' }; },
  'POST /organisations/{id}': async (x) => {
    const o = await x.api.get(`/api/v1/organisations/${x.org}`);
    x.ok(await x.page.postFormRaw(`/organisations/${x.org}`, { kind: o.body.kind, name: o.body.name, place_code: o.body.place_code, phone: '0350-7212346' }));
    return { entity: 'organisation', action: 'update' };
  },
  'POST /api/v1/organisations/{id}/agreements': async (x) => {
    x.ok(await x.api.post(`/api/v1/organisations/${x.org}/agreements`, { place_code: '140930100010', title: '共建协议（审计）', signed_on: '2026-01-05' }));
    return { entity: 'agreement', action: 'create' };
  },
  'POST /organisations/{id}/agreements': async (x) => {
    x.ok(await x.page.postFormRaw(`/organisations/${x.org}/agreements`, { place_code: '140930100010', title: '共建协议（页面）', signed_on: '2026-02-05' }));
    return { entity: 'agreement', action: 'create' };
  },
  'POST /api/v1/grids': async (x) => {
    x.ok(await x.api.post('/api/v1/grids', { name: uniq('专属网格'), kind: 'dedicated', community_code: '140930100010' }));
    return { entity: 'grid', action: 'create' };
  },
  'POST /grids': async (x) => {
    x.ok(await x.page.postFormRaw('/grids', { name: uniq('页面网格'), kind: 'dedicated', community_code: '140930100010' }));
    return { entity: 'grid', action: 'create' };
  },
  'PATCH /api/v1/grids/{id}': async (x) => { x.ok(await x.api.patch(`/api/v1/grids/${x.grid}`, { name: uniq('改名网格') })); return { entity: 'grid', action: 'update' }; },
  'POST /grids/{id}': async (x) => {
    const g = await x.api.get(`/api/v1/grids/${x.grid}`);
    x.ok(await x.page.postFormRaw(`/grids/${x.grid}`, { name: uniq('页面改名'), kind: g.body.kind, community_code: g.body.community_code }));
    return { entity: 'grid', action: 'update' };
  },

  'POST /api/v1/categories': async (x) => {
    x.ok(await x.api.post('/api/v1/categories', { code: uniq('audit_cat_'), name: '审计分类', parent_code: 'service', place_code: '140930100010' }));
    return { entity: 'category', action: 'create' };
  },
  'PATCH /api/v1/categories/{code}': async (x) => {
    x.ok(await x.api.patch('/api/v1/categories/noise?place=140930100010', { response_minutes: 45 }));
    return { entity: 'category', action: 'override' };
  },
  'POST /categories/{code}': async (x) => {
    x.ok(await x.page.postFormRaw('/categories/parking', { place: '140930100010', response_minutes: '40', tier: 'dispatch', flags: '1', active: '1' }));
    return { entity: 'category', action: 'override' };
  },
  'POST /api/v1/responsibilities': async (x) => {
    x.ok(await x.api.post('/api/v1/responsibilities', { category_code: 'house_leak', place_code: '140930100010', org_id: x.org }));
    return { entity: 'responsibility', action: 'create' };
  },
  'POST /responsibilities': async (x) => {
    x.ok(await x.page.postFormRaw('/responsibilities', { category_code: 'sewer', place_code: '140930100010', org_id: x.org, role: 'assist' }));
    return { entity: 'responsibility', action: 'create' };
  },
  'DELETE /api/v1/responsibilities/{id}': async (x) => {
    const r = await x.api.post('/api/v1/responsibilities', { category_code: 'noise', place_code: '140930100010', org_id: x.org });
    x.ok(r);
    x.ok(await x.api.del(`/api/v1/responsibilities/${r.body.id}`));
    return { entity: 'responsibility', action: 'delete' };
  },
  'POST /api/v1/stations': async (x) => {
    x.ok(await x.api.post('/api/v1/stations', { kind: 'station', name: uniq('审计服务站'), place_code: '140930100010' }));
    return { entity: 'station', action: 'create' };
  },
  'POST /stations': async (x) => {
    x.ok(await x.page.postFormRaw('/stations', { kind: 'station', name: uniq('页面服务站'), place_code: '140930100010' }));
    return { entity: 'station', action: 'create' };
  },
  'PATCH /api/v1/stations/{id}': async (x) => {
    const st = (await x.api.get('/api/v1/stations?place=140930100010&limit=1')).body.items[0];
    x.ok(await x.api.patch(`/api/v1/stations/${st.id}`, { hours: '每天 8:00—21:00' }));
    return { entity: 'station', action: 'update' };
  },
  'POST /stations/{id}': async (x) => {
    const st = (await x.api.get('/api/v1/stations?place=140930100010&limit=1')).body.items[0];
    x.ok(await x.page.postFormRaw(`/stations/${st.id}`, { kind: st.kind, name: st.name, place_code: st.place_code, hours: '每天 8:00—22:00' }));
    return { entity: 'station', action: 'update' };
  },

  'POST /api/v1/orders': async (x) => {
    x.ok(await x.api.post('/api/v1/orders', { category_code: 'streetlight', place_code: x.household, channel: 'visit', title: '审计工单', description: '路灯不亮' }));
    return { entity: 'order', action: 'create' };
  },
  'POST /api/v1/orders/{id}/events': async (x) => {
    const o = await x.api.post('/api/v1/orders', { category_code: 'streetlight', place_code: x.household, channel: 'visit', title: '审计工单', description: '路灯不亮' });
    x.ok(o);
    x.ok(await x.api.post(`/api/v1/orders/${o.body.id}/events`, { event: 'accept' }));
    return { entity: 'order', action: 'accept' };
  },
};

forEachStore('audit log', (store) => {
  let s;
  test.before(async () => { s = await startServer({ store, demo: true }); });
  test.after(async () => { await s.stop(); });

  test('every write route has a recipe and leaves its audit entry', async () => {
    const RECIPES = await merged('recipes', BASE_RECIPES);
    const routes = JSON.parse((await s.cli(['routes'])).stdout);
    const writes = routes.filter((r) => r.method !== 'GET');
    const missing = writes.map((r) => `${r.method} ${r.path}`).filter((k) => !RECIPES[k]);
    assert.deepEqual(missing, [], 'write routes without an audit recipe in tests/api/audit_walk.test.mjs or tests/api/recipes/*.mjs');

    const admin = await s.login('admin', DEMO.password);
    const api = await s.login('binhe', DEMO.password);
    const page = await s.browserLogin('binhe', DEMO.password);
    const made = await api.post('/api/v1/accounts', { username: uniq('target'), password: 'pass12345', role: 'grid_worker', place_code: '140930100010' });
    assert.equal(made.status, 201);
    const people = await api.get('/api/v1/residents?place=140930100010&limit=1');
    const org = (await api.get('/api/v1/organisations?place=140930100010&limit=50')).body.items
      .find((o) => o.place_code && o.place_code.startsWith('140930100010'));
    const grid = (await api.get('/api/v1/grids?place=140930100010&limit=1')).body.items[0];
    const x = {
      s, admin, api, page, acct: made.body.id,
      person: people.body.items[0].id, household: people.body.items[0].place_code,
      org: org && org.id, grid: grid && grid.id,
      ok(r) { assert.ok(r.status >= 200 && r.status < 400, `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`); },
    };
    for (const r of writes) {
      const key = `${r.method} ${r.path}`;
      const last = (await admin.get('/api/v1/audit?limit=1')).body.items[0];
      const want = await RECIPES[key](x);
      const after = (await admin.get('/api/v1/audit?limit=50')).body.items.filter((e) => e.id > last.id);
      const hit = after.find((e) => e.entity === want.entity && e.action === want.action &&
        e.actor === (want.actor || 'binhe'));
      assert.ok(hit, `${key}: no audit entry ${JSON.stringify(want)} among ${JSON.stringify(after.map((e) => [e.actor, e.action, e.entity]))}`);
    }
  });
});
