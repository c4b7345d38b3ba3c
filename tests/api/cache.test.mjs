// The people reads (GET /api/v1/residents and /api/v1/residents/{id}) and the
// sessions are kept in memory by each server process (http/response_cache.c,
// http/session_cache.c) and reused only while the change counters of migration
// 021 stand. These tests read through one process, change the data through
// another process, the command line or plain SQL, and expect the first process
// to show the change at once: every one of them fails if any of the counters'
// triggers is missing or the cache is checked against the wrong counter.
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {DEMO, forEachStore, makeUser, startServer} from '../lib/harness.mjs';

forEachStore('cached people reads follow every change, from any process', (store) => {
  let a;
  let b;
  let nowFile;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T10:00:00+08:00');
    const env = {LINLI_NOW_FILE: nowFile};
    a = await startServer({store, env});
    b = await startServer({store, env, dbUrl: a.dbUrl});
  });
  after(async () => {
    await b.stop();
    await a.stop();
  });

  // A resident of 滨河社区 to watch, read through A until it is cached.
  async function watched(client, query = `place=${DEMO.community}&limit=3`) {
    const list = await client.get(`/api/v1/residents?${query}`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const id = list.body.items[0].id;
    const one = await client.get(`/api/v1/residents/${id}`);
    assert.equal(one.status, 200);
    assert.deepEqual((await client.get(`/api/v1/residents/${id}`)).body, one.body, 'read twice, the same');
    return {id, person: one.body, list: list.body};
  }

  test('an edit through another process shows at once in the record and in the list', async () => {
    const onA = await a.login('binhe', DEMO.password);
    const onB = await b.login('binhe', DEMO.password);
    const {id} = await watched(onA);
    const edited = await onB.patch(`/api/v1/residents/${id}`, {note: `缓存测试 ${store}`});
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal((await onA.get(`/api/v1/residents/${id}`)).body.note, `缓存测试 ${store}`);

    const tagged = await onB.put(`/api/v1/residents/${id}/care-tags`, {care_tags: ['empty_nest']});
    assert.equal(tagged.status, 200, JSON.stringify(tagged.body));
    assert.deepEqual((await onA.get(`/api/v1/residents/${id}`)).body.care_tags, ['empty_nest']);
    const list = await onA.get(`/api/v1/residents?place=${DEMO.community}&limit=3`);
    assert.deepEqual(list.body.items.find((p) => p.id === id).care_tags, ['empty_nest']);
  });

  test('a write by any writer, even plain SQL outside linli, is seen', async () => {
    const onA = await a.login('binhe', DEMO.password);
    const {id} = await watched(onA);
    a.sql(`UPDATE people SET note = 'SQL ${store}' WHERE id = ${id}`);
    assert.equal((await onA.get(`/api/v1/residents/${id}`)).body.note, `SQL ${store}`);
    // the name of the place the person lives in (places are renamed, not only people)
    const code = (await onA.get(`/api/v1/residents/${id}`)).body.place_code;
    a.sql(`UPDATE places SET name = '改名测试' WHERE code = '${code}'`);
    assert.equal((await onA.get(`/api/v1/residents/${id}`)).body.place_name, '改名测试');
    const list = await onA.get(`/api/v1/residents?place=${DEMO.community}&limit=3`);
    assert.equal(list.body.items.find((p) => p.id === id).place_name, '改名测试');
  });

  test('a grant taken away through another process closes the cached answers and the session', async () => {
    const u = await makeUser(a, `cache_${store}`, 'grid_worker', DEMO.community);
    const onA = await a.login(u.username, u.password);
    const {id} = await watched(onA);
    const admin = await b.login('admin', DEMO.password);
    const acct = await admin.get(`/api/v1/accounts/${u.id}`);
    assert.equal(acct.status, 200, JSON.stringify(acct.body));
    const grant = acct.body.grants[0];
    assert.equal((await admin.del(`/api/v1/grants/${grant.id}`)).status, 200);
    assert.equal((await onA.get(`/api/v1/residents/${id}`)).status, 404, 'no grant: out of scope');
    const list = await onA.get(`/api/v1/residents?place=${DEMO.community}&limit=3`);
    assert.notEqual(list.status, 200, 'no grant: no list');

    // and a logout through B ends the session A had checked and kept
    const again = await a.login('binhe', DEMO.password);
    assert.equal((await again.get(`/api/v1/residents/${id}`)).status, 200);
    const sameOnB = b.client(again.token);
    assert.equal((await sameOnB.post('/api/v1/auth/logout', {})).status, 200);
    assert.equal((await again.get(`/api/v1/residents/${id}`)).status, 401);
  });

  test('ages move with the date, cached or not', async () => {
    const {id} = await watched(await a.login('xian', DEMO.password));
    // half an hour before this person's next birthday (Beijing time), then an
    // hour later, on the birthday: one session, the same question (the date
    // from the database: the answer shows only the age beside a 身份证号)
    const [, mm, dd] = a.sql(`SELECT birth_date FROM people WHERE id = ${id}`)[0][0].split('-');
    const birthday = new Date(Date.UTC(2027, Number(mm) - 1, Number(dd)));
    const eve = new Date(birthday.getTime() - 86400e3).toISOString().slice(0, 10);
    setNow(`${eve}T23:30:00+08:00`);
    const onA = await a.login('xian', DEMO.password);
    const ageBefore = (await onA.get(`/api/v1/residents/${id}`)).body.age;
    assert.equal(typeof ageBefore, 'number');
    assert.equal((await onA.get(`/api/v1/residents/${id}`)).body.age, ageBefore);
    setNow(`${birthday.toISOString().slice(0, 10)}T00:30:00+08:00`);
    assert.equal((await onA.get(`/api/v1/residents/${id}`)).body.age, ageBefore + 1);
    setNow('2026-11-23T10:00:00+08:00');
  });
});

forEachStore('the cache keeps answers apart', (store) => {
  let s;
  before(async () => {
    s = await startServer({store});
  });
  after(async () => s.stop());

  test('one account never gets another account\'s kept answer, and queries are told apart', async () => {
    const county = await s.login('xian', DEMO.password);
    const other = await s.login('mayingwei', DEMO.password);
    const all = await county.get('/api/v1/residents?limit=5');
    assert.equal(all.status, 200);
    const theirs = await other.get('/api/v1/residents?limit=5');
    assert.equal(theirs.status, 200);
    assert.ok(theirs.body.items.every((p) => p.place_code.startsWith('140930100007')),
      'the other community\'s secretary sees only their own residents');
    const mine = await county.get(`/api/v1/residents?place=${DEMO.community}&limit=1`);
    const id = mine.body.items[0].id;
    assert.equal((await county.get(`/api/v1/residents/${id}`)).status, 200);
    assert.equal((await other.get(`/api/v1/residents/${id}`)).status, 404);
    // a value holding "&" is one value, not two parameters
    const odd = await county.get(`/api/v1/residents?limit=5&name=${encodeURIComponent('王&limit=1')}`);
    const plain = await county.get('/api/v1/residents?limit=5&name=王');
    assert.equal(odd.status, 200);
    assert.equal(plain.status, 200);
    assert.notDeepEqual(odd.body, plain.body);
  });

  test('`serve --cache-mb` refuses a bad size', async () => {
    const r = await s.cli(['serve', '--cache-mb', 'lots']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--cache-mb/);
  });
});
