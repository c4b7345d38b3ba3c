// The demand loop in a browser (Chromium via playwright-core), every step on
// the pages a person would use: the resident jumin files an order with a photo
// on a 375-px phone; the dispatcher binhe_sg accepts it and dispatches it to
// the party member dangyuan from the ranked suggestions; dangyuan takes it,
// calls the requester (a tel: link only the assignee sees), resolves it with
// a result; jumin rates it 满意, and the order page shows it closed with its
// whole timeline. Screenshots go to build/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';

import {chromium} from 'playwright-core';

import {DEMO, ROOT, STORES, startServer} from '../lib/harness.mjs';

const CHROMIUM = process.env.LINLI_CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'build/screenshots');
const PHONE = {width: 375, height: 812};
const DESKTOP = {width: 1280, height: 800};
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const PHONE_NO = '13812345678';

describe('browser: the demand loop, 群众点单 → 社区派单 → 党员接单 → 群众评单', () => {
  let s;
  let browser;
  const errors = [];
  // shared by the steps (and by the dashboard step the lead adds)
  const loop = {orderId: null, household: null, title: `楼下路灯不亮（浏览器测试${Date.now() % 100000}）`};

  async function open(user, viewport) {
    const phone = viewport === PHONE;
    const context = await browser.newContext({viewport, deviceScaleFactor: phone ? 2 : 1, isMobile: phone, hasTouch: phone, locale: 'zh-CN'});
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${user}: page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`${user}: console: ${m.text()}`));
    await page.goto(`${s.url}/login?next=/orders`);
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', DEMO.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/orders', `${user} lands on /orders`);
    return {context, page};
  }

  // Opens the action form named `label` on the order page and submits it
  // after fill(form); returns the page it leads to.
  async function act(page, label, fill = async () => {}) {
    const details = page.locator('details.action', {has: page.locator('summary', {hasText: new RegExp(`^${label}$`)})});
    assert.equal(await details.count(), 1, `the action ${label} is offered on ${page.url()}`);
    await details.locator('summary').click();
    await fill(details);
    await Promise.all([page.waitForNavigation(), details.locator('button[type=submit]').click()]);
    assert.match(page.url(), new RegExp(`/orders/${loop.orderId}\\?done=`), `${label} went through`);
    assert.match(await page.locator('main [role=alert]').first().innerText(), new RegExp(`已完成：${label}`));
  }

  async function fitsPhone(page) {
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `${page.url()} is ${w}px wide on a ${PHONE.width}px phone`);
    // touch targets of the open forms (as tests/browser/phone.test.mjs counts them)
    const small = await page.evaluate(() => [...document.querySelectorAll('main button, main input, main select')]
      .filter((e) => !['hidden', 'checkbox', 'radio'].includes(e.type) && e.offsetParent !== null)
      .filter((e) => e.getBoundingClientRect().height < 40)
      .map((e) => `${e.tagName}#${e.id || e.name || ''}:${Math.round(e.getBoundingClientRect().height)}`));
    assert.deepEqual(small, [], `${page.url()}: touch targets under 40 px`);
  }

  async function shoot(page, name) {
    fs.mkdirSync(SHOTS, {recursive: true});
    await page.screenshot({path: path.join(SHOTS, name), fullPage: true});
  }

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing (apt-get install chromium)`);
    s = await startServer({store: STORES.includes('sqlite') ? 'sqlite' : STORES[0]});
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    if (browser) await browser.close();
    if (s) await s.stop();
  });

  test('the resident submits an order with a photo on a phone', async () => {
    const {context, page} = await open('jumin', PHONE);
    await fitsPhone(page);
    await Promise.all([page.waitForNavigation(), page.click('main a[href="/orders/new"]')]);
    await fitsPhone(page);
    await page.selectOption('select[name=category_code]', 'streetlight');
    await page.fill('input[name=title]', loop.title);
    await page.fill('textarea[name=description]', '3号楼前的路灯坏了一周，晚上看不见路');
    await page.fill('input[name=contact_phone]', PHONE_NO);
    await page.setInputFiles('input[name=photos]', {name: 'lamp.png', mimeType: 'image/png', buffer: PNG});
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    const m = /\/orders\/(\d+)\?done=submit$/.exec(page.url());
    assert.ok(m, `after submitting: ${page.url()}`);
    loop.orderId = m[1];
    loop.household = (await (await s.login('jumin')).get(`/api/v1/orders/${loop.orderId}`)).body.place_code;
    const main = await page.locator('main').innerText();
    assert.match(main, /诉求已提交/);
    assert.match(main, /待受理/);
    const img = page.locator('img[alt="诉求照片1"]');
    await img.waitFor();
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth === 1), 'the photo is served and decodes');
    assert.match(main, /138\*{4}5678/, 'the requester sees the phone masked');
    await fitsPhone(page);
    await shoot(page, 'loop-1-submitted.png');
    await context.close();
  });

  test('the dispatcher accepts it and dispatches it to dangyuan from the suggestions', async () => {
    assert.ok(loop.orderId, 'an order was submitted');
    const {context: dc, page: dp} = await open('dangyuan', PHONE);
    const dangyuanName = await dp.evaluate(async () => (await (await fetch('/api/v1/me')).json()).display_name);
    await dc.close();

    const {context, page} = await open('binhe_sg', DESKTOP);
    assert.match(await page.locator('main').innerText(), /工单队列/);
    await page.selectOption('select[name=state]', 'submitted');
    await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
    await Promise.all([page.waitForNavigation(), page.click(`main a[href="/orders/${loop.orderId}"]`)]);
    assert.match(await page.locator('main').innerText(), new RegExp(`${PHONE_NO}`), 'the dispatcher sees the full phone');
    await act(page, '受理');
    const main = await page.locator('main').innerText();
    assert.match(main, /已受理/);
    assert.match(main, /响应时限：剩余/, 'the clocks run after acceptance');
    assert.equal(await page.locator('.countdown[data-deadline]').count(), 2);
    await act(page, '派单', async (form) => {
      const option = form.locator('select[name=assignee_id] option', {hasText: dangyuanName});
      assert.equal(await option.count(), 1, `${dangyuanName} is among the suggestions`);
      await form.locator('select[name=assignee_id]').selectOption(await option.getAttribute('value'));
    });
    const after = await page.locator('main').innerText();
    assert.match(after, /已派单/);
    assert.match(after, new RegExp(`承办人\\s*${dangyuanName}`));
    await shoot(page, 'loop-2-dispatched.png');
    await context.close();
  });

  test('the party member takes it, calls the requester and resolves it', async () => {
    const {context, page} = await open('dangyuan', PHONE);
    const mine = page.locator('section', {has: page.locator('h2', {hasText: '我承办的'})});
    await Promise.all([page.waitForNavigation(), mine.locator(`a[href="/orders/${loop.orderId}"]`).click()]);
    await act(page, '接单');
    assert.equal(await page.locator(`a[href="tel:${PHONE_NO}"]`).count() > 0, true, 'the assignee gets a tel: link');
    await act(page, '联系群众');
    assert.match(await page.locator('main').innerText(), /响应时限：按时完成/);
    await act(page, '办结', async (form) => {
      await form.locator('textarea[name=result]').fill('已更换灯泡，路灯恢复照明');
      await form.locator('select[name=outcome]').selectOption('fixed');
      await form.locator('input[name=photos]').setInputFiles({name: 'done.png', mimeType: 'image/png', buffer: PNG});
    });
    const main = await page.locator('main').innerText();
    assert.match(main, /已办结/);
    assert.match(main, /已更换灯泡/);
    assert.equal(await page.locator('img[alt="办结照片1"]').count(), 1);
    await fitsPhone(page);
    await shoot(page, 'loop-3-resolved.png');
    await context.close();
  });

  test('the resident rates it 满意 and sees it closed with the whole timeline', async () => {
    const {context, page} = await open('jumin', PHONE);
    const mine = page.locator('section', {has: page.locator('h2', {hasText: '我的诉求'})});
    await Promise.all([page.waitForNavigation(), mine.locator(`a[href="/orders/${loop.orderId}"]`).click()]);
    assert.equal(await page.locator('a[href^="tel:"]').count(), 0, 'no tel: link for the requester');
    await act(page, '评价', async (form) => {
      await form.locator('input[name=rating][value=satisfied]').check();
      await form.locator('textarea[name=comment]').fill('修得很快，谢谢');
    });
    const main = await page.locator('main').innerText();
    assert.match(main, /已关闭/);
    assert.match(main, /群众评价\s*满意/);
    assert.equal(await page.locator('details.action').count(), 0, 'nothing is left for the requester to do');
    const steps = await page.locator('ol.timeline > li strong').allInnerTexts();
    assert.deepEqual(steps, ['提交诉求', '受理', '派单', '接单', '联系群众', '办结', '评价', '关闭']);
    await fitsPhone(page);
    await shoot(page, 'loop-4-closed.png');
    await context.close();
  });

  test('the dispatcher\'s queue and the order page also work on a phone', async () => {
    // an accepted order: the dispatcher's forms (dispatch with suggestions, merge, …)
    const jumin = await s.login('jumin');
    const made = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: loop.household,
      title: '手机上派单的诉求', description: '路灯坏了'});
    assert.equal(made.status, 201, made.text);
    assert.equal((await (await s.login('binhe_sg')).post(`/api/v1/orders/${made.body.id}/events`, {event: 'accept'})).status, 200);
    const {context, page} = await open('binhe_sg', PHONE);
    await fitsPhone(page);
    await page.goto(`${s.url}/orders/${made.body.id}`);
    assert.ok(await page.locator('details.action').count() >= 5, 'the dispatcher has forms to open');
    for (const summary of await page.locator('details.action summary').all()) await summary.click();
    await fitsPhone(page);
    await context.close();
  });

  // The secretary binhe opens the dashboard from the menu and narrows it to
  // today: the closed, rated order of the loop is counted there, and the page
  // says exactly what the API says.
  test('the dashboard shows the closed, rated order', async () => {
    assert.ok(loop.orderId, 'the loop ran');
    const order = (await (await s.login('jumin')).get(`/api/v1/orders/${loop.orderId}`)).body;
    assert.equal(order.state, 'closed');
    const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // today, China time
    const admin = await s.login('admin');
    const api = (await admin.get(`/api/v1/stats/orders?place=140930100010&from=${day}&to=${day}`)).body;
    assert.ok(api.total.counts.st_closed >= 1 && api.total.counts.n_satisfied >= 1, JSON.stringify(api.total.counts));

    const {context, page} = await open('binhe', DESKTOP);
    await Promise.all([page.waitForNavigation(), page.click('nav.menu a[href="/dashboard"]')]);
    await page.fill('#place', '140930100010');
    await page.fill('#from', day);
    await page.fill('#to', day);
    await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
    const text = await page.locator('main').innerText();
    assert.match(text, new RegExp(`已关闭 ${api.total.counts.st_closed}(?!\\d)`), 'closed orders of today');
    assert.match(text, new RegExp(`群众诉求 ${api.total.counts.n_total} 件`));
    assert.ok(text.includes(api.total.rates.satisfaction.text), `满意率 ${api.total.rates.satisfaction.text}`);
    assert.ok(await page.locator('main svg[role=img]').count() >= 1, 'charts drawn');
    await page.screenshot({path: path.join(SHOTS, 'loop-dashboard.png'), fullPage: true});
    await context.close();

    // and a phone shows it without sideways scrolling
    const phone = await open('binhe', PHONE);
    await phone.page.goto(`${s.url}/dashboard?place=140930100010&from=${day}&to=${day}`);
    await fitsPhone(phone.page);
    await phone.context.close();
  });

  test('no page raised a JavaScript error', () => {
    assert.deepEqual(errors, []);
  });
});
