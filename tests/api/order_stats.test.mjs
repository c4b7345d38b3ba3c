// 三率 and the other figures (docs/demand-loop.md §4) on a fixture worked out
// by hand: seven orders filed in 滨河社区 on 2 March 2026 by the test clock,
// taken through accept, contact, resolve, rate, reopen and reject at known
// times. The API, the dashboard page and `linli stats` must give exactly the
// hand-computed figures, at every division level from the community up to
// the province; `linli stats --check` must find the counters equal to a
// recount of the orders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forEachStore, startServer } from '../lib/harness.mjs';

const HOUSEHOLD = '140930100010001011001'; // jumin's household in 滨河社区
const DAY = '2026-03-02';
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const iso = (minutes) => new Date(T0 + minutes * 60000).toISOString().replace('.000Z', 'Z');

forEachStore('三率 figures', (store) => {
  let s, nowFile;
  const setNow = (minutes) => writeFileSync(nowFile, `${iso(minutes)}\n`);
  test.before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow(0);
    s = await startServer({ store, demo: true, env: { LINLI_NOW_FILE: nowFile }, args: ['--tick', '0'] }); // no scheduler: exact figures
  });
  test.after(async () => { await s.stop(); });

  test('the figures of a hand-made fixture, at every level, by API, page and command line', async () => {
    let jumin = await s.login('jumin');
    let binhe = await s.login('binhe');
    const ev = async (c, id, body) => {
      const r = await c.post(`/api/v1/orders/${id}/events`, body);
      assert.equal(r.status, 200, `${body.event}: ${r.text}`);
    };
    const file = async (title) => {
      const r = await jumin.post('/api/v1/orders', { category_code: 'streetlight', place_code: HOUSEHOLD, title, description: '统计样例' });
      assert.equal(r.status, 201, r.text);
      return r.body.id;
    };
    // all seven filed and (where so) accepted at 09:00
    const ids = {};
    for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) ids[k] = await file(`样例${k}`);
    for (const k of ['A', 'B', 'C', 'E', 'F']) await ev(binhe, ids[k], { event: 'accept' });
    await ev(binhe, ids.D, { event: 'reject', reason: '不属于受理范围' });       // refused at intake
    await ev(binhe, ids.C, { event: 'reject', reason: '重复反映，已另案办理' }); // accepted, then rejected
    setNow(5);   // E contacted after 5 min
    await ev(binhe, ids.E, { event: 'contact' });
    setNow(10);  // A contacted after 10 min
    await ev(binhe, ids.A, { event: 'contact' });
    setNow(60);  // E resolved, not fixed, after 1 h; jumin 不满意 → the system reopens it
    await ev(binhe, ids.E, { event: 'resolve', outcome: 'not_fixed', result: '需更换线路' });
    await ev(jumin, ids.E, { event: 'rate', rating: 'unsatisfied', comment: '还是不亮' });
    setNow(120); // A resolved after 2 h; B contacted after 2 h (limit 1 h: breached)
    await ev(binhe, ids.A, { event: 'resolve', outcome: 'fixed', result: '已更换灯泡' });
    await ev(binhe, ids.B, { event: 'contact' });
    await ev(jumin, ids.A, { event: 'rate', rating: 'satisfied' });
    setNow(180); // E resolved again, fixed, after 3 h, then 满意
    await ev(binhe, ids.E, { event: 'resolve', outcome: 'fixed', result: '已更换线路' });
    await ev(jumin, ids.E, { event: 'rate', rating: 'satisfied' });
    setNow(1800); // B resolved after 30 h (limit 24 h: breached), rated 基本满意
    jumin = await s.login('jumin');
    binhe = await s.login('binhe');
    await ev(binhe, ids.B, { event: 'resolve', outcome: 'fixed', result: '已修复' });
    await ev(jumin, ids.B, { event: 'rate', rating: 'basic' });

    // F gets a 攻坚哨 and 1200.50 元 of 部门买单 confirmed by the 县住建局 (bumen)
    const w = await binhe.post(`/api/v1/orders/${ids.F}/whistles`, { kind: 'tackle', note: '统计样例' });
    assert.equal(w.status, 201, w.text);
    const housing = Number(s.sql("SELECT id FROM organisations WHERE name = '河曲县住房和城乡建设管理局'")[0][0]);
    const cost = await binhe.post(`/api/v1/orders/${ids.F}/costs`, { org_id: housing, amount: '1200.50', resource: '更换路灯' });
    assert.equal(cost.status, 201, cost.text);
    assert.equal((await (await s.login('bumen')).post(`/api/v1/order-costs/${cost.body.id}/confirm`, {})).status, 200);

    // By hand: filed 7; accepted A B C E F = 5, of which C rejected; contacted A (600 s) B (7200 s,
    // late) E (300 s); resolved A (7200 s) B (108000 s, late) E (10800 s), all finally fixed; E
    // reopened once; standing ratings A 满意, B 基本满意, E 满意. States: closed A B E, rejected C
    // D, accepted F, submitted G.
    const want = {
      counts: {
        n_total: 7, st_closed: 3, st_rejected: 2, st_accepted: 1, st_submitted: 1, st_taken: 0,
        n_accepted: 5, n_rejected: 1, n_merged: 0, n_responded: 3, n_responded_in_limit: 2,
        response_seconds: 8100, n_resolved: 3, n_fixed: 3, n_resolved_in_limit: 2,
        resolution_seconds: 126000, n_reopened: 1, n_satisfied: 2, n_basic: 1, n_unsatisfied: 0,
        n_response_breached: 1, n_resolution_breached: 1, n_escalated: 0,
      },
      rates: { response: '40.0%', resolution: '75.0%', completion: '75.0%', satisfaction: '100.0%', on_time: '66.7%', reopen: '33.3%' },
      avg_response_seconds: 2700, avg_resolution_seconds: 42000,
    };
    const check = (line, where) => {
      for (const [k, v] of Object.entries(want.counts)) assert.equal(line.counts[k], v, `${where}: ${k}`);
      for (const [k, v] of Object.entries(want.rates)) assert.equal(line.rates[k].text, v, `${where}: ${k}`);
      assert.equal(line.avg_response_seconds, want.avg_response_seconds, `${where}: avg response`);
      assert.equal(line.avg_resolution_seconds, want.avg_resolution_seconds, `${where}: avg resolution`);
    };
    const admin = await s.login('admin');
    for (const place of ['140930100010', '140930100', '140930', '1409', '14']) {
      const r = await admin.get(`/api/v1/stats/orders?place=${place}&from=${DAY}&to=${DAY}`);
      assert.equal(r.status, 200, r.text);
      check(r.body.total, place);
      assert.equal(r.body.days.length, 1);
      assert.equal(r.body.days[0].key, '20260302');
      assert.deepEqual(r.body.days[0], { key: '20260302', n_total: 7, n_accepted: 5, n_resolved: 3,
        response_permille: 400, resolution_permille: 750, satisfaction_permille: 1000 });
      if (place !== '140930100010') {
        const child = r.body.children.find((c) => '140930100010'.startsWith(c.key));
        assert.ok(child, `${place}: the child on the way to 滨河社区`);
        check(child, `${place} › ${child.key}`);
      }
    }
    const county = (await admin.get(`/api/v1/stats/orders?place=140930&from=${DAY}&to=2026-03-03`)).body;
    const tackle = county.whistles.find((k) => k.kind === 'tackle');
    assert.ok(tackle && tackle.whistles === 1 && tackle.name === '攻坚哨', JSON.stringify(county.whistles));
    assert.ok(tackle.calls >= 1 && tackle.answered === 0);
    assert.deepEqual(county.costs, { confirmed: 1, amount_fen: 120050, amount_yuan: '1200.50' });
    // B breached both limits on its way (recorded when the clocks stopped), but it is closed: not in hand
    assert.ok(!county.attention.some((x) => x.id === ids.B));

    // periods read as whole months plus days at either end give the same figures
    for (const [from, to] of [['2026-02-15', '2026-04-10'], ['2026-03-01', '2026-03-31'], ['2026-01-01', '2026-06-30'], ['2026-03-02', '2026-05-31']]) {
      const r = await admin.get(`/api/v1/stats/orders?place=140930&from=${from}&to=${to}`);
      assert.equal(r.status, 200, r.text);
      check(r.body.total, `${from}..${to}`);
      check(r.body.categories.find((c) => c.key === 'streetlight'), `${from}..${to} category`);
      check(r.body.channels.find((c) => c.key === 'web'), `${from}..${to} channel`);
      check(r.body.children.find((c) => c.key === '140930100'), `${from}..${to} street`);
      assert.deepEqual(r.body.days.map((d) => d.key), ['20260302']);
    }
    // the same figures by category and channel; nothing on other days
    const r = await binhe.get(`/api/v1/stats/orders?place=140930100010&from=${DAY}&to=${DAY}&channel=web&category=streetlight`);
    assert.equal(r.status, 200, r.text);
    check(r.body.total, 'filtered');
    check(r.body.categories.find((c) => c.key === 'streetlight'), 'category line');
    const other = await binhe.get('/api/v1/stats/orders?place=140930100010&from=2026-03-03&to=2026-03-31');
    assert.equal(other.body.total.counts.n_total, 0);
    assert.equal(other.body.total.rates.satisfaction.text, '无数据');

    // scope and bad input
    assert.equal((await (await s.login('mayingwei')).get(`/api/v1/stats/orders?place=140930100010&from=${DAY}&to=${DAY}`)).status, 404);
    assert.ok([401, 403, 404].includes((await jumin.get(`/api/v1/stats/orders?place=140930100010`)).status));
    for (const q of ['place=1409301', `place=140930100010&from=2026-02-30`, `place=140930100010&from=${DAY}&to=2026-03-01`, 'place=140930100010&to=tomorrow']) {
      const bad = await binhe.get(`/api/v1/stats/orders?${q}`);
      assert.equal(bad.status, 400, q);
      assert.equal(bad.body.error.code, 'bad_request', q);
    }

    // the dashboard page says the same
    const page = await s.browserLogin('binhe');
    const html = await page.get(`/dashboard?place=140930100010&from=${DAY}&to=${DAY}`);
    assert.equal(page.last.status, 200);
    for (const v of Object.values(want.rates)) assert.ok(html.includes(v), `dashboard shows ${v}`);
    assert.match(html, /<svg[^>]*role="img"/);

    // the command line, and the counters equal a recount of the orders
    const cli = await s.cli(['stats', '--place', '140930', '--from', DAY, '--to', DAY]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /响应率\s+40\.0%\s+\(2\/5\)/);
    assert.match(cli.stdout, /满意率\s+100\.0%\s+\(3\/3\)/);
    const chk = await s.cli(['stats', '--check']);
    assert.equal(chk.code, 0, chk.stderr + chk.stdout);
  });

  test('the same question twice gets the same answer; any change is seen at once', async () => {
    const admin = await s.login('admin');
    const q = `/api/v1/stats/orders?place=140930100&from=${DAY}&to=${DAY}`;
    const first = (await admin.get(q)).body;
    assert.deepEqual((await admin.get(q)).body, first);
    // a new order that day, a whistle on it, a cost confirmed: each shows on the next read
    setNow(30);
    const jumin = await s.login('jumin');
    const binhe = await s.login('binhe');
    const o = await jumin.post('/api/v1/orders', { category_code: 'streetlight', place_code: HOUSEHOLD, title: '又一盏灯', description: '统计样例' });
    assert.equal(o.status, 201, o.text);
    let now = (await admin.get(q)).body;
    assert.equal(now.total.counts.n_total, first.total.counts.n_total + 1);
    assert.equal((await binhe.post(`/api/v1/orders/${o.body.id}/events`, { event: 'accept' })).status, 200);
    assert.equal((await binhe.post(`/api/v1/orders/${o.body.id}/whistles`, { kind: 'publicity' })).status, 201);
    now = (await admin.get(q)).body;
    assert.equal(now.total.counts.n_accepted, first.total.counts.n_accepted + 1);
    assert.equal(now.whistles.find((k) => k.kind === 'publicity').whistles, 1);
    const housing = Number(s.sql("SELECT id FROM organisations WHERE name = '河曲县住房和城乡建设管理局'")[0][0]);
    const cost = await binhe.post(`/api/v1/orders/${o.body.id}/costs`, { org_id: housing, amount: '99.90' });
    assert.equal(cost.status, 201, cost.text);
    assert.equal((await admin.get(q)).body.costs.amount_fen, first.costs.amount_fen);
    assert.equal((await (await s.login('bumen')).post(`/api/v1/order-costs/${cost.body.id}/confirm`, {})).status, 200);
    assert.equal((await admin.get(q)).body.costs.amount_fen, first.costs.amount_fen + 9990);
  });

  test('stats --check finds counters that drifted from the orders, --rebuild repairs them', async () => {
    const chk = await s.cli(['stats', '--check']);
    assert.equal(chk.code, 0, chk.stderr);
    await s.sql("UPDATE order_stats SET n_total = n_total + 1 WHERE place_code = '140930100010'");
    const bad = await s.cli(['stats', '--check']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /140930100010/);
    assert.equal((await s.cli(['stats', '--rebuild'])).code, 0);
    assert.equal((await s.cli(['stats', '--check'])).code, 0);
  });
});
