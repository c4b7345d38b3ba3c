// Declared route parameters (issue 11, point 2): `linli routes` lists each
// route's {params} with their type, and the dispatcher parses every "id"-typed
// one ({id}, {n}) before the handler runs. Derived from the route table, so a
// route added later is checked without editing this file: for every route
// with an id parameter, a malformed value answers 404 to a logged-in admin
// (the API's JSON error, a page's Chinese page) and no handler ran: the
// database holds the same rows afterwards, audit_log included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachStore, startServer, DEMO } from '../lib/harness.mjs';

// What strtoll would have taken or bent ("007", "+7", " 7"), what cannot be
// an id (0, -1, beyond INT64_MAX), and what is not a number at all.
const MALFORMED = ['0', '-1', 'abc', '1e3', '99999999999999999999', '9223372036854775808',
  '%00', '007', '%2B7', '%207', '7%20', '1.0', '0x10'];

const isJson = (p) => p.startsWith('/api/') || p.startsWith('/open311/');

// Row counts of every table: a request that ran no handler changes none.
// order_stats_pending is drained by a background worker whatever requests do.
const BACKGROUND = new Set(['order_stats_pending']);
function fingerprint(s) {
  const tables = s.store === 'sqlite'
    ? s.sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    : s.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  const names = tables.map((r) => r[0]).filter((n) => !BACKGROUND.has(n));
  const q = names.map((n) => `SELECT '${n}', COUNT(*) FROM "${n}"`).join(' UNION ALL ');
  return Object.fromEntries(s.sql(q).map(([n, c]) => [n, c]));
}

forEachStore('route params', (store) => {
  let s, routes;
  test.before(async () => {
    s = await startServer({ store, demo: true });
    routes = JSON.parse((await s.cli(['routes'])).stdout);
  });
  test.after(async () => { await s.stop(); });

  test('linli routes declares a type for every {param}', () => {
    for (const r of routes) {
      const named = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      assert.deepEqual(Object.keys(r.params).sort(), [...named].sort(), r.path);
      for (const n of named) assert.ok(['id', 'text'].includes(r.params[n]), `${r.path}: {${n}}`);
    }
    assert.equal(routes.find((r) => r.path === '/api/v1/residents/{id}').params.id, 'id');
    assert.equal(routes.find((r) => r.path === '/api/v1/orders/{id}/photos/{n}').params.n, 'id');
    assert.equal(routes.find((r) => r.path === '/api/v1/places/{code}').params.code, 'text');
  });

  test('a malformed id answers 404 for every route, and no handler runs', async () => {
    const typed = routes.filter((r) => Object.values(r.params).includes('id'));
    assert.ok(typed.length >= 100, `only ${typed.length} routes with an id`);
    const api = await s.login('admin', DEMO.password);
    const browser = await s.browserLogin('admin', DEMO.password);
    const csrf = await browser.csrf();
    const before = fingerprint(s);
    let tried = 0;
    for (const r of typed) {
      const ids = Object.keys(r.params).filter((n) => r.params[n] === 'id');
      for (const bad of MALFORMED) {
        for (const which of ids) {
          // the other parameters get a well-formed value, so only `which` is at fault
          const p = r.path.replace(/\{(\w+)\}/g, (_, n) => (n === which ? bad : r.params[n] === 'id' ? '1' : 'x'));
          let res;
          if (isJson(r.path)) {
            res = await api.raw(r.method, p, r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} });
          } else if (r.method === 'GET') {
            res = await browser.raw('GET', p);
          } else {
            res = await browser.postFormRaw(p, { _csrf: csrf });
          }
          tried++;
          assert.equal(res.status, 404, `${r.method} ${p} answered ${res.status}: ${res.text.slice(0, 200)}`);
          if (isJson(r.path)) {
            assert.equal(res.body?.error?.code, 'not_found', `${r.method} ${p}: ${res.text.slice(0, 200)}`);
          } else {
            assert.match(res.headers['content-type'] || '', /text\/html/, `${r.method} ${p}`);
            assert.match(res.text, /<html lang="zh-CN">/, `${r.method} ${p}`);
          }
        }
      }
    }
    assert.ok(tried >= typed.length * MALFORMED.length);
    assert.deepEqual(fingerprint(s), before, 'a request with a malformed id changed the database');
  });

  test('the id is checked after the login check: strangers are still sent to log in', async () => {
    const anon = await fetch(`${s.url}/api/v1/residents/abc`);
    assert.equal(anon.status, 401);
    const page = await fetch(`${s.url}/residents/abc`, { redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.match(page.headers.get('location'), /^\/login\?next=/);
  });

  test('a well-formed id still reaches the handler', async () => {
    const api = await s.login('admin', DEMO.password);
    const id = s.sql('SELECT MIN(id) FROM people')[0][0];
    assert.equal((await api.get(`/api/v1/residents/${id}`)).status, 200);
    // the largest id is well formed: the handler answers, not found
    const r = await api.get('/api/v1/residents/9223372036854775807');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
  });
});
