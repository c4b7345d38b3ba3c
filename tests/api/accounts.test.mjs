// Accounts, grants and the audit log: scope and rank rules, validation, audit entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachStore, startServer, DEMO } from '../lib/harness.mjs';

forEachStore('accounts and grants', (store) => {
  let s;
  test.before(async () => { s = await startServer({ store, demo: true }); });
  test.after(async () => { await s.stop(); });

  test('a secretary creates an account inside the community and it is audited', async () => {
    const c = await s.login('binhe', DEMO.password);
    const r = await c.post('/api/v1/accounts', {
      username: 'gw_new', display_name: '新网格员', password: 'pass12345',
      role: 'grid_worker', place_code: '140930100010',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    s.validate('POST', '/api/v1/accounts', 201, r.body);
    assert.equal(r.body.grants[0].role, 'grid_worker');
    const audit = await c.get('/api/v1/audit?entity=account&action=create&limit=5');
    assert.equal(audit.status, 200);
    s.validate('GET', '/api/v1/audit', 200, audit.body);
    const entry = audit.body.items.find((e) => e.entity_id === String(r.body.id));
    assert.ok(entry, 'audit entry for the new account');
    assert.equal(entry.actor, 'binhe');
    assert.equal(entry.after_json.username, 'gw_new');
    const login = await s.login('gw_new', 'pass12345');
    assert.ok(login.token);
  });

  test('no granting outside one\'s scope or at one\'s own rank', async () => {
    const c = await s.login('binhe', DEMO.password);
    const outside = await c.post('/api/v1/accounts', {
      username: 'gw_out', password: 'pass12345', role: 'grid_worker', place_code: '140930100007',
    });
    assert.equal(outside.status, 404);
    s.validate('POST', '/api/v1/accounts', 404, outside.body);
    const peer = await c.post('/api/v1/accounts', {
      username: 'sec2', password: 'pass12345', role: 'secretary', place_code: '140930100010',
    });
    assert.equal(peer.status, 403);
    const bad = await c.post('/api/v1/accounts', {
      username: 'x', password: 'short', role: 'nonsense', place_code: '140930100010',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /[\u4e00-\u9fa5]/);
    const none = await s.cli(['user', 'list']);
    assert.doesNotMatch(none.stdout, /gw_out|sec2/);
  });

  test('duplicate username is a conflict and changes nothing', async () => {
    const c = await s.login('xian', DEMO.password);
    const r = await c.post('/api/v1/accounts', {
      username: 'binhe', password: 'pass12345', role: 'grid_worker', place_code: '140930100010',
    });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.field, 'username');
  });

  test('lists and records only within scope', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const list = await binhe.get('/api/v1/accounts?limit=500');
    assert.equal(list.status, 200);
    s.validate('GET', '/api/v1/accounts', 200, list.body);
    const names = list.body.items.map((a) => a.username);
    assert.ok(names.includes('wangge1'));
    assert.ok(!names.includes('mayingwei'));
    assert.ok(!names.includes('xian'));
    const xian = await s.login('xian', DEMO.password);
    const all = await xian.get('/api/v1/accounts?limit=500');
    const may = all.body.items.find((a) => a.username === 'mayingwei');
    assert.ok(may);
    assert.equal((await binhe.get(`/api/v1/accounts/${may.id}`)).status, 404);
    assert.equal((await binhe.post(`/api/v1/accounts/${may.id}/disable`, {})).status, 404);
    assert.equal((await xian.get(`/api/v1/accounts/${may.id}`)).status, 200);
  });

  test('grant, revoke, reset password, disable and enable', async () => {
    const xian = await s.login('xian', DEMO.password);
    const list = await xian.get('/api/v1/accounts?q=wangge1');
    const gw = list.body.items.find((a) => a.username === 'wangge1');
    const g = await xian.post(`/api/v1/accounts/${gw.id}/grants`, { role: 'grid_worker', place_code: '140930100007' });
    assert.equal(g.status, 201);
    const added = g.body.grants.find((x) => x.place_code === '140930100007');
    assert.ok(added);
    const del = await xian.del(`/api/v1/grants/${added.id}`);
    assert.equal(del.status, 200);
    const pw = await xian.post(`/api/v1/accounts/${gw.id}/password`, { password: 'newpass123' });
    assert.equal(pw.status, 200);
    await s.login('wangge1', 'newpass123');
    const dis = await xian.post(`/api/v1/accounts/${gw.id}/disable`, {});
    assert.equal(dis.status, 200);
    assert.equal(dis.body.disabled, true);
    const denied = await fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'wangge1', password: 'newpass123' }),
    });
    assert.equal(denied.status, 401);
    const en = await xian.post(`/api/v1/accounts/${gw.id}/enable`, {});
    assert.equal(en.body.disabled, false);
    const actions = (await xian.get(`/api/v1/audit?entity=account&limit=50`)).body.items
      .filter((e) => e.entity_id === String(gw.id)).map((e) => e.action);
    for (const a of ['grant', 'revoke', 'password', 'disable', 'enable']) assert.ok(actions.includes(a), a);
  });

  test('the audit log is filtered by scope', async () => {
    const may = await s.login('mayingwei', DEMO.password);
    const r = await may.get('/api/v1/audit?limit=500');
    assert.equal(r.status, 200);
    for (const e of r.body.items) assert.ok(e.place_code && e.place_code.startsWith('140930100007'), JSON.stringify(e));
    const jumin = await s.login('jumin', DEMO.password);
    assert.equal((await jumin.get('/api/v1/audit')).status, 404);
    const bad = await may.get('/api/v1/audit?from=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'from');
  });

  test('account pages work for a secretary and stay closed to residents', async () => {
    const b = await s.browserLogin('binhe', DEMO.password);
    const page = await b.get('/accounts');
    assert.match(page, /账号与授权/);
    const created = await b.postForm('/accounts', {
      username: 'vol_page', display_name: '页面志愿者', password: 'pass12345', role: 'volunteer', place_code: '140930100010',
    });
    assert.match(created, /vol_page/);
    const audit = await b.get('/audit?action=create');
    assert.match(audit, /vol_page|account/);
    const r = await s.browserLogin('jumin', DEMO.password);
    assert.match(await r.get('/accounts'), /找不到|未找到/);
  });
});
