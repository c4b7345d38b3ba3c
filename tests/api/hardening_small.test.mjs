// Issue 10, on both stores (the small demo, the test clock):
//  - check-in codes: 5 wrong codes per participant and activity, counted in
//    the database (shared by two server processes on one database, and by 20
//    concurrent guesses), then 429 with a Chinese message whatever the code,
//    the last try audited; other participants unaffected; no login, no try;
//    the organiser checks a locked-out participant in by hand (API and page);
//  - 抢单: a taker who lost gets 409 already_taken (已被他人接单) — after the
//    winner committed, in a race of 20, and on the page — while an order that
//    does not exist, never was in the caller's pool, or lies in another
//    community stays 404;
//  - 居民心愿: posted only for a community the poster lives in (household, a
//    resident grant) or registered at by 双报到; a self-registered 爱心人士,
//    a department and a volunteer elsewhere are refused and nothing is made.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {forEachStore, startServer, makeUser, DEMO} from '../lib/harness.mjs';
import {tidyErrors} from '../lib/tidy.mjs';
import {phone} from './recipes/wishes.mjs';

const BINHE = '140930100010';
const MAYINGWEI = '140930100007';
const HOUSEHOLD = '140930100010001011001'; // jumin's household in the demo
const chinese = /[\u4e00-\u9fa5]/;

// The code of core/checkin_code.c, computed independently (as in activities.test.mjs).
function codeAt(secretHex, unixSeconds) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha256', Buffer.from(secretHex, 'hex')).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1000000).padStart(6, '0');
}
const unix = (iso) => Math.floor(Date.parse(iso) / 1000);

forEachStore('hardening: check-in tries, 抢单 losers, where a wish may be posted', (store) => {
  let s, admin, binhe, sg, jumin, dangyuan, kuaidi, bumen;
  const nowFile = join(mkdtempSync(join(tmpdir(), 'linli-small-')), 'now');
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const count = (sql) => Number(s.sql(sql)[0][0]);
  let seq = 0;

  test.before(async () => {
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '0']});
    [admin, binhe, sg, jumin, dangyuan, kuaidi, bumen] = await Promise.all(
      ['admin', 'binhe', 'binhe_sg', 'jumin', 'dangyuan', 'kuaidi', 'bumen'].map((u) => s.login(u, DEMO.password)));
  });
  test.after(async () => { await s.stop(); });

  // People of a place with no account yet, each linked to a new account.
  function freePeople(place, n) {
    return s.sql(`SELECT id FROM people WHERE place_code >= '${place}' AND place_code < '${place}:' ` +
      'AND id NOT IN (SELECT person_id FROM accounts WHERE person_id IS NOT NULL) ' +
      'AND id NOT IN (SELECT person_id FROM party_members) AND id NOT IN (SELECT person_id FROM volunteers) ' +
      `ORDER BY id LIMIT ${n}`).map((r) => Number(r[0]));
  }
  async function linkedAccount(role, grantPlace, personId) {
    const u = await makeUser(s, `hs_${store}_${++seq}`, role, grantPlace);
    s.sql(`UPDATE accounts SET person_id = ${personId} WHERE id = ${u.id}`);
    const c = await s.login(u.username, 'pass12345');
    return Object.assign(c, {username: u.username, person: personId, account: u.id});
  }
  // n volunteers living in place (the 抢单 pool: a volunteer whose grant covers it).
  async function poolTakers(n, place = BINHE) {
    const people = freePeople(place, n);
    assert.equal(people.length, n, `the demo has ${n} free people in ${place}`);
    s.sql(`INSERT INTO volunteers(person_id, skills) VALUES ${people.map((p) => `(${p}, '水电维修')`).join(', ')}`);
    const out = [];
    for (const p of people) out.push(await linkedAccount('volunteer', place, p));
    return out;
  }

  test('check-in: 5 wrong codes per participant and activity, then 429 whatever the code; the organiser checks in by hand', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    const a = await binhe.post('/api/v1/activities', {kind: 'clinic', title: '加固签到的义诊', place_code: BINHE, capacity: 10,
      starts_at: '2026-11-23T10:00:00+08:00', ends_at: '2026-11-23T12:00:00+08:00'});
    assert.equal(a.status, 201, a.text);
    const id = a.body.id;
    const [other] = await poolTakers(1); // a fourth participant, for the second process
    for (const c of [jumin, dangyuan, kuaidi, other])
      assert.equal((await c.post(`/api/v1/activities/${id}/signup`, {})).status, 200);
    const secret = s.sql(`SELECT secret FROM activities WHERE id = ${id}`)[0][0];
    const now = '2026-11-23T09:40:00+08:00';
    setNow(now);
    const good = codeAt(secret, unix(now));
    const prev = codeAt(secret, unix(now) - 30);
    const wrong = ['000000', '000001', '000002'].find((c) => c !== good && c !== prev);
    const signup = (username) => (s.sql(`SELECT su.id, su.checkin_failures, su.checked_in_at FROM activity_signups su ` +
      `JOIN accounts ac ON ac.id = su.account_id WHERE su.activity_id = ${id} AND ac.username = '${username}'`)[0]);
    const locks = () => count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'activity_signup' AND action = 'checkin_locked'`);
    const locks0 = locks();

    // no login: 401, nothing counted (the count is per logged-in participant)
    assert.equal((await s.client().post(`/api/v1/activities/${id}/checkin`, {code: wrong})).status, 401);
    assert.equal(Number(signup('jumin')[1]), 0);

    // jumin: four wrong codes are 400 and say how many are left; the fifth is 429
    for (let i = 1; i <= 4; i++) {
      const r = await jumin.post(`/api/v1/activities/${id}/checkin`, {code: wrong});
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.field, 'code');
      assert.ok(r.body.error.message.includes(`还可输入${5 - i}次`), r.body.error.message);
    }
    const fifth = await jumin.post(`/api/v1/activities/${id}/checkin`, {code: wrong});
    assert.equal(fifth.status, 429, fifth.text);
    assert.equal(fifth.body.error.code, 'rate_limited');
    assert.match(fifth.body.error.message, chinese);
    assert.equal(locks(), locks0 + 1, 'the try that locks is audited');
    // now even the right code is refused, and nothing is counted or written any more
    const right = await jumin.post(`/api/v1/activities/${id}/checkin`, {code: good});
    assert.equal(right.status, 429, right.text);
    assert.deepEqual(signup('jumin').slice(1), ['5', '']);
    assert.equal(locks(), locks0 + 1);

    // dangyuan: 20 concurrent wrong guesses — exactly 5 are checked
    const rs = await Promise.all(Array.from({length: 20}, () => dangyuan.post(`/api/v1/activities/${id}/checkin`, {code: wrong})));
    assert.equal(rs.filter((r) => r.status === 400).length, 4, rs.map((r) => r.status).join(','));
    assert.equal(rs.filter((r) => r.status === 429).length, 16, rs.map((r) => r.status).join(','));
    assert.equal(Number(signup('dangyuan')[1]), 5);
    assert.equal((await dangyuan.post(`/api/v1/activities/${id}/checkin`, {code: good})).status, 429);

    // two server processes on one database share the count
    const s2 = await startServer({store, dbUrl: s.dbUrl, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '0']});
    try {
      const other2 = s2.client(other.token);
      for (let i = 0; i < 3; i++) assert.equal((await other.post(`/api/v1/activities/${id}/checkin`, {code: wrong})).status, 400);
      assert.equal((await other2.post(`/api/v1/activities/${id}/checkin`, {code: wrong})).status, 400);
      assert.equal((await other2.post(`/api/v1/activities/${id}/checkin`, {code: wrong})).status, 429);
      assert.equal((await other.post(`/api/v1/activities/${id}/checkin`, {code: good})).status, 429, 'locked in the first process too');
    } finally {
      await s2.stop();
    }

    // per participant: kuaidi, who guessed nothing, checks in with the code
    const k = await kuaidi.post(`/api/v1/activities/${id}/checkin`, {code: good});
    assert.equal(k.status, 200, k.text);

    // the organiser sees who is locked out …
    const list = await binhe.get(`/api/v1/activities/${id}/signups`);
    assert.equal(list.status, 200);
    s.validate('GET', '/api/v1/activities/{id}/signups', 200, list.body);
    const ju = list.body.items.find((x) => x.username === 'jumin');
    assert.equal(ju.checkin_failures, 5);
    assert.equal(ju.checked_in_at, null);
    // … the participant's page says so, without a code field; its form answers 429
    const jb = await s.browserLogin('jumin', DEMO.password);
    const jpage = await jb.get(`/activities/${id}`);
    assert.ok(jpage.includes('签到码输错次数过多'));
    assert.ok(!jpage.includes(`action="/activities/${id}/checkin"`));
    assert.equal(tidyErrors(jpage), '');
    const jpost = await jb.postFormRaw(`/activities/${id}/checkin`, {code: good});
    assert.equal(jpost.status, 429);
    assert.ok(jpost.text.includes('请找活动组织者为您签到'));
    // a participant may not check anyone in by hand
    assert.equal((await jumin.post(`/api/v1/activities/${id}/manual-checkin`, {signup_id: ju.id})).status, 404);
    assert.equal((await binhe.post(`/api/v1/activities/${id}/manual-checkin`, {})).status, 400);
    // the organiser checks jumin in by hand (API), audited with its note
    const hand = await binhe.post(`/api/v1/activities/${id}/manual-checkin`, {signup_id: ju.id});
    assert.equal(hand.status, 200, hand.text);
    s.validate('POST', '/api/v1/activities/{id}/manual-checkin', 200, hand.body);
    assert.notEqual(signup('jumin')[2], '');
    assert.deepEqual(s.sql(`SELECT note FROM audit_log WHERE entity = 'activity_signup' AND action = 'checkin' AND entity_id = '${ju.id}'`), [['组织者手工签到']]);
    assert.equal((await binhe.post(`/api/v1/activities/${id}/manual-checkin`, {signup_id: ju.id})).status, 409);
    // and dangyuan on the organiser's page
    const bb = await s.browserLogin('binhe', DEMO.password);
    const bpage = await bb.get(`/activities/${id}`);
    assert.ok(bpage.includes(`action="/activities/${id}/manual-checkin"`));
    assert.equal(tidyErrors(bpage), '');
    const dy = list.body.items.find((x) => x.username === 'dangyuan');
    const form = await bb.postFormRaw(`/activities/${id}/manual-checkin`, {signup_id: String(dy.id)});
    assert.equal(form.status, 303, form.text);
    assert.notEqual(signup('dangyuan')[2], '');
    setNow('2026-11-23T09:00:00+08:00');
  });

  async function acceptedOrder() {
    const r = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: HOUSEHOLD,
      title: '楼下路灯不亮', description: '3号楼前的路灯坏了一周', contact_phone: '13812345678'});
    assert.equal(r.status, 201, r.text);
    assert.equal((await sg.post(`/api/v1/orders/${r.body.id}/events`, {event: 'accept'})).status, 200);
    return r.body.id;
  }
  const take = (c, id) => c.post(`/api/v1/orders/${id}/events`, {event: 'take'});

  test('抢单: the losers get 409 already_taken, not 404; what is not theirs stays 404', async () => {
    const takers = await poolTakers(21);
    // after the winner committed: the order has left the loser's pool
    const id = await acceptedOrder();
    const won = await take(takers[0], id);
    assert.equal(won.status, 200, won.text);
    const lost = await take(takers[1], id);
    assert.equal(lost.status, 409, lost.text);
    assert.equal(lost.body.error.code, 'already_taken');
    assert.equal(lost.body.error.message, '已被他人接单');
    s.validate('POST', '/api/v1/orders/{id}/events', 409, lost.body);
    assert.equal((await takers[1].get(`/api/v1/orders/${id}`)).status, 404, 'the loser still may not read it');
    const d = (await sg.get(`/api/v1/orders/${id}`)).body;
    assert.equal(d.history.filter((h) => h.event === 'take').length, 1);
    assert.equal(d.assignee.id, takers[0].person);
    // the winner taking it again hears that it is theirs
    const again = await take(takers[0], id);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');

    // a race of 20 different volunteers: one winner, 19 × already_taken
    const id2 = await acceptedOrder();
    const rs = await Promise.all(takers.slice(1).map((c) => take(c, id2)));
    assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.status).join(','));
    const losers = rs.filter((r) => r.status !== 200);
    assert.equal(losers.length, 19);
    for (const r of losers) {
      assert.equal(r.status, 409, r.text);
      assert.equal(r.body.error.code, 'already_taken');
      assert.equal(r.body.error.message, '已被他人接单');
    }

    // the page shows the same message
    const id3 = await acceptedOrder();
    assert.equal((await take(takers[0], id3)).status, 200);
    const b = await s.browserLogin(takers[2].username, 'pass12345');
    const page = await b.postFormRaw(`/orders/${id3}/events`, {event: 'take'});
    assert.equal(page.status, 409, page.text);
    assert.ok(page.text.includes('已被他人接单'));
    assert.equal(tidyErrors(page.text), '');

    // still 404: no such order; an order dispatched without ever being taken
    // from the pool; a pool taker of another community; someone not a pool taker
    const missing = await take(takers[1], 99999999);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
    const id4 = await acceptedOrder();
    assert.equal((await sg.post(`/api/v1/orders/${id4}/events`, {event: 'dispatch', assignee_id: takers[0].person})).status, 200);
    const d4 = await take(takers[1], id4);
    assert.equal(d4.status, 404, d4.text);
    const [far] = await poolTakers(1, MAYINGWEI);
    assert.equal((await take(far, id)).status, 404);
    const plain = await makeUser(s, `hs_${store}_plain`, 'resident', BINHE); // no person: no pool
    assert.equal((await take(await s.login(plain.username, 'pass12345'), id)).status, 404);
    assert.equal((await b.postFormRaw(`/orders/99999999/events`, {event: 'take'})).status, 404);
  });

  test('a 居民心愿 only for a community the poster lives in or registered at by 双报到', async () => {
    const wishes = () => count('SELECT COUNT(*) FROM wishes');
    const n0 = wishes();
    const refused = async (c, body, status) => {
      const r = await c.post('/api/v1/wishes', {title: '想要一个书包', ...body});
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
      assert.match(r.body.error.message, chinese);
      return r;
    };
    // a 爱心人士 from the public sign-up: a volunteer grant they chose themselves
    const p = phone();
    const su = await s.client().post('/api/v1/volunteers/signup', {name: '赵爱心', phone: p, password: 'pass12345', community: BINHE});
    assert.equal(su.status, 201, su.text);
    const aixin = await s.login(p, 'pass12345');
    const r1 = await refused(aixin, {}, 403);
    assert.equal(r1.body.error.field, 'place_code');
    await refused(aixin, {place_code: BINHE}, 403);
    const page = await s.browserLogin(p, 'pass12345');
    const form = await page.get('/wishes/new');
    assert.ok(form.includes('暂不能发布心愿'));
    assert.equal(tidyErrors(form), '');
    const pf = await page.postFormRaw('/wishes', {title: '想要一个书包'});
    assert.equal(pf.status, 403);
    assert.ok(pf.text.includes('只能为您居住的社区或双报到的社区发布心愿'));
    // a department: its organisation reaches the whole county
    await refused(bumen, {place_code: BINHE}, 403);
    // a volunteer with a grant over 马营围 who lives in 滨河: not in 马营围 …
    const [home] = freePeople(BINHE, 1);
    const vol = await linkedAccount('volunteer', MAYINGWEI, home);
    await refused(vol, {place_code: MAYINGWEI}, 403);
    assert.equal(wishes(), n0, 'nothing was created');
    // … but at home, which is also the default
    const w1 = await vol.post('/api/v1/wishes', {title: '想学用智能手机'});
    assert.equal(w1.status, 201, w1.text);
    assert.equal(w1.body.community_code, BINHE);
    // an in-service member living in 马营围 who registered (报到) in 滨河: both
    const [may] = freePeople(MAYINGWEI, 1);
    const pm = await admin.put(`/api/v1/residents/${may}/party-member`, {kind: 'in_service', work_unit: '县民政局', reported_at: '2026-01-10', reported_community: BINHE});
    assert.equal(pm.status, 200, pm.text);
    const member = await linkedAccount('volunteer', MAYINGWEI, may);
    const w2 = await member.post('/api/v1/wishes', {title: '想要一盆绿萝', place_code: BINHE});
    assert.equal(w2.status, 201, w2.text);
    s.validate('POST', '/api/v1/wishes', 201, w2.body);
    assert.equal((await member.post('/api/v1/wishes', {title: '想要一把雨伞', place_code: MAYINGWEI})).status, 201);
    const third = s.sql(`SELECT code FROM places WHERE level = 'community' AND code NOT IN ('${BINHE}', '${MAYINGWEI}') ORDER BY code LIMIT 1`)[0][0];
    await refused(member, {place_code: third}, 404);
    // a resident account without a person: where staff granted it
    const res = await makeUser(s, `hs_${store}_res`, 'resident', BINHE);
    const resident = await s.login(res.username, 'pass12345');
    assert.equal((await resident.post('/api/v1/wishes', {title: '想要一个新门垫'})).status, 201);
    await refused(resident, {place_code: MAYINGWEI}, 404);
    // jumin lives in 滨河
    await refused(jumin, {place_code: MAYINGWEI}, 404);
    assert.equal((await jumin.post('/api/v1/wishes', {title: '想要一个新书包'})).status, 201);
    // staff post in their scope only
    assert.equal((await binhe.post('/api/v1/wishes', {kind: 'child', title: '想要一套画笔', place_code: BINHE})).status, 201);
    await refused(binhe, {kind: 'child', place_code: MAYINGWEI}, 404);
    assert.equal(wishes(), n0 + 6);
  });
});
