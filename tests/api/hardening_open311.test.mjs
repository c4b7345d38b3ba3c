// Issue 10, points 10 and 12 (Open311, coordinates, webhooks): the public
// Open311 feed publishes no resident — the place no finer than the compound,
// coordinates rounded to about 100 m, no phone or 身份证 number in the texts,
// and staff can hide an order; coordinates are plain decimals inside China
// everywhere they come in (Open311, the order API, the order page); webhooks
// to loopback, private or reserved addresses are refused unless the
// administrator allows them (LINLI_WEBHOOK_ALLOW_PRIVATE=1), at registration
// and at delivery (a name that leads to 127.0.0.1 too), and the delivery log
// says "投递失败" whatever went wrong without an answer.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as netServer } from 'node:net';
import { after, before, test } from 'node:test';

import { forEachStore, startServer } from '../lib/harness.mjs';

const HOUSEHOLD = '140930100010001011001'; // jumin's household in the demo
const COMMUNITY = '140930100010';
const PHONE = '13912345678';
const ID_NUMBER = '14093019900307123X';

// A free loopback port with nothing listening on it.
async function closedPort() {
  const srv = netServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

forEachStore('hardening: Open311 feed, coordinates, webhook targets', (store) => {
  let s, anon, jumin, binhe, mayingwei, key, orderId, receiver, hookBase;
  const got = [];
  let answer = 200;

  before(async () => {
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => { got.push(req.url); res.statusCode = answer; res.end('ok'); });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookBase = `http://127.0.0.1:${receiver.address().port}`;
    // no background sender: deliveries happen when the test runs `linli tick`
    s = await startServer({ store, demo: true, args: ['--tick', '0'] });
    anon = s.client();
    [jumin, binhe, mayingwei] = await Promise.all(['jumin', 'binhe', 'mayingwei'].map((u) => s.login(u)));
    const k = await s.cli(['apikey', 'create', '加固测试', '--place', COMMUNITY]);
    assert.equal(k.code, 0, k.stderr);
    key = k.stdout.trim();
    // a resident's in-app order, with everything a resident might type
    const r = await jumin.post('/api/v1/orders', {
      category_code: 'streetlight', place_code: HOUSEHOLD, title: '楼下路灯不亮',
      description: `路灯坏了，请联系我 ${PHONE} 或 139 1234 5678，座机 0350-7212345，身份证 ${ID_NUMBER}，全角１３９１２３４５６７８。共3盏灯`,
      lat: 39.381234, lon: 111.152345,
    });
    assert.equal(r.status, 201, r.text);
    orderId = r.body.id;
  });
  after(async () => {
    await s.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test('the public feed shows the compound, rounded coordinates and no contact numbers', async () => {
    const acc = await binhe.post(`/api/v1/orders/${orderId}/events`, { event: 'accept', note: `已电话联系 ${PHONE}` });
    assert.equal(acc.status, 200, acc.text);
    const [compound] = s.sql(`SELECT code, name, level FROM places WHERE code = '${HOUSEHOLD.slice(0, 15)}'`);
    assert.equal(compound[2], 'compound', 'the demo household lies in a compound');
    const list = await anon.get('/open311/v2/requests.json');
    assert.equal(list.status, 200);
    const q = list.body.find((x) => x.service_request_id === String(orderId));
    assert.ok(q, 'the order is public');
    assert.equal(q.address_id, compound[0], 'the compound, not the household');
    assert.equal(q.address, compound[1]);
    assert.equal(q.lat, 39.381);
    assert.equal(q.long, 111.152);
    assert.equal(q.description, '路灯坏了，请联系我 *** 或 ***，座机 ***，身份证 ***，全角***。共3盏灯');
    assert.equal(q.status_notes, '已电话联系 ***');
    const one = await anon.get(`/open311/v2/requests/${orderId}.json`);
    assert.deepEqual(one.body[0], q);
    for (const path of ['/open311/v2/requests.json', '/open311/v2/requests.xml', `/open311/v2/requests/${orderId}.xml`]) {
      const text = (await anon.get(path)).text;
      for (const secret of [HOUSEHOLD, PHONE, '1391234', '5678', '7212345', ID_NUMBER, '19900307', '１３９', '39.381234', '111.152345'])
        assert.ok(!text.includes(secret), `${path} shows ${secret}`);
    }
    // staff still see everything
    const full = await binhe.get(`/api/v1/orders/${orderId}`);
    assert.equal(full.body.place_code, HOUSEHOLD);
    assert.match(full.body.description, new RegExp(PHONE));
  });

  test('staff hide an order from the feed and show it again; residents and other communities may not', async () => {
    const path = `/api/v1/orders/${orderId}/open311`;
    const r0 = await binhe.get(path);
    assert.equal(r0.status, 200, r0.text);
    s.validate('GET', '/api/v1/orders/{id}/open311', 200, r0.body);
    assert.equal(r0.body.open311_hidden, false);
    assert.equal((await jumin.put(path, { open311_hidden: true })).status, 403, 'the requester is no dispatcher');
    assert.equal((await mayingwei.put(path, { open311_hidden: true })).status, 404, 'another community');
    assert.equal((await mayingwei.put(path, {})).status, 404, 'out of sight before the body is judged');
    assert.equal((await binhe.put(path, { open311_hidden: 'yes' })).status, 400);
    const h = await binhe.put(path, { open311_hidden: true });
    assert.equal(h.status, 200, h.text);
    s.validate('PUT', '/api/v1/orders/{id}/open311', 200, h.body);
    assert.equal(h.body.open311_hidden, true);
    const list = await anon.get('/open311/v2/requests.json');
    assert.ok(!list.body.some((x) => x.service_request_id === String(orderId)), 'not in the list');
    assert.equal((await anon.get(`/open311/v2/requests/${orderId}.json`)).status, 404);
    assert.equal((await anon.get(`/open311/v2/requests.json?service_request_id=${orderId}`)).body.length, 0);
    const audit = s.sql(`SELECT action, actor FROM audit_log WHERE entity = 'order' AND entity_id = '${orderId}' AND action LIKE 'open311%'`);
    assert.deepEqual(audit, [['open311_hide', 'binhe']]);
    // again: nothing changes, nothing is recorded twice
    assert.equal((await binhe.put(path, { open311_hidden: true })).status, 200);
    assert.equal(s.sql(`SELECT COUNT(*) FROM audit_log WHERE entity_id = '${orderId}' AND action = 'open311_hide'`)[0][0], '1');
    // the order page: the card says so and its button shows the order again
    const page = await s.browserLogin('binhe');
    const html = await page.get(`/orders/${orderId}`);
    assert.match(html, /公开诉求列表[\s\S]*不在公开诉求列表/);
    const back = await page.postForm(`/orders/${orderId}/open311`, { open311_hidden: '0' });
    assert.match(back, /本工单在公开诉求列表/);
    assert.equal((await anon.get(`/open311/v2/requests/${orderId}.json`)).status, 200);
    const residentPage = await s.browserLogin('jumin');
    assert.ok(!(await residentPage.get(`/orders/${orderId}`)).includes('公开诉求列表'), 'no card for the resident');
  });

  test('coordinates are plain decimals inside China on Open311, the API and the page', async () => {
    const before = s.sql('SELECT COUNT(*) FROM orders')[0][0];
    const post = (lat, long) => anon.raw('POST', '/open311/v2/requests.json', {
      body: new URLSearchParams({ api_key: key, service_code: 'streetlight', address_id: COMMUNITY, lat, long, description: '坐标测试' }),
    });
    for (const [lat, long] of [['nan', '111.1'], ['39.1', 'NaN'], ['inf', '111.1'], ['-inf', '111.1'], ['0x10', '111.1'],
      ['1e1', '111.1'], ['39.1e0', '111.1'], [' 39.1', '111.1'], ['39.1 ', '111.1'], ['+39.1', '111.1'], ['39,1', '111.1'],
      ['.5', '111.1'], ['39.', '111.1'], ['39.1abc', '111.1'], ['0', '0'], ['-39.1', '111.1'], ['39.1', '-111.1'],
      ['111.1', '39.1'], ['60', '111.1'], ['39.1', '140'], ['0039.1', '111.1'], ['39.1234567890123', '111.1']]) {
      const r = await post(lat, long);
      assert.equal(r.status, 400, `lat=${lat} long=${long}: ${r.text}`);
    }
    assert.equal(s.sql('SELECT COUNT(*) FROM orders')[0][0], before, 'nothing was filed');
    const ok = await post('39.38', '111.15');
    assert.equal(ok.status, 200, ok.text);
    for (const edge of [['3.8', '73.5'], ['53.6', '135.1']])
      assert.equal((await post(...edge)).status, 200, `the box's edge ${edge}`);

    const base = { category_code: 'streetlight', place_code: HOUSEHOLD, channel: 'visit', title: '坐标', description: '坐标测试' };
    for (const [coords, field] of [[{ lat: 0, lon: 0 }, 'lat'], [{ lat: 39.1, lon: 200 }, 'lon'], [{ lat: 1e300, lon: 111 }, 'lat'],
      [{ lat: 39.1 }, 'lon'], [{ lon: 111.1 }, 'lat'], [{ lat: '39.1', lon: 111.1 }, 'lat']]) {
      const r = await binhe.post('/api/v1/orders', { ...base, ...coords });
      assert.equal(r.status, 400, `${JSON.stringify(coords)}: ${r.text}`);
      assert.equal(r.body.error.field, field, JSON.stringify(coords));
    }
    const good = await binhe.post('/api/v1/orders', { ...base, lat: 39.38, lon: 111.15 });
    assert.equal(good.status, 201, good.text);
    assert.equal(good.body.lat, 39.38);

    const page = await s.browserLogin('binhe');
    const form = { category_code: 'streetlight', place_code: HOUSEHOLD, channel: 'grid', title: '页面坐标', description: '坐标测试', urgency: 'normal', scope_size: 'household' };
    for (const [lat, lon] of [['nan', '111.1'], ['0x10', '111.1'], ['39.1', 'inf'], ['1e1', '111.1']]) {
      const r = await page.postFormRaw('/orders', { ...form, lat, lon });
      assert.equal(r.status, 400, `page lat=${lat} lon=${lon}`);
      assert.match(r.text, /中国境内的十进制数/);
    }
    assert.equal((await page.postFormRaw('/orders', { ...form, lat: '39.38', lon: '111.15' })).status, 303);
  });

  test('webhooks to loopback, private and reserved addresses are refused without the allowance', async () => {
    for (const url of [`${hookBase}/x`, 'http://localhost:8080/x', 'http://LOCALHOST./x', 'http://a.localhost/x', 'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x', 'http://10.1.2.3/x', 'http://172.16.0.1/x', 'http://192.168.1.1/x', 'http://169.254.169.254/latest',
      'http://100.64.0.1/x', 'http://0.0.0.0/x', 'http://[fe80::1]/x', 'http://[fd00::1]/x', 'http://2130706433/x', 'http://0x7f.1/x', 'http://127.1/x']) {
      const r = await binhe.post('/api/v1/webhooks', { url, place_code: COMMUNITY });
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.equal(r.body.error.field, 'url', url);
    }
    const page = await s.browserLogin('binhe');
    const html = await page.postForm('/webhooks', { url: `${hookBase}/page`, place_code: COMMUNITY });
    assert.match(html, /不能是本机、内网或保留地址/);
    assert.equal(s.sql('SELECT COUNT(*) FROM webhooks')[0][0], '0', 'nothing was registered');
    // a public name is accepted at registration (what it resolves to is checked at delivery)
    const pub = await binhe.post('/api/v1/webhooks', { url: 'https://hooks.example.invalid/linli', place_code: COMMUNITY, kinds: 'breach' });
    assert.equal(pub.status, 201, pub.text);
    assert.equal((await binhe.del(`/api/v1/webhooks/${pub.body.id}`)).status, 200);
  });

  test('delivery checks the address it connects to; errors say only 投递失败', async () => {
    const allow = { env: { LINLI_WEBHOOK_ALLOW_PRIVATE: '1' } };
    const deny = { env: { LINLI_WEBHOOK_ALLOW_PRIVATE: '0' } };
    const tick = async (opts) => {
      const r = await s.cli(['tick'], undefined, opts);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    // what a server with the allowance, or a DNS name re-pointed after
    // registration, leaves behind: a hook whose name leads to 127.0.0.1
    const now = Math.floor(Date.now() / 1000);
    const add = (url) => {
      s.sql(`INSERT INTO webhooks(url, secret, place_code, kinds, active, created_by, created_at) VALUES ('${url}', 'a-secret-of-enough-length', '${COMMUNITY}', 'reopened', 1, NULL, ${now})`);
      return Number(s.sql(`SELECT MAX(id) FROM webhooks WHERE url = '${url}'`)[0][0]);
    };
    const viaName = add(`http://localhost:${receiver.address().port}/by-name`);
    const reopen = async () => {
      const o = await binhe.post('/api/v1/orders', { category_code: 'streetlight', place_code: HOUSEHOLD, channel: 'visit', title: '推送', description: '路灯不亮' });
      assert.equal(o.status, 201, o.text);
      for (const body of [{ event: 'accept' }, { event: 'resolve', result: '已修好', outcome: 'fixed' }, { event: 'reopen' }])
        assert.equal((await binhe.post(`/api/v1/orders/${o.body.id}/events`, body)).status, 200, body.event);
    };
    const log = async (id) => {
      const r = await binhe.get(`/api/v1/webhooks/${id}/deliveries`);
      assert.equal(r.status, 200, r.text);
      s.validate('GET', '/api/v1/webhooks/{id}/deliveries', 200, r.body);
      return r.body.items;
    };

    // a name that resolves to 127.0.0.1: refused when connecting, nothing sent
    await reopen();
    got.length = 0;
    await tick(deny);
    assert.equal(got.length, 0, 'nothing reached the loopback receiver');
    let items = await log(viaName);
    assert.ok(items.length >= 1);
    assert.ok(items.every((d) => d.http_status === null && d.error === '投递失败'), JSON.stringify(items));
    s.sql(`UPDATE webhooks SET active = 0 WHERE id = ${viaName}`);

    // with the allowance: a closed port and an answer without 2xx
    const closed = add(`http://127.0.0.1:${await closedPort()}/closed`);
    const open = add(`${hookBase}/open`);
    answer = 503;
    await reopen();
    got.length = 0;
    await tick(allow);
    assert.ok(got.length >= 1, 'the allowed receiver was reached');
    const c = await log(closed), o = await log(open);
    assert.ok(c.length >= 1 && c.every((d) => d.http_status === null && d.error === '投递失败'), JSON.stringify(c));
    assert.ok(o.length >= 1 && o.every((d) => d.http_status === 503 && d.error === '投递失败（HTTP 503）'), JSON.stringify(o));
    // rows logged before the rule keep their text in the table, but are shown generic
    s.sql(`UPDATE webhook_deliveries SET error = 'Couldn''t connect to server' WHERE webhook_id = ${closed}`);
    assert.ok((await log(closed)).every((d) => d.error === '投递失败'));
    const page = await s.browserLogin('binhe');
    const html = await page.get('/webhooks');
    const leak = html.match(/.{0,60}(couldn|connection|refused|timed out|timeout|resolve host).{0,60}/i);
    assert.ok(!leak, `the page shows a transport error: ${leak && leak[0]}`);
    assert.match(html, /投递失败/);
    answer = 200;
  });
});
