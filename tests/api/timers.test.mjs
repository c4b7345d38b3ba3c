// The timers of the demand loop (docs/timers-and-notifications.md), moved by
// the test clock (LINLI_NOW_FILE): the warning at 80 % of the response limit
// reaches the assignee's and the dispatchers' inboxes once; a breach is
// recorded once and escalates the order once (社区 → 街道), however many
// `linli tick` runs or server processes tick at the same time; a resolved
// order nobody rated is closed by the system after 7 days. Both stores.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {forEachStore, sleep, startServer} from '../lib/harness.mjs';

forEachStore('timers', (store) => {
  let s, nowFile, jumin, sg, dy, binhe, xikou, dyPerson;
  const household = '140930100010001011001'; // jumin's household in the demo
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const ok = async (c, id, body) => {
    const r = await c.post(`/api/v1/orders/${id}/events`, body);
    assert.equal(r.status, 200, `${body.event}: ${r.text}`);
    return r.body;
  };
  const submit = async (title = '楼道灯不亮') => {
    const r = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: household, title, description: '晚上楼道一片漆黑'});
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  const tick = async () => {
    const r = await s.cli(['tick']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const inbox = async (c) => {
    const r = await c.get('/api/v1/inbox?limit=500');
    assert.equal(r.status, 200, r.text);
    s.validate('GET', '/api/v1/inbox', 200, r.body);
    return r.body;
  };
  const about = (box, id, kind) => box.items.filter((n) => n.order_id === id && n.kind === kind);
  // sessions last 12 hours by the test clock: log in again after moving it
  const relogin = async () => {
    [jumin, sg, dy, binhe, xikou] = await Promise.all(['jumin', 'binhe_sg', 'dangyuan', 'binhe', 'xikou'].map((u) => s.login(u)));
  };
  const history = async (id) => (await sg.get(`/api/v1/orders/${id}`)).body.history;

  test.before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T09:00:00+08:00');
    // --tick 0: only `linli tick` moves the timers here, so each step is exact
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '0']});
    await relogin();
    const probe = await submit('探针工单');
    await ok(sg, probe.id, {event: 'accept'});
    dyPerson = (await ok(dy, probe.id, {event: 'take'})).assignee.id;
    await ok(dy, probe.id, {event: 'contact'});
    await ok(dy, probe.id, {event: 'resolve', result: '已处理', outcome: 'fixed'});
    await ok(jumin, probe.id, {event: 'rate', rating: 'satisfied'});
  });
  test.after(async () => {
    await s.stop();
  });

  test('at 80 % of the response limit the assignee and the dispatchers are warned, once', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    const o = await submit();
    await ok(sg, o.id, {event: 'accept'});
    await ok(sg, o.id, {event: 'dispatch', assignee_kind: 'person', assignee_id: dyPerson});
    assert.equal(about(await inbox(dy), o.id, 'dispatched').length, 1, 'the assignee hears of the dispatch');

    setNow('2026-11-23T09:47:59+08:00'); // 47:59 of 60 minutes: below 80 %
    assert.doesNotMatch(await tick(), new RegExp(`warning ${o.code}`));
    assert.equal(about(await inbox(dy), o.id, 'warning').length, 0);

    setNow('2026-11-23T09:48:00+08:00'); // 48 minutes = 80 %
    assert.match(await tick(), new RegExp(`warning ${o.code} response`));
    for (const [who, c] of [['dangyuan', dy], ['binhe_sg', sg], ['binhe', binhe]]) {
      const w = about(await inbox(c), o.id, 'warning');
      assert.equal(w.length, 1, `${who} is warned once`);
      assert.match(w[0].title, /即将超时/);
      assert.match(w[0].body, /响应时限/);
      assert.equal(w[0].read, false);
    }
    assert.doesNotMatch(await tick(), new RegExp(`warning ${o.code}`), 'a second tick warns no more');
    assert.equal(about(await inbox(dy), o.id, 'warning').length, 1);
    assert.equal(about(await inbox(jumin), o.id, 'warning').length, 0, 'the resident is not warned');

    // the breach: recorded once, escalated once, however often tick runs
    setNow('2026-11-23T10:00:00+08:00'); // exactly at the limit: on time
    assert.doesNotMatch(await tick(), new RegExp(`breach ${o.code}`));
    setNow('2026-11-23T10:00:01+08:00');
    assert.match(await tick(), new RegExp(`breach ${o.code} response`));
    assert.doesNotMatch(await tick(), new RegExp(`breach ${o.code}`));
    const r = await sg.get(`/api/v1/orders/${o.id}`);
    assert.equal(r.body.escalation_level, 1, '社区 → 街道');
    assert.equal(r.body.state, 'dispatched', 'escalation changes no state');
    const esc = r.body.history.filter((e) => e.event === 'escalate');
    assert.equal(esc.length, 1);
    assert.equal(esc[0].actor, '系统');
    assert.match(esc[0].note, /响应超时/);
    assert.equal(s.sql(`SELECT COUNT(*) FROM order_alerts WHERE order_id = ${o.id} AND kind = 'response_breach'`)[0][0], '1');
    const b = about(await inbox(xikou), o.id, 'breach');
    assert.equal(b.length, 1, 'the street is told of the escalation');
    const audit = await (await s.login('admin')).get(`/api/v1/audit?entity=order&action=escalate&limit=50`);
    assert.ok(audit.body.items.some((e) => e.entity_id === String(o.id) && e.actor === '系统'), 'the escalation is audited');
  });

  test('the warning share is configurable; a return tells the dispatchers', async () => {
    setNow('2026-11-23T14:00:00+08:00');
    await relogin();
    const o = await submit('半程预警');
    await ok(sg, o.id, {event: 'accept'});
    await ok(sg, o.id, {event: 'dispatch', assignee_kind: 'person', assignee_id: dyPerson});
    setNow('2026-11-23T14:30:00+08:00'); // 50 % of the hour
    assert.doesNotMatch(await tick(), new RegExp(`warning ${o.code}`));
    const r = await s.cli(['tick', '--warn-percent', '50']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`warning ${o.code} response`));
    assert.equal((await s.cli(['tick', '--warn-percent', '0'])).code, 2, 'an invalid share is refused');
    await ok(dy, o.id, {event: 'return', reason: '不在我的片区'});
    for (const c of [sg, binhe]) {
      const back = about(await inbox(c), o.id, 'returned');
      assert.equal(back.length, 1);
      assert.match(back[0].body, /不在我的片区/);
    }
    assert.equal(about(await inbox(dy), o.id, 'returned').length, 0);
  });

  test('concurrent ticks, and two server processes ticking, record a breach and escalate once', async () => {
    setNow('2026-11-24T09:00:00+08:00');
    await relogin();
    const a1 = await submit('并发一');
    const a2 = await submit('并发二');
    for (const o of [a1, a2]) await ok(sg, o.id, {event: 'accept'});
    setNow('2026-11-24T10:30:00+08:00');
    const outs = await Promise.all(Array.from({length: 4}, () => s.cli(['tick'])));
    for (const r of outs) assert.equal(r.code, 0, r.stderr);
    const lines = outs.map((r) => r.stdout).join('').split('\n').filter((l) => l.startsWith(`breach ${a1.code}`));
    assert.equal(lines.length, 1, `one of four concurrent ticks acts: ${lines}`);
    assert.equal((await sg.get(`/api/v1/orders/${a1.id}`)).body.escalation_level, 1);

    // two more server processes on the same database, ticking every second
    const p = await startServer({store, dbUrl: s.dbUrl, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '1']});
    const q = await startServer({store, dbUrl: s.dbUrl, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '1']});
    try {
      setNow('2026-11-24T11:00:00+08:00');
      const a3 = await submit('并发三');
      await ok(sg, a3.id, {event: 'accept'});
      setNow('2026-11-24T12:00:01+08:00');
      let level = 0;
      for (let i = 0; i < 60 && level === 0; i++) {
        await sleep(250);
        level = (await sg.get(`/api/v1/orders/${a3.id}`)).body.escalation_level;
      }
      assert.equal(level, 1, 'a server ticked');
      await sleep(3000); // several more ticks of both processes
      const o = (await sg.get(`/api/v1/orders/${a3.id}`)).body;
      assert.equal(o.escalation_level, 1, 'escalated once');
      assert.equal(o.history.filter((e) => e.event === 'escalate').length, 1);
      // the clock jumped past the limit: the breach alone is recorded, no late warning
      assert.deepEqual(s.sql(`SELECT kind FROM order_alerts WHERE order_id = ${a3.id}`), [['response_breach']]);
      assert.equal(about(await inbox(sg), a3.id, 'warning').length, 0);
    } finally {
      await q.stop();
      await p.stop();
    }
  });

  test('a resolved order nobody rates is closed by the system after 7 days; the requester heard of take and resolve', async () => {
    setNow('2026-11-25T09:00:00+08:00');
    await relogin();
    const o = await submit('七日未评');
    await ok(sg, o.id, {event: 'accept'});
    await ok(sg, o.id, {event: 'dispatch', assignee_kind: 'person', assignee_id: dyPerson});
    await ok(dy, o.id, {event: 'take'});
    await ok(dy, o.id, {event: 'contact'});
    setNow('2026-11-25T10:00:00+08:00');
    await ok(dy, o.id, {event: 'resolve', result: '已修好', outcome: 'fixed'});
    const box = await inbox(jumin);
    assert.equal(about(box, o.id, 'taken').length, 1);
    assert.equal(about(box, o.id, 'resolved').length, 1);
    assert.ok(box.unread >= 2);

    setNow('2026-12-02T09:59:59+08:00');
    assert.doesNotMatch(await tick(), new RegExp(`close ${o.code}`));
    await relogin();
    assert.equal((await sg.get(`/api/v1/orders/${o.id}`)).body.state, 'resolved');
    setNow('2026-12-02T10:00:00+08:00');
    assert.match(await tick(), new RegExp(`close ${o.code} unrated`));
    const after = (await sg.get(`/api/v1/orders/${o.id}`)).body;
    assert.equal(after.state, 'closed');
    assert.equal(after.rating, null);
    const last = after.history[after.history.length - 1];
    assert.equal(last.event, 'close');
    assert.equal(last.actor, '系统');
    assert.match(last.note, /7日内未评价/);
    assert.doesNotMatch(await tick(), new RegExp(`close ${o.code}`));
    assert.equal((await history(o.id)).filter((e) => e.event === 'close').length, 1);
  });
});
