// Crash safety: `kill -9` of the server in the middle of a write load. After a
// restart on the same database every write the clients saw acknowledged (2xx)
// is there, and nothing half-written is: each write is one transaction of its
// row(s) and its audit entry, so the two always agree.
//
// Two loads: logins (each writes a session row and an audit row in one
// transaction) and residents created through POST /api/v1/residents (the
// person and its audit entry).
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {DEMO, VALGRIND, forEachStore, makeUser, sleep, startServer} from '../lib/harness.mjs';

const WORKERS = 6;
const ROUNDS = 3;

// A valid 18-digit 身份证号 (GB 11643 check digit) for the n-th test person.
function idNumber(n) {
  const body = `110101${1950 + (n % 50)}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

// Runs `write(k)` in WORKERS loops until the server dies, kills it at a random
// moment once `minAcks` writes were acknowledged, and returns the acknowledged
// results.
async function loadAndKill(s, write, minAcks) {
  const acked = [];
  let dead = false;
  let n = 0;
  let fatal = null; // the write itself is refused: no point in going on
  const loop = async () => {
    while (!dead) {
      const k = n++;
      try {
        const res = await write(k);
        if (res !== null && res !== undefined) acked.push(res);
      } catch (e) {
        // refused, reset, or answered with an error: not acknowledged
        if (e && e.fatal && !fatal) fatal = e;
        if (dead || fatal) return;
        await sleep(5);
      }
    }
  };
  const workers = Array.from({length: WORKERS}, loop);
  const t0 = Date.now();
  const waitMs = VALGRIND ? 600_000 : 60_000; // valgrind runs the server ~50× slower
  while (acked.length < minAcks && !fatal && Date.now() - t0 < waitMs) await sleep(10);
  if (fatal) {
    dead = true;
    await Promise.all(workers);
    throw fatal;
  }
  assert.ok(acked.length >= minAcks, `only ${acked.length} writes acknowledged in ${waitMs / 1000} s`);
  await sleep(Math.floor(Math.random() * 400)); // a random moment, mid-load
  const seen = acked.length;
  await s.kill9();
  dead = true;
  await Promise.all(workers);
  assert.ok(acked.length >= seen);
  return acked;
}

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({length: Math.min(limit, items.length)}, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k], k);
      }
    }),
  );
  return out;
}

forEachStore('crash: kill -9 during writes', (store) => {
  test('every acknowledged login survives, and every session has its audit entry', async (t) => {
    const s = await startServer({store});
    try {
      const u = await makeUser(s, `crash_${store}`, 'community_worker', DEMO.community);
      const id = s.sql(`SELECT id FROM accounts WHERE username = '${u.username}'`)[0][0];
      const login = async () => {
        const res = await s.client().post('/api/v1/auth/login', {username: u.username, password: u.password});
        return res.status === 200 ? res.body.token : null;
      };
      const all = [];
      for (let round = 0; round < ROUNDS; round++) {
        const acked = await loadAndKill(s, login, 8 + round * 4);
        all.push(...acked);
        t.diagnostic(`round ${round + 1}: killed after ${acked.length} acknowledged writes`);
        await s.restart();
        const statuses = await mapLimit(all, 8, async (token) => (await s.client(token).get('/api/v1/me')).status);
        const lost = statuses.filter((st) => st !== 200).length;
        assert.equal(lost, 0, `round ${round + 1}: ${lost} of ${all.length} acknowledged sessions are gone`);

        const sessions = Number(s.sql(`SELECT count(*) FROM sessions WHERE account_id = ${id}`)[0][0]);
        const audited = Number(
          s.sql(`SELECT count(*) FROM audit_log WHERE action = 'login' AND entity = 'account' AND entity_id = '${id}'`)[0][0],
        );
        assert.ok(sessions >= all.length, `${sessions} sessions for ${all.length} acknowledged logins`);
        assert.equal(audited, sessions, `round ${round + 1}: ${sessions} sessions but ${audited} login audit entries`);
      }
      if (store === 'sqlite') assert.deepEqual(s.sql('PRAGMA integrity_check'), [['ok']]);
      // The restarted server is healthy.
      assert.equal((await s.login('binhe', DEMO.password)).token.length, 64);
    } finally {
      await s.stop();
    }
  });

  test('every acknowledged new resident survives whole, with its audit entry', async (t) => {
    const s = await startServer({store});
    try {
      const c = await s.login('binhe', DEMO.password);
      const place = await findHousehold(c);
      let seq = 0; // across rounds: every 身份证号 is new
      const create = async () => {
        const k = seq++;
        const id = idNumber(k);
        const body = {
          name: `压测${k}`,
          sex: Number(id[16]) % 2 ? 'M' : 'F', // as the 身份证号 says
          id_number: id,
          phone: `139${String(10000000 + k).slice(-8)}`,
          place_code: place,
        };
        const res = await c.post('/api/v1/residents', body);
        if (res.status === 201 || res.status === 200) return {id: res.body.id, k};
        if (res.status >= 400 && res.status < 500)
          throw Object.assign(new Error(`POST /api/v1/residents ${res.status}: ${JSON.stringify(res.body)}`), {fatal: true});
        return null;
      };
      const all = [];
      for (let round = 0; round < ROUNDS; round++) {
        const acked = await loadAndKill(s, create, 8 + round * 4);
        all.push(...acked);
        t.diagnostic(`round ${round + 1}: killed after ${acked.length} acknowledged writes`);
        await s.restart();
        const c2 = await s.login('binhe', DEMO.password);
        const found = await mapLimit(all, 8, async (a) => {
          const r = await c2.get(`/api/v1/residents/${a.id}`);
          return r.status === 200 && r.body.id === a.id ? null : `${a.id}: ${r.status}`;
        });
        const lost = found.filter(Boolean);
        assert.deepEqual(lost, [], `round ${round + 1}: acknowledged residents missing`);
        const people = Number(s.sql(`SELECT count(*) FROM people WHERE name LIKE '压测%'`)[0][0]);
        const whole = Number(
          s.sql(
            `SELECT count(*) FROM people WHERE name LIKE '压测%' AND id_number IS NOT NULL AND phone IS NOT NULL ` +
              `AND place_code = '${place}'`,
          )[0][0],
        );
        const audited = Number(
          s.sql(
            `SELECT count(*) FROM audit_log a JOIN people p ON a.entity_id = CAST(p.id AS TEXT) ` +
              `WHERE a.entity = 'person' AND a.action = 'create' AND p.name LIKE '压测%'`,
          )[0][0],
        );
        assert.ok(people >= all.length, `${people} people for ${all.length} acknowledged`);
        assert.equal(whole, people, 'every new person is complete');
        assert.equal(audited, people, `${people} new people but ${audited} audit entries`);
      }
      if (store === 'sqlite') assert.deepEqual(s.sql('PRAGMA integrity_check'), [['ok']]);
    } finally {
      await s.stop();
    }
  });
});

// A household of 滨河社区 (where a demo resident lives), to put new residents in.
async function findHousehold(c) {
  const r = await c.get(`/api/v1/residents?place=${DEMO.community}&limit=1`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.body.items.length > 0, 'the demo has residents in 滨河社区');
  return r.body.items[0].place_code;
}
