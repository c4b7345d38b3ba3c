// Authentication: login and its token and cookie, errors, the rate limit shared
// through the database, CSRF, logout, disabled accounts, `linli user add`, and
// the argon2id hashes at rest.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {DEMO, forEachStore, makeUser, startServer} from '../lib/harness.mjs';

const CHINESE = /[\u4e00-\u9fff]/;

function sessionCookie(res) {
  const c = (res.cookies || []).find((x) => x.startsWith('linli_session='));
  assert.ok(c, `no linli_session cookie in ${JSON.stringify(res.headers)}`);
  return c;
}

function attrs(cookie) {
  return cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

forEachStore('auth', (store) => {
  let s;
  before(async () => {
    s = await startServer({store, args: ['--trusted-proxy', '127.0.0.1']}); // as if behind a proxy on this host
  });
  after(async () => {
    await s.stop();
  });

  test('login returns a 64-hex token and an HttpOnly, SameSite=Lax cookie', async () => {
    const res = await s.client().post('/api/v1/auth/login', {username: 'binhe', password: DEMO.password});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    s.validate('POST', '/api/v1/auth/login', 200, res.body);
    assert.match(res.body.token, /^[0-9a-f]{64}$/);
    const cookie = sessionCookie(res);
    assert.equal(cookie.split(';')[0], `linli_session=${res.body.token}`);
    const a = attrs(cookie);
    assert.ok(a.includes('httponly'), cookie);
    assert.ok(a.includes('samesite=lax'), cookie);
    assert.ok(a.includes('path=/'), cookie);
    assert.ok(!a.includes('secure'), `no Secure on plain HTTP: ${cookie}`);

    const me = await s.client(res.body.token).get('/api/v1/me');
    assert.equal(me.status, 200);
    s.validate('GET', '/api/v1/me', 200, me.body);
    assert.equal(me.body.username, 'binhe');
    assert.ok(me.body.grants.some((g) => g.role === 'secretary' && g.place_code === DEMO.community), JSON.stringify(me.body.grants));
  });

  test('the cookie is Secure behind TLS (X-Forwarded-Proto: https from a trusted proxy)', async () => {
    const res = await s.client().post(
      '/api/v1/auth/login',
      {username: 'binhe', password: DEMO.password},
      {headers: {'X-Forwarded-Proto': 'https'}},
    );
    assert.equal(res.status, 200);
    assert.ok(attrs(sessionCookie(res)).includes('secure'), sessionCookie(res));
  });

  test('wrong password → 401 unauthorized, in Chinese; unknown user the same', async () => {
    for (const [username, password] of [
      ['binhe_sg', 'wrong-password'],
      ['nobody_here', DEMO.password],
    ]) {
      const res = await s.client().post('/api/v1/auth/login', {username, password});
      assert.equal(res.status, 401, JSON.stringify(res.body));
      s.validate('POST', '/api/v1/auth/login', 401, res.body);
      assert.equal(res.body.error.code, 'unauthorized');
      assert.match(res.body.error.message, CHINESE);
      assert.ok(!(res.cookies || []).some((c) => /^linli_session=[0-9a-f]/.test(c)), 'no session cookie on failure');
    }
  });

  test('missing fields → 400 with the field named', async () => {
    const res = await s.client().post('/api/v1/auth/login', {username: 'binhe'});
    assert.equal(res.status, 400);
    s.validate('POST', '/api/v1/auth/login', 400, res.body);
    assert.equal(res.body.error.field, 'password');
    assert.match(res.body.error.message, CHINESE);
  });

  test('a bad bearer token → 401; no token → 401', async () => {
    const bad = await s.client('0'.repeat(64)).get('/api/v1/me');
    assert.equal(bad.status, 401);
    s.validate('GET', '/api/v1/me', 401, bad.body);
    assert.equal(bad.body.error.code, 'unauthorized');
    const none = await s.client().get('/api/v1/me');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
  });

  test('6 failed logins → 429, even with the right password; counted across two server processes', async () => {
    const u = await makeUser(s, `rl_${store}`, 'community_worker', DEMO.community, 'right-pass-1');
    // A second process on the same database: a per-process counter would
    // see only half of the failures and never refuse.
    const s2 = await startServer({store, dbUrl: s.dbUrl});
    try {
      const servers = [s, s2];
      for (let i = 0; i < 5; i++) {
        const res = await servers[i % 2].client().post('/api/v1/auth/login', {username: u.username, password: `wrong-${i}`});
        assert.equal(res.status, 401, `attempt ${i + 1}: ${JSON.stringify(res.body)}`);
      }
      const sixth = await s2.client().post('/api/v1/auth/login', {username: u.username, password: 'wrong-6'});
      assert.equal(sixth.status, 429, JSON.stringify(sixth.body));
      s.validate('POST', '/api/v1/auth/login', 429, sixth.body);
      assert.equal(sixth.body.error.code, 'rate_limited');
      assert.match(sixth.body.error.message, CHINESE);
      for (const srv of servers) {
        const right = await srv.client().post('/api/v1/auth/login', {username: u.username, password: u.password});
        assert.equal(right.status, 429, `the right password is refused too: ${JSON.stringify(right.body)}`);
      }
      // Other accounts are not locked out by it.
      const other = await s2.client().post('/api/v1/auth/login', {username: 'binhe', password: DEMO.password});
      assert.equal(other.status, 200);
    } finally {
      await s2.stop();
    }
  });

  test('cookie POST without the CSRF token → 403 csrf; with it, OK', async () => {
    const b = await s.browserLogin('binhe_sg', DEMO.password);
    const me = await b.raw('GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.match(me.body.csrf, /^[0-9a-f]{16,}$/);

    const no = await b.raw('POST', '/api/v1/auth/logout', {headers: {'Content-Type': 'application/json'}, body: '{}'});
    assert.equal(no.status, 403, JSON.stringify(no.body));
    s.validate('POST', '/api/v1/auth/logout', 403, no.body);
    assert.equal(no.body.error.code, 'csrf');
    assert.match(no.body.error.message, CHINESE);

    const wrong = await b.raw('POST', '/api/v1/auth/logout', {headers: {'X-CSRF-Token': 'f'.repeat(64)}, body: {}});
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error.code, 'csrf');
    // The session survived both refusals.
    assert.equal((await b.raw('GET', '/api/v1/me')).status, 200);

    // The logout form carries _csrf (postForm adds it): the session ends.
    const out = await b.postFormRaw('/logout', {});
    assert.equal(out.status, 303, out.text);
    assert.equal((await b.raw('GET', '/api/v1/me')).status, 401);

    // The JSON API accepts the X-CSRF-Token header too.
    const b2 = await s.browserLogin('binhe_sg', DEMO.password);
    const ok = await b2.raw('POST', '/api/v1/auth/logout', {headers: {'X-CSRF-Token': await b2.csrf()}, body: {}});
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  test('a form POST without _csrf changes nothing', async () => {
    const b = await s.browserLogin('binhe_sg', DEMO.password);
    const res = await b.postFormRaw('/logout', {_csrf: undefined});
    assert.equal(res.status, 403);
    assert.equal((await b.raw('GET', '/api/v1/me')).status, 200, 'still logged in');
  });

  test('a bearer POST needs no CSRF token; logout invalidates the token', async () => {
    const c = await s.login('binhe_sg', DEMO.password);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    const out = await c.post('/api/v1/auth/logout', {});
    assert.equal(out.status, 200, JSON.stringify(out.body));
    s.validate('POST', '/api/v1/auth/logout', 200, out.body);
    const after = await c.get('/api/v1/me');
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'unauthorized');
  });

  test('a disabled account cannot log in, and its open sessions end', async () => {
    const u = await makeUser(s, `off_${store}`, 'community_worker', DEMO.community);
    const c = await s.login(u.username, u.password);
    const r = await s.cli(['user', 'disable', u.username]);
    assert.equal(r.code, 0, r.stderr);
    const res = await s.client().post('/api/v1/auth/login', {username: u.username, password: u.password});
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'unauthorized');
    assert.equal((await c.get('/api/v1/me')).status, 401, 'the token of a disabled account no longer works');
    const back = await s.cli(['user', 'enable', u.username]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal((await s.client().post('/api/v1/auth/login', {username: u.username, password: u.password})).status, 200);
  });

  test('`linli user add` reads the password from standard input; the hash is argon2id', async () => {
    const name = `cli_${store}`;
    const r = await s.cli(['user', 'add', name, '--role', 'grid_worker', '--place', DEMO.community], 'Secret-pass-9\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await s.client().post('/api/v1/auth/login', {username: name, password: 'Secret-pass-9'})).status, 200);
    assert.equal((await s.client().post('/api/v1/auth/login', {username: name, password: 'Secret-pass-9\n'})).status, 401);

    const rows = s.sql(`SELECT password_hash FROM accounts WHERE username = '${name}'`);
    assert.equal(rows.length, 1);
    assert.match(rows[0][0], /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    assert.ok(!rows[0][0].includes('Secret-pass-9'));
    // Every account's hash, the demo's included.
    const all = s.sql('SELECT username, password_hash FROM accounts');
    for (const [u, h] of all) assert.match(h, /^\$argon2id\$/, `${u}: ${h}`);
    // No session token is stored in clear: only its SHA-256.
    const c = await s.login(name, 'Secret-pass-9');
    assert.equal(s.sql(`SELECT count(*) FROM sessions WHERE token_hash = '${c.token}'`)[0][0], '0');
  });

  test('`linli user add` with no password on standard input creates nothing', async () => {
    const name = `nopw_${store}`;
    const r = await s.cli(['user', 'add', name, '--role', 'grid_worker', '--place', DEMO.community], '');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, CHINESE);
    assert.equal(s.sql(`SELECT count(*) FROM accounts WHERE username = '${name}'`)[0][0], '0');
  });
});

forEachStore('auth --secure-cookies', (store) => {
  test('--secure-cookies marks the session cookie Secure', async () => {
    const s = await startServer({store, args: ['--secure-cookies']});
    try {
      const res = await s.client().post('/api/v1/auth/login', {username: 'binhe', password: DEMO.password});
      assert.equal(res.status, 200);
      const a = attrs(sessionCookie(res));
      assert.ok(a.includes('secure') && a.includes('httponly') && a.includes('samesite=lax'), sessionCookie(res));
    } finally {
      await s.stop();
    }
  });
});
