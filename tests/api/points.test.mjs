// Points 积分 and the points supermarket 积分超市 (docs/points.md): the
// double-entry ledger, awards by rule with caps, replays, reversals, the
// store's refusal to change entries, redemptions under concurrency (also from
// two server processes on one database), bad input, and `linli check ledger`
// after every test.
import assert from 'node:assert/strict';
import {afterEach, before, test} from 'node:test';

import {DEMO, forEachStore, startServer} from '../lib/harness.mjs';

const INSIDE = DEMO.community; // 滨河社区
const OUTSIDE = '140930100007'; // 马营围社区
let seq = 0;
const sourceId = () => 100000 + ++seq;

forEachStore('points ledger and supermarket', (store) => {
  let a, b, binhe, jumin, jid;
  const one = (sql) => a.sql(sql)[0][0];
  const balance = (person) => Number(a.sql(`SELECT COALESCE((SELECT balance FROM points_accounts WHERE person_id = ${person}), 0)`)[0][0]);
  const issueBalance = (place) => Number(a.sql(`SELECT COALESCE((SELECT balance FROM points_accounts WHERE kind = 'issue' AND place_code = '${place}'), 0)`)[0][0]);
  const counts = () => a.sql('SELECT (SELECT COUNT(*) FROM points_movements), (SELECT COUNT(*) FROM points_entries), (SELECT COALESCE(SUM(stock), 0) FROM points_goods), (SELECT COALESCE(SUM(balance), 0) FROM points_accounts), (SELECT COUNT(*) FROM points_redemptions)')[0].join(',');
  // Residents of 滨河社区 with a registered phone, not linked to a demo account.
  const residents = (n, skip = 0) => a.sql(`SELECT p.id, p.phone FROM people p WHERE p.place_code >= '${INSIDE}' AND p.place_code < '${INSIDE}:' AND p.phone IS NOT NULL AND LENGTH(p.phone) >= 4 AND NOT EXISTS (SELECT 1 FROM accounts ac WHERE ac.person_id = p.id) ORDER BY p.id LIMIT ${n} OFFSET ${skip}`).map(([id, phone]) => ({id: Number(id), phone}));
  const award = (client, body) => client.post('/api/v1/points/awards', {place_code: INSIDE, source_type: 'test_award', source_id: sourceId(), ...body});
  const goods = async (body) => {
    const r = await binhe.post('/api/v1/points/goods', {place_code: INSIDE, source: 'donation', donor: '测试爱心商户', ...body});
    assert.equal(r.status, 201, r.text);
    a.validate('POST', '/api/v1/points/goods', 201, r.body);
    return r.body;
  };

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

  test('50 concurrent redemptions against a balance that covers 10 succeed exactly 10 times, from two processes', async () => {
    assert.equal(balance(jid), 0, 'jumin starts without points');
    const g = await goods({name: '并发测试肥皂', price: 10, stock: 1000});
    const r = await award(binhe, {person_id: jid, points: 100, reason: '并发测试'});
    assert.equal(r.status, 201, r.text);
    a.validate('POST', '/api/v1/points/awards', 201, r.body);
    const onB = b.client(jumin.token);
    const results = await Promise.all(Array.from({length: 50}, (_, i) => (i % 2 ? onB : jumin).post('/api/v1/points/redemptions', {goods_id: g.id, qty: 1})));
    const codes = results.map((x) => x.status);
    assert.equal(codes.filter((c) => c === 201).length, 10, codes.join(' '));
    assert.equal(codes.filter((c) => c === 422).length, 40, codes.join(' '));
    a.validate('POST', '/api/v1/points/redemptions', 201, results.find((x) => x.status === 201).body);
    assert.equal(balance(jid), 0);
    assert.equal(Number(one(`SELECT stock FROM points_goods WHERE id = ${g.id}`)), 990);
    const me = await jumin.get('/api/v1/points/me?limit=500');
    assert.equal(me.status, 200);
    a.validate('GET', '/api/v1/points/me', 200, me.body);
    assert.equal(me.body.balance, 0);
    assert.equal(me.body.items.length, 11);
    // the statement's running balance: newest first, ending at the award
    assert.equal(me.body.items[0].balance_after, 0);
    assert.equal(me.body.items[10].kind, 'award');
    assert.equal(me.body.items[10].balance_after, 100);
    // paging keeps the running balance right
    const p1 = await jumin.get('/api/v1/points/me?limit=4');
    const p2 = await jumin.get(`/api/v1/points/me?limit=4&cursor=${p1.body.next_cursor}`);
    assert.equal(p2.body.items[0].balance_after, 40);
  });

  test('50 concurrent counter redemptions against a stock of 10 succeed exactly 10 times, from two processes', async () => {
    const people = residents(50);
    assert.equal(people.length, 50, 'the demo has 50 residents with phones');
    for (const p of people) assert.equal((await award(binhe, {person_id: p.id, points: 5})).status, 201);
    const g = await goods({name: '并发测试毛巾', price: 5, stock: 10});
    const binheB = b.client(binhe.token);
    const results = await Promise.all(people.map((p, i) => (i % 2 ? binheB : binhe).post('/api/v1/points/redemptions', {goods_id: g.id, person_id: p.id, confirm: p.phone})));
    const codes = results.map((x) => x.status);
    assert.equal(codes.filter((c) => c === 201).length, 10, codes.join(' '));
    assert.equal(codes.filter((c) => c === 422).length, 40, codes.join(' '));
    assert.equal(Number(one(`SELECT stock FROM points_goods WHERE id = ${g.id}`)), 0);
    assert.equal(Number(one(`SELECT COUNT(*) FROM points_redemptions WHERE goods_id = ${g.id} AND confirmed = 'phone'`)), 10);
    const spent = people.filter((p) => balance(p.id) === 0).length;
    assert.equal(spent, 10);
    // the stock movements account for every unit
    assert.equal(Number(one(`SELECT SUM(qty) FROM points_stock_moves WHERE goods_id = ${g.id}`)), 0);
    // the counter redemption is audited with how the resident confirmed
    const audit = await binhe.get('/api/v1/audit?entity=points_redemption&limit=50');
    assert.equal(audit.status, 200);
    assert.ok(audit.body.items.some((x) => /当面确认/.test(x.note || '')), JSON.stringify(audit.body.items[0]));
  });

  test('a replayed award pays once, also when replayed concurrently', async () => {
    const [p] = residents(1, 50);
    const before0 = balance(p.id);
    const body = {person_id: p.id, source_type: 'finish_order', source_id: sourceId(), points: 0};
    const first = await binhe.post('/api/v1/points/awards', {place_code: INSIDE, ...body});
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.points, 5, 'the demo rule 办结群众点单 gives 5');
    const again = await binhe.post('/api/v1/points/awards', {place_code: INSIDE, ...body});
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.id, first.body.id);
    a.validate('POST', '/api/v1/points/awards', 200, again.body);
    const body2 = {...body, source_id: sourceId()};
    const many = await Promise.all(Array.from({length: 10}, (_, i) => (i % 2 ? b.client(binhe.token) : binhe).post('/api/v1/points/awards', {place_code: INSIDE, ...body2})));
    assert.equal(many.filter((x) => x.status === 201).length, 1, many.map((x) => x.status).join(' '));
    assert.equal(many.filter((x) => x.status === 200).length, 9);
    assert.equal(new Set(many.map((x) => x.body.id)).size, 1);
    assert.equal(balance(p.id), before0 + 10);
  });

  test('a reversal restores both sides, once, with a reason; a redemption reversal returns the stock', async () => {
    const [p] = residents(1, 51);
    const issue0 = issueBalance(INSIDE), p0 = balance(p.id);
    const r = await award(binhe, {person_id: p.id, points: 30, reason: '冲正测试'});
    assert.equal(r.status, 201);
    assert.equal(balance(p.id), p0 + 30);
    assert.equal(issueBalance(INSIDE), issue0 - 30);
    assert.equal((await binhe.post(`/api/v1/points/movements/${r.body.id}/reverse`, {})).status, 400, 'a reason is required');
    const rev = await binhe.post(`/api/v1/points/movements/${r.body.id}/reverse`, {reason: '录入错误'});
    assert.equal(rev.status, 201, rev.text);
    a.validate('POST', '/api/v1/points/movements/{id}/reverse', 201, rev.body);
    assert.equal(rev.body.reverses_id, r.body.id);
    assert.equal(rev.body.points, -30);
    assert.equal(balance(p.id), p0);
    assert.equal(issueBalance(INSIDE), issue0);
    assert.equal((await binhe.post(`/api/v1/points/movements/${r.body.id}/reverse`, {reason: '再来'})).status, 409);
    assert.equal((await binhe.post(`/api/v1/points/movements/${rev.body.id}/reverse`, {reason: '再来'})).status, 422);
    const m = await binhe.get(`/api/v1/points/movements/${r.body.id}`);
    assert.equal(m.body.reversed_by, rev.body.id);
    a.validate('GET', '/api/v1/points/movements/{id}', 200, m.body);
    // a redemption reversed: points back to the person, out of the supermarket, stock back
    const g = await goods({name: '冲正测试大米', price: 20, stock: 3});
    await award(binhe, {person_id: p.id, points: 20});
    const red = await binhe.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: p.id, confirm: p.phone});
    assert.equal(red.status, 201, red.text);
    const market = () => Number(one(`SELECT balance FROM points_accounts WHERE kind = 'market' AND place_code = '${INSIDE}'`));
    const m0 = market();
    assert.equal(Number(one(`SELECT stock FROM points_goods WHERE id = ${g.id}`)), 2);
    const back = await binhe.post(`/api/v1/points/movements/${red.body.id}/reverse`, {reason: '居民退货'});
    assert.equal(back.status, 201, back.text);
    assert.equal(Number(one(`SELECT stock FROM points_goods WHERE id = ${g.id}`)), 3);
    assert.equal(market(), m0 - 20);
    assert.equal(balance(p.id), p0 + 20);
    // an award whose points were spent cannot be reversed (the balance would go below zero)
    const spentAward = await award(binhe, {person_id: p.id, points: 5});
    const g2 = await goods({name: '冲正测试牙膏', price: p0 + 25, stock: 1});
    assert.equal((await binhe.post('/api/v1/points/redemptions', {goods_id: g2.id, person_id: p.id, confirm: p.phone})).status, 201);
    const refused = await binhe.post(`/api/v1/points/movements/${spentAward.body.id}/reverse`, {reason: '试试'});
    assert.equal(refused.status, 422, refused.text);
    assert.equal(balance(p.id), 0);
  });

  test('the store refuses UPDATE and DELETE of entries and movements', async () => {
    const [p] = residents(1, 52);
    await award(binhe, {person_id: p.id, points: 3});
    const c0 = counts();
    for (const sql of [
      'UPDATE points_entries SET amount = amount + 1',
      'DELETE FROM points_entries',
      'UPDATE points_movements SET points = 0',
      'DELETE FROM points_movements',
    ])
      assert.throws(() => a.sql(sql), /immutable/, sql);
    assert.equal(counts(), c0);
  });

  test('bad input is refused and changes nothing', async () => {
    const [p, q] = residents(2, 53);
    await award(binhe, {person_id: p.id, points: 50});
    const g = await goods({name: '坏输入测试', price: 10, stock: 5});
    const c0 = counts();
    const cases = [
      [await award(binhe, {person_id: p.id, points: -5}), 400, 'negative points'],
      [await award(binhe, {person_id: p.id, points: 5, source_type: 'Bad Type'}), 400, 'bad source type'],
      [await award(binhe, {person_id: 999999999, points: 5}), 404, 'unknown person'],
      [await award(binhe, {person_id: p.id, points: 0, source_type: 'no_such_rule'}), 422, 'no rule'],
      [await award(binhe, {person_id: p.id, points: 5, place_code: OUTSIDE}), 404, 'another community'],
      [await award(jumin, {person_id: jid, points: 5}), 404, 'a resident awards (no such route for them)'],
      [await binhe.post('/api/v1/points/redemptions', {goods_id: 999999999, person_id: p.id, confirm: p.phone}), 404, 'unknown goods'],
      [await jumin.post('/api/v1/points/redemptions', {goods_id: 999999999}), 404, 'unknown goods (self)'],
      [await jumin.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: p.id, confirm: p.phone}), 403, 'a resident redeems for another'],
      [await binhe.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: p.id, confirm: p.phone.slice(-4)}), 422, 'the last 4 digits, which every mask shows'],
      [await binhe.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: p.id}), 422, 'no confirmation'],
      [await binhe.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: p.id, qty: 0, confirm: p.phone}), 400, 'zero quantity'],
      [await binhe.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: p.id, qty: 6, confirm: p.phone}), 422, 'more than the stock'],
      [await binhe.post('/api/v1/points/redemptions', {goods_id: g.id, person_id: q.id, confirm: q.phone}), 422, 'more than the balance'],
      [await binhe.post('/api/v1/points/goods', {place_code: INSIDE, name: '', price: 5, source: 'purchase'}), 400, 'goods without a name'],
      [await binhe.post('/api/v1/points/goods', {place_code: INSIDE, name: '无捐赠人', price: 5, source: 'donation'}), 400, 'donation without donor'],
      [await binhe.post('/api/v1/points/goods', {place_code: INSIDE, name: '负价', price: -5, source: 'purchase'}), 400, 'negative price'],
      [await binhe.post('/api/v1/points/rules', {place_code: INSIDE, source_type: 'visit', name: '走访', points: -1}), 400, 'negative rule points'],
    ];
    for (const [res, want, what] of cases) {
      assert.equal(res.status, want, `${what}: ${res.text}`);
      assert.ok(res.body.error && res.body.error.message, what);
    }
    assert.equal(counts(), c0, 'nothing changed');
  });

  test('an award beyond the rule\'s cap for the period is refused with a clear message and changes nothing', async () => {
    const [p] = residents(1, 55);
    const rule = await binhe.post('/api/v1/points/rules', {place_code: INSIDE, source_type: 'test_cap', name: '测试上限', points: 10, cap: 30, period: 'week'});
    assert.equal(rule.status, 200, rule.text);
    a.validate('POST', '/api/v1/points/rules', 200, rule.body);
    for (let i = 0; i < 3; i++) assert.equal((await award(binhe, {person_id: p.id, source_type: 'test_cap', points: 0})).status, 201);
    const c0 = counts();
    const over = await award(binhe, {person_id: p.id, source_type: 'test_cap', points: 0});
    assert.equal(over.status, 422, over.text);
    assert.match(over.body.error.message, /上限30分/);
    assert.equal(counts(), c0);
    assert.equal(balance(p.id), 30);
    // a reversed award frees its share of the cap
    const last = a.sql(`SELECT MAX(id) FROM points_movements WHERE person_id = ${p.id} AND kind = 'award'`)[0][0];
    assert.equal((await binhe.post(`/api/v1/points/movements/${last}/reverse`, {reason: '重复登记'})).status, 201);
    assert.equal((await award(binhe, {person_id: p.id, source_type: 'test_cap', points: 0})).status, 201);
    const rules = await binhe.get(`/api/v1/points/rules?place=${INSIDE}`);
    a.validate('GET', '/api/v1/points/rules', 200, rules.body);
    assert.ok(rules.body.items.some((x) => x.source_type === 'test_cap' && x.cap === 30));
  });

  test('statements, leaderboards and totals; scope of the read side', async () => {
    const t0 = await binhe.get(`/api/v1/points/totals?place=${INSIDE}&period=all`);
    assert.equal(t0.status, 200, t0.text);
    a.validate('GET', '/api/v1/points/totals', 200, t0.body);
    const [p, q] = residents(2, 60);
    await award(binhe, {person_id: p.id, points: 40});
    await award(binhe, {person_id: q.id, points: 25});
    const t1 = await binhe.get(`/api/v1/points/totals?place=${INSIDE}&period=all`);
    assert.equal(t1.body.issued, t0.body.issued + 65);
    const lb = await binhe.get(`/api/v1/points/leaderboard?place=${INSIDE}&period=month&limit=500`);
    assert.equal(lb.status, 200);
    a.validate('GET', '/api/v1/points/leaderboard', 200, lb.body);
    const rank = (id) => lb.body.items.findIndex((x) => x.person_id === id);
    assert.ok(rank(p.id) >= 0 && rank(q.id) > rank(p.id));
    for (let i = 1; i < lb.body.items.length; i++) assert.ok(lb.body.items[i - 1].points >= lb.body.items[i].points);
    const grid = one(`SELECT gp.grid_id FROM grid_places gp WHERE '${one(`SELECT place_code FROM people WHERE id = ${p.id}`)}' >= gp.place_code AND '${one(`SELECT place_code FROM people WHERE id = ${p.id}`)}' < gp.place_code || ':' LIMIT 1`);
    const gl = await binhe.get(`/api/v1/points/leaderboard?grid=${grid}&period=month`);
    assert.equal(gl.status, 200);
    assert.ok(gl.body.items.some((x) => x.person_id === p.id));
    const st = await binhe.get(`/api/v1/points/people/${p.id}`);
    assert.equal(st.status, 200);
    a.validate('GET', '/api/v1/points/people/{id}', 200, st.body);
    // the other community's secretary sees none of it
    const may = await a.login('mayingwei');
    assert.equal((await may.get(`/api/v1/points/people/${p.id}`)).status, 404);
    assert.equal((await may.get(`/api/v1/points/totals?place=${INSIDE}`)).status, 404);
    assert.equal((await may.get(`/api/v1/points/leaderboard?grid=${grid}`)).status, 404);
    // 网格积分排行 on the staff page: the grid's board, and nothing of a grid outside the place
    const staff = await a.browserLogin('binhe');
    const page = await staff.get(`/points/admin?place=${INSIDE}&period=month&grid=${grid}`);
    assert.match(page, /网格积分排行/);
    const section = page.slice(page.indexOf('网格积分排行'));
    assert.ok(section.includes(`<td>${p.id}</td>`), 'the grid board lists the person awarded');
    const theirs = await (await a.browserLogin('mayingwei')).get(`/points/admin?period=month&grid=${grid}`);
    assert.ok(!theirs.includes(`<td>${p.id}</td>`));
    // a resident reads their own statement and not another's; sees their community's goods
    assert.equal((await jumin.get(`/api/v1/points/people/${p.id}`)).status, 404);
    assert.equal((await jumin.get(`/api/v1/points/people/${jid}`)).status, 200);
    const shelf = await jumin.get('/api/v1/points/goods?limit=500');
    assert.equal(shelf.status, 200);
    a.validate('GET', '/api/v1/points/goods', 200, shelf.body);
    assert.ok(shelf.body.items.length >= 3, 'the demo stocks the supermarket');
    for (const x of shelf.body.items) assert.equal(x.place_code, INSIDE);
  });

  test('the pages: a resident\'s points and supermarket, the staff counter; refusals change nothing', async () => {
    const [p] = residents(1, 70);
    await award(binhe, {person_id: p.id, points: 8});
    const g = await goods({name: '页面测试香皂', price: 1000, stock: 2});
    const resident = await a.browserLogin('jumin');
    const market = await resident.get('/market');
    assert.match(market, /积分超市/);
    assert.match(market, /页面测试香皂/);
    assert.match(market, /测试爱心商户/);
    const c0 = counts();
    const poor = await resident.postFormRaw('/market/redeem', {goods_id: g.id, qty: 1});
    assert.equal(poor.status, 422);
    assert.match(poor.text, /积分不足/);
    const bad = await resident.postFormRaw('/market/redeem', {goods_id: 'x'});
    assert.equal(bad.status, 400);
    assert.equal(counts(), c0);
    assert.match(await resident.get('/points'), /积分明细/);
    assert.equal((await resident.raw('GET', '/points/admin')).status === 200, false, 'residents have no staff page');

    const staff = await a.browserLogin('binhe');
    const admin = await staff.get(`/points/admin?place=${INSIDE}&period=all`);
    for (const h of ['积分排行', '柜台兑换', '积分超市商品', '积分规则', '冲正']) assert.match(admin, new RegExp(h));
    const g2 = await goods({name: '页面柜台毛巾', price: 8, stock: 1});
    const wrong = await staff.postFormRaw('/points/admin/redeem', {place: INSIDE, goods_id: g2.id, person_id: p.id, confirm: p.phone.slice(-4)});
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /兑换码或手机号不符，或积分不足/);
    assert.equal(counts(), c0.split(',').map(Number).map((v, i) => (i === 2 ? v + 1 : v)).join(','), 'only the new good\'s stock');
    const okPage = await staff.postFormRaw('/points/admin/redeem', {place: INSIDE, goods_id: g2.id, person_id: p.id, confirm: p.phone});
    assert.equal(okPage.status, 303);
    assert.match(await staff.get(okPage.headers.location), /兑换成功/);
    assert.equal(balance(p.id), 0);
    assert.equal(Number(one(`SELECT stock FROM points_goods WHERE id = ${g2.id}`)), 0);
    // the other community's secretary cannot stock this community's goods
    const other = await a.browserLogin('mayingwei');
    assert.equal((await other.postFormRaw(`/points/admin/goods/${g2.id}/stock`, {stock: 5, source: 'purchase'})).status, 404);
    assert.equal(Number(one(`SELECT stock FROM points_goods WHERE id = ${g2.id}`)), 0);
  });

  test('one binder per operation: the staff page posts the API\'s names, and a rule or a good reads back the same either way', async () => {
    const staff = await a.browserLogin('binhe');
    const admin = await staff.get(`/points/admin?place=${INSIDE}`);
    const ruleForm = admin.slice(admin.indexOf('action="/points/admin/rules"'));
    for (const n of ['place_code', 'source_type', 'name', 'points', 'cap', 'period', 'active', 'active_set'])
      assert.match(ruleForm.slice(0, ruleForm.indexOf('</form>')), new RegExp(`name="${n}"`), n);
    const rule = {place: INSIDE, place_code: INSIDE, source_type: 'binder_rule', name: '绑定测试', points: 3, cap: 9, period: 'week'};
    const rules = async () => (await binhe.get(`/api/v1/points/rules?place=${INSIDE}`)).body.items.find((x) => x.source_type === 'binder_rule');
    // the box unchecked: "given, false"
    assert.equal((await staff.postFormRaw('/points/admin/rules', {...rule, active_set: 1})).status, 200);
    let got = await rules();
    assert.deepEqual([got.points, got.cap, got.period, got.active], [3, 9, 'week', false]);
    assert.equal((await staff.postFormRaw('/points/admin/rules', {...rule, active_set: 1, active: 1})).status, 200);
    assert.equal((await rules()).active, true);
    // the API with the same names
    const api = await binhe.post('/api/v1/points/rules', {place_code: INSIDE, source_type: 'binder_rule', name: '绑定测试', points: 4, cap: 8, period: 'month', active: false});
    assert.equal(api.status, 200, api.text);
    a.validate('POST', '/api/v1/points/rules', 200, api.body);
    got = await rules();
    assert.deepEqual([got.points, got.cap, got.period, got.active], [4, 8, 'month', false]);
    assert.equal((await binhe.post('/api/v1/points/rules', {...rule, active: 'no'})).status, 400, 'active is a boolean');
    // a good taken off the shelf shows its tag as markup, its name as text
    const g = await goods({name: '<b>下架</b>测试', price: 5, stock: 1});
    const off = await binhe.patch(`/api/v1/points/goods/${g.id}`, {active: false});
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.active, false);
    assert.equal(off.body.price, 5, 'what is not given stays');
    const page = await staff.get(`/points/admin?place=${INSIDE}`);
    assert.match(page, /&lt;b&gt;下架&lt;\/b&gt;测试<\/strong>（编号 \d+）<span class="tag">已下架<\/span>/);
  });

  test('`linli check ledger` fails on a database whose cached balance was broken on purpose', async () => {
    const s = await startServer({store});
    try {
      const c = await s.login('binhe');
      const jp = Number(s.sql("SELECT person_id FROM accounts WHERE username = 'jumin'")[0][0]);
      const r = await c.post('/api/v1/points/awards', {place_code: INSIDE, person_id: jp, source_type: 'test_award', source_id: 1, points: 12});
      assert.equal(r.status, 201, r.text);
      assert.equal((await s.cli(['check', 'ledger'])).code, 0);
      s.sql(`UPDATE points_accounts SET balance = balance + 1 WHERE person_id = ${jp}`);
      const bad = await s.cli(['check', 'ledger']);
      assert.equal(bad.code, 1, bad.stdout);
      assert.match(bad.stdout, /account \d+: cached balance 13, entries sum to 12/);
    } finally {
      await s.stop();
    }
  });
});
