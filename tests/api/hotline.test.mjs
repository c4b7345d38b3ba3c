// Hotline / 12345 work orders (docs/open311.md, 热线): CSV import through the
// API and the command line, a dry run with errors that changes nothing, an
// idempotent re-import by 工单编号, and the fetch-back of results once an
// order is resolved (API and `linli export orders`).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { forEachStore, psql, sqlite, startServer } from '../lib/harness.mjs';

const HEADER = '工单编号,分类,地址编码,标题,内容,联系电话,紧急程度\n';

forEachStore('hotline / 12345 orders', (store) => {
  let s, binhe;
  const query = (sql) => (store === 'sqlite' ? sqlite(s.dbUrl, sql) : psql(s.dbUrl, sql));
  // this file's orders (the demo county has hotline orders of its own)
  const count = () => Number(query("SELECT COUNT(*) FROM orders WHERE channel = 'hotline_12345' AND external_ref LIKE 'RX2026-%'")[0][0]);
  const SINCE = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z'); // after the demo's orders
  const upload = (csv, qs = '') => binhe.raw('POST', `/api/v1/orders/import${qs}`, { headers: { 'Content-Type': 'text/csv' }, body: csv });

  before(async () => {
    s = await startServer({ store, demo: true });
    binhe = await s.login('binhe');
  });
  after(async () => { await s.stop(); });

  const good = HEADER +
    'RX2026-0001,路灯修缮,140930100010,滨河路路灯不亮,晚上滨河路三盏路灯不亮,13912345678,紧急\n' +
    'RX2026-0002,noise,140930100010,夜间施工噪音,"工地夜里施工，噪音扰民",,一般\n';

  test('a dry run with errors reports line, column and reason and changes nothing', async () => {
    const before0 = count();
    const bad = HEADER +
      'RX2026-0100,没有这个分类,140930100010,标题,内容,,一般\n' +
      'RX2026-0101,路灯修缮,140930100007,标题,内容,,一般\n' + // 马营围: outside binhe's scope
      'RX2026-0102,路灯修缮,140930100010,标题,内容,12345,很急\n' +
      'RX2026-0102,路灯修缮,140930100010,,内容,,\n';
    for (const qs of ['?dry_run=1', '']) {
      const r = await upload(bad, qs);
      assert.equal(r.status, 422, r.text);
      s.validate('POST', '/api/v1/orders/import', 422, r.body);
      const at = (line, column) => r.body.errors.find((e) => e.line === line && e.column === column);
      assert.ok(at(2, '分类'), JSON.stringify(r.body.errors));
      assert.ok(at(3, '地址编码'), JSON.stringify(r.body.errors));
      assert.ok(at(4, '紧急程度'), JSON.stringify(r.body.errors));
      assert.ok(at(5, '标题'), JSON.stringify(r.body.errors));
      assert.equal(r.body.imported, 0);
    }
    assert.equal(count(), before0, 'nothing was written');
    const missing = await upload('工单编号,标题\nA,B\n');
    assert.equal(missing.status, 422);
    assert.ok(missing.body.errors.some((e) => e.column === '分类'));
  });

  test('import, then the same file again changes nothing (idempotent by 工单编号)', async () => {
    const dry = await upload(good, '?dry_run=1');
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.body.would_import, 2);
    assert.equal(dry.body.imported, 0);
    assert.equal(count(), 0);
    const r = await upload(good);
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/orders/import', 201, r.body);
    assert.equal(r.body.imported, 2);
    assert.equal(count(), 2);
    const row = query("SELECT category_code, urgency, place_code, contact_phone FROM orders WHERE external_ref = 'RX2026-0001'");
    assert.deepEqual(row[0], ['streetlight', 'urgent', '140930100010', '13912345678']);
    const again = await upload(good);
    assert.equal(again.status, 201);
    assert.equal(again.body.imported, 0);
    assert.equal(again.body.skipped, 2);
    assert.equal(count(), 2, 'no duplicate orders');
  });

  test('the command line imports the same way and skips what the API imported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-hotline-'));
    const file = path.join(dir, 'rx.csv');
    writeFileSync(file, '\ufeff' + good + 'RX2026-0003,停车,140930100010,乱停车,小区门口乱停车,,特急\n');
    let r = await s.cli(['import', 'orders', file, '--channel', 'hotline_12345', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(count(), 2);
    r = await s.cli(['import', 'orders', file, '--channel', 'hotline_12345']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(count(), 3);
    assert.equal(query("SELECT urgency FROM orders WHERE external_ref = 'RX2026-0003'")[0][0], 'critical');
    r = await s.cli(['import', 'orders', file, '--channel', 'hotline_12345']);
    assert.equal(r.code, 0);
    assert.equal(count(), 3);
  });

  test('fetch-back shows the result after the order is resolved', async () => {
    let r = await binhe.get('/api/v1/orders/hotline-results?since=2000-01-01T00:00:00Z');
    assert.equal(r.status, 200, r.text);
    s.validate('GET', '/api/v1/orders/hotline-results', 200, r.body);
    const item = r.body.items.find((x) => x.external_ref === 'RX2026-0001');
    assert.equal(item.state, 'submitted');
    assert.equal(item.result, null);
    const id = item.order_id;
    assert.equal((await binhe.post(`/api/v1/orders/${id}/events`, { event: 'accept' })).status, 200);
    const res = await binhe.post(`/api/v1/orders/${id}/events`, { event: 'resolve', result: '已更换三盏路灯', outcome: 'fixed' });
    assert.equal(res.status, 200, res.text);
    r = await binhe.get(`/api/v1/orders/hotline-results?channel=hotline_12345&since=${SINCE}`);
    const done = r.body.items.find((x) => x.external_ref === 'RX2026-0001');
    assert.equal(done.state, 'resolved');
    assert.equal(done.outcome, 'fixed');
    assert.equal(done.result, '已更换三盏路灯');
    assert.match(done.resolved_at, /^\d{4}-\d\d-\d\dT/);
    assert.equal(done.rating, null);
    // paging: limit and the cursor walk the same items in the same order
    const walked = [];
    for (let cursor = null, i = 0; i < 10; i++) {
      const page = await binhe.get(`/api/v1/orders/hotline-results?since=${SINCE}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200, page.text);
      walked.push(...page.body.items.map((x) => x.external_ref));
      cursor = page.body.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(walked, r.body.items.map((x) => x.external_ref));
    // since in the future: nothing changed after it
    r = await binhe.get('/api/v1/orders/hotline-results?since=2099-01-01T00:00:00Z');
    assert.equal(r.body.items.length, 0);
    assert.equal((await binhe.get('/api/v1/orders/hotline-results?since=soon')).status, 400);
    // another community's secretary does not see 滨河's hotline orders
    const mayingwei = await s.login('mayingwei');
    r = await mayingwei.get('/api/v1/orders/hotline-results');
    assert.ok(!r.body.items.some((x) => x.external_ref === 'RX2026-0001'));
    // the same as CSV from the command line
    const csv = await s.cli(['export', 'orders', '--channel', 'hotline_12345', '--since', '2000-01-01T00:00:00Z']);
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout, /工单编号,本系统工单号,状态/);
    assert.match(csv.stdout, /RX2026-0001,GD\d{8}-\d{6},resolved,fixed,已更换三盏路灯,\d{4}-/);
  });
});
