// A micro-wish on a 375-px phone: a volunteer opens the public wall, claims a
// wish, fulfils it with a photo; the resident who posted it confirms 达成.
// Every page on the way fits the screen and has 40-px touch targets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, DEMO, STORES } from '../lib/harness.mjs';
import { PNG } from '../api/recipes/wishes.mjs';

const BINHE = '140930100010';

async function fits(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 376, `${what} is ${width}px wide on a 375-px screen`);
  const small = await page.evaluate(() => [...document.querySelectorAll('main button, main input, main select, main textarea')]
    .filter((e) => !['hidden', 'checkbox', 'radio'].includes(e.type) && e.offsetParent !== null)
    .filter((e) => e.getBoundingClientRect().height < 40)
    .map((e) => `${e.tagName}#${e.id || e.name || ''}:${Math.round(e.getBoundingClientRect().height)}`));
  assert.deepEqual(small, [], `${what}: touch targets under 40 px`);
}

async function login(browser, s, user, next) {
  const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
  await page.goto(`${s.url}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#username', user);
  await page.fill('#password', DEMO.password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  return page;
}

test('a volunteer claims on the wall, fulfils with a photo, the poster confirms 达成, the points pay for goods (375 px)', async () => {
  const s = await startServer({ store: STORES[0], demo: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const jumin = await s.login('jumin', DEMO.password);
    const w = await jumin.post('/api/v1/wishes', { title: '想学用智能手机挂号', detail: '希望有人教一教' });
    assert.equal(w.status, 201, w.text);
    const id = w.body.id;
    assert.equal((await (await s.login('binhe', DEMO.password)).post(`/api/v1/wishes/${id}/review`, { decision: 'approve' })).status, 200);

    // the wall without logging in, and the sign-up page
    const anon = await browser.newPage({ viewport: { width: 375, height: 812 } });
    assert.equal((await anon.goto(`${s.url}/wall/${BINHE}`)).status(), 200);
    await fits(anon, 'the public wall');
    assert.ok(await anon.isVisible(`#wish-${id}`));
    assert.equal((await anon.goto(`${s.url}/volunteer/signup?community=${BINHE}`)).status(), 200);
    await fits(anon, 'the sign-up page');

    const before = (await (await s.login('dangyuan', DEMO.password)).get('/api/v1/points/me')).body;
    // the volunteer claims on the wall …
    const vol = await login(browser, s, 'dangyuan', `/wall/${BINHE}`);
    assert.match(vol.url(), /\/wall\/140930100010$/);
    await fits(vol, 'the wall, logged in');
    await Promise.all([vol.waitForNavigation(), vol.click(`#wish-${id} button[type=submit]`)]);
    assert.match(vol.url(), new RegExp(`/wishes/${id}\\?done=claim$`));
    await fits(vol, 'the claimed wish');
    // … and fulfils it with a photo and a note
    await vol.setInputFiles('#photo', { name: 'done.png', mimeType: 'image/png', buffer: PNG });
    await vol.fill('#note', '已经教会阿姨用手机挂号');
    await Promise.all([vol.waitForNavigation(), vol.click('form[action$="/fulfil"] button[type=submit]')]);
    assert.match(vol.url(), new RegExp(`/wishes/${id}\\?done=fulfil$`));
    assert.ok(await vol.isVisible('img[alt="心愿实现照片"]'));
    await fits(vol, 'the fulfilled wish');

    // the poster finds it under 我的心愿 and confirms
    const res = await login(browser, s, 'jumin', '/wishes');
    await fits(res, 'my wishes');
    await Promise.all([res.waitForNavigation(), res.click(`a[href="/wishes/${id}"]`)]);
    assert.ok((await res.textContent('main')).includes('已经教会阿姨用手机挂号'));
    await Promise.all([res.waitForNavigation(), res.click('form[action$="/confirm"] button[type=submit]')]);
    assert.match(res.url(), new RegExp(`/wishes/${id}\\?done=confirm$`));
    assert.ok((await res.textContent('main')).includes('已达成'));
    await fits(res, 'the achieved wish');

    // points: the community's rule paid dangyuan for the wish (服务换积分) …
    const dy = await s.login('dangyuan', DEMO.password);
    const after = (await dy.get('/api/v1/points/me')).body;
    assert.equal(after.balance - before.balance, 20, 'the fulfil_wish rule pays 20 points');
    await Promise.all([vol.waitForNavigation(), vol.goto(`${s.url}/points`)]);
    assert.ok((await vol.textContent('main')).includes('认领完成微心愿'), 'the award is on the statement');
    await fits(vol, 'my points');
    // … who spends 15 of them on 毛巾两条 in the points supermarket 积分超市
    await vol.goto(`${s.url}/market`);
    await fits(vol, 'the supermarket');
    const towels = vol.locator('section.card', { hasText: '毛巾两条' });
    await Promise.all([vol.waitForNavigation(), towels.locator('button[type=submit]').click()]);
    assert.ok((await vol.textContent('main')).includes('兑换成功'));
    assert.equal((await dy.get('/api/v1/points/me')).body.balance, after.balance - 15);
    // the answer was a redirect to the result (POST–redirect–GET): reloading it redeems nothing
    assert.match(vol.url(), /\/market\/redeemed\/\d+$/);
    await vol.reload();
    assert.ok((await vol.textContent('main')).includes('兑换成功'));
    await fits(vol, 'the redemption result');
    assert.equal((await dy.get('/api/v1/points/me')).body.balance, after.balance - 15, 'reloading did not redeem again');

    // at the supermarket's counter: she shows the one-time code from 我的积分 …
    await vol.goto(`${s.url}/points`);
    await Promise.all([vol.waitForNavigation(), vol.click('form[action="/points/code"] button[type=submit]')]);
    const code = (await vol.textContent('#redeem-code')).trim();
    assert.match(code, /^\d{6}$/);
    await fits(vol, 'my counter code');
    // … and the clerk types it into the counter form, which answers with the result page
    const binhe = await s.login('binhe', DEMO.password);
    const soap = await binhe.post('/api/v1/points/goods', { place_code: BINHE, name: '柜台香皂', price: 1, stock: 5, source: 'purchase' });
    assert.equal(soap.status, 201, soap.text);
    const [[dyPerson]] = s.sql("SELECT person_id FROM accounts WHERE username = 'dangyuan'");
    const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desk.goto(`${s.url}/login?next=${encodeURIComponent(`/points/admin?place=${BINHE}`)}`);
    await desk.fill('#username', 'binhe');
    await desk.fill('#password', DEMO.password);
    await Promise.all([desk.waitForNavigation(), desk.click('main button[type=submit]')]);
    await desk.selectOption('#counter_goods', String(soap.body.id));
    await desk.fill('#counter_person_id', String(dyPerson));
    await desk.fill('#counter_confirm', code);
    await Promise.all([desk.waitForNavigation(), desk.click('form[action="/points/admin/redeem"] button[type=submit]')]);
    assert.match(desk.url(), /\/points\/admin\/redeemed\/\d+/);
    assert.ok((await desk.textContent('main')).includes('兑换成功'));
    await desk.reload();
    assert.ok((await desk.textContent('main')).includes('兑换成功'));
    assert.equal((await dy.get('/api/v1/points/me')).body.balance, after.balance - 16, 'one soap, however often the page is reloaded');
    const ledger = await s.cli(['check', 'ledger']);
    assert.equal(ledger.code, 0, ledger.stdout + ledger.stderr);

    assert.equal((await jumin.get(`/api/v1/wishes/${id}`)).body.state, 'achieved');
  } finally {
    await browser.close();
    await s.stop();
  }
});
