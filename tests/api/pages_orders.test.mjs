// The work-order pages without a browser: the list adapts to the account
// (queue with filters, open pool, mine), the clocks carry their deadline and
// mark 预警 and 超时 by the test clock, the order page offers exactly the
// actions the state machine allows this account, the requester's phone is a
// tel: link only for dispatchers and the assignee, and a refused action shows
// a Chinese reason and changes nothing.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {spawnSync} from 'node:child_process';

import {forEachStore, startServer} from '../lib/harness.mjs';

function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], {input: html, encoding: 'utf8'});
  return r.status === 2 ? r.stderr : '';
}

const HOUSEHOLD = '140930100010001011001'; // jumin's household in the demo

forEachStore('work-order pages', (store) => {
  let s, nowFile, jumin, sg;
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const actions = (html) => [...html.matchAll(/<details class="action"><summary>([^<]+)<\/summary>/g)].map((m) => m[1]);
  const state = async (id) => (await sg.get(`/api/v1/orders/${id}`)).body.state;
  const submit = async (title) => {
    const r = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: HOUSEHOLD,
      title, description: '路灯坏了', contact_phone: '13812345678'});
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };

  test.before(async () => {
    nowFile = path.join(mkdtempSync(path.join(tmpdir(), 'linli-now-')), 'now');
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}});
    [jumin, sg] = await Promise.all(['jumin', 'binhe_sg'].map((u) => s.login(u)));
  });
  test.after(async () => { await s.stop(); });

  test('each account sees its own list: mine, the open pool and mine to do, the queue with filters', async () => {
    const waiting = await submit('待受理的诉求');
    const pooled = await submit('进入抢单池的诉求');
    assert.equal((await sg.post(`/api/v1/orders/${pooled}/events`, {event: 'accept'})).status, 200);
    const [bj, bd, bs] = await Promise.all(['jumin', 'dangyuan', 'binhe_sg'].map((u) => s.browserLogin(u)));

    const mine = await bj.get('/orders');
    assert.match(mine, /<h1>我的诉求<\/h1>/);
    assert.doesNotMatch(mine, /可接工单|工单队列/);
    assert.match(mine, new RegExp(`href="/orders/${waiting}"`));

    const pool = await bd.get('/orders');
    const poolSection = pool.split('<h2>可接工单</h2>')[1].split('</section>')[0];
    assert.match(poolSection, new RegExp(`href="/orders/${pooled}"`), 'the accepted order is in the pool');
    assert.doesNotMatch(poolSection, new RegExp(`href="/orders/${waiting}"`), 'a submitted one is not');
    assert.match(pool, /<h2>我承办的<\/h2>/);

    const queue = await bs.get('/orders?state=accepted');
    assert.match(queue, /<h1>工单队列<\/h1>/);
    assert.match(queue, /<option value="accepted" selected>已受理<\/option>/);
    assert.match(queue, new RegExp(`href="/orders/${pooled}"`));
    assert.doesNotMatch(queue, new RegExp(`href="/orders/${waiting}"`), 'filtered by state');
    const byChannel = await bs.get('/orders?channel=hotline_12345');
    assert.doesNotMatch(byChannel, new RegExp(`href="/orders/${pooled}"`), 'filtered by channel');
    const bad = await bs.get('/orders?state=nonsense');
    assert.match(bad, /工单状态不正确/);
  });

  test('the clocks carry their deadline and are marked 预警 then 超时 by the test clock', async () => {
    setNow('2026-11-23T09:00:00+08:00');
    const id = await submit('计时的诉求');
    assert.equal((await sg.post(`/api/v1/orders/${id}/events`, {event: 'accept'})).status, 200);
    const bs = await s.browserLogin('binhe_sg');
    const deadline = Date.parse('2026-11-23T10:00:00+08:00') / 1000; // 1 hour to respond
    let html = await bs.get(`/orders/${id}`);
    assert.match(html, new RegExp(`<li class="clock">响应时限：<span class="countdown" data-deadline="${deadline}" data-now="${deadline - 3600}">剩余1小时0分</span>`));
    setNow('2026-11-23T09:50:00+08:00');
    html = await bs.get(`/orders/${id}`);
    assert.match(html, /<li class="clock warning">响应时限：<span class="badge warn">预警<\/span>/);
    setNow('2026-11-23T11:05:00+08:00');
    html = await bs.get(`/orders/${id}`);
    assert.match(html, /<li class="clock breached">响应时限：<span class="badge">超时<\/span><span class="countdown"[^>]*>已超1小时5分/);
    const queue = await bs.get('/orders?state=accepted');
    assert.match(queue, /<span class="badge">超时<\/span>/, 'the queue shows the breach too');
    setNow('2026-11-23T09:00:00+08:00');
  });

  test('the order page offers exactly the allowed actions, and the phone only to those who call', async () => {
    const id = await submit('看操作的诉求');
    const [bj, bd, bs] = await Promise.all(['jumin', 'dangyuan', 'binhe_sg'].map((u) => s.browserLogin(u)));
    let html = await bj.get(`/orders/${id}`);
    assert.deepEqual(actions(html), [], 'the requester has nothing to do while it waits');
    assert.match(html, /138\*{4}5678/);
    assert.doesNotMatch(html, /tel:/);
    html = await bs.get(`/orders/${id}`);
    assert.deepEqual(actions(html), ['受理', '不予受理', '合并', '上报']);
    assert.match(html, /href="tel:13812345678"/);
    assert.equal((await sg.post(`/api/v1/orders/${id}/events`, {event: 'accept'})).status, 200);
    html = await bd.get(`/orders/${id}`);
    assert.deepEqual(actions(html), ['接单'], 'a party member of the area may take it from the pool');
    assert.doesNotMatch(html, /tel:/, 'not yet the assignee: the phone stays masked');
    html = await bs.get(`/orders/${id}`);
    assert.ok(actions(html).includes('派单'));
    assert.match(html, /<select id="assignee-dispatch" name="assignee_id"><option value="\d+">/, 'ranked suggestions to pick from');
  });

  test('a refused action shows the reason in Chinese and changes nothing', async () => {
    const id = await submit('被拒绝操作的诉求');
    const [bj, bs] = await Promise.all(['jumin', 'binhe_sg'].map((u) => s.browserLogin(u)));
    let html = await bj.postForm(`/orders/${id}/events`, {event: 'accept'});
    assert.equal(bj.last.status, 403);
    assert.match(html, /<p class="error" role="alert">[^<]*不能「受理」|<p class="error" role="alert">[^<]*无权/);
    assert.equal(await state(id), 'submitted');
    html = await bs.postForm(`/orders/${id}/events`, {event: 'reject', reason: ''});
    assert.equal(bs.last.status, 400);
    assert.match(html, /<p class="error" role="alert">请填写[^<]*理由/);
    html = await bs.postForm(`/orders/${id}/events`, {event: 'take'});
    assert.equal(bs.last.status, 409);
    assert.match(html, /<p class="error" role="alert">[^<]*[\u4e00-\u9fa5]/);
    html = await bs.postForm(`/orders/${id}/events`, {event: 'dispatch', assignee_manual: 'abc'});
    assert.equal(bs.last.status, 400);
    assert.match(html, /承办人编号应为正整数/);
    assert.equal(await state(id), 'submitted');
    const hist = (await sg.get(`/api/v1/orders/${id}`)).body.history;
    assert.equal(hist.length, 1, 'only the submission is recorded');
    // and a good one goes through, back to the order with a message
    html = await bs.postForm(`/orders/${id}/events`, {event: 'accept', note: '已核实'});
    assert.equal(bs.last.status, 200);
    assert.equal(bs.last.url, `/orders/${id}?done=accept`);
    assert.match(html, /已完成：受理/);
    assert.equal(await state(id), 'accepted');
  });

  test('an order outside the account answers 404 on its page and its events', async () => {
    const id = await submit('别的社区看不到的诉求');
    const other = await s.browserLogin('mayingwei');
    await other.get(`/orders/${id}`);
    assert.equal(other.last.status, 404);
    await other.postForm(`/orders/${id}/events`, {event: 'accept'});
    assert.equal(other.last.status, 404);
    assert.equal(await state(id), 'submitted');
  });

  test('every page of the loop, as each account sees it, passes tidy', async () => {
    const id = await submit('整洁检查的诉求');
    const [bj, bd, bs] = await Promise.all(['jumin', 'dangyuan', 'binhe_sg'].map((u) => s.browserLogin(u)));
    const dy = await s.login('dangyuan');
    const check = async (b, p, why) => {
      const html = await b.get(p);
      assert.equal(b.last.status, 200, `${why}: ${p}`);
      assert.equal(tidyErrors(html), '', `${why}: ${p}`);
    };
    await check(bj, '/orders', 'resident list');
    await check(bj, '/orders/new', 'resident intake form');
    await check(bs, '/orders/new', 'staff intake form');
    await check(bd, '/orders', 'pool and mine');
    await check(bs, `/orders/${id}`, 'submitted, dispatcher');
    assert.equal((await sg.post(`/api/v1/orders/${id}/events`, {event: 'accept'})).status, 200);
    await check(bs, `/orders/${id}`, 'accepted, dispatcher (dispatch form)');
    assert.equal((await dy.post(`/api/v1/orders/${id}/events`, {event: 'take'})).status, 200);
    await check(bd, `/orders/${id}`, 'taken, assignee (resolve form)');
    assert.equal((await dy.post(`/api/v1/orders/${id}/events`, {event: 'resolve', result: '已修好', outcome: 'fixed'})).status, 200);
    await check(bj, `/orders/${id}`, 'resolved, requester (rate form)');
    await check(bs, `/orders/${id}`, 'resolved, dispatcher');
  });
});
