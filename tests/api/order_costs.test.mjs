// 部门买单 (issue 3): the dispatcher names the paying organisation; only an
// account with a grant on it confirms or declines, once; declined costs are
// not counted; the confirmed totals by organisation and by community match a
// fixture added up by hand, within the caller's scope; bad input changes
// nothing. Both stores, the small demo (bumen is 河曲县住房和城乡建设管理局).
import {test} from 'node:test';
import assert from 'node:assert/strict';

import {forEachStore, makeUser, startServer} from '../lib/harness.mjs';

const HOUSEHOLD = '140930100010001011001'; // 滨河社区

forEachStore('order costs', (store) => {
  let s, sg, binhe, admin, bumen, mayingwei, housing, civil;
  const count = (sql) => Number(s.sql(sql)[0][0]);
  const order = async () => {
    const r = await sg.post('/api/v1/orders', {category_code: 'streetlight', place_code: HOUSEHOLD, channel: 'visit',
      title: '路灯不亮', description: '3号楼前路灯坏了'});
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };

  test.before(async () => {
    s = await startServer({store, demo: true});
    [sg, binhe, admin, bumen, mayingwei] = await Promise.all(['binhe_sg', 'binhe', 'admin', 'bumen', 'mayingwei'].map((u) => s.login(u)));
    housing = Number(s.sql("SELECT id FROM organisations WHERE name = '河曲县住房和城乡建设管理局'")[0][0]);
    civil = Number(s.sql("SELECT id FROM organisations WHERE name = '河曲县民政局'")[0][0]);
  });
  test.after(async () => {
    await s.stop();
  });

  test('bad input and the wrong people change nothing', async () => {
    const id = await order();
    const before = count('SELECT COUNT(*) FROM order_costs');
    const audits = count("SELECT COUNT(*) FROM audit_log WHERE entity = 'order_cost'");
    for (const body of [{org_id: housing, amount: '-5'}, {org_id: housing, amount: '1.234'}, {org_id: housing, amount: '0'},
      {org_id: housing, amount: 'abc'}, {org_id: 99999999, amount: '10'}, {amount: '10'}]) {
      const r = await sg.post(`/api/v1/orders/${id}/costs`, body);
      assert.equal(r.status, 400, JSON.stringify(body) + r.text);
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
    }
    assert.equal((await mayingwei.post(`/api/v1/orders/${id}/costs`, {org_id: housing, amount: '10'})).status, 404);
    assert.equal((await bumen.post(`/api/v1/orders/${id}/costs`, {org_id: housing, amount: '10'})).status, 404);
    assert.equal(count('SELECT COUNT(*) FROM order_costs'), before);
    assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'order_cost'"), audits);
  });

  test('proposed by the dispatcher, confirmed or declined by the paying organisation only, once', async () => {
    const id = await order();
    const r = await sg.post(`/api/v1/orders/${id}/costs`, {org_id: housing, amount: '1200.5', resource: '更换路灯线路'});
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/orders/{id}/costs', 201, r.body);
    assert.equal(r.body.amount_fen, 120050);
    assert.equal(r.body.amount, '1200.50');
    assert.equal(r.body.state, 'proposed');
    const open = await bumen.get('/api/v1/order-costs?as=org');
    s.validate('GET', '/api/v1/order-costs', 200, open.body);
    assert.ok(open.body.items.some((k) => k.id === r.body.id));
    // not the paying organisation: 404
    for (const c of [sg, binhe, mayingwei]) assert.equal((await c.post(`/api/v1/order-costs/${r.body.id}/confirm`, {})).status, 404);
    const ok = await bumen.post(`/api/v1/order-costs/${r.body.id}/confirm`, {});
    assert.equal(ok.status, 200, ok.text);
    s.validate('POST', '/api/v1/order-costs/{id}/confirm', 200, ok.body);
    assert.equal(ok.body.state, 'confirmed');
    assert.equal(ok.body.confirmed_by, 'bumen');
    assert.equal((await bumen.post(`/api/v1/order-costs/${r.body.id}/decline`, {})).status, 409);
    assert.equal((await bumen.post(`/api/v1/order-costs/${r.body.id}/confirm`, {})).status, 409);
    const hist = (await sg.get(`/api/v1/orders/${id}`)).body.history.map((h) => h.event);
    assert.deepEqual(hist.filter((e) => e.startsWith('cost_')), ['cost_propose', 'cost_confirm']);
    const list = await sg.get(`/api/v1/orders/${id}/costs`);
    s.validate('GET', '/api/v1/orders/{id}/costs', 200, list.body);
    assert.equal(list.body.items.length, 1);
  });

  test('confirmed totals by organisation and by community, declined not counted, in scope', async () => {
    const base = await admin.get('/api/v1/order-costs/summary?place=140930100010');
    assert.equal(base.status, 200, base.text);
    s.validate('GET', '/api/v1/order-costs/summary', 200, base.body);
    const u = await makeUser(s, `mzj${Date.now() % 100000}`, 'department', {org: civil});
    const mz = await s.login(u.username, u.password);
    const a = await order(), b = await order();
    // fixture: 住建局 100.00 + 35.25 confirmed, 民政局 50.00 confirmed, 住建局 999 declined, 民政局 7 still proposed
    const plan = [[a, housing, '100', 'confirm'], [b, housing, '35.25', 'confirm'], [a, civil, '50.00', 'confirm'],
      [b, housing, '999', 'decline'], [b, civil, '7', null]];
    for (const [o, org, amount, what] of plan) {
      const r = await sg.post(`/api/v1/orders/${o}/costs`, {org_id: org, amount});
      assert.equal(r.status, 201, r.text);
      if (what) assert.equal((await (org === housing ? bumen : mz).post(`/api/v1/order-costs/${r.body.id}/${what}`, {})).status, 200);
    }
    const sum = await admin.get('/api/v1/order-costs/summary?place=140930100010');
    const fen = (body, org) => (body.by_org.find((x) => x.org_id === org) || {amount_fen: 0}).amount_fen;
    assert.equal(fen(sum.body, housing) - fen(base.body, housing), 10000 + 3525);
    assert.equal(fen(sum.body, civil) - fen(base.body, civil), 5000);
    assert.equal(sum.body.total_fen - base.body.total_fen, 18525);
    const binheRow = (body) => (body.by_place.find((x) => x.place_code === '140930100010') || {amount_fen: 0}).amount_fen;
    assert.equal(binheRow(sum.body) - binheRow(base.body), 18525);
    // binhe sees its community's totals; 马营围's secretary sees none of them
    const mine = await binhe.get('/api/v1/order-costs/summary');
    assert.equal(binheRow(mine.body), binheRow(sum.body));
    const theirs = await mayingwei.get('/api/v1/order-costs/summary');
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.body.by_place.some((x) => x.place_code === '140930100010'));
    assert.equal((await admin.get('/api/v1/order-costs/summary?from=2026-13-01')).status, 400);
  });
});
