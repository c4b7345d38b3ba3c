// 吹哨报到 (issue 3): the four whistle kinds seeded for the demo county and
// configured by the county; blowing a whistle calls exactly the configured
// departments; only a called department reports, once; a call past its
// deadline reads 超时未报到 by the test clock (LINLI_NOW_FILE) without any
// tick; every step is in the order's history and the audit log; bad input
// changes nothing. Also 督办 (deadline, 督办中, list), 回访 with its outcome and
// the handling tier with a 协商 outcome. Both stores, the small demo.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {forEachStore, makeUser, startServer} from '../lib/harness.mjs';

const HOUSEHOLD = '140930100010001011001'; // jumin's household in 滨河社区

forEachStore('whistles', (store) => {
  let s, nowFile, sg, binhe, admin, bumen, mayingwei;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const count = (sql) => Number(s.sql(sql)[0][0]);
  const order = async () => {
    const r = await sg.post('/api/v1/orders', {category_code: 'streetlight', place_code: HOUSEHOLD, channel: 'visit',
      title: '路灯不亮', description: '3号楼前路灯坏了'});
    assert.equal(r.status, 201, r.text);
    const a = await sg.post(`/api/v1/orders/${r.body.id}/events`, {event: 'accept'});
    assert.equal(a.status, 200, a.text);
    return r.body.id;
  };
  const kinds = async () => {
    const r = await admin.get('/api/v1/whistle-kinds?place=140930');
    assert.equal(r.status, 200, r.text);
    s.validate('GET', '/api/v1/whistle-kinds', 200, r.body);
    return Object.fromEntries(r.body.items.map((k) => [k.code, k]));
  };

  test.before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}});
    [sg, binhe, admin, bumen, mayingwei] = await Promise.all(['binhe_sg', 'binhe', 'admin', 'bumen', 'mayingwei'].map((u) => s.login(u)));
  });
  test.after(async () => {
    await s.stop();
  });

  test('the demo county has the four kinds with their departments', async () => {
    const k = await kinds();
    assert.deepEqual(Object.keys(k), ['publicity', 'emergency', 'enforcement', 'tackle']);
    assert.deepEqual(Object.values(k).map((x) => x.name), ['宣传哨', '应急哨', '执法哨', '攻坚哨']);
    for (const x of Object.values(k)) {
      assert.equal(x.configured, true);
      assert.ok(x.departments.length >= 2, x.code);
    }
    assert.ok(k.tackle.departments.some((d) => d.name === '河曲县住房和城乡建设管理局'));
    assert.ok(!k.publicity.departments.some((d) => d.name === '河曲县住房和城乡建设管理局'));
    assert.equal(k.emergency.answer_minutes, 30);
  });

  test('only a county leader configures a kind; bad input changes nothing', async () => {
    const before = await kinds();
    const deps = before.publicity.departments.map((d) => d.id);
    const audits = count("SELECT COUNT(*) FROM audit_log WHERE entity = 'whistle_kind'");
    for (const c of [binhe, mayingwei, sg]) {
      const r = await c.put('/api/v1/whistle-kinds/publicity', {place_code: '140930', answer_minutes: 5});
      assert.ok([403, 404].includes(r.status), r.text);
    }
    for (const body of [{place_code: '140930', answer_minutes: 0}, {place_code: '140930', department_ids: [999999]},
      {place_code: '140930', department_ids: 'x'}, {place_code: '1409', answer_minutes: 10}]) {
      const r = await admin.put('/api/v1/whistle-kinds/publicity', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
    }
    assert.equal((await admin.put('/api/v1/whistle-kinds/nosuch', {place_code: '140930'})).status, 404);
    assert.deepEqual(await kinds(), before);
    assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'whistle_kind'"), audits);
    const r = await admin.put('/api/v1/whistle-kinds/publicity', {place_code: '140930', answer_minutes: 90, department_ids: deps});
    assert.equal(r.status, 200, r.text);
    s.validate('PUT', '/api/v1/whistle-kinds/{code}', 200, r.body);
    assert.equal((await kinds()).publicity.answer_minutes, 90);
    assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'whistle_kind'"), audits + 1);
  });

  test('a whistle calls exactly the configured departments; only they report, once', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    const k = await kinds();
    const id = await order();
    const audits = count("SELECT COUNT(*) FROM audit_log WHERE entity = 'whistle'");
    // refused: bad kind, not a dispatcher, out of scope — nothing written
    assert.equal((await sg.post(`/api/v1/orders/${id}/whistles`, {kind: 'loud'})).status, 400);
    assert.equal((await mayingwei.post(`/api/v1/orders/${id}/whistles`, {kind: 'tackle'})).status, 404);
    assert.equal((await bumen.post(`/api/v1/orders/${id}/whistles`, {kind: 'tackle'})).status, 404);
    assert.equal(count(`SELECT COUNT(*) FROM whistles WHERE order_id = ${id}`), 0);

    const r = await sg.post(`/api/v1/orders/${id}/whistles`, {kind: 'tackle', note: '路灯线路老化需住建局处理'});
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/orders/{id}/whistles', 201, r.body);
    assert.deepEqual(r.body.items.map((c) => c.org_id).sort(), k.tackle.departments.map((d) => d.id).sort());
    for (const c of r.body.items) {
      assert.equal(c.state, 'waiting');
      assert.equal(c.state_name, '待报到');
      assert.equal(Date.parse(c.deadline) - Date.parse('2026-11-23T09:00:00+08:00'), k.tackle.answer_minutes * 60000);
    }
    assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'whistle'"), audits + 1);
    const hist = (await sg.get(`/api/v1/orders/${id}`)).body.history.map((h) => h.event);
    assert.ok(hist.includes('whistle'));

    // the housing bureau (bumen) is called; it sees its call and reports
    const mine = await bumen.get('/api/v1/whistle-calls?as=department');
    assert.equal(mine.status, 200);
    s.validate('GET', '/api/v1/whistle-calls', 200, mine.body);
    const call = mine.body.items.find((c) => c.order_id === id);
    assert.ok(call, 'bumen sees its call');
    // a call of another department: 404 for bumen
    const other = r.body.items.find((c) => c.org_id !== call.org_id);
    assert.equal((await bumen.post(`/api/v1/whistle-calls/${other.id}/report`, {note: '不是我'})).status, 404);
    assert.equal((await sg.post(`/api/v1/whistle-calls/${call.id}/report`, {})).status, 404);
    setNow('2026-11-23T09:20:00+08:00');
    const rep = await bumen.post(`/api/v1/whistle-calls/${call.id}/report`, {note: '已派人到场'});
    assert.equal(rep.status, 200, rep.text);
    s.validate('POST', '/api/v1/whistle-calls/{id}/report', 200, rep.body);
    assert.equal(rep.body.state, 'answered');
    assert.equal(rep.body.answered_by, 'bumen');
    const again = await bumen.post(`/api/v1/whistle-calls/${call.id}/report`, {note: '再报到'});
    assert.equal(again.status, 409);
    assert.equal(count(`SELECT COUNT(*) FROM order_events WHERE order_id = ${id} AND event = 'whistle_report'`), 1);
    assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'whistle_call' AND action = 'whistle_report'"), 1);
    // a called department is a 'department' actor of the order
    const kinds2 = s.sql(`SELECT COUNT(*) FROM grants g JOIN accounts a ON a.id = g.account_id WHERE a.username = 'bumen' AND g.org_id = ${call.org_id}`);
    assert.equal(Number(kinds2[0][0]), 1);

    // past the deadline: the others read 超时未报到, without any tick
    setNow('2026-11-23T11:00:00+08:00');
    const list = await binhe.get(`/api/v1/orders/${id}/whistles`);
    assert.equal(list.status, 200);
    s.validate('GET', '/api/v1/orders/{id}/whistles', 200, list.body);
    for (const c of list.body.items) {
      if (c.id === call.id) assert.equal(c.state, 'answered');
      else {
        assert.equal(c.state, 'overdue');
        assert.equal(c.state_name, '超时未报到');
      }
    }
    const open = await binhe.get('/api/v1/whistle-calls');
    assert.ok(open.body.items.filter((c) => c.order_id === id).every((c) => c.state === 'overdue'));
    assert.equal((await mayingwei.get('/api/v1/whistle-calls')).body.items.filter((c) => c.order_id === id).length, 0);
  });

  test('a whistle on a kind the county left without departments is refused', async () => {
    const id = await order();
    const r = await admin.put('/api/v1/whistle-kinds/enforcement', {place_code: '140930', department_ids: []});
    assert.equal(r.status, 200, r.text);
    const w = await sg.post(`/api/v1/orders/${id}/whistles`, {kind: 'enforcement'});
    assert.equal(w.status, 409);
    assert.equal(count(`SELECT COUNT(*) FROM whistles WHERE order_id = ${id}`), 0);
  });

  test('督办 records a deadline and shows 督办中 until resolved; 回访 keeps its outcome', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    const id = await order();
    assert.equal((await sg.post(`/api/v1/orders/${id}/events`, {event: 'supervise', note: '请尽快'})).status, 403);
    assert.equal((await binhe.post(`/api/v1/orders/${id}/events`, {event: 'supervise'})).status, 400);
    const sv = await binhe.post(`/api/v1/orders/${id}/events`, {event: 'supervise', note: '三日内办结'});
    assert.equal(sv.status, 200, sv.text);
    let f = await binhe.get(`/api/v1/orders/${id}/followups`);
    assert.equal(f.status, 200);
    s.validate('GET', '/api/v1/orders/{id}/followups', 200, f.body);
    assert.equal(f.body.supervised, true);
    assert.equal(f.body.supervisions.length, 1);
    assert.equal(Date.parse(f.body.supervisions[0].deadline) - Date.parse('2026-11-23T09:00:00+08:00'), 3 * 86400000);
    let list = await binhe.get('/api/v1/supervisions');
    s.validate('GET', '/api/v1/supervisions', 200, list.body);
    assert.ok(list.body.items.some((x) => x.order_id === id && !x.overdue));
    assert.ok(!(await mayingwei.get('/api/v1/supervisions')).body.items.some((x) => x.order_id === id));
    setNow('2026-11-27T09:00:00+08:00');
    [sg, binhe, admin, bumen, mayingwei] = await Promise.all(['binhe_sg', 'binhe', 'admin', 'bumen', 'mayingwei'].map((u) => s.login(u)));
    list = await binhe.get('/api/v1/supervisions');
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.items[0].overdue, true, 'overdue first');
    assert.ok(list.body.items.some((x) => x.order_id === id && x.overdue));
    // resolve → the supervision closes
    const res = await sg.post(`/api/v1/orders/${id}/events`, {event: 'resolve', result: '已更换灯泡', outcome: 'fixed'});
    assert.equal(res.status, 200, res.text);
    f = await binhe.get(`/api/v1/orders/${id}/followups`);
    assert.equal(f.body.supervised, false);
    assert.ok(!(await binhe.get('/api/v1/supervisions')).body.items.some((x) => x.order_id === id));
    // close, then 回访 with an outcome (a bad outcome changes nothing)
    assert.equal((await sg.post(`/api/v1/orders/${id}/events`, {event: 'close'})).status, 200);
    const bad = await binhe.post(`/api/v1/orders/${id}/events`, {event: 'revisit', note: '回头看', outcome: 'fixed'});
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'outcome');
    assert.equal(count(`SELECT COUNT(*) FROM order_events WHERE order_id = ${id} AND event = 'revisit'`), 0);
    const rv = await binhe.post(`/api/v1/orders/${id}/events`, {event: 'revisit', note: '回头看：路灯正常', outcome: 'problem_recurred'});
    assert.equal(rv.status, 200, rv.text);
    f = await binhe.get(`/api/v1/orders/${id}/followups`);
    assert.deepEqual(f.body.revisits.map((x) => [x.outcome, x.outcome_name, x.note]), [['problem_recurred', '问题复发', '回头看：路灯正常']]);
  });

  test('the handling tier, with the outcome of a 协商处置', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    [sg, binhe, admin, bumen, mayingwei] = await Promise.all(['binhe_sg', 'binhe', 'admin', 'bumen', 'mayingwei'].map((u) => s.login(u)));
    const id = await order();
    for (const body of [{tier: 'loud'}, {tier: 'consult', participants: '居民代表'}, {tier: 'onsite', outcome: '协商'},
      {tier: 'consult', participants: '甲', outcome: '乙', held_at: '2027-01-01'}]) {
      const r = await sg.post(`/api/v1/orders/${id}/tier`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    assert.equal((await mayingwei.post(`/api/v1/orders/${id}/tier`, {tier: 'consult'})).status, 404);
    assert.equal(count(`SELECT COUNT(*) FROM order_consultations WHERE order_id = ${id}`), 0);
    const r = await sg.post(`/api/v1/orders/${id}/tier`, {tier: 'consult', note: '涉及多户', participants: '居民代表、物业、社区',
      outcome: '物业承担维修，社区监督', held_at: '2026-11-22'});
    assert.equal(r.status, 200, r.text);
    s.validate('POST', '/api/v1/orders/{id}/tier', 200, r.body);
    assert.equal(r.body.tier, 'consult');
    assert.equal(r.body.tier_name, '协商处置');
    assert.equal(r.body.consultations.length, 1);
    assert.equal(r.body.consultations[0].outcome, '物业承担维修，社区监督');
    assert.equal((await sg.get(`/api/v1/orders/${id}`)).body.tier, 'consult');
    assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'order' AND action = 'tier' AND entity_id = '${id}'`), 1);
  });

  test('a department account of another organisation is not a called department', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    const id = await order();
    const k = await kinds();
    const w = await sg.post(`/api/v1/orders/${id}/whistles`, {kind: 'publicity'});
    assert.equal(w.status, 201, w.text);
    // bumen (住建局) is not among the publicity departments
    for (const c of w.body.items) assert.equal((await bumen.post(`/api/v1/whistle-calls/${c.id}/report`, {})).status, 404);
    // an account of the first publicity department reports
    const u = await makeUser(s, `mz${Date.now() % 100000}`, 'department', {org: k.publicity.departments[0].id});
    const mz = await s.login(u.username, u.password);
    const call = w.body.items.find((c) => c.org_id === k.publicity.departments[0].id);
    assert.equal((await mz.post(`/api/v1/whistle-calls/${call.id}/report`, {note: '收到'})).status, 200);
  });

  test('pages: a department reports on /whistles; a refused form says why and changes nothing', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    [sg, binhe, admin, bumen, mayingwei] = await Promise.all(['binhe_sg', 'binhe', 'admin', 'bumen', 'mayingwei'].map((u) => s.login(u)));
    const id = await order();
    const page = await s.browserLogin('binhe_sg');
    const refused = await page.postFormRaw(`/orders/${id}/whistles`, {kind: 'loud'});
    assert.equal(refused.status, 400);
    assert.match(refused.text, /吹哨类型应为/);
    assert.equal(count(`SELECT COUNT(*) FROM whistles WHERE order_id = ${id}`), 0);
    const blown = await page.postFormRaw(`/orders/${id}/whistles`, {kind: 'tackle', note: '页面吹哨'});
    assert.equal(blown.status, 303);
    assert.equal(blown.headers.location, `/orders/${id}`);
    const staff = await page.get('/whistles');
    assert.match(staff, /辖区内待报到/);
    assert.match(staff, /页面吹哨/);
    const b = await s.browserLogin('bumen');
    const html = await b.get('/whistles');
    assert.match(html, /待本部门报到/);
    const m = new RegExp(`action="/whistle-calls/(\\d+)/report"`).exec(html);
    assert.ok(m, 'a 报到 form');
    const done = await b.postForm(`/whistle-calls/${m[1]}/report`, {note: '页面报到'});
    assert.match(done, /已报到/);
    assert.equal((await b.postFormRaw(`/whistle-calls/${m[1]}/report`, {note: '再次'})).status, 409);
    // another community's secretary cannot report or blow
    const other = await s.browserLogin('mayingwei');
    assert.equal((await other.postFormRaw(`/whistle-calls/${m[1]}/report`, {})).status, 404);
    assert.equal((await other.postFormRaw(`/orders/${id}/whistles`, {kind: 'tackle'})).status, 404);
    // the tier form and the cost form
    assert.equal((await page.postFormRaw(`/orders/${id}/tier`, {tier: 'tackle'})).status, 303);
    const badCost = await page.postFormRaw(`/orders/${id}/costs`, {org_id: m[1], amount: '1.999'});
    assert.equal(badCost.status, 400);
    assert.equal(count(`SELECT COUNT(*) FROM order_costs WHERE order_id = ${id}`), 0);
  });

  test('督办 of a resolved order ends when the rating closes it', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    [sg, binhe] = await Promise.all(['binhe_sg', 'binhe'].map((u) => s.login(u)));
    const jumin = await s.login('jumin');
    const o = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: HOUSEHOLD, title: '路灯不亮', description: '坏了'});
    assert.equal(o.status, 201, o.text);
    const id = o.body.id;
    for (const body of [{event: 'accept'}, {event: 'resolve', result: '已修好', outcome: 'fixed'}])
      assert.equal((await sg.post(`/api/v1/orders/${id}/events`, body)).status, 200);
    assert.equal((await binhe.post(`/api/v1/orders/${id}/events`, {event: 'supervise', note: '回头看看'})).status, 200);
    assert.equal((await binhe.get(`/api/v1/orders/${id}/followups`)).body.supervised, true);
    const rated = await jumin.post(`/api/v1/orders/${id}/events`, {event: 'rate', rating: 'satisfied'});
    assert.equal(rated.status, 200, rated.text);
    assert.equal(rated.body.state, 'closed');
    assert.equal((await binhe.get(`/api/v1/orders/${id}/followups`)).body.supervised, false);
  });
});
