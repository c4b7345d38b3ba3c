// Several `linli serve` processes share one database (behind a load balancer):
// sessions, CSRF tokens and logouts live in the database, not in a process.
// Required of PostgreSQL; SQLite (WAL, several processes) must do the same.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {DEMO, forEachStore, makeUser, startServer} from '../lib/harness.mjs';

forEachStore('two server processes on one database', (store) => {
  let a;
  let b;
  before(async () => {
    a = await startServer({store});
    b = await startServer({store, dbUrl: a.dbUrl});
    assert.notEqual(a.port, b.port);
    assert.notEqual(a.proc.pid, b.proc.pid);
  });
  after(async () => {
    await b.stop();
    await a.stop();
  });

  test('a bearer session created on one works on the other, and a logout on either ends it', async () => {
    const onA = await a.login('binhe', DEMO.password);
    const onB = b.client(onA.token);
    const me = await onB.get('/api/v1/me');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.username, 'binhe');
    b.validate('GET', '/api/v1/me', 200, me.body);

    assert.equal((await onB.post('/api/v1/auth/logout', {})).status, 200);
    assert.equal((await onA.get('/api/v1/me')).status, 401, 'logged out on B means logged out on A');
    assert.equal((await onB.get('/api/v1/me')).status, 401);
  });

  test('a cookie session and its CSRF token work on the other process', async () => {
    const browser = await a.browserLogin('binhe_sg', DEMO.password);
    const csrf = await browser.csrf();
    // Same cookie, sent to B.
    const cookie = `linli_session=${browser.cookie}`;
    const me = await b.client().get('/api/v1/me', {headers: {Cookie: cookie}});
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.csrf, csrf);
    const bad = await b.client().raw('POST', '/api/v1/auth/logout', {headers: {Cookie: cookie}, body: {}});
    assert.equal(bad.status, 403);
    const ok = await b.client().raw('POST', '/api/v1/auth/logout', {headers: {Cookie: cookie, 'X-CSRF-Token': csrf}, body: {}});
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await browser.raw('GET', '/api/v1/me')).status, 401);
  });

  test('an account created through one process logs in through the other; disabling it through the CLI ends its sessions on both', async () => {
    const u = await makeUser(a, `mp_${store}`, 'grid_worker', DEMO.community);
    const onB = await b.login(u.username, u.password);
    const onA = a.client(onB.token);
    assert.equal((await onA.get('/api/v1/me')).status, 200);
    const r = await a.cli(['user', 'disable', u.username]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await onA.get('/api/v1/me')).status, 401);
    assert.equal((await onB.get('/api/v1/me')).status, 401);
  });

  test('concurrent logins through both processes all succeed and are all usable on either', async () => {
    const logins = await Promise.all(
      Array.from({length: 16}, (_, i) => (i % 2 ? a : b).login(i % 3 ? 'binhe' : 'binhe_sg', DEMO.password)),
    );
    const tokens = new Set(logins.map((c) => c.token));
    assert.equal(tokens.size, logins.length, 'every login gets its own token');
    const checks = await Promise.all(logins.map((c, i) => (i % 2 ? b : a).client(c.token).get('/api/v1/me')));
    assert.deepEqual(
      checks.map((r) => r.status),
      checks.map(() => 200),
    );
  });
});
