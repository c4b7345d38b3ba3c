// Open311 GeoReport v2 (docs/open311.md): every JSON answer is validated with
// ajv against the GeoReport JSON Schemas in ../shared/open311 (from the repo
// root), every XML answer says the same as the JSON one, POST needs a key of
// the right place, requests show no personal data, and an order's Open311
// status follows its state. API keys: printed once by the CLI, only a hash kept.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Ajv from 'ajv';
import addFormats from 'ajv-formats';

import { ROOT, forEachStore, psql, sqlite, startServer } from '../lib/harness.mjs';

const SCHEMAS = path.join(ROOT, '..', 'shared', 'open311');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const f of ['request.json', 'requests.json', 'service.json', 'services.json', 'service-definition.json'])
  ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS, f), 'utf8')), f);
// Answers the shared schemas do not cover, written from the GeoReport v2 text.
ajv.addSchema({ type: 'array', minItems: 1, items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string' } } } }, 'errors');
ajv.addSchema({ type: 'array', minItems: 1, items: { type: 'object', required: ['service_request_id'], properties: { service_request_id: { type: 'string' }, token: { type: ['string', 'null'] }, service_notice: { type: ['string', 'null'] }, account_id: { type: ['string', 'null'] } } } }, 'post');
ajv.addSchema({ type: 'array', items: { type: 'object', required: ['service_request_id', 'token'], properties: { service_request_id: { type: 'string' }, token: { type: 'string' } } } }, 'tokens');
ajv.addSchema({ type: 'object', required: ['changeset', 'endpoints'], properties: { endpoints: { type: 'array', minItems: 1, items: { type: 'object', required: ['specification', 'url', 'type', 'formats'] } } } }, 'discovery');

function valid(schema, body) {
  const v = ajv.getSchema(schema);
  assert.ok(v(body), `${schema}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 400)}`);
  return body;
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
// A minimal reader of GeoReport's flat XML: the <item> elements of the root,
// each as {child: text} ('' for an empty element).
function xmlItems(xml, item) {
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>/);
  const out = [];
  for (const m of xml.matchAll(new RegExp(`<${item}>([\\s\\S]*?)</${item}>`, 'g'))) {
    const o = {};
    for (const f of m[1].matchAll(/<([a-z_]+)(?:\/>|>([^<]*)<\/\1>)/g)) o[f[1]] = unescape(f[2] || '');
    out.push(o);
  }
  return out;
}
// The XML items say what the JSON items say (null ↔ empty element).
function sameAsJson(json, xml, item) {
  const x = xmlItems(xml, item);
  assert.equal(x.length, json.length, `${item}: ${x.length} in XML, ${json.length} in JSON`);
  json.forEach((j, i) => {
    for (const [k, v] of Object.entries(j)) {
      if (Array.isArray(v)) continue;
      assert.equal(x[i][k], v === null ? '' : String(v), `${item}[${i}].${k}`);
    }
  });
}

forEachStore('Open311 GeoReport v2', (store) => {
  let s, anon, key, otherKey;
  const query = (sql) => (store === 'sqlite' ? sqlite(s.dbUrl, sql) : psql(s.dbUrl, sql));
  const get = async (p, schema) => {
    const r = await anon.get(p);
    if (schema) {
      assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 300)}`);
      assert.match(r.headers['content-type'], p.includes('.xml') ? /text\/xml/ : /application\/json/);
      if (!p.includes('.xml')) valid(schema, r.body);
    }
    return r;
  };
  const post = (format, fields) => anon.raw('POST', `/open311/v2/requests.${format}`, { body: new URLSearchParams(fields) });

  before(async () => {
    s = await startServer({ store, demo: true });
    anon = s.client();
    const r = await s.cli(['apikey', 'create', '滨河热线', '--place', '140930100010']);
    assert.equal(r.code, 0, r.stderr);
    key = r.stdout.trim();
    const r2 = await s.cli(['apikey', 'create', '马营围热线', '--place', '140930100007']);
    otherKey = r2.stdout.trim();
  });
  after(async () => { await s.stop(); });

  test('the CLI prints a key once and stores only its hash', async () => {
    assert.match(key, /^lk_[0-9a-f]{64}$/);
    const rows = query("SELECT name, place_code, key_hash, key_prefix FROM api_keys WHERE name = '滨河热线'");
    assert.equal(rows.length, 1);
    const [name, place, hash, prefix] = rows[0];
    assert.equal(name, '滨河热线');
    assert.equal(place, '140930100010');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.ok(!rows[0].some((c) => c.includes(key.slice(3))), 'the key itself is not stored');
    assert.ok(key.startsWith(prefix));
    const list = await s.cli(['apikey', 'list']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /滨河热线/);
    assert.ok(!list.stdout.includes(key), 'list does not show the key');
    // the admin API shows the prefix, never the key
    const admin = await s.login('admin');
    const l = await admin.get('/api/v1/api-keys');
    assert.equal(l.status, 200);
    s.validate('GET', '/api/v1/api-keys', 200, l.body);
    assert.ok(!l.text.includes(key));
  });

  test('discovery and services, JSON valid and XML the same', async () => {
    const d = await get('/open311/v2/discovery.json', 'discovery');
    assert.match(d.body.endpoints[0].url, /\/open311\/v2$/);
    assert.match((await get('/open311/v2/discovery.xml', 'discovery')).text, /<discovery>[\s\S]*<format>application\/json<\/format>/);
    const sj = (await get('/open311/v2/services.json', 'services.json')).body;
    assert.ok(sj.some((x) => x.service_code === 'streetlight' && x.service_name === '路灯修缮'));
    sameAsJson(sj, (await get('/open311/v2/services.xml', 'x')).text, 'service');
    const def = (await get('/open311/v2/services/streetlight.json', 'service-definition.json')).body;
    assert.equal(def.service_code, 'streetlight');
    assert.match((await get('/open311/v2/services/streetlight.xml', 'x')).text, /<service_code>streetlight<\/service_code>/);
    const missing = await anon.get('/open311/v2/services/no_such.json');
    assert.equal(missing.status, 404);
    valid('errors', missing.body);
    assert.equal(missing.body[0].code, 404);
    const mx = await anon.get('/open311/v2/services/no_such.xml');
    assert.equal(mx.status, 404);
    assert.match(mx.text, /<errors><error><code>404<\/code><description>/);
  });

  test('POST errors: no key 403, wrong place 403, unknown service and bad location 400', async () => {
    const base = { service_code: 'streetlight', address_id: '140930100010', description: '路灯不亮' };
    let r = await post('json', base);
    assert.equal(r.status, 403);
    valid('errors', r.body);
    r = await post('xml', base);
    assert.equal(r.status, 403);
    assert.match(r.text, /<errors><error><code>403<\/code>/);
    r = await post('json', { ...base, api_key: `lk_${'0'.repeat(64)}` });
    assert.equal(r.status, 403);
    r = await post('json', { ...base, api_key: otherKey }); // 马营围's key in 滨河
    assert.equal(r.status, 403);
    valid('errors', r.body);
    r = await post('json', { ...base, api_key: key, address_id: '140930100007' });
    assert.equal(r.status, 403);
    r = await post('json', { ...base, api_key: key, address_id: '999999999999' });
    assert.equal(r.status, 400);
    r = await post('json', { ...base, api_key: key, service_code: 'no_such' });
    assert.equal(r.status, 400);
    valid('errors', r.body);
    r = await post('json', { api_key: key, service_code: 'streetlight', description: '没有地点' });
    assert.equal(r.status, 400);
    r = await post('json', { api_key: key, service_code: 'streetlight', lat: 'abc', long: '111' });
    assert.equal(r.status, 400);
    const n = query("SELECT COUNT(*) FROM orders WHERE channel = 'open311'");
    assert.equal(Number(n[0][0]), 0, 'no refused request left an order');
  });

  let id;
  test('a request is filed, visible with status open, without personal data', async () => {
    const r = await post('json', { api_key: key, service_code: 'streetlight', address_id: '140930100010', address_string: '滨河路 8 号 <东门>', lat: '39.38', long: '111.15', description: '东门路灯不亮 & 闪烁', phone: '13912345678', first_name: '张', last_name: '三' });
    assert.equal(r.status, 200, r.text);
    valid('post', r.body);
    id = r.body[0].service_request_id;
    const tok = r.body[0].token;
    const one = (await get(`/open311/v2/requests/${id}.json`, 'requests.json')).body;
    assert.equal(one.length, 1);
    const q = one[0];
    assert.equal(q.status, 'open');
    assert.equal(q.service_code, 'streetlight');
    // the public address is the compound or coarser place, not the text given
    assert.equal(q.address, query("SELECT name FROM places WHERE code = '140930100010'")[0][0]);
    assert.equal(q.address_id, '140930100010');
    assert.equal(q.lat, 39.38);
    assert.equal(q.long, 111.15);
    assert.equal(q.description, '东门路灯不亮 & 闪烁');
    sameAsJson(one, (await get(`/open311/v2/requests/${id}.xml`, 'x')).text, 'request');
    sameAsJson(one, (await get(`/open311/v2/request/${id}.xml`, 'x')).text, 'request');
    valid('requests.json', (await get(`/open311/v2/request/${id}.json`, 'requests.json')).body);
    const t = (await get(`/open311/v2/tokens/${tok}.json`, 'tokens')).body;
    assert.equal(t[0].service_request_id, id);
    sameAsJson(t, (await get(`/open311/v2/tokens/${tok}.xml`, 'x')).text, 'request');
    // the order records channel open311 and the key as its actor
    const o = query(`SELECT channel, place_code, contact_phone FROM orders WHERE id = ${Number(id)}`);
    assert.deepEqual(o[0], ['open311', '140930100010', '13912345678']);
    const all = await get('/open311/v2/requests.json', 'requests.json');
    assert.ok(all.body.some((x) => x.service_request_id === id));
    sameAsJson(all.body, (await get('/open311/v2/requests.xml', 'x')).text, 'request');
    for (const text of [all.text, (await anon.get(`/open311/v2/requests/${id}.json`)).text])
      assert.ok(!/1391234|5678|张|三"/.test(text), 'no phone and no name in public requests');
    // a key of its own place files inside it only; the last use is recorded
    assert.ok(query("SELECT last_used_at FROM api_keys WHERE name = '滨河热线'")[0][0]);
    assert.equal((await anon.get(`/open311/v2/requests/999999.json`)).status, 404);
  });

  test('filters: service_request_id, service_code, status, start_date/end_date', async () => {
    const by = async (qs) => (await get(`/open311/v2/requests.json?${qs}`, 'requests.json')).body.map((x) => x.service_request_id);
    assert.deepEqual(await by(`service_request_id=${id}`), [id]);
    assert.ok((await by('service_code=streetlight')).includes(id));
    assert.ok(!(await by('service_code=sewer')).includes(id));
    assert.ok((await by('status=open')).includes(id));
    assert.ok(!(await by('status=closed')).includes(id));
    assert.ok(!(await by('start_date=2099-01-01T00:00:00Z')).includes(id));
    assert.ok((await by('start_date=2000-01-01T00:00:00Z&end_date=2099-01-01T00:00:00Z')).includes(id));
    const bad = await anon.get('/open311/v2/requests.json?start_date=yesterday');
    assert.equal(bad.status, 400);
    valid('errors', bad.body);
  });

  test('the Open311 status closes when the order is resolved; notes from the last event', async () => {
    const binhe = await s.login('binhe');
    let r = await binhe.post(`/api/v1/orders/${id}/events`, { event: 'accept' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await get(`/open311/v2/requests/${id}.json`, 'requests.json')).body[0].status, 'open');
    r = await binhe.post(`/api/v1/orders/${id}/events`, { event: 'resolve', result: '更换灯泡', outcome: 'fixed', note: '已更换灯泡' });
    assert.equal(r.status, 200, r.text);
    const q = (await get(`/open311/v2/requests/${id}.json`, 'requests.json')).body[0];
    assert.equal(q.status, 'closed');
    assert.equal(q.status_notes, '已更换灯泡');
    const x = xmlItems((await get(`/open311/v2/requests/${id}.xml`, 'x')).text, 'request')[0];
    assert.equal(x.status, 'closed');
    assert.ok((await get('/open311/v2/requests.json?status=closed', 'requests.json')).body.some((y) => y.service_request_id === id));
  });

  test('keys: created once on the page and the API, scoped, revoked keys refused', async () => {
    const binhe = await s.login('binhe');
    const c = await binhe.post('/api/v1/api-keys', { name: '网格平台', place_code: '140930100010' });
    assert.equal(c.status, 201, c.text);
    s.validate('POST', '/api/v1/api-keys', 201, c.body);
    assert.match(c.body.key, /^lk_/);
    const listed = await binhe.get('/api/v1/api-keys');
    assert.ok(!listed.text.includes(c.body.key));
    assert.ok(listed.body.items.every((k) => k.place_code.startsWith('140930100010')), 'binhe sees only keys of 滨河');
    assert.equal((await binhe.post('/api/v1/api-keys', { name: '越权', place_code: '140930100007' })).status, 400);
    const page = await s.browserLogin('binhe');
    const html = await page.postForm('/api-keys', { name: '页面密钥', place_code: '140930100010' });
    const shown = html.match(/lk_[0-9a-f]{64}/);
    assert.ok(shown, 'the page shows the new key once');
    assert.ok(!(await page.get('/api-keys')).includes(shown[0]), 'and never again');
    let r = await post('json', { api_key: c.body.key, service_code: 'noise', address_string: '滨河小区', description: '夜间噪音' });
    assert.equal(r.status, 200, r.text);
    const filed = query(`SELECT place_code, channel FROM orders WHERE id = ${Number(r.body[0].service_request_id)}`);
    assert.deepEqual(filed[0], ['140930100010', 'open311'], 'no address_id: the key\'s place');
    r = await binhe.post(`/api/v1/api-keys/${c.body.id}/revoke`, {});
    assert.equal(r.status, 200);
    assert.ok(r.body.revoked_at);
    assert.equal((await binhe.post(`/api/v1/api-keys/${c.body.id}/revoke`, {})).status, 409);
    r = await post('json', { api_key: c.body.key, service_code: 'noise', address_string: '滨河小区', description: '夜间噪音' });
    assert.equal(r.status, 403);
    const mayingwei = await s.login('mayingwei');
    assert.equal((await mayingwei.post(`/api/v1/api-keys/${c.body.id}/revoke`, {})).status, 404);
    assert.equal((await (await s.login('jumin')).get('/api/v1/api-keys')).status, 404);
  });
});
