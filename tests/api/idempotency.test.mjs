// A form sent twice acts once (issue 10, point 11). Page forms carry a
// one-time token (_once) and answer with a redirect; a repeat of the token
// answers the kept redirect without a second order. API requests that create
// or spend accept an Idempotency-Key: the same key and body give the first
// answer again (Idempotent-Replayed: true), in another server process too;
// another body under the key is refused (422), a key still running is 409.
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {DEMO, forEachStore, startServer} from '../lib/harness.mjs';

const HOUSEHOLD = '140930100010001011001'; // jumin's household in the demo
const chinese = /[\u4e00-\u9fa5]/;

// The hidden fields of the form posting to action, from a page's HTML.
function formFields(html, action) {
  const at = html.indexOf(`action="${action}"`);
  assert.ok(at >= 0, `a form posting to ${action}`);
  const form = html.slice(at, html.indexOf('</form>', at));
  const hidden = (name) => {
    const m = form.match(new RegExp(`name="${name}" value="([^"]*)"`));
    return m ? m[1] : null;
  };
  return {_csrf: hidden('_csrf'), _once: hidden('_once')};
}

forEachStore('a request sent twice acts once', (store) => {
  let a, b, nowFile, jumin, binhe;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const count = async (title) => Number((await a.sql(`SELECT COUNT(*) FROM orders WHERE title = '${title}'`))[0][0]);
  const order = (title) => ({category_code: 'streetlight', place_code: HOUSEHOLD, title,
    description: '路灯坏了', contact_phone: '13812345678'});

  before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T09:00:00+08:00');
    a = await startServer({store, env: {LINLI_NOW_FILE: nowFile}});
    b = await startServer({store, dbUrl: a.dbUrl, env: {LINLI_NOW_FILE: nowFile}});
    [jumin, binhe] = await Promise.all([a.login('jumin', DEMO.password), a.login('binhe', DEMO.password)]);
  });
  after(async () => {
    await b.stop();
    await a.stop();
  });

  test('every form carries its own one-time token next to the CSRF token', async () => {
    const br = await a.browserLogin('jumin', DEMO.password);
    const one = formFields(await br.get('/orders/new'), '/orders');
    const two = formFields(await br.get('/orders/new'), '/orders');
    assert.match(one._once, /^[0-9a-f]{32}$/);
    assert.notEqual(one._once, two._once, 'a fresh token for every form shown');
    assert.equal(one._csrf, await br.csrf());
  });

  test('the new-order form posted twice with one token creates one order; both answers are the same redirect', async () => {
    const br = await a.browserLogin('jumin', DEMO.password);
    const f = formFields(await br.get('/orders/new'), '/orders');
    const fields = {...f, ...order('表单重复提交一次')};
    const first = await br.postFormRaw('/orders', fields);
    assert.equal(first.status, 303, first.text);
    assert.match(first.headers.location, /^\/orders\/\d+\?done=submit$/);
    const again = await br.postFormRaw('/orders', fields); // a double click, a resend
    assert.equal(again.status, 303, again.text);
    assert.equal(again.headers.location, first.headers.location, 'the kept redirect');
    // the other process answers the same: the key is in the database
    const cookie = `linli_session=${br.cookie}`;
    const onB = await b.client().raw('POST', '/orders', {headers: {Cookie: cookie,
      'Content-Type': 'application/x-www-form-urlencoded'}, body: new URLSearchParams(fields).toString()});
    assert.equal(onB.status, 303);
    assert.equal(onB.headers.location, first.headers.location);
    assert.equal(await count('表单重复提交一次'), 1);

    // the same token with other content: refused in Chinese, nothing created
    const changed = await br.postFormRaw('/orders', {...fields, title: '改过的诉求'});
    assert.equal(changed.status, 409);
    assert.match(changed.text, /此表单已提交过/);
    assert.equal(await count('改过的诉求'), 0);

    // a fresh form is a new request
    const g = formFields(await br.get('/orders/new'), '/orders');
    const next = await br.postFormRaw('/orders', {...g, ...order('表单重复提交一次')});
    assert.equal(next.status, 303);
    assert.notEqual(next.headers.location, first.headers.location);
    assert.equal(await count('表单重复提交一次'), 2);
  });

  test('a form refused for its input releases its token: corrected and sent again, it acts', async () => {
    const br = await a.browserLogin('jumin', DEMO.password);
    const f = formFields(await br.get('/orders/new'), '/orders');
    const bad = await br.postFormRaw('/orders', {...f, ...order('坐标有误的诉求'), lat: 'abc', lon: '1'});
    assert.equal(bad.status, 400);
    assert.match(bad.text, /纬度应为中国境内的十进制数/);
    const good = await br.postFormRaw('/orders', {...f, ...order('坐标有误的诉求')});
    assert.equal(good.status, 303, good.text);
    const again = await br.postFormRaw('/orders', {...f, ...order('坐标有误的诉求')});
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, good.headers.location, 'now the token is spent');
    assert.equal(await count('坐标有误的诉求'), 1);
  });

  test('an account action answers with a redirect; the same form twice adds one grant', async () => {
    const br = await a.browserLogin('binhe', DEMO.password);
    const acct = (await binhe.post('/api/v1/accounts', {username: `once_${store}`, password: 'pass12345',
      role: 'volunteer', place_code: DEMO.community})).body;
    assert.ok(acct.id, 'account created');
    const f = formFields(await br.get(`/accounts/${acct.id}`), `/accounts/${acct.id}/grants`);
    const fields = {...f, role: 'grid_worker', place_code: DEMO.community};
    const first = await br.postFormRaw(`/accounts/${acct.id}/grants`, fields);
    assert.equal(first.status, 303, first.text);
    assert.equal(first.headers.location, `/accounts/${acct.id}?done=grant`);
    const again = await br.postFormRaw(`/accounts/${acct.id}/grants`, fields);
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, first.headers.location);
    const grants = await a.sql(`SELECT COUNT(*) FROM grants WHERE account_id = ${acct.id} AND role = 'grid_worker'`);
    assert.equal(Number(grants[0][0]), 1);
    assert.match(await br.get(first.headers.location), /已增加授权/);
  });

  test('a people import answers with a redirect; the same upload twice imports once', async () => {
    const br = await a.browserLogin('binhe', DEMO.password);
    const f = formFields(await br.get('/import'), '/import');
    const csv = `姓名,所在地代码\n幂等导入甲${store},${HOUSEHOLD}\n`;
    const upload = () => {
      const fd = new FormData();
      fd.append('_csrf', f._csrf);
      fd.append('_once', f._once);
      fd.append('action', 'import');
      fd.append('file', new Blob([csv], {type: 'text/csv'}), 'p.csv');
      return br.raw('POST', '/import', {body: fd}); // a new multipart boundary each time
    };
    const first = await upload();
    assert.equal(first.status, 303, first.text);
    assert.match(first.headers.location, /^\/import\?done=1&imported=1&/);
    const again = await upload();
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, first.headers.location);
    const n = await a.sql(`SELECT COUNT(*) FROM people WHERE name = '幂等导入甲${store}'`);
    assert.equal(Number(n[0][0]), 1);
    const page = await br.get(first.headers.location);
    assert.match(page, /导入成功/);
    assert.match(page, /<strong>1<\/strong> 人已导入/);
  });

  test('a form whose answer is a page (a key shown once) is refused when sent again', async () => {
    const br = await a.browserLogin('binhe', DEMO.password);
    const f = formFields(await br.get('/api-keys'), '/api-keys');
    const fields = {...f, name: `页面密钥${store}`, place_code: DEMO.community};
    const first = await br.postFormRaw('/api-keys', fields);
    assert.equal(first.status, 200, first.text);
    const key = first.text.match(/lk_[0-9a-f]{64}/)[0];
    const again = await br.postFormRaw('/api-keys', fields);
    assert.equal(again.status, 409);
    assert.match(again.text, /此表单已提交过/);
    assert.ok(!again.text.includes(key));
    const n = await a.sql(`SELECT COUNT(*) FROM api_keys WHERE name = '页面密钥${store}'`);
    assert.equal(Number(n[0][0]), 1);
  });

  test('the supermarket: the redeem form sent twice (a reload) spends once', async () => {
    const jid = Number((await a.sql("SELECT person_id FROM accounts WHERE username = 'jumin'"))[0][0]);
    const balance = async () => Number((await a.sql(`SELECT COALESCE((SELECT balance FROM points_accounts WHERE person_id = ${jid}), 0)`))[0][0]);
    const g = await binhe.post('/api/v1/points/goods', {place_code: DEMO.community, source: 'purchase',
      name: `幂等香皂${store}`, price: 30, stock: 5});
    assert.equal(g.status, 201, g.text);
    const award = await binhe.post('/api/v1/points/awards', {place_code: DEMO.community, person_id: jid,
      points: 100, reason: '幂等测试', source_type: 'test_award', source_id: 990001});
    assert.equal(award.status, 201, award.text);
    const start = await balance();
    const br = await a.browserLogin('jumin', DEMO.password);
    const html = await br.get('/market');
    const form = html.split('<form').find((x) => x.includes(`name="goods_id" value="${g.body.id}"`));
    assert.ok(form, 'the goods can be redeemed');
    const fields = {...formFields(`<form${form}</form>`, '/market/redeem'), goods_id: g.body.id, qty: 1};
    const first = await br.postFormRaw('/market/redeem', fields);
    assert.ok(first.status === 200 || first.status === 303, first.text);
    const again = await br.postFormRaw('/market/redeem', fields);
    // the kept redirect, or (an answer that was a page) a refusal: never a second redemption
    assert.ok(again.status === 303 || again.status === 409, `${again.status}`);
    assert.equal(await balance(), start - 30);
  });

  test('API: the same Idempotency-Key and body answer the first answer again, on either process', async () => {
    const key = `order-${store}-1`;
    const h = {headers: {'Idempotency-Key': key}};
    const first = await jumin.post('/api/v1/orders', order('接口重试的诉求'), h);
    assert.equal(first.status, 201, first.text);
    a.validate('POST', '/api/v1/orders', 201, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const again = await jumin.post('/api/v1/orders', order('接口重试的诉求'), h);
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.text, first.text, 'the same body');
    assert.match(again.headers['content-type'], /application\/json/);
    const onB = await b.client(jumin.token).post('/api/v1/orders', order('接口重试的诉求'), h);
    assert.equal(onB.status, 201);
    assert.equal(onB.text, first.text);
    assert.equal(await count('接口重试的诉求'), 1);

    // another body under the key: 422, in Chinese, nothing created
    const other = await jumin.post('/api/v1/orders', order('另一个诉求'), h);
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'invalid');
    assert.match(other.body.error.message, chinese);
    assert.equal(await count('另一个诉求'), 0);

    // keys belong to their caller: another account's same key is its own
    const hers = await binhe.post('/api/v1/orders', order('接口重试的诉求'), h);
    assert.equal(hers.status, 201, hers.text);
    assert.notEqual(hers.body.id, first.body.id);
    assert.equal(await count('接口重试的诉求'), 2);

    // without a key nothing changes: two posts, two orders
    await jumin.post('/api/v1/orders', order('没有幂等键的诉求'));
    await jumin.post('/api/v1/orders', order('没有幂等键的诉求'));
    assert.equal(await count('没有幂等键的诉求'), 2);
  });

  test('API: a refused request releases its key; a malformed key is refused', async () => {
    const h = {headers: {'Idempotency-Key': `order-${store}-bad`}};
    const bad = await jumin.post('/api/v1/orders', {...order('先错后对的诉求'), category_code: 'no_such'}, h);
    assert.ok(bad.status >= 400 && bad.status < 500, bad.text);
    const good = await jumin.post('/api/v1/orders', order('先错后对的诉求'), h);
    assert.equal(good.status, 201, good.text);
    assert.equal(await count('先错后对的诉求'), 1);

    const long = await jumin.post('/api/v1/orders', order('键太长的诉求'), {headers: {'Idempotency-Key': 'x'.repeat(256)}});
    assert.equal(long.status, 400);
    assert.match(long.body.error.message, /Idempotency-Key/);
    assert.equal(await count('键太长的诉求'), 0);
  });

  test('a key whose answer was never recorded (the process died after the handler) is refused, never run again', async () => {
    const h = {headers: {'Idempotency-Key': `crash-${store}`}};
    assert.equal((await jumin.post('/api/v1/orders', order('崩溃窗口的诉求'), h)).status, 201);
    // what a kill -9 between the handler's commit and the record leaves behind
    await a.sql(`UPDATE idempotency_keys SET state = 0, status = NULL, body = NULL WHERE idem_key = 'crash-${store}'`);
    for (const srv of [a, b]) {
      const r = await srv.client(jumin.token).post('/api/v1/orders', order('崩溃窗口的诉求'), h);
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'conflict');
      assert.match(r.body.error.message, /正在处理/);
    }
    assert.equal(await count('崩溃窗口的诉求'), 1);
  });

  test('API: two processes racing on one key make one order', async () => {
    for (let round = 0; round < 3; round++) {
      const title = `并发重试的诉求${round}`;
      const h = {headers: {'Idempotency-Key': `race-${store}-${round}`}};
      const [x, y] = await Promise.all([
        jumin.post('/api/v1/orders', order(title), h),
        b.client(jumin.token).post('/api/v1/orders', order(title), h),
      ]);
      const statuses = [x.status, y.status].sort();
      assert.ok(statuses[0] === 201, `one of them made it: ${statuses}`);
      // the other got the kept answer, or was told the first is still running
      assert.ok(statuses[1] === 201 || statuses[1] === 409, `${statuses}`);
      if (x.status === 201 && y.status === 201) assert.equal(x.text, y.text);
      const loser = x.status === 409 ? x : y.status === 409 ? y : null;
      if (loser) assert.match(loser.body.error.message, /正在处理/);
      assert.equal(await count(title), 1);
    }
  });

  test('Open311: a POST with an api_key and an Idempotency-Key makes one request', async () => {
    const k = await a.cli(['apikey', 'create', `幂等热线${store}`, '--place', DEMO.community]);
    assert.equal(k.code, 0, k.stderr);
    const apiKey = k.stdout.trim();
    const fields = {api_key: apiKey, service_code: 'streetlight', address_id: DEMO.community,
      description: 'Open311 重试的诉求'};
    const post = (srv) => srv.client().raw('POST', '/open311/v2/requests.json',
      {headers: {'Idempotency-Key': `o311-${store}`}, body: new URLSearchParams(fields)});
    const first = await post(a);
    assert.equal(first.status, 200, first.text);
    const again = await post(b);
    assert.equal(again.status, 200);
    assert.equal(again.text, first.text);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const n = await a.sql("SELECT COUNT(*) FROM orders WHERE description = 'Open311 重试的诉求'");
    assert.equal(Number(n[0][0]), 1);
  });

  test('an answer that shows a secret once is not kept: the repeat is refused, the secret not shown again', async () => {
    const h = {headers: {'Idempotency-Key': `hook-${store}`}};
    const body = {url: 'https://example.org/hook', place_code: DEMO.community, kinds: 'dispatched'};
    const admin = binhe;
    const first = await admin.post('/api/v1/webhooks', body, h);
    assert.equal(first.status, 201, first.text);
    const again = await admin.post('/api/v1/webhooks', body, h);
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /只显示一次/);
    assert.ok(!again.text.includes(first.body.secret));
    const stored = await a.sql(`SELECT COUNT(*) FROM idempotency_keys WHERE body LIKE '%${first.body.secret}%'`);
    assert.equal(Number(stored[0][0]), 0, 'no secret at rest');
    const hooks = await a.sql("SELECT COUNT(*) FROM webhooks WHERE url = 'https://example.org/hook'");
    assert.equal(Number(hooks[0][0]), 1);
  });

  test('keys expire after a day and are purged by the scheduler; then the key acts anew', async () => {
    const h = {headers: {'Idempotency-Key': `old-${store}`}};
    assert.equal((await jumin.post('/api/v1/orders', order('过期键的诉求'), h)).status, 201);
    const kept = await a.sql(`SELECT state FROM idempotency_keys WHERE idem_key = 'old-${store}'`);
    assert.deepEqual(kept.map((x) => Number(x[0])), [1], 'kept with its answer');
    setNow('2026-11-24T09:30:00+08:00');
    const t = await a.cli(['tick'], '', {env: {LINLI_NOW_FILE: nowFile}});
    assert.equal(t.code, 0, t.stderr);
    const left = await a.sql(`SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'old-${store}'`);
    assert.equal(Number(left[0][0]), 0, 'purged');
    jumin = await a.login('jumin', DEMO.password); // the session has expired too
    const again = await jumin.post('/api/v1/orders', order('过期键的诉求'), h);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers['idempotent-replayed'], undefined);
    assert.equal(await count('过期键的诉求'), 2);
    setNow('2026-11-23T09:00:00+08:00');
  });

  test('OpenAPI documents Idempotency-Key once and on every POST operation', async () => {
    const doc = (await a.client().get('/api/v1/openapi.json')).body;
    const p = doc.components.parameters.IdempotencyKey;
    assert.equal(p.in, 'header');
    assert.equal(p.name, 'Idempotency-Key');
    let posts = 0;
    for (const [route, ops] of Object.entries(doc.paths)) {
      // public operations (login, sign-up) have no caller to keep a key for
      if (!ops.post || (Array.isArray(ops.post.security) && ops.post.security.length === 0)) continue;
      posts++;
      const refs = (ops.post.parameters || []).map((x) => x.$ref);
      assert.ok(refs.includes('#/components/parameters/IdempotencyKey'), `${route} takes Idempotency-Key`);
      assert.ok(ops.post.responses['409'] && ops.post.responses['422'], `${route} lists 409 and 422`);
    }
    assert.ok(posts > 40);
  });
});
