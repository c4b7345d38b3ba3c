// The one clock: with LINLI_NOW_FILE the server takes "now" from the file at
// each use. Sessions expire after 12 hours and the login rate limit forgets
// failures after 15 minutes — both follow the file, not the wall clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forEachStore, startServer, DEMO } from '../lib/harness.mjs';

forEachStore('test clock', (store) => {
  let s, nowFile;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  test.before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T08:00:00+08:00');
    s = await startServer({ store, demo: true, env: { LINLI_NOW_FILE: nowFile } });
  });
  test.after(async () => { await s.stop(); });

  test('a session ends 12 hours after login by the test clock', async () => {
    setNow('2026-11-23T08:00:00+08:00');
    const c = await s.login('binhe', DEMO.password);
    setNow('2026-11-23T19:59:00+08:00');
    assert.equal((await c.get('/api/v1/me')).status, 200);
    setNow('2026-11-23T20:00:01+08:00');
    const r = await c.get('/api/v1/me');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'unauthorized');
  });

  test('failed logins are forgotten after 15 minutes by the test clock', async () => {
    setNow('2026-11-24T09:00:00+08:00');
    const bad = () => fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'binhe_sg', password: 'wrong-password' }),
    });
    for (let i = 0; i < 5; i++) assert.equal((await bad()).status, 401);
    assert.equal((await bad()).status, 429);
    setNow('2026-11-24T09:14:00+08:00');
    assert.equal((await bad()).status, 429);
    setNow('2026-11-24T09:16:00+08:00');
    const c = await s.login('binhe_sg', DEMO.password);
    assert.ok(c.token);
  });

  test('audit entries carry the test clock\'s time', async () => {
    setNow('2026-12-01T10:30:00+08:00');
    await s.login('xikou', DEMO.password);
    const admin = await s.login('admin', DEMO.password);
    const r = await admin.get('/api/v1/audit?action=login&actor=xikou&limit=1');
    assert.equal(r.body.items[0].at, '2026-12-01T02:30:00Z');
  });
});
