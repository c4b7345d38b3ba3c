// Webhooks and the inbox (docs/timers-and-notifications.md). A node HTTP
// server on loopback receives the deliveries: the signature is the HMAC-SHA256
// of the raw body keyed by the secret; the first answer is 500, so the
// delivery is retried only once the test clock has moved 30 s, then 200
// delivers it; every attempt is in the log. The inbox shows one's own
// notifications only, with the unread count, read through the API and the page.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {forEachStore, startServer} from '../lib/harness.mjs';

forEachStore('webhooks and inbox', (store) => {
  let s, nowFile, receiver, hookUrl, jumin, sg, dy, binhe, mayingwei, dyPerson;
  const household = '140930100010001011001';
  const got = [];
  let answers = [];
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const ok = async (c, id, body) => {
    const r = await c.post(`/api/v1/orders/${id}/events`, body);
    assert.equal(r.status, 200, `${body.event}: ${r.text}`);
    return r.body;
  };
  const submit = async () => {
    const r = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: household, title: '推送测试', description: '路灯不亮'});
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  const tick = async () => {
    const r = await s.cli(['tick']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  test.before(async () => {
    receiver = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        got.push({headers: req.headers, raw: Buffer.concat(chunks)});
        res.statusCode = answers.length ? answers.shift() : 200;
        res.end('ok');
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${receiver.address().port}/linli`;
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T09:00:00+08:00');
    // the receiver is on loopback: allowed only because the administrator says so
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile, LINLI_WEBHOOK_ALLOW_PRIVATE: '1'}, args: ['--tick', '0']});
    [jumin, sg, dy, binhe, mayingwei] = await Promise.all(['jumin', 'binhe_sg', 'dangyuan', 'binhe', 'mayingwei'].map((u) => s.login(u)));
    const probe = await submit();
    await ok(sg, probe.id, {event: 'accept'});
    dyPerson = (await ok(dy, probe.id, {event: 'take'})).assignee.id;
  });
  test.after(async () => {
    await s.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test('registration is checked and scoped; the secret is shown once', async () => {
    let r = await binhe.post('/api/v1/webhooks', {url: 'ftp://example.org/x', place_code: '140930100010'});
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'url');
    r = await binhe.post('/api/v1/webhooks', {url: hookUrl, place_code: '140930100007'});
    assert.equal(r.status, 400, 'another community is out of scope');
    assert.equal(r.body.error.field, 'place_code');
    r = await binhe.post('/api/v1/webhooks', {url: hookUrl, place_code: '140930100010', kinds: 'dispatched,nonsense'});
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'kinds');
    assert.ok([403, 404].includes((await jumin.post('/api/v1/webhooks', {url: hookUrl, place_code: '140930100010'})).status), 'a resident may not');
    assert.equal((await binhe.get('/api/v1/webhooks')).body.items.length, 0, 'nothing was registered');
  });

  test('a dispatch is delivered signed; 500 is retried after 30 s by the clock, then 200 delivers it', async () => {
    const secret = 'a-test-secret-of-enough-length';
    const reg = await binhe.post('/api/v1/webhooks', {url: hookUrl, place_code: '140930100010', kinds: 'dispatched', secret});
    assert.equal(reg.status, 201, reg.text);
    s.validate('POST', '/api/v1/webhooks', 201, reg.body);
    assert.equal(reg.body.secret, secret);
    const list = await binhe.get('/api/v1/webhooks');
    s.validate('GET', '/api/v1/webhooks', 200, list.body);
    assert.equal(list.body.items[0].secret, undefined, 'the secret is not listed');
    const other = await mayingwei.get('/api/v1/webhooks');
    assert.ok(!other.body.items.some((w) => w.id === reg.body.id), 'another community does not see it');
    assert.equal((await mayingwei.get(`/api/v1/webhooks/${reg.body.id}/deliveries`)).status, 404);

    setNow('2026-11-23T10:00:00+08:00');
    const o = await submit();
    await ok(sg, o.id, {event: 'accept'});
    await ok(sg, o.id, {event: 'dispatch', assignee_kind: 'person', assignee_id: dyPerson});
    answers = [500];
    got.length = 0;
    assert.match(await tick(), /attempt 1: pending \(HTTP 500\)/);
    assert.equal(got.length, 1);
    const first = got[0];
    const expected = `sha256=${createHmac('sha256', secret).update(first.raw).digest('hex')}`;
    assert.equal(first.headers['x-linli-signature'], expected, 'HMAC-SHA256 of the raw body');
    assert.notEqual(createHmac('sha256', 'wrong').update(first.raw).digest('hex'), expected.slice(7));
    const payload = JSON.parse(first.raw.toString('utf8'));
    assert.equal(payload.kind, 'dispatched');
    assert.equal(payload.order_id, o.id);
    assert.equal(payload.order_code, o.code);
    assert.equal(payload.place_code, household);
    assert.match(payload.title, /新派工单/);
    assert.match(first.headers['x-linli-delivery'], /^\d+$/);

    setNow('2026-11-23T10:00:29+08:00');
    await tick();
    assert.equal(got.length, 1, 'not before the backoff');
    setNow('2026-11-23T10:00:30+08:00');
    assert.match(await tick(), /attempt 2: delivered \(HTTP 200\)/);
    assert.equal(got.length, 2);
    assert.equal(got[1].headers['x-linli-delivery'], first.headers['x-linli-delivery'], 'the same delivery id');
    assert.equal(got[1].raw.toString(), first.raw.toString());
    setNow('2026-11-23T10:10:00+08:00');
    await tick();
    assert.equal(got.length, 2, 'delivered once: no more attempts');

    const log = await binhe.get(`/api/v1/webhooks/${reg.body.id}/deliveries`);
    assert.equal(log.status, 200, log.text);
    s.validate('GET', '/api/v1/webhooks/{id}/deliveries', 200, log.body);
    assert.deepEqual(log.body.items.map((d) => [d.attempt, d.http_status, d.state]), [[2, 200, 'delivered'], [1, 500, 'delivered']]);
    assert.equal(log.body.items[1].error, '投递失败（HTTP 500）');
    assert.equal(log.body.items[0].error, null);

    // the kinds filter: taking the order sends nothing to this webhook
    await ok(dy, o.id, {event: 'take'});
    await tick();
    assert.equal(got.length, 2);

    // disabled: no more deliveries, the log stays
    const del = await binhe.del(`/api/v1/webhooks/${reg.body.id}`);
    assert.equal(del.status, 200);
    s.validate('DELETE', '/api/v1/webhooks/{id}', 200, del.body);
    assert.equal(del.body.active, false);
    const o2 = await submit();
    await ok(sg, o2.id, {event: 'accept'});
    await ok(sg, o2.id, {event: 'dispatch', assignee_kind: 'person', assignee_id: dyPerson});
    await tick();
    assert.equal(got.length, 2);
    assert.equal((await binhe.get(`/api/v1/webhooks/${reg.body.id}/deliveries`)).body.items.length, 2);
  });

  test('the inbox: own notifications only, unread count, read through the API and the page', async () => {
    const before = await dy.get('/api/v1/inbox');
    assert.equal(before.status, 200);
    s.validate('GET', '/api/v1/inbox', 200, before.body);
    const n = before.body.items.find((x) => x.kind === 'dispatched' && !x.read);
    assert.ok(n, 'dangyuan was told of the dispatch');
    assert.ok(before.body.unread >= 2);
    assert.equal((await dy.get('/api/v1/inbox?unread=1&limit=500')).body.items.length, before.body.unread);

    // someone else's notification is as missing as a nonexistent one
    const theirs = await sg.post(`/api/v1/inbox/${n.id}/read`, {});
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.error.code, 'not_found');
    assert.ok(!(await sg.get('/api/v1/inbox?limit=500')).body.items.some((x) => x.id === n.id));

    const r = await dy.post(`/api/v1/inbox/${n.id}/read`, {});
    assert.equal(r.status, 200, r.text);
    s.validate('POST', '/api/v1/inbox/{id}/read', 200, r.body);
    assert.equal(r.body.read, true);
    assert.equal(r.body.unread, before.body.unread - 1);
    assert.equal((await dy.post(`/api/v1/inbox/${n.id}/read`, {})).status, 200, 'reading twice is harmless');
    assert.equal((await dy.get('/api/v1/inbox')).body.unread, before.body.unread - 1);

    const page = await s.browserLogin('dangyuan');
    let html = await page.get('/inbox');
    assert.match(html, /我的消息/);
    assert.match(html, /新派工单/);
    const m = /action="\/inbox\/(\d+)\/read"/.exec(html);
    assert.ok(m, 'an unread notification has a 标为已读 button');
    html = await page.postForm(`/inbox/${m[1]}/read`, {});
    assert.doesNotMatch(html, new RegExp(`action="/inbox/${m[1]}/read"`));
    assert.equal((await dy.get('/api/v1/inbox')).body.unread, before.body.unread - 2);
  });

  test('the webhooks page lists, adds (secret shown once) and disables', async () => {
    const page = await s.browserLogin('binhe');
    let html = await page.postForm('/webhooks', {url: `${hookUrl}/page`, place_code: '140930100010', kinds: 'breach'});
    assert.match(html, /已登记。签名密钥/);
    assert.match(html, /\/linli\/page/);
    html = await page.postForm('/webhooks', {url: 'not a url', place_code: '140930100010'});
    assert.match(html, /推送地址应为/);
    const list = (await binhe.get('/api/v1/webhooks')).body.items;
    const w = list.find((x) => x.url === `${hookUrl}/page`);
    assert.ok(w && w.active);
    html = await page.postForm(`/webhooks/${w.id}/disable`, {});
    assert.match(html, /已停用/);
    assert.equal((await binhe.get('/api/v1/webhooks')).body.items.find((x) => x.id === w.id).active, false);
  });
});
