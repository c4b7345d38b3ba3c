// Issue 10 (hardening), the accounts points, on both stores:
//   3. a grant never widens the granter's scope: an organisation whose 共建协议
//      reach another community cannot be granted by that community's neighbour
//      (403, audited, nothing created);
//   4. resetting a password, disabling and enabling need a rank above every
//      role of the account and every grant of it in scope; revoking one grant
//      needs that of the grant; a refusal changes nothing and is audited;
//   7. login attempts are reserved in the database before the password is
//      verified: 100 guesses at once over two processes verify 5; an unknown
//      username costs a verification like a wrong password; a stranger at
//      another address meets a growing delay, never a lock; the old password
//      of POST /api/v1/me/password is limited the same way;
//   8. `next` after login is followed only when it is a path on this site;
//  12. the scheduler's tick deletes expired sessions and idle login counters.
//
// How a test sees that a password verification ran (not how long it took):
// the test build, started with LINLI_TEST_LOG_VERIFY=1, writes the line
// "linli: test: password verified" to stderr after each argon2id verification
// (src/auth/password.c); the tests count those lines.
// Different client addresses are real: loopback answers on all of 127/8, and
// the requests below connect from 127.0.0.2, 127.0.0.3 … (localAddress).
import assert from 'node:assert/strict';
import http from 'node:http';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';

import {DEMO, forEachStore, makeUser, sleep, startServer} from '../lib/harness.mjs';

const CHINESE = /[\u4e00-\u9fff]/;
const MAYINGWEI = '140930100007';

// POST JSON from a given local address → {status, headers, body}.
function postFrom(s, localAddress, pathName, body, headers = {}) {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
  return new Promise((resolve, reject) => {
    const u = new URL(s.url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: pathName,
        method: 'POST',
        localAddress,
        agent: false,
        headers: {'Content-Type': type, 'Content-Length': Buffer.byteLength(data), ...headers},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* a page */
          }
          resolve({status: res.statusCode, headers: res.headers, body: parsed, text});
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const loginFrom = (s, addr, username, password) => postFrom(s, addr, '/api/v1/auth/login', {username, password});

const verifications = (...servers) =>
  servers.reduce((n, s) => n + (s.stderr.match(/linli: test: password verified/g) || []).length, 0);

// Waits until the servers' stderr shows at least n verifications (the lines
// are written before the answers, but reach us on another pipe).
async function verificationsAtLeast(n, ...servers) {
  for (let i = 0; i < 100 && verifications(...servers) < n; i++) await sleep(50);
  return verifications(...servers);
}

function nowClock() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
  let t = Date.parse('2026-12-01T09:00:00Z');
  const write = () => writeFileSync(file, new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  write();
  return {
    file,
    advance(seconds) {
      t += seconds * 1000;
      write();
    },
  };
}

async function audits(c, action) {
  const r = await c.get(`/api/v1/audit?entity=account&action=${action}&limit=100`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

forEachStore('hardening: grants and account administration', (store) => {
  let s;
  let xian;
  let binhe;
  const orgId = (name) => Number(s.sql(`SELECT id FROM organisations WHERE name = '${name}'`)[0][0]);
  test.before(async () => {
    s = await startServer({store});
    [xian, binhe] = await Promise.all([s.login('xian'), s.login('binhe')]);
  });
  test.after(async () => {
    await s.stop();
  });

  test('an organisation whose 共建协议 reach 马营围 cannot be granted by 滨河 (403, audited, nothing created)', async () => {
    const power = orgId('国网河曲县供电公司'); // at home in 滨河
    const ag = await xian.post(`/api/v1/organisations/${power}/agreements`, {
      place_code: MAYINGWEI, title: '供电共建', signed_on: '2026-01-01',
    });
    assert.equal(ag.status, 201, ag.text);

    const created = await binhe.post('/api/v1/accounts', {
      username: 'power_cw', password: 'pass12345', role: 'community_worker', org_id: power,
    });
    assert.equal(created.status, 403, created.text);
    s.validate('POST', '/api/v1/accounts', 403, created.body);
    assert.equal(created.body.error.field, 'org');
    assert.match(created.body.error.message, CHINESE);
    assert.equal(s.sql("SELECT count(*) FROM accounts WHERE username = 'power_cw'")[0][0], '0');

    // the same grant on an account binhe may administer
    const cw = await binhe.post('/api/v1/accounts', {
      username: 'grant_target', password: 'pass12345', role: 'grid_worker', place_code: DEMO.community,
    });
    assert.equal(cw.status, 201, cw.text);
    const g = await binhe.post(`/api/v1/accounts/${cw.body.id}/grants`, {role: 'community_worker', org_id: power});
    assert.equal(g.status, 403, g.text);
    s.validate('POST', '/api/v1/accounts/{id}/grants', 403, g.body);
    assert.equal(s.sql(`SELECT count(*) FROM grants WHERE account_id = ${cw.body.id}`)[0][0], '1');
    // the new account still sees no resident of 马营围
    const gt = await s.login('grant_target', 'pass12345');
    const res = await gt.get(`/api/v1/residents?place=${MAYINGWEI}&limit=5`);
    assert.ok(res.status === 404 || (res.status === 200 && res.body.items.length === 0), res.text);

    // both refusals are in the audit log, filed where the organisation is
    const denied = [...(await audits(xian, 'create_denied')), ...(await audits(xian, 'grant_denied'))];
    assert.ok(denied.some((e) => e.actor === 'binhe' && e.action === 'create_denied'), JSON.stringify(denied));
    assert.ok(denied.some((e) => e.actor === 'binhe' && e.action === 'grant_denied' && e.entity_id === String(cw.body.id)), JSON.stringify(denied));
    // the audit page names the refusal in Chinese, not by its code
    const page = await (await s.browserLogin('xian', DEMO.password)).get('/audit?action=grant_denied');
    assert.match(page, /越权授权（已拒绝）/);
    assert.doesNotMatch(page.replace(/<option[^>]*>[^<]*<\/option>/g, ''), />grant_denied</);

    // an organisation whose agreements stay in 滨河 may be granted; the street may grant the wider one
    const post = orgId('中国邮政河曲县分公司');
    const ok = await binhe.post(`/api/v1/accounts/${cw.body.id}/grants`, {role: 'community_worker', org_id: post});
    assert.equal(ok.status, 201, ok.text);
    const xikou = await s.login('xikou');
    const wide = await xikou.post(`/api/v1/accounts/${cw.body.id}/grants`, {role: 'community_worker', org_id: power});
    assert.equal(wide.status, 201, wide.text);
  });

  test('a grid reaching outside the granter\'s scope is refused too', async () => {
    const grid = Number(s.sql(`SELECT id FROM grids WHERE community_code = '${DEMO.community}' ORDER BY id LIMIT 1`)[0][0]);
    // a grid of 滨河 with a place of 马营围 (as an import could leave it)
    s.sql(`INSERT INTO grid_places(grid_id, place_code) VALUES (${grid}, '${MAYINGWEI}001')`);
    try {
      const r = await binhe.post('/api/v1/accounts', {
        username: 'grid_wide', password: 'pass12345', role: 'grid_worker', grid_id: grid,
      });
      assert.equal(r.status, 403, r.text);
      assert.equal(r.body.error.field, 'grid');
      assert.equal(s.sql("SELECT count(*) FROM accounts WHERE username = 'grid_wide'")[0][0], '0');
    } finally {
      s.sql(`DELETE FROM grid_places WHERE grid_id = ${grid} AND place_code = '${MAYINGWEI}001'`);
    }
  });

  test('a secretary cannot reset, disable or enable a peer or a street admin granted on her community; nothing changes', async () => {
    const sec2 = await makeUser(s, 'sec_peer', 'secretary', DEMO.community, 'peer-pass-1');
    const st2 = await makeUser(s, 'street_on_binhe', 'street_admin', DEMO.community, 'street-pass-1');
    const off = await makeUser(s, 'sec_off', 'secretary', DEMO.community, 'off-pass-12');
    assert.equal((await s.cli(['user', 'disable', 'sec_off'])).code, 0);
    const peerSession = await s.login('sec_peer', 'peer-pass-1');
    for (const u of [sec2, st2]) {
      const pw = await binhe.post(`/api/v1/accounts/${u.id}/password`, {password: 'taken-over-1'});
      assert.equal(pw.status, 403, pw.text);
      s.validate('POST', '/api/v1/accounts/{id}/password', 403, pw.body);
      assert.match(pw.body.error.message, CHINESE);
      const dis = await binhe.post(`/api/v1/accounts/${u.id}/disable`, {});
      assert.equal(dis.status, 403, dis.text);
      s.validate('POST', '/api/v1/accounts/{id}/disable', 403, dis.body);
      // the old password still works, the new one does not
      assert.equal((await s.client().post('/api/v1/auth/login', {username: u.username, password: 'taken-over-1'})).status, 401);
      await s.login(u.username, u.password);
    }
    assert.equal((await peerSession.get('/api/v1/me')).status, 200, 'the peer\'s session survived');
    const en = await binhe.post(`/api/v1/accounts/${off.id}/enable`, {});
    assert.equal(en.status, 403, en.text);
    s.validate('POST', '/api/v1/accounts/{id}/enable', 403, en.body);
    assert.equal(s.sql(`SELECT disabled FROM accounts WHERE id = ${off.id}`)[0][0], '1');
    // revoking the street admin's grant: refused
    const stGrant = s.sql(`SELECT id FROM grants WHERE account_id = ${st2.id}`)[0][0];
    assert.equal((await binhe.del(`/api/v1/grants/${stGrant}`)).status, 403);
    assert.equal(s.sql(`SELECT count(*) FROM grants WHERE id = ${stGrant}`)[0][0], '1');
    // the same through the pages
    const b = await s.browserLogin('binhe');
    const page = await b.postFormRaw(`/accounts/${sec2.id}/password`, {password: 'taken-over-2'});
    assert.equal(page.status, 403, page.text);
    await s.login('sec_peer', 'peer-pass-1');
    // and the page offers neither the reset nor the revoke it would refuse
    const view = await b.get(`/accounts/${st2.id}`);
    assert.doesNotMatch(view, new RegExp(`/accounts/${st2.id}/(password|disable|revoke)`));
    assert.match(view, /您不能重置其密码/);

    const actions = [];
    for (const a of ['password_denied', 'disable_denied', 'enable_denied', 'revoke_denied'])
      actions.push(...(await audits(xian, a)).filter((e) => e.actor === 'binhe'));
    for (const a of ['password_denied', 'disable_denied', 'enable_denied', 'revoke_denied'])
      assert.ok(actions.some((e) => e.action === a), `${a} audited: ${JSON.stringify(actions)}`);

    // above them, the county may
    assert.equal((await xian.post(`/api/v1/accounts/${sec2.id}/password`, {password: 'county-set-1'})).status, 200);
    assert.equal((await xian.post(`/api/v1/accounts/${off.id}/enable`, {})).status, 200);
    // and the secretary still administers those below her
    const cw = await makeUser(s, 'cw_below', 'community_worker', DEMO.community);
    assert.equal((await binhe.post(`/api/v1/accounts/${cw.id}/password`, {password: 'binhe-set-1'})).status, 200);
    assert.equal((await binhe.post(`/api/v1/accounts/${cw.id}/disable`, {})).status, 200);
    assert.equal((await binhe.post(`/api/v1/accounts/${cw.id}/enable`, {})).status, 200);
    assert.match(await b.get(`/accounts/${cw.id}`), new RegExp(`/accounts/${cw.id}/password`));
  });

  test('a grant anchored outside the actor\'s scope is neither revoked nor makes its account administrable', async () => {
    // a county bureau whose only 共建协议 is with 滨河: an account holding it
    // is listed for 滨河, but the grant sits at the county
    const org = await xian.post('/api/v1/organisations', {kind: 'department', name: '河曲县测试局', place_code: DEMO.county});
    assert.equal(org.status, 201, org.text);
    assert.equal((await xian.post(`/api/v1/organisations/${org.body.id}/agreements`, {
      place_code: DEMO.community, title: '共建', signed_on: '2026-01-01',
    })).status, 201);
    const u = await makeUser(s, 'two_grants', 'community_worker', DEMO.community);
    assert.equal((await xian.post(`/api/v1/accounts/${u.id}/grants`, {role: 'department', org_id: org.body.id})).status, 201);
    const [[inside], [outside]] = [
      s.sql(`SELECT id FROM grants WHERE account_id = ${u.id} AND place_code IS NOT NULL`),
      s.sql(`SELECT id FROM grants WHERE account_id = ${u.id} AND org_id IS NOT NULL`),
    ];
    assert.equal((await binhe.get(`/api/v1/accounts/${u.id}`)).status, 200, 'binhe sees the account');
    const rev = await binhe.del(`/api/v1/grants/${outside}`);
    assert.equal(rev.status, 403, rev.text);
    s.validate('DELETE', '/api/v1/grants/{id}', 403, rev.body);
    assert.equal(s.sql(`SELECT count(*) FROM grants WHERE id = ${outside}`)[0][0], '1');
    assert.equal((await binhe.post(`/api/v1/accounts/${u.id}/password`, {password: 'binhe-set-2'})).status, 403);
    await s.login('two_grants', 'pass12345');
    // the grant inside her community she may revoke
    assert.equal((await binhe.del(`/api/v1/grants/${inside}`)).status, 200);
  });
});

forEachStore('hardening: login limits', (store) => {
  test('100 simultaneous guesses over two processes: 5 verifications, the rest 429 before any verification', async () => {
    const env = {LINLI_TEST_LOG_VERIFY: '1'};
    const s = await startServer({store, env});
    const s2 = await startServer({store, dbUrl: s.dbUrl, env});
    try {
      const u = await makeUser(s, 'burst', 'community_worker', DEMO.community, 'burst-pass-1');
      const before = verifications(s, s2);
      const all = await Promise.all(
        Array.from({length: 100}, (_, i) => [s, s2][i % 2].client().post('/api/v1/auth/login', {username: u.username, password: `guess-${i}`})),
      );
      const by = (code) => all.filter((r) => r.status === code).length;
      assert.equal(by(401), 5, `401s: ${by(401)}, 429s: ${by(429)}, others: ${all.filter((r) => ![401, 429].includes(r.status)).map((r) => r.status)}`);
      assert.equal(by(429), 95);
      const limited = all.find((r) => r.status === 429);
      s.validate('POST', '/api/v1/auth/login', 429, limited.body);
      assert.match(limited.body.error.message, CHINESE);
      assert.ok(Number(limited.headers['retry-after']) > 0, JSON.stringify(limited.headers));
      assert.equal((await verificationsAtLeast(before + 5, s, s2)) - before, 5);
      await sleep(200); // nothing more arrives
      assert.equal(verifications(s, s2) - before, 5, 'exactly 5 passwords were verified');
      // the right password is refused too, before verification
      const right = await s.client().post('/api/v1/auth/login', {username: u.username, password: u.password});
      assert.equal(right.status, 429);
      await sleep(100);
      assert.equal(verifications(s, s2) - before, 5);
    } finally {
      await s2.stop();
      await s.stop();
    }
  });

  test('an unknown username, a disabled account and a wrong password each cost one verification', async () => {
    const s = await startServer({store, env: {LINLI_TEST_LOG_VERIFY: '1'}});
    try {
      const u = await makeUser(s, 'gone', 'community_worker', DEMO.community, 'gone-pass-1');
      assert.equal((await s.cli(['user', 'disable', 'gone'])).code, 0);
      const cases = [
        ['nobody_at_all', 'whatever-1'],
        ['gone', u.password],
        ['binhe', 'wrong-pass-1'],
      ];
      for (const [username, password] of cases) {
        const before = verifications(s);
        const r = await s.client().post('/api/v1/auth/login', {username, password});
        assert.equal(r.status, 401, r.text);
        assert.equal(r.body.error.message, '用户名或密码错误');
        assert.equal((await verificationsAtLeast(before + 1, s)) - before, 1, `${username}: one verification`);
      }
    } finally {
      await s.stop();
    }
  });

  test('guessing the old password with a session counts like guessing a login', async () => {
    const s = await startServer({store, env: {LINLI_TEST_LOG_VERIFY: '1'}});
    try {
      const u = await makeUser(s, 'own_pw', 'community_worker', DEMO.community, 'own-pass-12');
      const c = await s.login(u.username, u.password);
      const before = verifications(s);
      for (let i = 0; i < 5; i++) {
        const r = await c.post('/api/v1/me/password', {old_password: `guess-${i}`, password: 'new-pass-123'});
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.error.field, 'old_password');
      }
      const sixth = await c.post('/api/v1/me/password', {old_password: u.password, password: 'new-pass-123'});
      assert.equal(sixth.status, 429, sixth.text);
      s.validate('POST', '/api/v1/me/password', 429, sixth.body);
      assert.ok(Number(sixth.headers['retry-after']) > 0);
      assert.equal((await verificationsAtLeast(before + 5, s)) - before, 5);
      assert.equal((await c.get('/api/v1/me')).status, 200, 'the password was not changed (the session lives)');
    } finally {
      await s.stop();
    }
  });

  test('a stranger elsewhere slows a staff member down with a growing delay but cannot lock her out', async () => {
    const clock = nowClock();
    const s = await startServer({store, env: {LINLI_NOW_FILE: clock.file}, args: ['--tick', '0']});
    try {
      const u = await makeUser(s, 'staff_a', 'community_worker', DEMO.community, 'staff-pass-1');
      // the stranger at 127.0.0.2: five failures, then that address is refused for the window
      for (let i = 0; i < 5; i++) assert.equal((await loginFrom(s, '127.0.0.2', u.username, `x-${i}`)).status, 401);
      const sixth = await loginFrom(s, '127.0.0.2', u.username, 'x-6');
      assert.equal(sixth.status, 429);
      assert.ok(Number(sixth.headers['retry-after']) > 60, 'the address waits out the window');
      // from other addresses: a delay, doubling with each further attempt
      const waits = [];
      for (const addr of ['127.0.0.3', '127.0.0.4', '127.0.0.5']) {
        const early = await loginFrom(s, addr, u.username, 'y');
        assert.equal(early.status, 429, early.text);
        assert.match(early.body.error.message, CHINESE);
        const wait = Number(early.headers['retry-after']);
        waits.push(wait);
        clock.advance(wait);
        assert.equal((await loginFrom(s, addr, u.username, 'y')).status, 401);
      }
      assert.deepEqual(waits, [1, 2, 4]);
      // the staff member at her own address: the delay, then in
      const first = await loginFrom(s, '127.0.0.1', u.username, u.password);
      assert.equal(first.status, 429, first.text);
      const wait = Number(first.headers['retry-after']);
      assert.ok(wait >= 1 && wait <= 300, `a delay, not a lock: ${wait}`);
      clock.advance(wait);
      const ok = await loginFrom(s, '127.0.0.1', u.username, u.password);
      assert.equal(ok.status, 200, ok.text);
      // her login cleared the username's delay: a new address is answered at once
      assert.equal((await loginFrom(s, '127.0.0.6', u.username, 'z')).status, 401);
      // while the stranger's own address stays refused until its window ends
      assert.equal((await loginFrom(s, '127.0.0.2', u.username, u.password)).status, 429);
    } finally {
      await s.stop();
    }
  });
});

forEachStore('hardening: next after login', (store) => {
  test('next is followed only when it is a path on this site', async () => {
    const s = await startServer({store});
    try {
      const form = (next) =>
        new URLSearchParams({username: 'binhe', password: DEMO.password, next}).toString();
      for (const [next, to] of [
        ['/\t/example.com', '/'], // the browser drops the tab: //example.com
        ['/%09/example.com', '/'],
        ['//example.com', '/'],
        ['/\\example.com', '/'],
        ['https://example.com/', '/'],
        ['/ /example.com', '/'],
        ['/places/140930100010', '/places/140930100010'],
      ]) {
        const r = await postFrom(s, '127.0.0.1', '/login', form(next));
        assert.equal(r.status, 303, r.text);
        assert.equal(r.headers.location, to, `next=${JSON.stringify(next)}`);
      }
      // the login form does not carry a foreign next along
      const page = await s.browser().raw('GET', '/login?next=/%09/example.com');
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.text, /example\.com/);
    } finally {
      await s.stop();
    }
  });
});

forEachStore('hardening: purge', (store) => {
  test('a tick deletes expired sessions and idle login counters, in several processes at once', async () => {
    const clock = nowClock();
    const s = await startServer({store, env: {LINLI_NOW_FILE: clock.file}, args: ['--tick', '0']});
    try {
      await s.login('binhe');
      await s.login('xian');
      assert.equal((await s.client().post('/api/v1/auth/login', {username: 'binhe_sg', password: 'nope-nope'})).status, 401);
      s.sql(`INSERT INTO login_failures(key, at) VALUES ('ip:192.0.2.1', 1000)`);
      const sessions = () => Number(s.sql('SELECT count(*) FROM sessions')[0][0]);
      // the failed login's counters (the address's is given back by a success)
      const counters = () => Number(s.sql("SELECT count(*) FROM login_limits WHERE key LIKE '%binhe_sg'")[0][0]);
      const n = sessions();
      assert.ok(n >= 2 && counters() > 0);
      clock.advance(13 * 3600); // past the 12 hours of a session and any counter's window
      const fresh = await s.login('mayingwei');
      const outs = await Promise.all([s.cli(['tick']), s.cli(['tick']), s.cli(['tick'])]);
      for (const r of outs) assert.equal(r.code, 0, r.stderr);
      assert.equal(sessions(), 1, 'only the session opened after the move is left');
      assert.equal((await fresh.get('/api/v1/me')).status, 200);
      assert.equal(counters(), 0);
      assert.equal(s.sql("SELECT count(*) FROM login_failures WHERE key = 'ip:192.0.2.1'")[0][0], '0');
      assert.ok(outs.some((r) => /purge sessions/.test(r.stdout)), outs.map((r) => r.stdout).join('\n'));
    } finally {
      await s.stop();
    }
  });
});
