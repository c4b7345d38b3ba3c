// Issue 10, the people ledger's part, on the small demo, both stores:
//  - masked means masked: beside a masked 身份证号 no answer, page, form,
//    export or audit entry shows the birth date (its hidden middle);
//  - a search by phone matches a whole number only (a part of one would
//    complete a masked phone digit by digit);
//  - a reveal needs a reason (kept in the audit entry), is limited to 30 a day
//    per account, counted in the database (two server processes share it), a
//    refused one answers 429 and changes nothing; a burst of 10 within an hour
//    or reaching the limit sends an inbox item to the level above;
//  - a duplicate 身份证号 outside the caller's scope is refused without saying
//    where it lives, and the attempt is audited under the existing person's place.
// The servers read the time from a file (LINLI_NOW_FILE), so the day can turn.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {DEMO, forEachStore, startServer} from '../lib/harness.mjs';

const BINHE = DEMO.community; // 140930100010 滨河社区
const MAYINGWEI = '140930100007'; // 马营围社区
const WHY = {reason: '入户走访核实信息'};
const LIMIT = 30;
const BURST = 10;

const count = (s, sql) => Number(s.sql(sql)[0][0]);

// The ways a birth date may be written: 1996-10-05, 19961005, 1996年10月5日, 1996/10/05.
function birthForms(iso) {
  const [y, m, d] = iso.split('-');
  return [iso, `${y}${m}${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${y}/${m}/${d}`];
}

function assertNoBirth(text, iso, where) {
  for (const f of birthForms(iso)) assert.ok(!text.includes(f), `${where} shows the birth date as ${f}`);
}

forEachStore('people hardening', (store) => {
  let s;
  let s2; // a second process on the same database
  let nowFile;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T10:00:00+08:00');
    const env = {LINLI_NOW_FILE: nowFile};
    s = await startServer({store, env});
    s2 = await startServer({store, env, dbUrl: s.dbUrl});
  });
  after(async () => {
    await s2.stop();
    await s.stop();
  });

  // Residents of a community with a 身份证号 and a phone: [{id, name, place_code, id_number, phone, birth_date}].
  function residents(community, n) {
    return s
      .sql(
        `SELECT id, name, place_code, id_number, phone, birth_date FROM people WHERE place_code >= '${community}' ` +
          `AND place_code < '${community}:' AND id_number IS NOT NULL AND phone IS NOT NULL ` +
          `AND place_code IN (SELECT code FROM places WHERE level = 'household') ORDER BY id LIMIT ${n}`,
      )
      .map(([id, name, place_code, id_number, phone, birth_date]) => ({id: Number(id), name, place_code, id_number, phone, birth_date}));
  }

  const inbox = async (c, kind = 'reveal_alert') => (await c.get('/api/v1/inbox?limit=100')).body.items.filter((n) => n.kind === kind);
  const reveals = (user) => count(s, `SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND actor = '${user}'`);

  test('no answer, page, form, export or audit entry shows the birth date beside a masked 身份证号', async () => {
    const [p] = residents(BINHE, 1);
    assert.ok(p && p.birth_date, 'a demo resident with 身份证号, phone and birth date');
    const binhe = await s.login('binhe');

    const one = await binhe.get(`/api/v1/residents/${p.id}`);
    assert.equal(one.status, 200);
    s.validate('GET', '/api/v1/residents/{id}', 200, one.body);
    assert.equal(one.body.birth_date, null);
    assert.equal(typeof one.body.age, 'number', 'the age stands in for it');
    assertNoBirth(one.text, p.birth_date, 'the record');
    const list = await binhe.get(`/api/v1/residents?q=${encodeURIComponent(p.name)}`);
    assertNoBirth(list.text, p.birth_date, 'the list');
    assertNoBirth((await binhe.get(`/api/v1/households/${p.place_code}/members`)).text, p.birth_date, 'the household');

    const b = await s.browserLogin('binhe');
    for (const page of [`/residents/${p.id}`, `/residents/${p.id}/edit`, `/places/${p.place_code}`,
      `/residents?q=${encodeURIComponent(p.name)}`]) {
      const html = await b.get(page);
      assert.equal(b.last.status, 200, page);
      assert.ok(html.includes(p.id_number.slice(0, 6)), `${page} shows the masked number`);
      assertNoBirth(html, p.birth_date, page);
    }

    // exports: CSV and the workbook's sheet
    const csv = await fetch(`${s.url}/api/v1/exports/people?format=csv&place=${p.place_code}`, {headers: {Authorization: `Bearer ${binhe.token}`}});
    assert.equal(csv.status, 200);
    const text = await csv.text();
    assert.ok(text.includes(`${p.id_number.slice(0, 6)}********`));
    assertNoBirth(text, p.birth_date, 'the CSV export');
    const xlsx = await fetch(`${s.url}/api/v1/exports/people?format=xlsx&place=${p.place_code}`, {headers: {Authorization: `Bearer ${binhe.token}`}});
    assert.equal(xlsx.status, 200);
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-xlsx-'));
    writeFileSync(path.join(dir, 'x.xlsx'), Buffer.from(await xlsx.arrayBuffer()));
    const sheet = spawnSync('unzip', ['-p', path.join(dir, 'x.xlsx')], {encoding: 'utf8'}).stdout;
    assert.ok(sheet.includes(`${p.id_number.slice(0, 6)}********`), 'the workbook holds the masked number');
    assertNoBirth(sheet, p.birth_date, 'the xlsx export');

    // an update's audit entry, before and after
    const patched = await binhe.patch(`/api/v1/residents/${p.id}`, {note: '加固测试'});
    assert.equal(patched.status, 200);
    assert.equal(patched.body.birth_date, null);
    const log = await binhe.get(`/api/v1/audit?entity=person&action=update&limit=5`);
    const entry = log.body.items.find((e) => String(e.entity_id) === String(p.id));
    assert.ok(entry, 'the update is audited');
    assert.ok(!('birth_date' in entry.after_json) && !('birth_date' in entry.before_json));
    assertNoBirth(JSON.stringify(entry), p.birth_date, 'the audit entry');

    // the full values come only from the audited reveal
    const shown = await binhe.post(`/api/v1/residents/${p.id}/reveal`, WHY);
    assert.equal(shown.status, 200);
    s.validate('POST', '/api/v1/residents/{id}/reveal', 200, shown.body);
    assert.equal(shown.body.birth_date, p.birth_date, 'the reveal gives the date');
    assert.equal(shown.body.id_number, p.id_number);
  });

  test('a search by phone matches a whole number only', async () => {
    const [p] = residents(BINHE, 1);
    const binhe = await s.login('binhe');
    const whole = await binhe.get(`/api/v1/residents?q=${p.phone}`);
    assert.equal(whole.status, 200);
    assert.ok(whole.body.items.some((x) => x.id === p.id), 'found by the whole number');
    // the masked phone shows the first 3 and last 4; guessing the rest one digit at a time finds nothing
    for (const part of [p.phone.slice(0, 4), p.phone.slice(0, 7), p.phone.slice(0, 10), p.phone.slice(-4), p.phone.slice(3, 7)]) {
      const r = await binhe.get(`/api/v1/residents?q=${part}`);
      assert.equal(r.status, 400, `q=${part}`);
      s.validate('GET', '/api/v1/residents', 400, r.body);
      assert.equal(r.body.error.field, 'q');
      assert.match(r.body.error.message, /完整/);
      const exact = await binhe.get(`/api/v1/residents?phone=${part}`);
      assert.equal(exact.status, 200);
      assert.equal(exact.body.items.length, 0, `phone=${part} matches nobody`);
    }
    const b = await s.browserLogin('binhe');
    const html = await b.get(`/residents?q=${p.phone.slice(0, 7)}`);
    assert.equal(b.last.status, 400);
    assert.match(html, /按电话查找请输入完整/);
  });

  test('a reveal needs a reason, is limited per day across processes, and a refusal changes nothing', async () => {
    const people = residents(BINHE, LIMIT + 2);
    assert.ok(people.length >= LIMIT + 1);
    const onA = await s.login('binhe_sg');
    const onB = await s2.login('binhe_sg');
    const before0 = reveals('binhe_sg');

    for (const body of [undefined, {}, {reason: '  '}, {reason: '原'.repeat(101)}]) {
      const r = await onA.post(`/api/v1/residents/${people[0].id}/reveal`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      s.validate('POST', '/api/v1/residents/{id}/reveal', 400, r.body);
      assert.equal(r.body.error.field, 'reason');
      assert.match(r.body.error.message, /原因/);
    }
    assert.equal(reveals('binhe_sg'), before0, 'no reason: nothing revealed, nothing logged');
    const mayingwei = await s.login('mayingwei');
    assert.equal((await mayingwei.post(`/api/v1/residents/${people[0].id}/reveal`, {})).status, 404,
      'out of scope answers 404 before the reason is looked at');

    // 30 reveals, alternating between the two processes
    for (let i = 0; i < LIMIT; i++) {
      const c = i % 2 ? onB : onA;
      const r = await c.post(`/api/v1/residents/${people[i].id}/reveal`, {reason: `走访 ${i}`});
      assert.equal(r.status, 200, `reveal ${i + 1}: ${JSON.stringify(r.body)}`);
      assert.ok(!r.body.id_number.includes('*'));
    }
    assert.equal(reveals('binhe_sg'), before0 + LIMIT);
    const reasons = s.sql("SELECT after_json FROM audit_log WHERE action = 'reveal' AND actor = 'binhe_sg' ORDER BY id").map(([j]) => JSON.parse(j).reason);
    assert.deepEqual(reasons.slice(-2), [`走访 ${LIMIT - 2}`, `走访 ${LIMIT - 1}`], 'each reason is in its audit entry');
    const row = () => s.sql("SELECT r.day, r.n, r.recent FROM reveal_counts r JOIN accounts a ON a.id = r.account_id WHERE a.username = 'binhe_sg'")[0];
    const counted = row();
    assert.deepEqual(counted.slice(0, 2), ['2026-11-23', String(LIMIT)]);

    // the 31st: refused by either process, nothing shown, logged or counted
    for (const c of [onA, onB]) {
      const r = await c.post(`/api/v1/residents/${people[LIMIT].id}/reveal`, WHY);
      assert.equal(r.status, 429);
      s.validate('POST', '/api/v1/residents/{id}/reveal', 429, r.body);
      assert.equal(r.body.error.code, 'rate_limited');
      assert.match(r.body.error.message, /上限/);
      // 10:00 in Beijing: the limit ends in 14 hours
      assert.equal(r.headers['retry-after'], String(14 * 3600));
      assert.ok(!r.text.includes(people[LIMIT].id_number) && !r.text.includes(people[LIMIT].phone));
    }
    const b = await s2.browserLogin('binhe_sg');
    const refused = await b.postFormRaw(`/residents/${people[LIMIT].id}/reveal`, WHY);
    assert.equal(refused.status, 429);
    assert.match(refused.text, /上限/);
    assert.ok(!refused.text.includes(people[LIMIT].id_number), 'the refused page stays masked');
    assert.equal(reveals('binhe_sg'), before0 + LIMIT, 'refusals log nothing');
    assert.deepEqual(row(), counted, 'refusals count nothing');

    // the next Beijing day starts again
    setNow('2026-11-24T00:05:00+08:00');
    const tomorrow = await s2.login('binhe_sg'); // the session idled out overnight
    const next = await tomorrow.post(`/api/v1/residents/${people[LIMIT].id}/reveal`, WHY);
    assert.equal(next.status, 200);
    assert.deepEqual(row().slice(0, 2), ['2026-11-24', '1']);
    setNow('2026-11-23T10:00:00+08:00');
  });

  test('reveals sent at once through two processes stop at exactly the daily limit', async () => {
    setNow('2026-11-24T15:00:00+08:00');
    const people = residents(BINHE, 6);
    const onA = await s.login('binhe');
    const onB = await s2.login('binhe');
    const before0 = reveals('binhe');
    const tries = LIMIT + 8;
    const answers = await Promise.all(
      Array.from({length: tries}, (_, i) =>
        (i % 2 ? onB : onA).post(`/api/v1/residents/${people[i % people.length].id}/reveal`, {reason: `并发 ${i}`})),
    );
    const statuses = answers.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 200).length, LIMIT, statuses.join(','));
    assert.equal(statuses.filter((x) => x === 429).length, tries - LIMIT, statuses.join(','));
    assert.equal(reveals('binhe'), before0 + LIMIT, 'one audit entry per reveal shown');
    assert.equal(count(s, "SELECT r.n FROM reveal_counts r JOIN accounts a ON a.id = r.account_id WHERE a.username = 'binhe'"), LIMIT);
  });

  test('a burst of reveals and the daily limit alert the level above, once each', async () => {
    setNow('2026-11-25T09:00:00+08:00');
    const wangge1 = await s.login('wangge1'); // grid worker in 滨河社区
    const xikou = await s.login('xikou'); // the street's admin
    const binhe = await s.login('binhe'); // the community's secretary: not the level above
    const xian = await s.login('xian'); // the county: not the level above a grid worker
    const theirs = (await wangge1.get('/api/v1/residents?limit=500')).body.items.filter((x) => x.id_number);
    assert.ok(theirs.length >= 5);
    const [street0, binhe0, county0] = [(await inbox(xikou)).length, (await inbox(binhe)).length, (await inbox(xian)).length];

    for (let i = 0; i < BURST - 1; i++)
      assert.equal((await wangge1.post(`/api/v1/residents/${theirs[i % theirs.length].id}/reveal`, WHY)).status, 200);
    assert.equal((await inbox(xikou)).length, street0, 'nine reveals in an hour: no alert');
    assert.equal((await wangge1.post(`/api/v1/residents/${theirs[0].id}/reveal`, WHY)).status, 200);
    const alerts = await inbox(xikou);
    assert.equal(alerts.length, street0 + 1, 'the tenth within the hour alerts the street');
    const alert = alerts[0];
    assert.match(alert.title, /wangge1/);
    assert.match(alert.body, /一小时内查看了 10 次/);
    assert.equal(alert.order_id, null);
    for (const p of theirs) assert.ok(!alert.body.includes(p.name), 'the alert names no resident');
    const page = await (await s.browserLogin('xikou')).get('/inbox');
    assert.match(page, /异常查看提醒：wangge1/, 'the inbox page shows it');
    assert.equal((await inbox(binhe)).length, binhe0, 'not the community\'s own secretary');
    assert.equal((await inbox(xian)).length, county0, 'not the county');

    for (let i = BURST; i < LIMIT - 1; i++)
      assert.equal((await wangge1.post(`/api/v1/residents/${theirs[i % theirs.length].id}/reveal`, WHY)).status, 200);
    assert.equal((await inbox(xikou)).length, street0 + 1, 'one burst alert an hour');
    assert.equal((await wangge1.post(`/api/v1/residents/${theirs[0].id}/reveal`, WHY)).status, 200);
    const atLimit = await inbox(xikou);
    assert.equal(atLimit.length, street0 + 2, 'reaching the daily limit alerts again');
    assert.match(atLimit[0].body, /达到每日上限/);
    assert.equal((await wangge1.post(`/api/v1/residents/${theirs[0].id}/reveal`, WHY)).status, 429);
    assert.equal((await inbox(xikou)).length, street0 + 2, 'a refusal sends nothing');

    // the street's own admin answers to the county
    const streetPeople = residents(BINHE, BURST);
    for (const p of streetPeople) assert.equal((await xikou.post(`/api/v1/residents/${p.id}/reveal`, WHY)).status, 200);
    const countyAlerts = await inbox(xian);
    assert.equal(countyAlerts.length, county0 + 1);
    assert.match(countyAlerts[0].title, /xikou/);
  });

  test('a duplicate 身份证号 outside the caller\'s scope is refused without saying where, and audited', async () => {
    const [p] = residents(BINHE, 1);
    const placeName = s.sql(`SELECT name FROM places WHERE code = '${p.place_code}'`)[0][0];
    const mayingwei = await s.login('mayingwei');
    const theirs = (await mayingwei.get('/api/v1/residents?limit=5')).body.items;
    const household = theirs[0].place_code;
    assert.ok(household.startsWith(MAYINGWEI));
    const peopleCount = () => count(s, 'SELECT COUNT(*) FROM people');
    const duplicates = () => count(s, `SELECT COUNT(*) FROM audit_log WHERE action = 'duplicate' AND entity = 'person' AND entity_id = '${p.id}'`);
    const [n0, d0] = [peopleCount(), duplicates()];
    const saysNothing = (msg) => {
      assert.equal(msg, '该身份证号已在其他社区登记');
      for (const secret of [String(p.id), p.name, placeName, BINHE, '滨河']) assert.ok(!msg.includes(secret), `says ${secret}`);
    };

    const created = await mayingwei.post('/api/v1/residents', {name: '重号测试', id_number: p.id_number, place_code: household});
    assert.equal(created.status, 409);
    s.validate('POST', '/api/v1/residents', 409, created.body);
    assert.equal(created.body.error.field, 'id_number');
    saysNothing(created.body.error.message);
    assert.equal(peopleCount(), n0);
    assert.equal(duplicates(), d0 + 1, 'the attempt is audited');
    const [entry] = s.sql(`SELECT actor, place_code, after_json FROM audit_log WHERE action = 'duplicate' AND entity_id = '${p.id}' ORDER BY id DESC LIMIT 1`);
    assert.equal(entry[0], 'mayingwei');
    assert.equal(entry[1], p.place_code, 'filed under the existing person\'s place');
    assert.equal(JSON.parse(entry[2]).place_code, household);
    assert.ok(!entry[2].includes(p.id_number), 'the number is masked in the entry');
    // the caller's own audit view does not show where; the other community's does
    const mine = await mayingwei.get('/api/v1/audit?action=duplicate&limit=50');
    assert.equal(mine.status, 200);
    assert.ok(!mine.body.items.some((e) => String(e.entity_id) === String(p.id)));
    const binhe = await s.login('binhe');
    const there = await binhe.get('/api/v1/audit?action=duplicate&limit=50');
    assert.ok(there.body.items.some((e) => String(e.entity_id) === String(p.id) && e.actor === 'mayingwei'));

    // an update to that number, the form and the import say the same and are audited too
    const patched = await mayingwei.patch(`/api/v1/residents/${theirs[0].id}`, {id_number: p.id_number});
    assert.equal(patched.status, 409);
    saysNothing(patched.body.error.message);
    assert.equal(duplicates(), d0 + 2);
    const b = await s.browserLogin('mayingwei');
    const form = await b.postFormRaw('/residents', {name: '重号测试', id_number: p.id_number, place_code: household});
    assert.equal(form.status, 409);
    assert.match(form.text, /该身份证号已在其他社区登记/);
    assert.ok(!form.text.includes(`/residents/${p.id}"`) && !form.text.includes(placeName));
    assert.equal(duplicates(), d0 + 3);
    const csv = `姓名,身份证号,所在地代码\n重号导入,${p.id_number},${household}\n`;
    for (const q of ['?dry_run=1&filename=a.csv', '?filename=a.csv']) {
      const r = await mayingwei.raw('POST', `/api/v1/imports/people${q}`, {headers: {'Content-Type': 'text/csv'}, body: csv});
      assert.equal(r.status, 422, q);
      assert.equal(r.body.errors.length, 1);
      assert.equal(r.body.errors[0].column, '身份证号');
      saysNothing(r.body.errors[0].message);
    }
    assert.equal(duplicates(), d0 + 5, 'each import attempt, dry run included, is audited');
    assert.equal(peopleCount(), n0);

    // inside the caller's scope the message says which record holds it, and the form links to it
    const own = await binhe.post('/api/v1/residents', {name: '重号测试', id_number: p.id_number, place_code: p.place_code});
    assert.equal(own.status, 409);
    assert.ok(own.body.error.message.includes(String(p.id)));
    const bb = await s.browserLogin('binhe');
    const ownForm = await bb.postFormRaw('/residents', {name: '重号测试', id_number: p.id_number, place_code: p.place_code});
    assert.equal(ownForm.status, 409);
    assert.ok(ownForm.text.includes(`href="/residents/${p.id}"`), 'a link to the existing record');
    const ownImport = await binhe.raw('POST', '/api/v1/imports/people?dry_run=1', {headers: {'Content-Type': 'text/csv'},
      body: `姓名,身份证号,所在地代码\n重号导入,${p.id_number},${p.place_code}\n`});
    assert.equal(ownImport.status, 422);
    assert.match(ownImport.body.errors[0].message, new RegExp(`已在台账中登记（居民编号 ${p.id}`));
    assert.equal(duplicates(), d0 + 5, 'in scope: nothing to audit');
  });
});
