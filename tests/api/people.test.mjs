// The people ledger 人员台账 over the API and its pages, on the small demo:
// masking of 身份证号 and phone everywhere (and no birth date beside a masked
// number), the logged reveal with its reason, search, keyset
// pagination, validation of new residents (GB 11643 check digit, uniqueness),
// audited updates, the records of party members, volunteers, partners and
// community workers, care tags, and self-only accounts that see only themselves.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {after, before, test} from 'node:test';

import {DEMO, forEachStore, startServer} from '../lib/harness.mjs';

const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;
const MASKED_PHONE = /^[\d-]{0,5}\*+[\d-]{0,6}$/;
const FULL_ID = /^\d{17}[\dX]$/;
const BINHE = DEMO.community; // 140930100010 滨河社区
const MAYINGWEI = '140930100007'; // 马营围社区
const NOT_FOR_YOU = [403, 404];
const WHY = {reason: '核实低保申请'};

// A valid 18-digit 身份证号 (GB 11643 check digit) for a birth date and sequence.
function idNumber(birth, seq, prefix = '140930') {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = `${prefix}${birth}${seq}`;
  const sum = [...s].reduce((acc, ch, i) => acc + Number(ch) * w[i], 0);
  return s + '10X98765432'[sum % 11];
}

function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], {input: html, encoding: 'utf8'});
  return r.status >= 2 ? r.stderr : '';
}

function assertMasked(item, where) {
  if (item.id_number !== null) assert.match(item.id_number, MASKED_ID, `${where}: id_number ${item.id_number}`);
  if (item.phone !== null) assert.match(item.phone, MASKED_PHONE, `${where}: phone ${item.phone}`);
}

// Every item of a list, following next_cursor.
async function listAll(c, path, limit) {
  const items = [];
  const cursors = new Set();
  let cursor = null;
  for (let page = 0; page < 10000; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await c.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.length <= limit);
    items.push(...r.body.items);
    cursor = r.body.next_cursor;
    if (cursor === null) return items;
    assert.equal(typeof cursor, 'string');
    assert.ok(!cursors.has(cursor), 'a cursor repeats');
    cursors.add(cursor);
    assert.equal(r.body.items.length, limit, 'only the last page may be short');
  }
  throw new Error('pagination does not end');
}

function count(s, sql) {
  return Number(s.sql(sql)[0][0]);
}

forEachStore('people ledger', (store) => {
  let s;
  let binhe;
  let all; // binhe's whole list
  before(async () => {
    s = await startServer({store, demo: true});
    binhe = await s.login('binhe');
    all = await listAll(binhe, '/api/v1/residents', 500);
  });
  after(async () => {
    await s.stop();
  });

  // A 滨河 resident with an id number and a phone, not linked to a demo account.
  function someone(skip = []) {
    const p = all.find((x) => x.id_number && x.phone && !skip.includes(x.id));
    assert.ok(p, 'the demo has residents with 身份证号 and phone');
    return p;
  }

  test('lists, records and household members show 身份证号 and phone masked', async () => {
    assert.ok(all.length > 0);
    assert.ok(all.some((p) => p.id_number) && all.some((p) => p.phone));
    for (const p of all) {
      assert.ok(p.place_code.startsWith(BINHE), `binhe sees ${p.place_code}`);
      assertMasked(p, 'list');
      // the birth date is the masked middle of the 身份证号: lists give the age only
      assert.ok(!('birth_date' in p), 'a list shows no birth date');
    }
    const r = await binhe.get('/api/v1/residents?limit=50');
    s.validate('GET', '/api/v1/residents', 200, r.body);
    const p = someone();
    const one = await binhe.get(`/api/v1/residents/${p.id}`);
    assert.equal(one.status, 200);
    s.validate('GET', '/api/v1/residents/{id}', 200, one.body);
    assertMasked(one.body, 'record');
    assert.equal(one.body.id_number, p.id_number);
    assert.equal(one.body.birth_date, null, 'no birth date beside the masked number');
    assert.equal(typeof one.body.age, 'number');
    const hh = await binhe.get(`/api/v1/households/${p.place_code}/members`);
    assert.equal(hh.status, 200);
    s.validate('GET', '/api/v1/households/{code}/members', 200, hh.body);
    assert.ok(hh.body.items.some((m) => m.id === p.id));
    for (const m of hh.body.items) assertMasked(m, 'household');
    const page = await (await s.browserLogin('binhe')).get(`/residents/${p.id}`);
    assert.ok(page.includes(p.id_number), 'the page shows the masked number');
  });

  test('reveal returns the full numbers and logs it; self-only roles can neither reveal nor list', async () => {
    const p = someone();
    const logged = `SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND entity = 'person' AND entity_id = '${p.id}'`;
    const before = count(s, logged);
    const none = await binhe.post(`/api/v1/residents/${p.id}/reveal`, {});
    assert.equal(none.status, 400, 'a reveal needs a reason');
    s.validate('POST', '/api/v1/residents/{id}/reveal', 400, none.body);
    assert.equal(none.body.error.field, 'reason');
    assert.equal(count(s, logged), before, 'a refused reveal logs nothing');
    const r = await binhe.post(`/api/v1/residents/${p.id}/reveal`, WHY);
    assert.equal(r.status, 200);
    s.validate('POST', '/api/v1/residents/{id}/reveal', 200, r.body);
    assert.match(r.body.id_number, FULL_ID);
    assert.equal(r.body.id_number.slice(0, 6), p.id_number.slice(0, 6));
    assert.equal(r.body.id_number.slice(-4), p.id_number.slice(-4));
    assert.ok(!r.body.phone.includes('*'));
    assert.equal(count(s, logged), before + 1, 'one audit entry per reveal');
    const log = await binhe.get('/api/v1/audit?entity=person&action=reveal&limit=5');
    assert.equal(log.status, 200);
    const entry = log.body.items.find((e) => String(e.entity_id) === String(p.id) && e.actor === 'binhe');
    assert.ok(entry);
    assert.equal(entry.after_json.reason, WHY.reason, 'the reason is in the audit entry');
    // revealing once does not unmask anything afterwards
    const again = await binhe.get(`/api/v1/residents/${p.id}`);
    assert.ok(!again.text.includes(r.body.id_number) && !again.text.includes(r.body.phone));
    const list = await binhe.get('/api/v1/residents?limit=500');
    assert.ok(!list.text.includes(r.body.id_number));

    for (const user of ['jumin', 'dangyuan', 'kuaidi']) {
      const c = await s.login(user);
      assert.ok(NOT_FOR_YOU.includes((await c.get('/api/v1/residents')).status), `${user} lists residents`);
      assert.ok(NOT_FOR_YOU.includes((await c.get(`/api/v1/residents?place=${BINHE}`)).status));
      assert.ok(NOT_FOR_YOU.includes((await c.post(`/api/v1/residents/${p.id}/reveal`, WHY)).status), `${user} reveals`);
      const me = await c.get('/api/v1/me/person');
      if (me.status === 200) {
        const self = await c.post(`/api/v1/residents/${me.body.id}/reveal`, WHY);
        assert.ok(NOT_FOR_YOU.includes(self.status), `${user} reveals even their own record`);
      }
    }
    assert.equal(count(s, logged), before + 1, 'refused reveals log nothing');

    // a grid worker reveals inside the grid
    const wangge1 = await s.login('wangge1');
    const mine = await wangge1.get('/api/v1/residents?limit=1');
    assert.equal(mine.status, 200);
    assert.equal(mine.body.items.length, 1);
    assert.equal((await wangge1.post(`/api/v1/residents/${mine.body.items[0].id}/reveal`, WHY)).status, 200);
  });

  test('search by name and by phone, inside scope only', async () => {
    const p = someone();
    const full = (await binhe.post(`/api/v1/residents/${p.id}/reveal`, WHY)).body;
    const byPhone = await binhe.get(`/api/v1/residents?q=${full.phone}`);
    assert.equal(byPhone.status, 200);
    s.validate('GET', '/api/v1/residents', 200, byPhone.body);
    assert.ok(byPhone.body.items.some((x) => x.id === p.id), 'found by the whole phone number');
    for (const x of byPhone.body.items) assert.equal(x.phone, p.phone);
    // a part of a number finds nobody: it would complete a masked phone
    const tail4 = await binhe.get(`/api/v1/residents?q=${full.phone.slice(-4)}`);
    assert.equal(tail4.status, 400);
    assert.equal(tail4.body.error.field, 'q');
    assert.equal((await binhe.get(`/api/v1/residents?phone=${full.phone.slice(0, 7)}`)).body.items.length, 0);

    const byName = await listAll(binhe, `/api/v1/residents?q=${encodeURIComponent(p.name)}`, 500);
    assert.ok(byName.some((x) => x.id === p.id), 'found by name');
    for (const x of byName) assert.ok(x.name.includes(p.name));
    const surname = [...p.name][0];
    const prefix = await listAll(binhe, `/api/v1/residents?name=${encodeURIComponent(surname)}`, 500);
    assert.ok(prefix.length > 0 && prefix.every((x) => x.name.startsWith(surname)));
    assert.equal(prefix.length, all.filter((x) => x.name.startsWith(surname)).length);

    // another community's secretary finds nothing of 滨河
    const mayingwei = await s.login('mayingwei');
    const theirs = await mayingwei.get(`/api/v1/residents?q=${full.phone}`);
    assert.equal(theirs.status, 200);
    assert.ok(!theirs.body.items.some((x) => x.id === p.id));
    const byNameThere = await listAll(mayingwei, `/api/v1/residents?q=${encodeURIComponent(p.name)}`, 500);
    assert.ok(byNameThere.every((x) => x.place_code.startsWith(MAYINGWEI)));

    // the page search
    const b = await s.browserLogin('binhe');
    const html = await b.get(`/residents?q=${encodeURIComponent(p.name)}`);
    assert.equal(b.last.status, 200);
    assert.ok(html.includes(`/residents/${p.id}"`));
    assert.equal(tidyErrors(html), '');
  });

  test('pagination visits every row once, in order, with opaque cursors', async () => {
    const small = await listAll(binhe, '/api/v1/residents', 7);
    assert.deepEqual(
      small.map((x) => x.id),
      all.map((x) => x.id),
      'pages of 7 give the same rows as pages of 500',
    );
    assert.equal(new Set(small.map((x) => x.id)).size, small.length, 'no row twice');
    const keys = small.map((x) => [x.place_code, x.id]);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1], keys[i]];
      assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), 'ordered by (place_code, id)');
    }
    const admin = await s.login('admin');
    const total = count(s, `SELECT COUNT(*) FROM people WHERE place_code >= '${BINHE}' AND place_code < '${BINHE}:'`);
    assert.equal(all.length, total, 'binhe sees every resident of 滨河社区');
    const placed = await listAll(admin, `/api/v1/residents?place=${BINHE}`, 13);
    assert.deepEqual(placed.map((x) => x.id), all.map((x) => x.id), 'admin filtered by place sees the same rows');
    const bad = await binhe.get('/api/v1/residents?cursor=not-a-cursor');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'cursor');
    assert.equal((await binhe.get('/api/v1/residents?limit=501')).status, 400);
  });

  test('a bad 身份证号 check digit is refused on id_number and creates nothing; a duplicate is 409', async () => {
    const household = someone().place_code;
    const good = idNumber('19010203', '778');
    const wrongDigit = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const people = 'SELECT COUNT(*) FROM people';
    const audits = 'SELECT COUNT(*) FROM audit_log';
    const [n0, a0] = [count(s, people), count(s, audits)];
    const bad = await binhe.post('/api/v1/residents', {name: '校验甲', id_number: wrongDigit, place_code: household});
    assert.equal(bad.status, 400);
    s.validate('POST', '/api/v1/residents', 400, bad.body);
    assert.equal(bad.body.error.field, 'id_number');
    assert.match(bad.body.error.message, /[\u4e00-\u9fff]/);
    assert.equal(count(s, people), n0, 'nothing created');
    assert.equal(count(s, audits), a0, 'nothing logged');

    const created = await binhe.post('/api/v1/residents', {
      name: '校验甲', id_number: good, place_code: household, phone: '13912345678', relation: '租户',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    s.validate('POST', '/api/v1/residents', 201, created.body);
    assert.equal(created.body.birth_date, null, 'no birth date beside the masked number');
    const shown = await binhe.post(`/api/v1/residents/${created.body.id}/reveal`, WHY);
    assert.equal(shown.body.birth_date, '1901-02-03', 'birth date taken from the 身份证号');
    assert.equal(created.body.sex, Number(good[16]) % 2 ? 'M' : 'F');
    assertMasked(created.body, 'created');
    assert.equal(count(s, people), n0 + 1);
    const entry = s.sql(`SELECT action, after_json FROM audit_log WHERE entity = 'person' AND entity_id = '${created.body.id}' AND action <> 'reveal'`);
    assert.equal(entry.length, 1);
    assert.equal(entry[0][0], 'create');
    assert.ok(!entry[0][1].includes(good), 'the audit log keeps the number masked');
    assert.ok(!entry[0][1].includes('1901-02-03'), 'and leaves out the birth date beside it');

    const dup = await binhe.post('/api/v1/residents', {name: '校验乙', id_number: good, place_code: household});
    assert.equal(dup.status, 409);
    s.validate('POST', '/api/v1/residents', 409, dup.body);
    assert.equal(dup.body.error.field, 'id_number');
    assert.ok(dup.body.error.message.includes(String(created.body.id)), 'in scope: which record holds it');
    const sexWrong = await binhe.post('/api/v1/residents', {
      name: '校验丙', id_number: idNumber('19010203', '779'), sex: Number(good[16]) % 2 ? 'M' : 'F', place_code: household,
    });
    assert.equal(sexWrong.status, 400);
    assert.equal(sexWrong.body.error.field, 'sex');
    for (const [body, field] of [
      [{id_number: idNumber('19010203', '780'), place_code: household}, 'name'],
      [{name: '名'.repeat(51), place_code: household}, 'name'],
      [{name: '校验丁', place_code: household, phone: '12345'}, 'phone'],
      [{name: '校验丁', place_code: household, birth_date: '2001-02-30'}, 'birth_date'],
      [{name: '校验丁', place_code: `${MAYINGWEI}001`}, 'place_code'],
      [{name: '校验丁'}, 'place_code'],
      [{name: '校验丁', place_code: household, id_number: `99${good.slice(2)}`}, 'id_number'],
    ]) {
      const r = await binhe.post('/api/v1/residents', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    }
    assert.equal(count(s, people), n0 + 1, 'refused input created nothing');
    const jumin = await s.login('jumin');
    assert.ok(NOT_FOR_YOU.includes((await jumin.post('/api/v1/residents', {name: 'x', place_code: household})).status));

    // the form shows the reason next to the field
    const b = await s.browserLogin('binhe');
    const html = await b.postForm('/residents', {name: '校验戊', id_number: wrongDigit, place_code: household});
    assert.equal(b.last.status, 400);
    assert.match(html, /<span class="field-error" id="id_number-error">[^<]*校验/);
    assert.equal(tidyErrors(html), '');
    assert.equal(count(s, people), n0 + 1);
  });

  test('an update is audited with before and after; a move needs scope on both places', async () => {
    const p = someone();
    const r = await binhe.patch(`/api/v1/residents/${p.id}`, {note: '更新测试', relation: '配偶'});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    s.validate('PATCH', '/api/v1/residents/{id}', 200, r.body);
    assert.equal(r.body.note, '更新测试');
    assert.equal(r.body.relation, '配偶');
    const log = await binhe.get(`/api/v1/audit?entity=person&action=update&limit=10`);
    const e = log.body.items.find((x) => String(x.entity_id) === String(p.id));
    assert.ok(e, 'an update entry');
    assert.equal(e.actor, 'binhe');
    assert.equal(e.after_json.note, '更新测试');
    assert.equal(e.after_json.relation, '配偶');
    assert.notEqual(e.before_json.note, '更新测试');
    assert.equal(e.before_json.name, p.name);
    assert.match(e.after_json.id_number, MASKED_ID);

    const other = all.find((x) => x.place_code !== p.place_code);
    const moved = await binhe.patch(`/api/v1/residents/${p.id}`, {place_code: other.place_code});
    assert.equal(moved.status, 200);
    assert.equal(moved.body.place_code, other.place_code);
    const away = await binhe.patch(`/api/v1/residents/${p.id}`, {place_code: `${MAYINGWEI}001`});
    assert.equal(away.status, 400);
    assert.equal(away.body.error.field, 'place_code');
    const mayingwei = await s.login('mayingwei');
    assert.equal((await mayingwei.patch(`/api/v1/residents/${p.id}`, {note: 'x'})).status, 404);
    assert.equal((await binhe.get(`/api/v1/residents/${p.id}`)).body.place_code, other.place_code);
    const cleared = await binhe.patch(`/api/v1/residents/${p.id}`, {note: null});
    assert.equal(cleared.body.note, null);
  });

  test('party member, volunteer, partner, community worker and care tags', async () => {
    const p = someone();
    const id = p.id;
    const noUnit = await binhe.put(`/api/v1/residents/${id}/party-member`, {kind: '在职党员', reported_at: '2024-05-01'});
    assert.equal(noUnit.status, 400);
    assert.equal(noUnit.body.error.field, 'work_unit');
    const pm = await binhe.put(`/api/v1/residents/${id}/party-member`, {
      kind: '在职党员', work_unit: '河曲县住建局', reported_at: '2024-05-01', pioneer_post: '文明劝导岗', duty_area: '1号楼',
    });
    assert.equal(pm.status, 200, JSON.stringify(pm.body));
    s.validate('PUT', '/api/v1/residents/{id}/party-member', 200, pm.body);
    assert.equal(pm.body.party_member.kind, 'in_service');
    assert.equal(pm.body.party_member.reported_community, BINHE, '双报到 at the community where they live');
    assert.equal(pm.body.is_party_member, true);
    const members = await listAll(binhe, '/api/v1/residents?party=1&member_kind=in_service', 500);
    assert.ok(members.some((x) => x.id === id));
    assert.ok(members.every((x) => x.member_kind === 'in_service'));

    const badTag = await binhe.put(`/api/v1/residents/${id}/care-tags`, {care_tags: ['空巢老人', '火星人']});
    assert.equal(badTag.status, 400);
    assert.equal(badTag.body.error.field, 'care_tags');
    const tags = await binhe.put(`/api/v1/residents/${id}/care-tags`, {care_tags: ['空巢老人', 'dibao', 'dibao']});
    assert.equal(tags.status, 200);
    s.validate('PUT', '/api/v1/residents/{id}/care-tags', 200, tags.body);
    assert.deepEqual(tags.body.care_tags, ['empty_nest', 'dibao']);
    const tagged = await listAll(binhe, '/api/v1/residents?care_tag=empty_nest', 500);
    assert.ok(tagged.some((x) => x.id === id) && tagged.every((x) => x.care_tags.includes('empty_nest')));

    const v = await binhe.put(`/api/v1/residents/${id}/volunteer`, {skills: ['律师', '水电维修']});
    assert.equal(v.status, 200);
    assert.deepEqual(v.body.volunteer.skills, ['律师', '水电维修']);
    const pa = await binhe.put(`/api/v1/residents/${id}/partner`, {trade: '外卖', company: '美团', duties: '民情信息员、平安巡查员'});
    assert.equal(pa.status, 200);
    assert.equal(pa.body.partner.trade, 'delivery');
    assert.deepEqual(pa.body.partner.duties, ['民情信息员', '平安巡查员']);
    const badGrade = await binhe.put(`/api/v1/residents/${id}/community-worker`, {post: '正职', grade: 19});
    assert.equal(badGrade.status, 400);
    assert.equal(badGrade.body.error.field, 'grade');
    const w = await binhe.put(`/api/v1/residents/${id}/community-worker`, {post: '正职', grade: 12, certificate: '社会工作师'});
    assert.equal(w.status, 200);
    s.validate('PUT', '/api/v1/residents/{id}/community-worker', 200, w.body);
    assert.equal(w.body.community_worker.grade, 12);
    const audited = count(s, `SELECT COUNT(*) FROM audit_log WHERE entity = 'person' AND entity_id = '${id}' AND action = 'update' AND note IN ('party_member', 'care_tags', 'volunteer', 'partner', 'community_worker')`);
    assert.ok(audited >= 5, `each record change is audited (${audited})`);
    const gone = await binhe.put(`/api/v1/residents/${id}/partner`, {remove: true});
    assert.equal(gone.body.partner, null);

    // the person's page shows the records; the edit page passes tidy
    const b = await s.browserLogin('binhe');
    const html = await b.get(`/residents/${id}`);
    assert.match(html, /在职党员/);
    assert.match(html, /空巢老人/);
    assert.match(html, /显示完整信息/);
    assert.equal(tidyErrors(html), '');
    const edit = await b.get(`/residents/${id}/edit`);
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(edit), '');
    const full = (await binhe.post(`/api/v1/residents/${id}/reveal`, WHY)).body;
    assert.ok(!edit.includes(`value="${full.id_number}"`), 'the edit form never prefills the full number');
    assert.ok(!edit.includes(full.birth_date), 'nor the birth date beside the masked number');
    assert.ok(!html.includes(full.birth_date), 'the page shows the age, not the birth date');
    const revealed = await b.postForm(`/residents/${id}/reveal`, WHY);
    assert.equal(b.last.status, 200);
    assert.match(revealed, /<dd>\d{17}[\dX]<\/dd>/);
    assert.equal(tidyErrors(revealed), '');
  });

  test('a self-only account reads its own record and gets 404 for a neighbour', async () => {
    for (const user of ['jumin', 'dangyuan']) {
      const c = await s.login(user);
      const me = await c.get('/api/v1/me/person');
      assert.equal(me.status, 200, `${user} has a person`);
      s.validate('GET', '/api/v1/me/person', 200, me.body);
      assertMasked(me.body, user);
      const own = await c.get(`/api/v1/residents/${me.body.id}`);
      assert.equal(own.status, 200);
      assert.equal(own.body.id, me.body.id);
      const housemates = (await binhe.get(`/api/v1/households/${me.body.place_code}/members`)).body.items;
      const neighbour = housemates.find((x) => x.id !== me.body.id) || all.find((x) => x.id !== me.body.id);
      const r = await c.get(`/api/v1/residents/${neighbour.id}`);
      assert.equal(r.status, 404, `${user} reads a neighbour`);
      s.validate('GET', '/api/v1/residents/{id}', 404, r.body);
      assert.ok(NOT_FOR_YOU.includes((await c.get(`/api/v1/households/${me.body.place_code}/members`)).status));
      const b = await s.browserLogin(user);
      const page = await b.get(`/residents/${me.body.id}`);
      assert.equal(b.last.status, 200);
      assert.ok(!page.includes('显示完整信息'), 'no reveal button for a self-only account');
      await b.get(`/residents/${neighbour.id}`);
      assert.equal(b.last.status, 404);
    }
    const dangyuan = await (await s.login('dangyuan')).get('/api/v1/me/person');
    assert.equal(dangyuan.body.is_party_member, true, 'the demo 党员 is a party member');
  });
});
