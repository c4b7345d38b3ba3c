// The OpenAPI document and the route table agree, both ways, and the document
// is a well-formed OpenAPI 3 document whose schemas compile.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';

import {STORES, runLinli, startServer} from '../lib/harness.mjs';
import {OpenApiValidator, checkDocument, deref, documentedOperations} from '../lib/openapi.mjs';

// Route patterns and document paths use the same {name} placeholders; a
// router-style ":name" is accepted too, to compare like with like.
const norm = (p) => p.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

describe('OpenAPI document', () => {
  let s;
  let doc;
  let routes;
  before(async () => {
    s = await startServer({store: STORES.includes('sqlite') ? 'sqlite' : STORES[0], demo: false});
    const res = await s.client().get('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /application\/json/);
    doc = res.body;
    const r = await runLinli(['routes']);
    assert.equal(r.code, 0, r.stderr);
    routes = JSON.parse(r.stdout);
  });
  after(async () => {
    await s.stop();
  });

  test('is served without logging in', async () => {
    assert.equal(typeof doc, 'object');
    assert.ok(doc.paths && Object.keys(doc.paths).length > 0);
  });

  test('is a valid OpenAPI 3 document: structure, every $ref resolves, schemas compile', () => {
    const problems = checkDocument(doc);
    assert.deepEqual(problems, [], `OpenAPI problems:\n  ${problems.join('\n  ')}`);
  });

  test('`linli routes` lists API routes', () => {
    assert.ok(Array.isArray(routes) && routes.length > 0);
    for (const r of routes) {
      assert.equal(typeof r.method, 'string');
      assert.equal(typeof r.path, 'string');
      assert.equal(typeof r.api, 'boolean');
    }
    assert.ok(routes.some((r) => r.api && r.method === 'POST' && r.path === '/api/v1/auth/login'));
  });

  test('every API route is documented with its method', () => {
    const missing = [];
    for (const r of routes) {
      const p = norm(r.path);
      if (!r.api || !p.startsWith('/api/')) continue;
      const item = doc.paths[p];
      if (!item || !item[r.method.toLowerCase()]) missing.push(`${r.method} ${p}  (${r.summary})`);
    }
    assert.deepEqual(missing, [], `routes missing from /api/v1/openapi.json:\n  ${missing.join('\n  ')}`);
  });

  test('every documented operation is a route', () => {
    const table = new Set(routes.filter((r) => r.api).map((r) => `${r.method.toUpperCase()} ${norm(r.path)}`));
    const extra = documentedOperations(doc)
      .filter(({path}) => path.startsWith('/api/'))
      .map(({method, path}) => `${method} ${path}`)
      .filter((k) => !table.has(k));
    assert.deepEqual(extra, [], `documented but not routed:\n  ${extra.join('\n  ')}`);
  });

  test('API routes are marked api and live under /api/v1', () => {
    const wrong = routes.filter((r) => r.api !== r.path.startsWith('/api/') && !r.path.startsWith('/open311/'));
    assert.deepEqual(
      wrong.map((r) => `${r.method} ${r.path} api=${r.api}`),
      [],
      'a route under /api/ must be flagged api, and only those',
    );
    const outside = routes.filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/v1/'));
    assert.deepEqual(outside.map((r) => r.path), []);
  });

  test('every operation has a summary, and the route summaries are Chinese', () => {
    const noSummary = documentedOperations(doc)
      .filter(({method, path}) => !doc.paths[path][method.toLowerCase()].summary)
      .map(({method, path}) => `${method} ${path}`);
    assert.deepEqual(noSummary, []);
    const notChinese = routes.filter((r) => !/[\u4e00-\u9fff]/.test(r.summary || '')).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(notChinese, [], 'ROUTE summaries are Chinese');
  });

  test('every operation of a route that is not public documents 401, and every list takes limit and cursor', () => {
    const problems = [];
    for (const r of routes) {
      const p = norm(r.path);
      if (!r.api || !p.startsWith('/api/')) continue;
      const op = doc.paths[p] && doc.paths[p][r.method.toLowerCase()];
      if (!op) continue; // reported by the test above
      if (!r.public && !op.responses['401'] && !op.responses['4XX'] && !op.responses.default)
        problems.push(`${r.method} ${p}: needs a 401 response`);
      const ok = op.responses['200'] && deref(doc, op.responses['200']);
      const schema = ok && ok.content && ok.content['application/json'] && deref(doc, ok.content['application/json'].schema || {});
      const isList = schema && schema.properties && schema.properties.items && 'next_cursor' in schema.properties;
      if (r.method === 'GET' && isList) {
        const names = [...(doc.paths[p].parameters || []), ...(op.parameters || [])].map((x) => deref(doc, x).name);
        for (const want of ['limit', 'cursor']) if (!names.includes(want)) problems.push(`GET ${p}: a list without ?${want}=`);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  test('the validator accepts what the server answers and refuses what it must not', async () => {
    const v = new OpenApiValidator(doc);
    const res = await s.client().post('/api/v1/auth/login', {username: 'nobody', password: 'x'});
    assert.equal(res.status, 401);
    v.validate('POST', '/api/v1/auth/login', 401, res.body);
    assert.throws(() => v.validate('POST', '/api/v1/auth/login', 200, {token: 'not hex'}), /does not match/);
    assert.throws(() => v.validate('POST', '/api/v1/auth/login', 401, {error: {code: 'x'}}), /does not match/);
    assert.throws(() => v.validate('GET', '/api/v1/no/such/route', 200, {}), /not documented/);
    assert.throws(() => v.validate('POST', '/api/v1/auth/login', 418, {}), /not documented/);
  });
});
