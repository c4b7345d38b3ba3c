// The API description cannot drift from the binders (issue 11, point 8): each
// binder (http/bind.h, printed by `linli binders`) names its routes; every one
// exists, and each API route's OpenAPI request schema has exactly the binder's
// fields, with the binder's types, limits, formats, nullability and required
// list. A binder is the one mapping from a request to a service input, so a
// field the document promises and the server ignores (or the reverse) fails here.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';

import {STORES, runLinli, startServer} from '../lib/harness.mjs';
import {deref} from '../lib/openapi.mjs';

function typeProblems(f, s, at) {
  const out = [];
  const types = new Set();
  const collect = (x) => {
    if (!x) return;
    if (x.type) types.add(x.type);
    for (const alt of x.oneOf || x.anyOf || []) collect(alt);
  };
  collect(s);
  const want = {text: 'string', id: 'integer', int: 'integer', bool: 'boolean',
    text_list: 'array', id_list: 'array', num: 'number', object: 'object'}[f.type];
  if (!types.has(want)) out.push(`${at}: type ${[...types].join('|') || 'none'}, binder reads ${f.type} (${want})`);
  if (f.type.endsWith('_list')) {
    const item = s.items && s.items.type;
    const wantItem = f.type === 'id_list' ? 'integer' : 'string';
    if (item !== wantItem) out.push(`${at}: items ${item}, binder reads ${wantItem}`);
    if (f.max && s.maxItems !== f.max) out.push(`${at}: maxItems ${s.maxItems}, binder ${f.max}`);
  } else if (f.type === 'text' && f.max && s.maxLength !== f.max) {
    out.push(`${at}: maxLength ${s.maxLength}, binder ${f.max}`);
  }
  if (f.format && s.format !== f.format) out.push(`${at}: format ${s.format}, binder ${f.format}`);
  if (f.null_clears && s.nullable !== true) out.push(`${at}: null clears the value, so nullable: true`);
  return out;
}

describe('binders and the OpenAPI request schemas', () => {
  let s;
  let doc;
  let binders;
  let routes;
  before(async () => {
    s = await startServer({store: STORES.includes('sqlite') ? 'sqlite' : STORES[0], demo: false});
    doc = (await s.client().get('/api/v1/openapi.json')).body;
    const b = await runLinli(['binders']);
    assert.equal(b.code, 0, b.stderr);
    binders = JSON.parse(b.stdout);
    const r = await runLinli(['routes']);
    assert.equal(r.code, 0, r.stderr);
    routes = JSON.parse(r.stdout);
  });
  after(async () => {
    await s.stop();
  });

  test('every binder names routes that exist, API and page alike', () => {
    const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const problems = [];
    for (const b of binders) {
      assert.ok(b.routes.length > 0, `${b.name} names no route`);
      for (const rt of b.routes) if (!known.has(rt)) problems.push(`${b.name}: no route ${rt}`);
    }
    assert.deepEqual(problems, []);
  });

  test('each API route of a binder documents exactly its fields', () => {
    const problems = [];
    for (const b of binders) {
      for (const rt of b.routes) {
        const [method, path] = rt.split(' ');
        if (!path.startsWith('/api/')) continue;
        const op = doc.paths[path] && doc.paths[path][method.toLowerCase()];
        if (!op) {
          problems.push(`${b.name}: ${rt} is not in the document`);
          continue;
        }
        const body = op.requestBody && deref(doc, op.requestBody);
        const media = body && body.content && (body.content['application/json'] || body.content['multipart/form-data']);
        const schema = media && deref(doc, media.schema);
        if (!schema || !schema.properties) {
          problems.push(`${b.name}: ${rt} has no request schema with properties`);
          continue;
        }
        const fields = b.fields.filter((f) => f.api);
        const names = new Set(fields.map((f) => f.name));
        for (const p of Object.keys(schema.properties))
          if (!names.has(p)) problems.push(`${b.name}: ${rt} documents ${p}, which the binder does not read`);
        for (const f of fields) {
          const ps = schema.properties[f.name];
          if (!ps) {
            problems.push(`${b.name}: ${rt} does not document ${f.name}`);
            continue;
          }
          problems.push(...typeProblems(f, deref(doc, ps), `${b.name}: ${rt} ${f.name}`));
        }
        const req = new Set(schema.required || []);
        const want = new Set(fields.filter((f) => f.required).map((f) => f.name));
        for (const n of want) if (!req.has(n)) problems.push(`${b.name}: ${rt} ${n} is required by the binder, not the document`);
        for (const n of req) if (!want.has(n)) problems.push(`${b.name}: ${rt} ${n} is required by the document, not the binder`);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  test('coverage: the API operations that take a body and have no binder yet', (t) => {
    const bound = new Set(binders.flatMap((b) => b.routes));
    const open = routes.filter((r) => r.api && r.method !== 'GET' && r.path.startsWith('/api/') &&
      !bound.has(`${r.method} ${r.path}`) && (() => {
        const op = doc.paths[r.path] && doc.paths[r.path][r.method.toLowerCase()];
        return op && op.requestBody;
      })());
    t.diagnostic(`${bound.size} routes bound; API operations with a body and no binder: ${open.length}`);
    for (const r of open) t.diagnostic(`  unbound: ${r.method} ${r.path}`);
    assert.ok(true);
  });
});
