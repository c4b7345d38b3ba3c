// 评价链接: "the requester rates it from the order's page or a link". A 12345
// caller has no account: when their order is resolved, a single-use link goes
// to the county's SMS gateway (a webhook event with the phone); a resident
// with an account finds it in the inbox. The link rates as the requester —
// nothing else — once, until the order would close unrated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forEachStore, startServer } from '../lib/harness.mjs';
import { tidyErrors } from '../lib/tidy.mjs';

const HOUSEHOLD = '140930100010001011001'; // jumin's household

forEachStore('rating links', (store) => {
  let s, nowFile;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  test.before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({ store, demo: true, env: { LINLI_NOW_FILE: nowFile, LINLI_WEBHOOK_ALLOW_PRIVATE: '1' /* the gateway hook is on loopback */ }, args: ['--tick', '0'] });
  });
  test.after(async () => { await s.stop(); });

  const resolveOne = async (c, body) => {
    const o = await c.post('/api/v1/orders', body);
    assert.equal(o.status, 201, o.text);
    for (const ev of [{ event: 'accept' }, { event: 'contact' }, { event: 'resolve', outcome: 'fixed', result: '已更换灯泡' }])
      assert.equal((await c.post(`/api/v1/orders/${o.body.id}/events`, ev)).status, 200);
    return o.body.id;
  };
  const form = (token, fields) => fetch(`${s.url}/rate/${token}`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields),
  });

  test('a 12345 caller rates by the link the SMS gateway was given; once; nothing else', async () => {
    const binhe = await s.login('binhe');
    const hook = await binhe.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/sms', place_code: '140930100010', kinds: 'rating_link' });
    assert.equal(hook.status, 201, hook.text);
    const id = await resolveOne(binhe, { category_code: 'streetlight', place_code: HOUSEHOLD, channel: 'hotline_12345',
      title: '热线反映路灯不亮', description: '12345转办', contact_phone: '13912345678', external_ref: 'RX-LINK-1' });
    // the gateway's event: the phone and a text with the link
    const rows = s.sql("SELECT payload FROM webhook_outbox ORDER BY id DESC LIMIT 5").map((r) => JSON.parse(r[0]));
    const ev = rows.find((p) => p.event === 'rating_link' && p.order_id === id);
    assert.ok(ev, JSON.stringify(rows));
    assert.equal(ev.phone, '13912345678');
    const token = ev.text.match(/\/rate\/([0-9a-f]{32})/)[1];
    // only a hash of the token is stored
    assert.equal(s.sql(`SELECT COUNT(*) FROM order_rating_links WHERE token_hash = '${token}'`)[0][0], '0');

    // the page, without logging in: the order and its result, tidy, on a phone
    const page = await fetch(`${s.url}/rate/${token}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes('热线反映路灯不亮') && html.includes('已更换灯泡'));
    assert.equal(tidyErrors(html), '');
    assert.ok(!html.includes('13912345678'), 'no phone on the page');

    // a bad rating changes nothing; a good one rates as the requester
    assert.equal((await form(token, { rating: 'great' })).status, 400);
    assert.equal((await binhe.get(`/api/v1/orders/${id}`)).body.state, 'resolved');
    const ok = await form(token, { rating: 'satisfied', comment: '很满意' });
    assert.equal(ok.status, 200);
    assert.ok((await ok.text()).includes('感谢'));
    const d = (await binhe.get(`/api/v1/orders/${id}`)).body;
    assert.equal(d.state, 'closed');
    assert.equal(d.rating, 'satisfied');
    const rate = d.history.find((h) => h.event === 'rate');
    assert.equal(rate.actor, '群众（评价链接）');
    // used: the link is spent; a made-up one never worked
    assert.equal((await fetch(`${s.url}/rate/${token}`)).status, 404);
    assert.equal((await form(token, { rating: 'unsatisfied' })).status, 404);
    assert.equal((await fetch(`${s.url}/rate/${'0'.repeat(32)}`)).status, 404);
    assert.equal((await fetch(`${s.url}/rate/not-a-token`)).status, 404);
    assert.equal((await binhe.get(`/api/v1/orders/${id}`)).body.rating, 'satisfied');
  });

  test('a resident finds the link in the inbox; it expires with the 7 days to rate', async () => {
    const jumin = await s.login('jumin');
    const sg = await s.login('binhe_sg');
    const o = await jumin.post('/api/v1/orders', { category_code: 'streetlight', place_code: HOUSEHOLD, title: '单元门灯坏了', description: '晚上很黑' });
    assert.equal(o.status, 201, o.text);
    for (const ev of [{ event: 'accept' }, { event: 'contact' }, { event: 'resolve', outcome: 'fixed', result: '已修好' }])
      assert.equal((await sg.post(`/api/v1/orders/${o.body.id}/events`, ev)).status, 200);
    const inbox = (await jumin.get('/api/v1/inbox?limit=10')).body.items;
    const n = inbox.find((x) => x.kind === 'resolved' && x.order_id === o.body.id);
    assert.ok(n, JSON.stringify(inbox));
    const token = n.body.match(/\/rate\/([0-9a-f]{32})/)[1];
    assert.equal((await fetch(`${s.url}/rate/${token}`)).status, 200);
    setNow('2026-11-30T09:00:01+08:00'); // 7 days after the resolution
    assert.equal((await fetch(`${s.url}/rate/${token}`)).status, 404);
    assert.equal((await form(token, { rating: 'satisfied' })).status, 404);
    setNow('2026-11-23T09:00:00+08:00');
  });
});
