// Work orders 工单 (issue 3, first slice): intake, the state machine with its
// history and audit, the clocks by the test clock (suspended time excluded),
// the 不满意 rule, refusals that change nothing, data scope, and 抢单: twenty
// concurrent takers, exactly one winner, the others 409 already_taken. Both stores, the small demo:
// jumin is a resident of 滨河社区 (with a household), binhe_sg its dispatcher,
// dangyuan a party member and volunteer there (水电维修), binhe its secretary,
// mayingwei the secretary of 马营围社区.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {forEachStore, makeUser, startServer} from '../lib/harness.mjs';

const BINHE = '140930100010';
const chinese = /[\u4e00-\u9fa5]/;

forEachStore('work orders', (store) => {
  let s, nowFile, household, jumin, sg, dy, binhe, admin;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const submit = async (c = jumin, extra = {}) => {
    const r = await c.post('/api/v1/orders', {category_code: 'streetlight', place_code: household,
      title: '楼下路灯不亮', description: '3号楼前的路灯坏了一周', contact_phone: '13812345678', ...extra});
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  const ev = (c, id, body) => c.post(`/api/v1/orders/${id}/events`, body);
  const ok = async (c, id, body) => {
    const r = await ev(c, id, body);
    assert.equal(r.status, 200, `${body.event}: ${r.text}`);
    s.validate('POST', '/api/v1/orders/{id}/events', 200, r.body);
    return r.body;
  };
  const relogin = async () => {
    [jumin, sg, dy, binhe, admin] = await Promise.all(['jumin', 'binhe_sg', 'dangyuan', 'binhe', 'admin'].map((u) => s.login(u)));
  };

  test.before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}});
    await relogin();
    household = '140930100010001011001'; // jumin's household in the demo
  });
  test.after(async () => {
    await s.stop();
  });

  test('the whole loop: submit → accept → dispatch → take → contact → resolve → 满意 → closed', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    await relogin();
    const o = await submit();
    s.validate('POST', '/api/v1/orders', 201, o);
    assert.match(o.code, /^GD20261123-\d{6}$/);
    assert.equal(o.state, 'submitted');
    assert.equal(o.channel, 'web');
    assert.equal(o.contact_phone, '138****5678', 'the phone is masked');
    assert.equal(o.skill, '水电维修');
    assert.equal(o.clocks, null);
    const cands = await sg.get(`/api/v1/orders/${o.id}/suggestions`);
    assert.equal(cands.status, 200, cands.text);
    s.validate('GET', '/api/v1/orders/{id}/suggestions', 200, cands.body);
    assert.ok(cands.body.items.length > 0);
    assert.match(cands.body.formula, /40×技能/);
    const scores = cands.body.items.map((c) => c.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
    assert.match(cands.body.items[0].why, /得分/);
    assert.ok([403, 404].includes((await jumin.get(`/api/v1/orders/${o.id}/suggestions`)).status), 'not for residents');

    setNow('2026-11-23T09:10:00+08:00');
    let r = await ok(sg, o.id, {event: 'accept'});
    assert.equal(r.state, 'accepted');
    assert.equal(r.response_limit_s, 3600);
    assert.equal(r.resolution_limit_s, 86400);
    assert.equal(r.accepted_at, '2026-11-23T01:10:00Z');
    assert.equal(r.clocks.response_deadline, '2026-11-23T02:10:00Z');
    // dangyuan's person id: take another order from the pool and look
    const probe = await submit();
    await ok(sg, probe.id, {event: 'accept'});
    const dyPerson = (await ok(dy, probe.id, {event: 'take'})).assignee.id;
    r = await ok(sg, o.id, {event: 'dispatch', assignee_kind: 'person', assignee_id: dyPerson});
    assert.equal(r.state, 'dispatched');
    assert.equal(r.assignee.id, dyPerson);
    assert.equal(r.assignee.kind, 'person');
    r = await ok(dy, o.id, {event: 'take'});
    assert.equal(r.state, 'taken');
    assert.ok(r.actor_kinds.includes('assignee'));
    setNow('2026-11-23T09:40:00+08:00');
    r = await ok(dy, o.id, {event: 'contact', note: '已电话联系'});
    assert.equal(r.first_contact_at, '2026-11-23T01:40:00Z');
    assert.equal(r.clocks.response_counted_s, 1800);
    assert.equal(r.clocks.response_status, 'ok');
    assert.equal(r.clocks.response_stopped, true);
    setNow('2026-11-23T15:10:00+08:00');
    r = await ok(dy, o.id, {event: 'resolve', result: '更换了灯泡', outcome: 'fixed'});
    assert.equal(r.state, 'resolved');
    assert.equal(r.resolved_at, '2026-11-23T07:10:00Z');
    assert.equal(r.clocks.resolution_counted_s, 6 * 3600);
    assert.equal(r.clocks.resolution_status, 'ok');
    const points0 = (await dy.get('/api/v1/points/me')).body.balance;
    r = await ok(jumin, o.id, {event: 'rate', rating: 'satisfied', comment: '很及时'});
    assert.equal(r.state, 'closed', '满意 closes the order');
    // 服务换积分: closed fixed, the party member who did it earns the demo's finish_order 5 points
    assert.equal((await dy.get('/api/v1/points/me')).body.balance, points0 + 5);
    assert.equal(r.rating, 'satisfied');
    assert.ok(r.closed_at);

    const d = await jumin.get(`/api/v1/orders/${o.id}`);
    assert.equal(d.status, 200);
    s.validate('GET', '/api/v1/orders/{id}', 200, d.body);
    assert.deepEqual(d.body.history.map((h) => h.event),
      ['submit', 'accept', 'dispatch', 'take', 'contact', 'resolve', 'rate', 'close']);
    assert.deepEqual(d.body.history.map((h) => h.actor),
      ['jumin', 'binhe_sg', 'binhe_sg', 'dangyuan', 'dangyuan', 'dangyuan', 'jumin', '系统']);
    assert.equal(d.body.history[6].data.rating, 'satisfied');
    assert.equal(d.body.history[2].to_state, 'dispatched');
    // an audit entry for each step
    const audit = (await admin.get('/api/v1/audit?limit=200')).body.items
      .filter((e) => e.entity === 'order' && String(e.entity_id) === String(o.id));
    for (const a of ['create', 'accept', 'dispatch', 'take', 'contact', 'resolve', 'rate', 'close'])
      assert.ok(audit.some((e) => e.action === a), `audit ${a}`);
    // lists: mine, assignee=me, state filter, masked phone
    const mine = await jumin.get('/api/v1/orders?mine=1');
    assert.equal(mine.status, 200);
    s.validate('GET', '/api/v1/orders', 200, mine.body);
    assert.ok(mine.body.items.some((x) => x.id === o.id));
    assert.ok(mine.body.items.every((x) => !x.contact_phone || x.contact_phone.includes('*')));
    const assigned = await dy.get('/api/v1/orders?assignee=me&state=closed');
    assert.ok(assigned.body.items.some((x) => x.id === o.id));
    const q = await sg.get(`/api/v1/orders?place=${BINHE}&category=streetlight&channel=web&state=closed`);
    assert.ok(q.body.items.some((x) => x.id === o.id));
    assert.ok(!(await sg.get('/api/v1/orders?state=submitted')).body.items.some((x) => x.id === o.id));
  });

  test('不满意 reopens once, the second goes to the secretary', async () => {
    setNow('2026-11-23T10:00:00+08:00');
    await relogin();
    const o = await submit();
    await ok(sg, o.id, {event: 'accept'});
    await ok(dy, o.id, {event: 'take'}); // 抢单 from the pool
    await ok(dy, o.id, {event: 'resolve', result: '处理了', outcome: 'fixed'});
    let r = await ok(jumin, o.id, {event: 'rate', rating: 'unsatisfied', comment: '还是不亮'});
    assert.equal(r.state, 'taken');
    assert.equal(r.reopen_count, 1);
    assert.equal(r.assignee.kind, 'person');
    await ok(dy, o.id, {event: 'resolve', result: '再次处理', outcome: 'not_fixed'});
    r = await ok(jumin, o.id, {event: 'rate', rating: 'unsatisfied'});
    assert.equal(r.state, 'rated');
    assert.equal(r.reopen_count, 1);
    assert.equal(r.escalation_level, 1);
    assert.equal(r.history.at(-1).event, 'escalate');
    assert.equal(r.history.at(-1).actor, '系统');
    // the dispatcher may no longer reopen; the secretary may
    const no = await ev(sg, o.id, {event: 'reopen'});
    assert.equal(no.status, 403, no.text);
    r = await ok(binhe, o.id, {event: 'reopen', note: '书记督办重新办理'});
    assert.equal(r.state, 'taken');
    assert.equal(r.reopen_count, 2);
  });

  test('reject needs a reason; illegal transitions are 409 and change nothing', async () => {
    await relogin();
    const o = await submit();
    const noReason = await ev(sg, o.id, {event: 'reject'});
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.field, 'reason');
    assert.match(noReason.body.error.message, chinese);
    const before = (await sg.get(`/api/v1/orders/${o.id}`)).body;
    for (const body of [{event: 'resolve', result: 'x', outcome: 'fixed'}, {event: 'rate', rating: 'satisfied'}, {event: 'take'}, {event: 'resume'}]) {
      const r = await ev(body.event === 'rate' ? jumin : sg, o.id, body);
      assert.equal(r.status, 409, `${body.event}: ${r.text}`);
      assert.equal(r.body.error.code, 'conflict');
      assert.match(r.body.error.message, chinese);
    }
    assert.equal((await ev(sg, o.id, {event: 'nonsense'})).status, 400);
    // the requester may not accept their own order
    assert.equal((await ev(jumin, o.id, {event: 'accept'})).status, 403);
    const after = (await sg.get(`/api/v1/orders/${o.id}`)).body;
    assert.equal(after.history.length, before.history.length, 'history unchanged');
    assert.equal(after.state, 'submitted');
    assert.equal(after.updated_at, before.updated_at);
    const r = await ok(sg, o.id, {event: 'reject', reason: '不属于社区受理范围'});
    assert.equal(r.state, 'rejected');
    assert.equal(r.reason, '不属于社区受理范围');
    assert.equal(r.history.at(-1).note, '不属于社区受理范围');
    assert.equal((await ev(sg, o.id, {event: 'accept'})).status, 409);
  });

  test('suspended time does not count on the clocks', async () => {
    setNow('2026-11-24T09:00:00+08:00');
    await relogin();
    const o = await submit();
    await ok(sg, o.id, {event: 'accept'});
    await ok(dy, o.id, {event: 'take'});
    setNow('2026-11-24T09:20:00+08:00');
    assert.equal((await ev(dy, o.id, {event: 'suspend'})).body.error?.field, 'reason');
    let r = await ok(dy, o.id, {event: 'suspend', reason: '等待配件'});
    assert.equal(r.state, 'suspended');
    assert.equal(r.resume_to, 'taken');
    setNow('2026-11-24T11:20:00+08:00');
    r = (await dy.get(`/api/v1/orders/${o.id}`)).body;
    assert.equal(r.clocks.response_counted_s, 20 * 60, 'stopped while suspended');
    assert.equal(r.clocks.response_deadline, null, 'open suspension: no deadline');
    r = await ok(dy, o.id, {event: 'resume'});
    assert.equal(r.state, 'taken');
    assert.equal(r.resume_to, null);
    assert.equal(r.clocks.suspended_s, 7200);
    assert.equal(r.clocks.response_deadline, '2026-11-24T04:00:00Z', '09:00 China time (01:00Z) + 1 h + 2 h suspended');
    setNow('2026-11-24T11:50:00+08:00');
    r = (await dy.get(`/api/v1/orders/${o.id}`)).body;
    assert.equal(r.clocks.response_counted_s, 50 * 60);
    assert.equal(r.clocks.response_status, 'warning', '50 of 60 minutes ≥ 80 %');
    setNow('2026-11-24T12:01:00+08:00');
    r = await ok(dy, o.id, {event: 'contact'});
    assert.equal(r.clocks.response_counted_s, 61 * 60);
    assert.equal(r.clocks.response_status, 'breached');
    assert.equal(r.first_contact_at, '2026-11-24T04:01:00Z');
  });

  test('data scope: other communities and other residents get 404', async () => {
    setNow('2026-11-24T12:00:00+08:00');
    await relogin();
    const o = await submit();
    for (const u of ['mayingwei', 'kuaidi', 'bumen', 'dangyuan']) {
      const c = await s.login(u);
      const r = await c.get(`/api/v1/orders/${o.id}`);
      assert.equal(r.status, 404, `${u}: ${r.text}`);
      assert.equal(r.body.error.code, 'not_found');
      assert.equal((await ev(c, o.id, {event: 'accept'})).status, 404, u);
      assert.ok(!(await c.get('/api/v1/orders?limit=500')).body.items.some((x) => x.id === o.id), `${u} lists it`);
    }
    assert.equal((await jumin.get('/api/v1/orders/999999')).status, 404);
    // a resident files only for their own household, on the web channel
    const other = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: '140930100007',
      title: '路灯', description: '坏了'});
    assert.equal(other.status, 400);
    assert.equal(other.body.error.field, 'place_code');
    const hot = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: household,
      title: '路灯', description: '坏了', channel: 'hotline'});
    assert.equal(hot.status, 403);
    // staff file on any channel within people.write scope, not outside
    const h = await submit(sg, {channel: 'hotline_12345', external_ref: '12345-0001', contact_phone: ''});
    assert.equal(h.channel, 'hotline_12345');
    assert.equal(h.external_ref, '12345-0001');
    const may = await s.login('mayingwei');
    assert.equal((await may.post('/api/v1/orders', {category_code: 'streetlight', place_code: household,
      title: '路灯', description: '坏了', channel: 'visit'})).status, 400);
  });

  test('隐患上报: a new-employment partner reports hazards anywhere on their rounds, nowhere else', async () => {
    await relogin();
    const kuaidi = await s.login('kuaidi');
    const compound = household.slice(0, 15); // a compound of 滨河社区, not the courier's home
    const hazard = {category_code: 'flying_wire', place_code: compound, title: '楼道飞线充电', description: '3号楼一层有人拉线充电', channel: 'partner'};
    const r = await kuaidi.post('/api/v1/orders', hazard);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.channel, 'partner');
    assert.equal(r.body.place_code, compound);
    // the partner sees their own report and its progress
    assert.equal((await kuaidi.get(`/api/v1/orders/${r.body.id}`)).status, 200);
    // outside their grants, or on a staff channel: refused, nothing written
    const before = (await sg.get('/api/v1/orders?limit=500')).body.items.length;
    const out = await kuaidi.post('/api/v1/orders', {...hazard, place_code: '140930100007'});
    assert.equal(out.status, 400, out.text);
    assert.equal(out.body.error.field, 'place_code');
    const visit = await kuaidi.post('/api/v1/orders', {...hazard, channel: 'visit'});
    assert.equal(visit.status, 400, visit.text); // the place is not their home: a plain resident's rule
    // a resident may not use the partner channel
    assert.ok([400, 403].includes((await jumin.post('/api/v1/orders', {...hazard})).status));
    assert.equal((await sg.get('/api/v1/orders?limit=500')).body.items.length, before);
  });

  test('intake validation in Chinese, nothing written', async () => {
    await relogin();
    const before = (await sg.get('/api/v1/orders?limit=500')).body.items.length;
    const base = {category_code: 'streetlight', place_code: household, title: '路灯', description: '坏了'};
    for (const [patch, field] of [[{category_code: 'nope'}, 'category_code'], [{category_code: 'public_facility'}, 'category_code'],
      [{title: ''}, 'title'], [{title: '长'.repeat(61)}, 'title'], [{description: '  '}, 'description'],
      [{urgency: 'asap'}, 'urgency'], [{scope_size: 'planet'}, 'scope_size'], [{contact_phone: '12'}, 'contact_phone'],
      [{channel: 'fax'}, 'channel'], [{place_code: '999'}, 'place_code']]) {
      const r = await sg.post('/api/v1/orders', {...base, ...patch});
      assert.equal(r.status, 400, `${JSON.stringify(patch)}: ${r.text}`);
      assert.equal(r.body.error.field, field, JSON.stringify(patch));
      assert.match(r.body.error.message, chinese);
    }
    assert.equal((await sg.get('/api/v1/orders?limit=500')).body.items.length, before);
  });

  test('抢单: twenty concurrent takers, exactly one wins', async () => {
    await relogin();
    const o = await submit();
    await ok(sg, o.id, {event: 'accept'});
    // the pool: a volunteer of the community sees the accepted order
    assert.ok((await dy.get('/api/v1/orders?state=accepted&limit=500')).body.items.some((x) => x.id === o.id));
    // twenty volunteers of 滨河 (people of the community, each with an account)
    const people = s.sql(`SELECT id FROM people WHERE place_code >= '${BINHE}' AND place_code < '${BINHE}:' ` +
      'AND id NOT IN (SELECT person_id FROM accounts WHERE person_id IS NOT NULL) ' +
      'AND id NOT IN (SELECT person_id FROM volunteers) ORDER BY id LIMIT 20').map((r) => r[0]);
    assert.equal(people.length, 20);
    s.sql(`INSERT INTO volunteers(person_id) VALUES ${people.map((p) => `(${p})`).join(', ')}`);
    const takers = [];
    for (const [i, p] of people.entries()) {
      const u = await makeUser(s, `taker${i}`, 'volunteer', BINHE);
      s.sql(`UPDATE accounts SET person_id = ${p} WHERE id = ${u.id}`);
      takers.push(await s.login(u.username, 'pass12345'));
    }
    const rs = await Promise.all(takers.map((c) => ev(c, o.id, {event: 'take'})));
    const won = rs.filter((r) => r.status === 200);
    const lost = rs.filter((r) => r.status === 409);
    assert.equal(won.length, 1, rs.map((r) => r.status).join(','));
    assert.equal(lost.length, 19, 'a loser gets 409, also once the order has left its pool');
    for (const r of lost) {
      assert.equal(r.body.error.code, 'already_taken');
      assert.equal(r.body.error.message, '已被他人接单');
    }
    // the winner taking it again hears that it is already theirs
    const again = await ev(takers[rs.indexOf(won[0])], o.id, {event: 'take'});
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
    const d = (await sg.get(`/api/v1/orders/${o.id}`)).body;
    assert.equal(d.history.filter((h) => h.event === 'take').length, 1);
    assert.equal(d.state, 'taken');
  });
});
