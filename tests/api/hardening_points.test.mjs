// Issue 10, points 6 and 11 (the supermarket): points staff stay in scope,
// the counter confirms a redemption with something only the resident has (the
// one-time code on her phone, or her whole phone number — not the last four
// digits every mask shows), wrong tries are limited per person in the database
// (across server processes) and audited, a wrong confirmation and a short
// balance answer alike; and a redemption form answers with a redirect to a
// result page and carries a request key, so that neither a reload nor the same
// form posted again redeems twice.
import assert from 'node:assert/strict';
import {afterEach, before, test} from 'node:test';

import {DEMO, forEachStore, makeUser, startServer} from '../lib/harness.mjs';

const INSIDE = DEMO.community; // 滨河社区
const OUTSIDE = '140930100007'; // 马营围社区
let seq = 0;
const sourceId = () => 700000 + ++seq;

// The request key of the form that follows `marker` in a page.
const keyAfter = (page, marker) => {
  const at = page.indexOf(marker);
  assert.ok(at >= 0, `${marker} is on the page`);
  const m = /name="request_key" value="([0-9a-f]{32})"/.exec(page.slice(at));
  assert.ok(m, `a request key after ${marker}`);
  return m[1];
};

forEachStore('hardening: points staff in scope, counter confirmation, redemption forms', (store) => {
  let a, b, binhe, jumin, jid;
  const one = (sql) => a.sql(sql)[0][0];
  const balance = (person) => Number(one(`SELECT COALESCE((SELECT balance FROM points_accounts WHERE person_id = ${person}), 0)`));
  const movements = () => Number(one('SELECT COUNT(*) FROM points_movements'));
  // Residents of a community with a mobile number, without a demo account, from the highest id down
  // (tests/api/points.test.mjs takes them from the lowest up).
  let taken = 0;
  const residents = (n, place = INSIDE) => {
    const rows = a.sql(`SELECT p.id, p.phone, p.name FROM people p WHERE p.place_code >= '${place}' AND p.place_code < '${place}:' AND LENGTH(p.phone) = 11 AND NOT EXISTS (SELECT 1 FROM accounts ac WHERE ac.person_id = p.id) ORDER BY p.id DESC LIMIT ${n} OFFSET ${taken}`);
    if (place === INSIDE) taken += n;
    assert.equal(rows.length, n, `the demo has ${n} more residents with phones in ${place}`);
    return rows.map(([id, phone, name]) => ({id: Number(id), phone, name}));
  };
  // A number with the same first 3 and last 4 digits (what a mask shows) but another middle.
  const sameMask = (phone) => phone.slice(0, 3) + (phone.slice(3, 7) === '0000' ? '1111' : '0000') + phone.slice(7);
  const award = (client, person, points, place = INSIDE) =>
    client.post('/api/v1/points/awards', {place_code: place, person_id: person, source_type: 'hardening', source_id: sourceId(), points});
  const goods = async (name, price, stock = 20) => {
    const r = await binhe.post('/api/v1/points/goods', {place_code: INSIDE, name, price, stock, source: 'purchase'});
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  // A fresh counter clerk of 滨河社区: wrong tries also count per staff account (20 a day).
  let clerks = 0;
  const clerk = async () => {
    const u = await makeUser(a, `clerk${store}${++clerks}`, 'secretary', INSIDE);
    return a.login(u.username, u.password);
  };
  const redeem = (client, g, person, confirm, extra = {}) =>
    client.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: person, confirm, ...extra});

  before(async () => {
    a = await startServer({store});
    b = await startServer({store, dbUrl: a.dbUrl});
    binhe = await a.login('binhe');
    jumin = await a.login('jumin');
    jid = Number(one("SELECT person_id FROM accounts WHERE username = 'jumin'"));
    assert.ok(jid > 0);
  });

  afterEach(async () => {
    const r = await a.cli(['check', 'ledger']);
    assert.equal(r.code, 0, `linli check ledger:\n${r.stdout}${r.stderr}`);
  });

  test('awards and counter redemptions answer 404 for a person outside the caller\'s scope, and show nothing of her', async () => {
    const [far] = residents(1, OUTSIDE);
    const admin = await a.login('admin');
    assert.equal((await award(admin, far.id, 50, OUTSIDE)).status, 201, 'she has points to spend');
    const m0 = movements(), b0 = balance(far.id);
    const g = await goods('范围测试毛巾', 5);

    // binhe (滨河社区) awards to a 马营围 resident, from her own community's account: 404, as for nobody
    const aw = await award(binhe, far.id, 5);
    assert.equal(aw.status, 404, aw.text);
    assert.equal(aw.body.error.code, 'not_found');
    const nobody = await award(binhe, 999999999, 5);
    assert.equal(nobody.status, 404);
    assert.deepEqual(aw.body.error, nobody.body.error, 'an out-of-scope person answers like a missing one');
    assert.ok(!aw.text.includes(far.name) && !/balance/.test(aw.text));
    // … and at the counter, even with her whole phone number
    const red = await redeem(binhe, g, far.id, far.phone);
    assert.equal(red.status, 404, red.text);
    assert.deepEqual(red.body.error, (await redeem(binhe, g, 999999999, far.phone)).body.error);
    // the staff page's forms alike
    const page = await a.browserLogin('binhe');
    const pa = await page.postFormRaw('/points/admin/award', {place: INSIDE, place_code: INSIDE, person_id: far.id, source_type: 'hardening', source_id: sourceId(), points: 5});
    assert.equal(pa.status, 404);
    const pr = await page.postFormRaw('/points/admin/redeem', {place: INSIDE, goods_id: g.id, person_id: far.id, confirm: far.phone});
    assert.equal(pr.status, 404);
    for (const t of [pa.text, pr.text]) assert.ok(!t.includes(far.name), 'the page does not name her');
    assert.equal(movements(), m0, 'nothing was written');
    assert.equal(balance(far.id), b0);
    // a street's staff covers both communities, but a resident spends in her own community's supermarket
    const xikou = await a.login('xikou');
    const other = await redeem(xikou, g, far.id, far.phone);
    assert.equal(other.status, 422, other.text);
    assert.equal(balance(far.id), b0);

    // a reversal in binhe's community of an award to someone living elsewhere does not show her balance
    const paid = await award(admin, far.id, 7);
    assert.equal(paid.status, 201, paid.text);
    assert.equal(paid.body.balance, b0 + 7, 'the admin covers her');
    const rev = await binhe.post(`/api/v1/points/movements/${paid.body.id}/reverse`, {reason: '范围测试'});
    assert.equal(rev.status, 201, rev.text);
    a.validate('POST', '/api/v1/points/movements/{id}/reverse', 201, rev.body);
    assert.equal(rev.body.balance, undefined, 'no balance of a person out of scope');
    // in scope, the answer still carries the balance
    const [near] = residents(1);
    const ok = await award(binhe, near.id, 5);
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.balance, balance(near.id));
  });

  test('the counter takes the whole phone number or the code on the resident\'s phone, never the last four digits', async () => {
    const [p] = residents(1);
    assert.equal((await award(binhe, p.id, 100)).status, 201);
    const g = await goods('确认测试香皂', 10);
    const c0 = Number(one('SELECT COUNT(*) FROM points_redemptions'));
    for (const confirm of [p.phone.slice(-4), sameMask(p.phone), p.phone.slice(0, 10), undefined]) {
      const r = await redeem(binhe, g, p.id, confirm);
      assert.equal(r.status, 422, `${confirm}: ${r.text}`);
      assert.equal(r.body.error.field, 'confirm');
    }
    assert.equal(Number(one('SELECT COUNT(*) FROM points_redemptions')), c0);
    assert.equal(balance(p.id), 100);
    // 4 wrong so far, under the limit of 5: the whole number, with spaces as said aloud
    const said = `${p.phone.slice(0, 3)} ${p.phone.slice(3, 7)} ${p.phone.slice(7)}`;
    const r = await redeem(binhe, g, p.id, said);
    assert.equal(r.status, 201, r.text);
    a.validate('POST', '/api/v1/points/redemptions', 201, r.body);
    assert.equal(balance(p.id), 90);
    assert.equal(one(`SELECT confirmed FROM points_redemptions WHERE person_id = ${p.id}`), 'phone');

    // jumin makes a code on her phone (API) and shows it at the counter
    assert.equal((await award(binhe, jid, 50)).status, 201);
    const j0 = balance(jid);
    const code = await jumin.post('/api/v1/points/me/code', {});
    assert.equal(code.status, 201, code.text);
    a.validate('POST', '/api/v1/points/me/code', 201, code.body);
    assert.match(code.body.code, /^\d{6}$/);
    const issued = (await binhe.get('/api/v1/audit?entity=points_code&limit=50')).body.items;
    assert.ok(issued.some((e) => e.action === 'issue' && e.entity_id === String(jid)), 'issuing a code is audited');
    for (const e of issued) assert.ok(!JSON.stringify(e.after_json).includes(`"${code.body.code}"`) && !('code' in (e.after_json || {})), 'the audit log does not keep the code');
    const used = await redeem(binhe, g, jid, code.body.code);
    assert.equal(used.status, 201, used.text);
    assert.equal(balance(jid), j0 - 10);
    assert.equal(one(`SELECT confirmed FROM points_redemptions WHERE person_id = ${jid} ORDER BY id DESC LIMIT 1`), 'code');
    // once only
    const again = await redeem(binhe, g, jid, code.body.code);
    assert.equal(again.status, 422, again.text);
    assert.equal(balance(jid), j0 - 10);
    // a new code replaces the old one
    const c1 = (await jumin.post('/api/v1/points/me/code', {})).body.code;
    const c2 = (await jumin.post('/api/v1/points/me/code', {})).body.code;
    if (c1 !== c2) assert.equal((await redeem(binhe, g, jid, c1)).status, 422, 'the replaced code no longer works');
    assert.equal((await redeem(binhe, g, jid, c2)).status, 201);
    assert.equal(balance(jid), j0 - 20);
    // staff cannot make a resident's code: the route is the resident's own
    assert.equal((await binhe.post('/api/v1/points/me/code', {})).status, 404);

    // the same on the pages: 我的积分 shows the code; the counter form takes it and shows the result
    const phone = await a.browserLogin('jumin');
    const before0 = await phone.get('/points');
    assert.match(before0, /柜台兑换码/);
    assert.ok(!/id="redeem-code"/.test(before0), 'no code until she asks for one');
    const made = await phone.postFormRaw('/points/code', {});
    assert.equal(made.status, 303);
    const mine = await phone.get('/points');
    const shown = /id="redeem-code">(\d{6})</.exec(mine);
    assert.ok(shown, 'the code is on 我的积分');
    const staff = await a.browserLogin('binhe');
    const admin = await staff.get(`/points/admin?place=${INSIDE}`);
    assert.match(admin, /兑换码（6位）或居民完整手机号/);
    const res = await staff.postFormRaw('/points/admin/redeem', {place: INSIDE, goods_id: g.id, person_id: jid, confirm: shown[1], request_key: keyAfter(admin, '柜台兑换')});
    assert.equal(res.status, 303, res.text);
    assert.match(res.headers.location, /^\/points\/admin\/redeemed\/\d+/);
    assert.match(await staff.get(res.headers.location), /兑换成功/);
    assert.equal(balance(jid), j0 - 30);
    assert.ok(!/id="redeem-code"/.test(await phone.get('/points')), 'the code is used up');
  });

  test('to staff who unmasked a resident\'s record her phone number is no confirmation; her code is', async () => {
    const [p] = residents(1);
    assert.equal((await award(binhe, p.id, 50)).status, 201);
    const g = await goods('揭示测试毛巾', 10);
    const c = await clerk();
    const shown = await c.post(`/api/v1/residents/${p.id}/reveal`, {reason: "核实兑换"});
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.phone, p.phone, 'the reveal showed her whole number');
    const r = await redeem(c, g, p.id, p.phone);
    assert.equal(r.status, 422, r.text);
    assert.match(r.body.error.message, /兑换码/);
    assert.equal(balance(p.id), 50);
    // another clerk, who never saw it, takes the number
    assert.equal((await redeem(binhe, g, p.id, p.phone)).status, 201);
    assert.equal(balance(p.id), 40);
    // the code on a resident's phone works for the clerk who unmasked her
    assert.equal((await award(binhe, jid, 20)).status, 201);
    assert.equal((await c.post(`/api/v1/residents/${jid}/reveal`, {reason: "核实兑换"})).status, 200);
    const j0 = balance(jid);
    const code = (await jumin.post('/api/v1/points/me/code', {})).body.code;
    assert.equal((await redeem(c, g, jid, code)).status, 201);
    assert.equal(balance(jid), j0 - 10);
  });

  test('a wrong confirmation and a balance short of the price give the same answer', async () => {
    const [rich, poor] = residents(2);
    assert.equal((await award(binhe, rich.id, 100)).status, 201);
    const g = await goods('同答测试大米', 60);
    const c = await clerk();
    const wrong = await redeem(c, g, rich.id, sameMask(rich.phone));
    const short = await redeem(c, g, poor.id, poor.phone);
    assert.equal(wrong.status, 422, wrong.text);
    assert.equal(short.status, 422, short.text);
    assert.deepEqual(wrong.body, short.body);
    assert.match(wrong.body.error.message, /[\u4e00-\u9fff]/);
    assert.ok(!/余额/.test(short.text), 'no balance in the answer');
    // … though one was judged a wrong confirmation and the other a short balance
    const wrongTries = (person) => Number(one(`SELECT COUNT(*) FROM points_confirm_tries WHERE person_id = ${person} AND ok = 0`));
    assert.equal(wrongTries(rich.id), 1);
    assert.equal(wrongTries(poor.id), 0, 'her confirmation was right: her balance refused');
    // on the staff page alike
    const staff = await a.browserLogin('binhe');
    const pw = await staff.postFormRaw('/points/admin/redeem', {place: INSIDE, goods_id: g.id, person_id: rich.id, confirm: sameMask(rich.phone)});
    const ps = await staff.postFormRaw('/points/admin/redeem', {place: INSIDE, goods_id: g.id, person_id: poor.id, confirm: poor.phone});
    assert.equal(pw.status, 422);
    assert.equal(ps.status, 422);
    const alert = (t) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(t)?.[1];
    assert.ok(alert(pw.text));
    assert.equal(alert(pw.text), alert(ps.text));
    assert.equal(balance(rich.id), 100);
    assert.equal((await redeem(c, g, rich.id, rich.phone)).status, 201, 'with her whole number she redeems');
    assert.equal(balance(rich.id), 40);
    // the resident herself, on her own phone, is told her balance
    const self = await jumin.post('/api/v1/points/redemptions', {goods_id: (await goods('同答测试电饭煲', 100000, 1)).id});
    assert.equal(self.status, 422);
    assert.match(self.body.error.message, /积分不足/);
  });

  test('after 5 wrong tries for a person, counted across processes, the counter is refused and it is audited', async () => {
    const [p, q] = residents(2);
    assert.equal((await award(binhe, p.id, 100)).status, 201);
    assert.equal((await award(binhe, q.id, 100)).status, 201);
    const g = await goods('次数测试牙膏', 10);
    const c = await clerk();
    const cB = b.client(c.token);
    // ten wrong tries at once, half through each process: exactly five are judged, the rest refused
    const tries = await Promise.all(Array.from({length: 10}, (_, i) => redeem(i % 2 ? cB : c, g, p.id, sameMask(p.phone))));
    const codes = tries.map((r) => r.status).sort();
    assert.deepEqual(codes, [422, 422, 422, 422, 422, 429, 429, 429, 429, 429], codes.join(' '));
    const locked = tries.find((r) => r.status === 429);
    assert.equal(locked.body.error.code, 'rate_limited');
    assert.match(locked.body.error.message, /错误次数过多/);
    // now even the right number is refused, on either process, and nothing is spent
    for (const x of [c, cB]) assert.equal((await redeem(x, g, p.id, p.phone)).status, 429);
    assert.equal(balance(p.id), 100);
    assert.equal(Number(one(`SELECT COUNT(*) FROM points_confirm_tries WHERE person_id = ${p.id} AND ok = 0`)), 5);
    // audited: each wrong try and each refusal, under the person's community
    const audit = (await binhe.get('/api/v1/audit?entity=points_confirm&limit=200')).body.items.filter((e) => e.entity_id === String(p.id));
    assert.equal(audit.filter((e) => e.action === 'confirm_failed').length, 5);
    assert.equal(audit.filter((e) => e.action === 'confirm_locked').length, 7);
    // the page says so in Chinese
    const staff = await a.browserLogin('binhe');
    const pg = await staff.postFormRaw('/points/admin/redeem', {place: INSIDE, goods_id: g.id, person_id: p.id, confirm: p.phone});
    assert.equal(pg.status, 429);
    assert.match(pg.text, /错误次数过多/);
    // another person is not affected, and her own phone still redeems for her
    assert.equal((await redeem(binhe, g, q.id, q.phone)).status, 201);
    // a right confirmation starts the count afresh: 4 wrong, 1 right, 4 wrong are all judged
    const [r] = residents(1);
    assert.equal((await award(binhe, r.id, 100)).status, 201);
    for (let i = 0; i < 4; i++) assert.equal((await redeem(c, g, r.id, sameMask(r.phone))).status, 422);
    assert.equal((await redeem(c, g, r.id, r.phone)).status, 201);
    for (let i = 0; i < 4; i++) assert.equal((await redeem(c, g, r.id, sameMask(r.phone))).status, 422);
    assert.equal(balance(r.id), 90);
  });

  test('a staff account is refused after 20 wrong tries, whoever they were for', async () => {
    const c = await clerk();
    const people = residents(5);
    const g = await goods('账号次数测试肥皂', 1);
    for (const p of people.slice(0, 4)) for (let i = 0; i < 5; i++) assert.equal((await redeem(c, g, p.id, sameMask(p.phone))).status, 422);
    const last = people[4];
    assert.equal((await award(binhe, last.id, 10)).status, 201);
    const r = await redeem(c, g, last.id, last.phone);
    assert.equal(r.status, 429, r.text);
    assert.match(r.body.error.message, /本账号/);
    assert.equal(balance(last.id), 10);
    assert.equal((await redeem(binhe, g, last.id, last.phone)).status, 201, 'other staff still serve her');
  });

  test('a redemption on the resident\'s phone redirects to its result; reloading it or posting the form again redeems once', async () => {
    assert.equal((await award(binhe, jid, 100)).status, 201);
    const j0 = balance(jid);
    const g = await goods('刷新测试毛巾', 30);
    const phone = await a.browserLogin('jumin');
    const market = await phone.get('/market');
    const form = {goods_id: g.id, qty: 1, request_key: keyAfter(market, '刷新测试毛巾')};
    const first = await phone.postFormRaw('/market/redeem', form);
    assert.equal(first.status, 303, first.text);
    const result = first.headers.location;
    assert.match(result, /^\/market\/redeemed\/\d+$/);
    for (let i = 0; i < 3; i++) {
      const page = await phone.get(result); // a reload of the result page
      assert.equal(phone.last.status, 200);
      assert.match(page, /兑换成功/);
      assert.match(page, /刷新测试毛巾/);
    }
    // the browser's "resubmit the form", and a double tap from two processes at once
    const again = await phone.postFormRaw('/market/redeem', form);
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, result);
    const phoneB = await b.browserLogin('jumin'); // the same account, another session, another process
    const many = await Promise.all(Array.from({length: 6}, (_, i) => (i % 2 ? phoneB : phone).postFormRaw('/market/redeem', form)));
    for (const r of many) assert.equal(r.headers.location, result);
    assert.equal(balance(jid), j0 - 30, '100 → 70, not 40');
    assert.equal(Number(one(`SELECT COUNT(*) FROM points_redemptions WHERE goods_id = ${g.id}`)), 1);
    // a fresh form is a new redemption
    const second = await phone.postFormRaw('/market/redeem', {...form, request_key: keyAfter(await phone.get('/market'), '刷新测试毛巾')});
    assert.equal(second.status, 303);
    assert.notEqual(second.headers.location, result);
    assert.equal(balance(jid), j0 - 60);
    // the result page is the resident's own
    const dy = await a.browserLogin('dangyuan');
    assert.equal((await dy.raw('GET', result)).status, 404);
    const staff = await a.browserLogin('binhe');
    assert.equal((await staff.raw('GET', result)).status, 404);
  });

  test('a counter redemption redirects to its result; reloading it or posting the form again redeems once', async () => {
    const [p] = residents(1);
    assert.equal((await award(binhe, p.id, 100)).status, 201);
    const g = await goods('刷新测试柜台大米', 30);
    const staff = await a.browserLogin('binhe');
    const admin = await staff.get(`/points/admin?place=${INSIDE}`);
    const form = {place: INSIDE, goods_id: g.id, person_id: p.id, confirm: p.phone, qty: 1, request_key: keyAfter(admin, '柜台兑换')};
    const first = await staff.postFormRaw('/points/admin/redeem', form);
    assert.equal(first.status, 303, first.text);
    const result = first.headers.location;
    assert.match(result, /^\/points\/admin\/redeemed\/\d+\?place=/);
    const page = await staff.get(result);
    assert.match(page, /兑换成功/);
    assert.ok(page.includes(p.name));
    assert.match(await staff.get(result), /兑换成功/);
    const again = await staff.postFormRaw('/points/admin/redeem', form);
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, result);
    assert.equal(balance(p.id), 70, '100 → 70, not 40');
    assert.equal(Number(one(`SELECT COUNT(*) FROM points_confirm_tries WHERE person_id = ${p.id} AND ok = 0`)), 0, 'the second post is no wrong try');
    // the other community's secretary does not see the result
    const other = await a.browserLogin('mayingwei');
    assert.equal((await other.raw('GET', result)).status, 404);
  });
});
