// Activities 活动 (docs/activities.md) on the test clock (LINLI_NOW_FILE):
// 30 concurrent sign-ups for 10 places (exactly 10 signed, 20 waiting in
// order); a withdrawal promotes the first waiting, who is notified; weekly
// and monthly series (month ends), one occurrence changed by itself and a
// series edit that passes it and the past by; check-in codes — current,
// previous step, stale, before and after the window — where the refused
// ones change nothing; hours credited; counts by place and period checked by
// hand on a fixture; bad input; out-of-scope ids answer 404.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

import {formValues} from '../lib/forms.mjs';
import {forEachStore, startServer, DEMO} from '../lib/harness.mjs';

const BINHE = '140930100010';
const MAYINGWEI = '140930100007';
const SERVE_POINTS = 10; // the demo's serve_activity rule (src/io/demo_points.c)
const chinese = /[\u4e00-\u9fa5]/;

// The code of core/checkin_code.c, computed independently: HOTP-style
// truncation of HMAC-SHA256(secret, 30-second step), six digits.
function codeAt(secretHex, unixSeconds) {
  const step = BigInt(Math.floor(unixSeconds / 30));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(step);
  const mac = createHmac('sha256', Buffer.from(secretHex, 'hex')).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1000000).padStart(6, '0');
}
function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], {input: html, encoding: 'utf8'});
  return r.status >= 2 ? r.stderr : '';
}
const unix = (iso) => Math.floor(Date.parse(iso) / 1000);

forEachStore('activities 活动', (store) => {
  let s, admin, binhe, mayingwei, jumin, dangyuan, bumen;
  const nowFile = join(mkdtempSync(join(tmpdir(), 'linli-act-')), 'now');
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const count = (sql) => Number(s.sql(sql)[0][0]);
  // Sessions last 12 hours of the test clock: a jump logs the clients in anew.
  const again = (c) => s.login(c.username, c.username.startsWith('act_') ? 'pass12345' : DEMO.password)
    .then((n) => Object.assign(n, {id: c.id}));

  test.before(async () => {
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '0']});
    admin = await s.login('admin', DEMO.password);
    binhe = await s.login('binhe', DEMO.password);
    mayingwei = await s.login('mayingwei', DEMO.password);
    jumin = await s.login('jumin', DEMO.password);
    dangyuan = await s.login('dangyuan', DEMO.password);
    bumen = await s.login('bumen', DEMO.password);
  });
  test.after(async () => { await s.stop(); });

  const event = (over = {}) => ({
    kind: 'clinic', title: '健康义诊', description: '县妇幼保健中心：高血压、糖尿病防治',
    place_code: BINHE, capacity: 10,
    starts_at: '2026-11-23T10:00:00+08:00', ends_at: '2026-11-23T12:00:00+08:00', ...over,
  });
  async function create(client, over) {
    const r = await client.post('/api/v1/activities', event(over));
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/activities', 201, r.body);
    return r.body;
  }
  let seq = 0;
  async function residents(n) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const username = `act_${store}_${++seq}`;
      const r = await admin.post('/api/v1/accounts', {username, password: 'pass12345', role: 'resident', place_code: BINHE});
      assert.equal(r.status, 201, r.text);
      const c = await s.login(username, 'pass12345');
      c.id = r.body.id;
      out.push(c);
    }
    return out;
  }

  test('30 concurrent sign-ups for 10 places: 10 signed, 20 waiting in order', async () => {
    const a = await create(binhe, {title: '邻里节', kind: 'festival', starts_at: '2026-11-28T09:00:00+08:00', ends_at: '2026-11-28T11:00:00+08:00'});
    const people = await residents(30);
    const rs = await Promise.all(people.map((c) => c.post(`/api/v1/activities/${a.id}/signup`, {})));
    for (const r of rs) {
      assert.equal(r.status, 200, r.text);
      s.validate('POST', '/api/v1/activities/{id}/signup', 200, r.body);
    }
    const statuses = rs.map((r) => r.body.me.status);
    assert.equal(statuses.filter((x) => x === 'signed').length, 10);
    assert.equal(statuses.filter((x) => x === 'waiting').length, 20);
    const list = await binhe.get(`/api/v1/activities/${a.id}/signups`);
    assert.equal(list.status, 200);
    s.validate('GET', '/api/v1/activities/{id}/signups', 200, list.body);
    const signed = list.body.items.filter((x) => x.status === 'signed');
    const waiting = list.body.items.filter((x) => x.status === 'waiting');
    assert.equal(signed.length, 10);
    assert.deepEqual(waiting.map((x) => x.position), Array.from({length: 20}, (_, i) => i + 1));
    // order of arrival: every signed place was taken before anyone queued
    const rows = s.sql(`SELECT status, seq FROM activity_signups WHERE activity_id = ${a.id}`);
    const maxSigned = Math.max(...rows.filter((r) => r[0] === 'signed').map((r) => Number(r[1])));
    const minWaiting = Math.min(...rows.filter((r) => r[0] === 'waiting').map((r) => Number(r[1])));
    assert.ok(maxSigned < minWaiting, `${maxSigned} < ${minWaiting}`);
    const d = await binhe.get(`/api/v1/activities/${a.id}`);
    assert.equal(d.body.signed_up, 10);
    assert.equal(d.body.waiting, 20);
    // signing up twice is refused
    const again = await people[0].post(`/api/v1/activities/${a.id}/signup`, {});
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, chinese);

    // a signed participant withdraws: the first waiting moves up and is notified
    const first = people.find((c) => c.id === waiting[0].account_id);
    const second = people.find((c) => c.id === waiting[1].account_id);
    const quitter = people.find((c) => c.id === signed[3].account_id);
    const w = await quitter.del(`/api/v1/activities/${a.id}/signup`);
    assert.equal(w.status, 200, w.text);
    assert.equal(w.body.me.status, 'cancelled');
    assert.equal((await first.get(`/api/v1/activities/${a.id}`)).body.me.status, 'signed');
    const sec = (await second.get(`/api/v1/activities/${a.id}`)).body.me;
    assert.equal(sec.status, 'waiting');
    assert.equal(sec.position, 1);
    const inbox = await first.get('/api/v1/inbox?limit=5');
    const note = inbox.body.items.find((n) => n.kind === 'activity_promoted');
    assert.ok(note, JSON.stringify(inbox.body));
    assert.match(note.body, /邻里节/);
    assert.ok(!(await second.get('/api/v1/inbox?limit=5')).body.items.some((n) => n.kind === 'activity_promoted'));
    // a waiting one withdrawing moves nobody
    const w2 = await second.del(`/api/v1/activities/${a.id}/signup`);
    assert.equal(w2.status, 200);
    const after = (await binhe.get(`/api/v1/activities/${a.id}`)).body;
    assert.equal(after.signed_up, 10);
    assert.equal(after.waiting, 18);
    // withdrawing again is refused and changes nothing
    assert.equal((await second.del(`/api/v1/activities/${a.id}/signup`)).status, 409);
    // raising the capacity moves the waiting list up
    const up = await binhe.patch(`/api/v1/activities/${a.id}`, {capacity: 12});
    assert.equal(up.status, 200, up.text);
    assert.equal(up.body.signed_up, 12);
    assert.equal(up.body.waiting, 16);
    // lowering it under those signed up is refused
    const down = await binhe.patch(`/api/v1/activities/${a.id}`, {capacity: 5});
    assert.equal(down.status, 409);
    assert.equal((await binhe.get(`/api/v1/activities/${a.id}`)).body.capacity, 12);
  });

  test('weekly series: occurrences, one changed by itself, the series edit passes it and the past by', async () => {
    const r = await binhe.post('/api/v1/activity-series', {
      kind: 'after_school', title: '四点半课堂', place_code: BINHE, capacity: 20, freq: 'weekly',
      weekdays: [2, 4], from: '2026-11-23', until: '2026-12-10', start_time: '16:30', duration_minutes: 90,
    });
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/activity-series', 201, r.body);
    const occ = r.body.occurrences;
    assert.deepEqual(occ.map((o) => o.starts_at), [
      '2026-11-24T08:30:00Z', '2026-11-26T08:30:00Z', '2026-12-01T08:30:00Z',
      '2026-12-03T08:30:00Z', '2026-12-08T08:30:00Z', '2026-12-10T08:30:00Z']);
    for (const o of occ) {
      assert.equal(o.series_id, r.body.id);
      assert.equal(Date.parse(o.ends_at) - Date.parse(o.starts_at), 90 * 60 * 1000);
    }
    // each occurrence has its own sign-ups
    assert.equal((await jumin.post(`/api/v1/activities/${occ[2].id}/signup`, {})).status, 200);
    assert.equal((await binhe.get(`/api/v1/activities/${occ[3].id}`)).body.signed_up, 0);
    // one occurrence moved to 17:00 at a compound
    const compound = s.sql(`SELECT code FROM places WHERE level = 'compound' AND parent_code = '${BINHE}' ORDER BY code LIMIT 1`)[0][0];
    const one = await binhe.patch(`/api/v1/activities/${occ[2].id}`, {starts_at: '2026-12-01 17:00', ends_at: '2026-12-01 18:30', place_code: compound});
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.detached, true);
    assert.equal(one.body.starts_at, '2026-12-01T09:00:00Z');
    assert.equal(one.body.place_code, compound);
    // one cancelled by itself; its sign-ups are notified
    assert.equal((await jumin.post(`/api/v1/activities/${occ[4].id}/signup`, {})).status, 200);
    const c = await binhe.post(`/api/v1/activities/${occ[4].id}/cancel`, {});
    assert.equal(c.status, 200);
    assert.equal(c.body.status, 'cancelled');
    assert.ok((await jumin.get('/api/v1/inbox?limit=5')).body.items.some((n) => n.kind === 'activity_cancelled'));
    assert.equal((await jumin.post(`/api/v1/activities/${occ[4].id}/signup`, {})).status, 409);
    // a day later (the first occurrence is past) the series moves to 15:00
    setNow('2026-11-25T09:00:00+08:00');
    binhe = await again(binhe);
    const e = await binhe.patch(`/api/v1/activity-series/${r.body.id}`, {start_time: '15:00', title: '四点半课堂（冬令时）', capacity: 25});
    assert.equal(e.status, 200, e.text);
    s.validate('PATCH', '/api/v1/activity-series/{id}', 200, e.body);
    const by = Object.fromEntries(e.body.occurrences.map((o) => [o.id, o]));
    assert.equal(by[occ[0].id].starts_at, '2026-11-24T08:30:00Z'); // past: unchanged
    assert.equal(by[occ[0].id].title, '四点半课堂');
    assert.equal(by[occ[1].id].starts_at, '2026-11-26T07:00:00Z');
    assert.equal(by[occ[1].id].title, '四点半课堂（冬令时）');
    assert.equal(by[occ[1].id].capacity, 25);
    assert.equal(by[occ[2].id].starts_at, '2026-12-01T09:00:00Z'); // changed by itself: unchanged
    assert.equal(by[occ[2].id].title, '四点半课堂');
    assert.equal(by[occ[4].id].status, 'cancelled');
    assert.equal(by[occ[4].id].starts_at, '2026-12-08T08:30:00Z');
    assert.equal(by[occ[5].id].starts_at, '2026-12-10T07:00:00Z');
    // the rule itself is not edited in place
    const rule = await binhe.patch(`/api/v1/activity-series/${r.body.id}`, {weekdays: [1]});
    assert.equal(rule.status, 400);
    assert.match(rule.body.error.message, chinese);
    setNow('2026-11-23T09:00:00+08:00');
  });

  test('monthly on the 31st: short months get their last day (leap February too)', async () => {
    const r = await binhe.post('/api/v1/activity-series', {
      kind: 'lecture', title: '月末讲座', place_code: BINHE, capacity: 50, freq: 'monthly',
      month_day: 31, from: '2028-01-01', until: '2028-04-30', start_time: '19:00', duration_minutes: 60,
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.occurrences.map((o) => o.starts_at.slice(0, 10)), ['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']);
  });

  test('check-in codes by the test clock; refused ones change nothing', async () => {
    const a = await create(binhe, {title: '爱心义剪', kind: 'haircut'});
    assert.equal((await jumin.post(`/api/v1/activities/${a.id}/signup`, {})).status, 200);
    assert.equal((await dangyuan.post(`/api/v1/activities/${a.id}/signup`, {})).status, 200);
    const secret = s.sql(`SELECT secret FROM activities WHERE id = ${a.id}`)[0][0];
    const checked = () => count(`SELECT COUNT(*) FROM activity_signups WHERE activity_id = ${a.id} AND checked_in_at IS NOT NULL`);
    const audits = () => count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'activity_signup' AND action = 'checkin'`);
    // before the window (opens 09:30 for a 10:00 start)
    setNow('2026-11-23T09:29:59+08:00');
    const early = await binhe.get(`/api/v1/activities/${a.id}/code`);
    assert.equal(early.status, 409);
    assert.match(early.body.error.message, chinese);
    const a0 = audits();
    const pre = await jumin.post(`/api/v1/activities/${a.id}/checkin`, {code: codeAt(secret, unix('2026-11-23T09:29:59+08:00'))});
    assert.equal(pre.status, 409);
    assert.equal(checked(), 0);
    // in the window: the organiser's code is the HMAC code of this step
    setNow('2026-11-23T09:40:00+08:00');
    const code = await binhe.get(`/api/v1/activities/${a.id}/code`);
    assert.equal(code.status, 200, code.text);
    s.validate('GET', '/api/v1/activities/{id}/code', 200, code.body);
    assert.equal(code.body.code, codeAt(secret, unix('2026-11-23T09:40:00+08:00')));
    assert.equal(code.body.seconds_left, 30);
    // a participant may not read the code
    assert.equal((await jumin.get(`/api/v1/activities/${a.id}/code`)).status, 404);
    // a wrong code
    const wrong = code.body.code === '000000' ? '000001' : '000000';
    const bad = await jumin.post(`/api/v1/activities/${a.id}/checkin`, {code: wrong});
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'code');
    assert.equal(checked(), 0);
    // the previous step's code is still good
    setNow('2026-11-23T09:40:30+08:00');
    const ok = await jumin.post(`/api/v1/activities/${a.id}/checkin`, {code: code.body.code});
    assert.equal(ok.status, 200, ok.text);
    assert.ok(ok.body.me.checked_in_at);
    assert.equal(checked(), 1);
    assert.equal(audits(), a0 + 1);
    // checking in twice is refused
    assert.equal((await jumin.post(`/api/v1/activities/${a.id}/checkin`, {code: code.body.code})).status, 409);
    // two steps later the same code is stale
    setNow('2026-11-23T09:41:00+08:00');
    const stale = await dangyuan.post(`/api/v1/activities/${a.id}/checkin`, {code: code.body.code});
    assert.equal(stale.status, 400);
    assert.equal(checked(), 1);
    // after the end, even the code of that very moment is refused
    setNow('2026-11-23T12:00:01+08:00');
    assert.equal((await binhe.get(`/api/v1/activities/${a.id}/code`)).status, 409);
    const late = await dangyuan.post(`/api/v1/activities/${a.id}/checkin`, {code: codeAt(secret, unix('2026-11-23T12:00:01+08:00'))});
    assert.equal(late.status, 409);
    assert.equal(checked(), 1);
    assert.equal(audits(), a0 + 1);

    // hours: checked-in jumin served; default is the event's duration (2 h)
    const list = (await binhe.get(`/api/v1/activities/${a.id}/signups`)).body.items;
    const ju = list.find((x) => x.username === 'jumin'), dy = list.find((x) => x.username === 'dangyuan');
    const points0 = (await jumin.get('/api/v1/points/me')).body.balance;
    const h = await binhe.post(`/api/v1/activities/${a.id}/service`, {signup_id: ju.id});
    assert.equal(h.status, 200, h.text);
    // 服务换积分: the community's serve_activity rule pays once per participation
    assert.equal((await jumin.get('/api/v1/points/me')).body.balance, points0 + SERVE_POINTS);
    let row = (await binhe.get(`/api/v1/activities/${a.id}/signups`)).body.items.find((x) => x.id === ju.id);
    assert.equal(row.served, true);
    assert.equal(row.hours, 2);
    // corrected to 1.5 h
    assert.equal((await binhe.post(`/api/v1/activities/${a.id}/service`, {signup_id: ju.id, hours: 1.5})).status, 200);
    row = (await jumin.get(`/api/v1/activities/${a.id}`)).body.me;
    assert.equal(row.hours, 1.5);
    // not checked in, bad hours, not the organiser: refused, nothing changed
    assert.equal((await binhe.post(`/api/v1/activities/${a.id}/service`, {signup_id: dy.id})).status, 409);
    for (const hours of [0.3, 0, 25, 'x']) {
      const b = await binhe.post(`/api/v1/activities/${a.id}/service`, {signup_id: ju.id, hours});
      assert.equal(b.status, 400, `${hours}: ${b.text}`);
    }
    assert.equal((await jumin.post(`/api/v1/activities/${a.id}/service`, {signup_id: ju.id, hours: 5})).status, 404);
    assert.equal(count(`SELECT service_minutes FROM activity_signups WHERE id = ${ju.id}`), 90);
    assert.equal((await jumin.get('/api/v1/points/me')).body.balance, points0 + SERVE_POINTS, 'a correction pays nothing more');
    assert.equal((await s.cli(['check', 'ledger'])).code, 0);
    setNow('2026-11-23T09:00:00+08:00');
  });

  test('counts by place and period, by hand on a fixture', async () => {
    const compounds = s.sql(`SELECT code FROM places WHERE level = 'compound' AND parent_code = '${BINHE}' ORDER BY code LIMIT 2`).map((r) => r[0]);
    const day = (d, h) => `2029-06-${d}T${h}:00:00+08:00`;
    // 滨河: one at the community (3 signed, 2 checked in, 1 served 2 h), one at a compound (1 signed),
    // one cancelled; 马营围: one event (not 滨河's business)
    const a1 = await create(binhe, {title: 'A', starts_at: day('10', '09'), ends_at: day('10', '11')});
    const a2 = await create(binhe, {title: 'B', place_code: compounds[0], starts_at: day('12', '09'), ends_at: day('12', '10')});
    const a3 = await create(binhe, {title: 'C', starts_at: day('13', '09'), ends_at: day('13', '10')});
    await create(mayingwei, {title: 'D', place_code: MAYINGWEI, starts_at: day('14', '09'), ends_at: day('14', '10')});
    const ppl = await residents(3);
    for (const c of ppl) assert.equal((await c.post(`/api/v1/activities/${a1.id}/signup`, {})).status, 200);
    assert.equal((await ppl[0].post(`/api/v1/activities/${a2.id}/signup`, {})).status, 200);
    assert.equal((await ppl[1].post(`/api/v1/activities/${a3.id}/signup`, {})).status, 200);
    assert.equal((await binhe.post(`/api/v1/activities/${a3.id}/cancel`, {})).status, 200);
    setNow(day('10', '09'));
    binhe = await again(binhe);
    for (let i = 0; i < 2; i++) ppl[i] = await again(ppl[i]);
    const code = (await binhe.get(`/api/v1/activities/${a1.id}/code`)).body.code;
    for (const c of ppl.slice(0, 2)) assert.equal((await c.post(`/api/v1/activities/${a1.id}/checkin`, {code})).status, 200);
    const su = (await binhe.get(`/api/v1/activities/${a1.id}/signups`)).body.items.find((x) => x.account_id === ppl[0].id);
    assert.equal((await binhe.post(`/api/v1/activities/${a1.id}/service`, {signup_id: su.id})).status, 200);
    setNow('2026-11-23T09:00:00+08:00');

    const r = await binhe.get(`/api/v1/stats/activities?place=${BINHE}&from=2029-06-01&to=2029-06-30`);
    assert.equal(r.status, 200, r.text);
    s.validate('GET', '/api/v1/stats/activities', 200, r.body);
    const want = {events: 2, cancelled: 1, signups: 4, checked_in: 2, volunteers_served: 1, service_minutes: 120, hours: 2};
    for (const [k, v] of Object.entries(want)) assert.equal(r.body[k], v, k);
    const kid = r.body.children.find((c) => c.place_code === compounds[0]);
    assert.equal(kid.events, 1);
    assert.equal(kid.signups, 1);
    assert.equal(r.body.children.find((c) => c.place_code === compounds[1]).events, 0);
    // rolled up: the street and the county see both communities
    const xian = await s.login('xian', DEMO.password);
    const street = await xian.get('/api/v1/stats/activities?place=140930100&from=2029-06-01&to=2029-06-30');
    assert.equal(street.status, 200);
    assert.equal(street.body.events, 3);
    assert.equal(street.body.children.find((c) => c.place_code === BINHE).events, 2);
    assert.equal(street.body.children.find((c) => c.place_code === MAYINGWEI).events, 1);
    // the period bounds: the 10th alone, and a month without events
    assert.equal((await binhe.get(`/api/v1/stats/activities?place=${BINHE}&from=2029-06-10&to=2029-06-10`)).body.events, 1);
    assert.equal((await binhe.get(`/api/v1/stats/activities?place=${BINHE}&from=2029-07-01&to=2029-07-31`)).body.events, 0);
    // out of scope and bad dates
    assert.equal((await binhe.get(`/api/v1/stats/activities?place=${MAYINGWEI}`)).status, 404);
    assert.equal((await binhe.get(`/api/v1/stats/activities?place=${BINHE}&from=2029-13-01`)).status, 400);
    assert.ok([403, 404].includes((await jumin.get('/api/v1/stats/activities')).status));
  });

  test('bad input is refused in Chinese and creates nothing', async () => {
    const before = count('SELECT COUNT(*) FROM activities') + count('SELECT COUNT(*) FROM activity_series');
    const cases = [
      [{title: ''}, 'title'],
      [{kind: 'party'}, 'kind'],
      [{capacity: 0}, 'capacity'],
      [{capacity: 'many'}, 'capacity'],
      [{ends_at: '2026-11-23T09:00:00+08:00'}, 'ends_at'],
      [{starts_at: '明天上午'}, 'starts_at'],
      [{ends_at: '2026-11-25T12:00:00+08:00'}, 'ends_at'],
      [{place_code: '999999999999'}, 'place_code'],
    ];
    for (const [over, field] of cases) {
      const r = await binhe.post('/api/v1/activities', event(over));
      assert.ok([400, 404].includes(r.status), `${JSON.stringify(over)}: ${r.status}`);
      assert.equal(r.body.error.field, field, JSON.stringify(over));
      assert.match(r.body.error.message, chinese);
    }
    const series = {kind: 'lecture', title: '讲座', place_code: BINHE, capacity: 5, freq: 'weekly', weekdays: [1], from: '2026-12-01', until: '2026-12-31', start_time: '09:00', duration_minutes: 60};
    for (const [over, field] of [[{weekdays: []}, 'weekdays'], [{weekdays: [8]}, 'weekdays'], [{freq: 'daily'}, 'freq'],
      [{until: '2026-11-01'}, 'until'], [{until: '2028-12-31'}, 'until'], [{start_time: '25:00'}, 'start_time'],
      [{duration_minutes: 0}, 'duration_minutes'], [{freq: 'monthly', month_day: 32}, 'month_day'], [{from: '2026-02-30'}, 'from']]) {
      const r = await binhe.post('/api/v1/activity-series', {...series, ...over});
      assert.equal(r.status, 400, `${JSON.stringify(over)}: ${r.text}`);
      assert.equal(r.body.error.field, field, JSON.stringify(over));
    }
    // a resident may not create
    assert.ok([403, 404].includes((await jumin.post('/api/v1/activities', event())).status));
    assert.equal(count('SELECT COUNT(*) FROM activities') + count('SELECT COUNT(*) FROM activity_series'), before);
    // sign-up after the start is refused
    const a = await create(binhe, {title: '已开始'});
    setNow('2026-11-23T10:00:00+08:00');
    assert.equal((await jumin.post(`/api/v1/activities/${a.id}/signup`, {})).status, 409);
    setNow('2026-11-23T09:00:00+08:00');
    assert.equal(count(`SELECT COUNT(*) FROM activity_signups WHERE activity_id = ${a.id}`), 0);
  });

  test('scope: near me, other communities\' activities answer 404', async () => {
    const a = await create(binhe, {title: '滨河百家宴', kind: 'banquet', starts_at: '2026-11-29T11:00:00+08:00', ends_at: '2026-11-29T13:00:00+08:00'});
    const m = await create(mayingwei, {title: '马营围讲座', kind: 'lecture', place_code: MAYINGWEI});
    // the resident of 滨河 sees 滨河's, not 马营围's
    const near = await jumin.get('/api/v1/activities?limit=500');
    assert.equal(near.status, 200);
    s.validate('GET', '/api/v1/activities', 200, near.body);
    assert.ok(near.body.items.some((x) => x.id === a.id));
    for (const x of near.body.items) assert.ok(x.place_code.startsWith(BINHE) || BINHE.startsWith(x.place_code), x.place_code);
    for (const c of [jumin, binhe, bumen]) {
      assert.equal((await c.get(`/api/v1/activities/${m.id}`)).status, 404);
      assert.equal((await c.post(`/api/v1/activities/${m.id}/signup`, {})).status, 404);
      assert.equal((await c.patch(`/api/v1/activities/${m.id}`, {title: '越权'})).status, 404);
    }
    assert.equal((await mayingwei.get(`/api/v1/activities/${a.id}`)).status, 404);
    assert.equal((await mayingwei.post(`/api/v1/activities/${a.id}/cancel`, {})).status, 404);
    // binhe may not place an event in 马营围
    const r = await binhe.post('/api/v1/activities', event({place_code: MAYINGWEI}));
    assert.equal(r.status, 404);
    // my activities
    assert.equal((await jumin.post(`/api/v1/activities/${a.id}/signup`, {})).status, 200);
    const mine = await jumin.get('/api/v1/activities?mine=1&limit=500');
    assert.ok(mine.body.items.some((x) => x.id === a.id));
    assert.ok(mine.body.items.every((x) => x.me && x.me.status !== 'cancelled'));
    const p = await jumin.get(`/api/v1/activities?limit=2`);
    assert.equal(p.body.items.length, 2);
    assert.ok(p.body.next_cursor);
  });

  test('pages: saving an activity\'s form unchanged changes nothing (the organisation the page does not show is kept)', async () => {
    const org = count(`SELECT id FROM organisations WHERE place_code = '${BINHE}' ORDER BY id LIMIT 1`);
    assert.ok(org > 0, 'an organisation in 滨河社区');
    const a = await create(binhe, {title: '原样保存 <b>&"', org_id: org, starts_at: '2026-11-28T10:00:00+08:00', ends_at: '2026-11-28T12:00:00+08:00'});
    const row = () => s.sql(`SELECT kind, title, description, place_code, station_id, org_id, organiser_id, capacity, starts_at, ends_at, status, detached FROM activities WHERE id = ${a.id}`)[0];
    const before = row();
    assert.equal(before[5], String(org));
    const staff = await s.browserLogin('binhe', DEMO.password);
    const fields = formValues(await staff.get(`/activities/${a.id}`), `/activities/${a.id}`);
    assert.equal(fields.title, '原样保存 <b>&"');
    let r = await staff.postFormRaw(`/activities/${a.id}`, fields);
    assert.equal(r.status, 303, r.text);
    assert.deepEqual(row(), before);
    // a series likewise, and its occurrences
    r = await binhe.post('/api/v1/activity-series', {kind: 'lecture', title: '原样保存的讲座', place_code: BINHE, org_id: org,
      capacity: 8, freq: 'weekly', weekdays: [3], from: '2026-12-01', until: '2026-12-20', start_time: '19:00', duration_minutes: 45});
    assert.equal(r.status, 201, r.text);
    const sid = r.body.id;
    const series = () => s.sql(`SELECT kind, title, description, place_code, station_id, org_id, organiser_id, capacity, freq, weekdays, month_day, from_date, until_date, start_minute, duration_min FROM activity_series WHERE id = ${sid}`)[0];
    const occurrences = () => s.sql(`SELECT id, kind, title, org_id, capacity, starts_at, ends_at, detached FROM activities WHERE series_id = ${sid} ORDER BY id`);
    const [s0, o0] = [series(), occurrences()];
    r = await staff.postFormRaw(`/activity-series/${sid}`, formValues(await staff.get(`/activity-series/${sid}`), `/activity-series/${sid}`));
    assert.equal(r.status, 303, r.text);
    assert.deepEqual(series(), s0);
    assert.deepEqual(occurrences(), o0);
  });

  test('pages: publish, sign up, check in on the phone, the organiser\'s code and the counts', async () => {
    const staff = await s.browserLogin('binhe', DEMO.password);
    const phone = await s.browserLogin('jumin', DEMO.password);
    const pg = async (c, p) => { const text = await c.get(p); return {status: c.last.status, text}; };
    const tidy = (html, what) => assert.equal(tidyErrors(html), '', what);
    let r = await pg(staff, '/activities/new');
    assert.equal(r.status, 200);
    tidy(r.text, '/activities/new');
    // refused: shown again in Chinese, nothing created
    const n0 = count('SELECT COUNT(*) FROM activities');
    r = await staff.postFormRaw('/activities', {kind: 'clinic', title: '', place_code: BINHE, capacity: '5', starts_at: '2026-11-23T10:00', ends_at: '2026-11-23T12:00'});
    assert.equal(r.status, 400);
    assert.match(r.text, /请填写活动名称/);
    assert.equal(count('SELECT COUNT(*) FROM activities'), n0);
    r = await staff.postFormRaw('/activities', {kind: 'clinic', title: '页面义诊', place_code: BINHE, capacity: '5', starts_at: '2026-11-23T10:00', ends_at: '2026-11-23T12:00'});
    assert.equal(r.status, 303, r.text);
    const id = Number(r.headers.location.match(/\/activities\/(\d+)/)[1]);
    assert.equal(s.sql(`SELECT starts_at FROM activities WHERE id = ${id}`)[0][0], String(unix('2026-11-23T10:00:00+08:00')));
    // the resident sees it near them, signs up and sees it among theirs
    r = await pg(phone, '/activities');
    assert.match(r.text, /页面义诊/);
    tidy(r.text, '/activities');
    r = await phone.postFormRaw(`/activities/${id}/signup`, {});
    assert.equal(r.status, 303);
    r = await pg(phone, `/activities/${id}`);
    assert.match(r.text, /已报名/);
    tidy(r.text, 'detail (resident)');
    r = await pg(phone, '/activities/mine');
    assert.match(r.text, /页面义诊/);
    tidy(r.text, '/activities/mine');
    // the organiser's code page: before the window it says so; the script is served
    r = await pg(staff, `/activities/${id}/code`);
    assert.equal(r.status, 200);
    assert.match(r.text, /不在签到时段/);
    assert.match(r.text, /\/static\/checkin\.js/);
    tidy(r.text, 'code page');
    const js = await fetch(`${s.url}/static/checkin.js`);
    assert.equal(js.status, 200);
    assert.equal((await pg(phone, `/activities/${id}/code`)).status, 404);
    // in the window: the code on the page checks the resident in; a wrong one is refused
    setNow('2026-11-23T09:45:00+08:00');
    r = await pg(staff, `/activities/${id}/code`);
    const shown = r.text.match(/data-code>(\d{6})</)[1];
    r = await phone.postFormRaw(`/activities/${id}/checkin`, {code: shown === '123456' ? '654321' : '123456'});
    assert.equal(r.status, 400);
    assert.match(r.text, /签到码错误或已过期/);
    r = await phone.postFormRaw(`/activities/${id}/checkin`, {code: shown});
    assert.equal(r.status, 303);
    // the organiser's page lists her, checked in, with the hours form; the counts page
    setNow('2026-11-23T10:30:00+08:00');
    r = await pg(staff, `/activities/${id}`);
    assert.match(r.text, /登记服务/);
    tidy(r.text, 'detail (organiser)');
    const su = r.text.match(/name="signup_id" value="(\d+)"/)[1];
    r = await staff.postFormRaw(`/activities/${id}/service`, {signup_id: su, hours: '1.5'});
    assert.equal(r.status, 303);
    assert.equal(count(`SELECT service_minutes FROM activity_signups WHERE id = ${su}`), 90);
    r = await pg(phone, '/activities/mine');
    const mins = count(`SELECT SUM(su.service_minutes) FROM activity_signups su JOIN accounts a ON a.id = su.account_id WHERE a.username = 'jumin' AND su.served = 1`);
    assert.ok(mins >= 90);
    assert.ok(r.text.includes(`<strong>${Math.floor(mins / 60)}.${Math.floor((mins % 60) * 10 / 60)}</strong> 小时`), 'hours served on 我的活动');
    r = await pg(staff, '/activities/stats?from=2026-11-01&to=2026-11-30');
    assert.equal(r.status, 200);
    tidy(r.text, '/activities/stats');
    assert.match(r.text, /合计/);
    setNow('2026-11-23T09:00:00+08:00');
  });
});
