// One browser test: Debian's headless Chromium, driven by playwright-core, on a
// phone-sized screen. A community secretary logs in on the login page, opens
// the tree, clicks down to a household and sees its members, their 身份证号
// (and phones, where shown) masked. Screenshots go to build/screenshots/; the ones the
// README and docs show (docs/screenshot.png, docs/screenshot-login.png) are
// written when missing or when LINLI_DOCS_SCREENSHOTS=1, so that an ordinary
// `make test` leaves the working tree as it found it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';

import {chromium} from 'playwright-core';

import {DEMO, ROOT, STORES, startServer} from '../lib/harness.mjs';

const CHROMIUM = process.env.LINLI_CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'build/screenshots');
const DOCS = path.join(ROOT, 'docs');
const PHONE = {width: 375, height: 812};
const DESKTOP = {width: 1280, height: 800};

const MASKED_ID = /\d{6}\*{8}\d{3}[\dX]/;
const MASKED_PHONE = /1\d{2}\*{4}\d{4}/;
const FULL_ID = /\b\d{17}[\dX]\b/;
const FULL_PHONE = /\b1[3-9]\d{9}\b/;

function docsShot(name) {
  const f = path.join(DOCS, name);
  return process.env.LINLI_DOCS_SCREENSHOTS === '1' || !fs.existsSync(f) ? f : null;
}

async function shoot(page, name, docsName, opts = {}) {
  fs.mkdirSync(SHOTS, {recursive: true});
  await page.screenshot({path: path.join(SHOTS, name), ...opts});
  const d = docsName && docsShot(docsName);
  if (d) {
    fs.mkdirSync(DOCS, {recursive: true});
    fs.copyFileSync(path.join(SHOTS, name), d);
  }
}

// The code of a /places/<code> link, or null.
function placeCode(href) {
  const m = /^\/places\/([0-9A-Za-z-]+)\/?$/.exec(href || '');
  return m ? decodeURIComponent(m[1]) : null;
}

describe('browser: a secretary opens a household on a phone', () => {
  let s;
  let browser;
  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing (apt-get install chromium)`);
    s = await startServer({store: STORES.includes('sqlite') ? 'sqlite' : STORES[0]});
    // playwright gives the browser a fresh profile (--user-data-dir) of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    if (browser) await browser.close();
    if (s) await s.stop();
  });

  test('log in, open the tree, click down to a household, see masked members', async () => {
    const context = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN'});
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    const offsite = [];
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.origin !== s.url) {
        offsite.push(u.href); // county networks are closed: nothing from elsewhere
        return route.abort();
      }
      return route.continue();
    });

    // The login page.
    const res = await page.goto(`${s.url}/places`);
    assert.equal(new URL(page.url()).pathname, '/login', 'an anonymous visitor is sent to the login page');
    assert.ok(res.ok() || res.status() === 200, `login page: ${res.status()}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.title(), '登录 · 邻里');
    await shoot(page, 'login.png', 'screenshot-login.png');
    await page.fill('input[name=username]', 'binhe');
    await page.fill('input[name=password]', DEMO.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/places', 'after login, back to the page asked for');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'linli_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Lax', JSON.stringify(cookies));

    // Nothing wider than the phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the tree page is ${overflow}px wider than the phone`);
    await shoot(page, 'tree.png', null);

    // Click down the tree: each step follows the first link to a place below
    // the current one, until a page has none (the household).
    let current = null;
    const trail = [];
    for (let depth = 0; depth < 10; depth++) {
      const hrefs = await page.$$eval('main a[href^="/places/"]', (as) => as.map((a) => a.getAttribute('href')));
      const below = hrefs.map(placeCode).filter((c) => c && (current === null || (c.startsWith(current) && c.length > current.length)));
      if (below.length === 0) break;
      below.sort((a, b) => a.length - b.length);
      const next = below[0];
      await Promise.all([page.waitForNavigation(), page.click(`main a[href="/places/${next}"] >> nth=0`)]);
      assert.equal(new URL(page.url()).pathname, `/places/${next}`);
      current = next;
      trail.push(next);
    }
    assert.ok(current && current.startsWith(DEMO.community) && current.length > DEMO.community.length,
      `clicked down to a household below 滨河社区: ${trail.join(' → ')}`);
    assert.ok(trail.includes(DEMO.community), `the way down passes 滨河社区: ${trail.join(' → ')}`);

    // The household page (its screenshot first: it helps when what follows fails).
    await shoot(page, 'household.png', null, {fullPage: true});
    const text = await page.innerText('main');
    assert.match(text, /户/, 'a household page');
    assert.match(text, MASKED_ID, `members' 身份证号 are masked like 140930********123X:\n${text}`);
    assert.doesNotMatch(text, FULL_ID, 'no full 身份证号 on the page');
    if (/1\d{2}\*{4}\d{4}|\b1[3-9]\d{9}\b/.test(text)) {
      assert.match(text, MASKED_PHONE);
      assert.doesNotMatch(text, FULL_PHONE, 'no full phone number on the page');
    }
    // Each member on a row of its own: a Chinese name and the masked number.
    const rows = await page.$$eval('main table tbody tr, main ul li', (els) => els.map((e) => e.innerText));
    const members = rows.filter((r) => MASKED_ID.test(r));
    assert.ok(members.length >= 1, `members listed with masked 身份证号:\n${rows.join('\n')}`);
    for (const m of members) assert.match(m, /[\u4e00-\u9fff]/, `a member row names the member: ${m}`);
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow2 <= 1, `the household page is ${overflow2}px wider than the phone`);

    assert.deepEqual(offsite, [], 'no request leaves the server');
    assert.deepEqual(errors, [], 'no JavaScript errors');
    await context.close();
  });

  test('the community page on a desktop (the README screenshot)', async () => {
    const context = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN'});
    const page = await context.newPage();
    await page.goto(`${s.url}/login?next=/places/${DEMO.community}`);
    await page.fill('input[name=username]', 'binhe');
    await page.fill('input[name=password]', DEMO.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, `/places/${DEMO.community}`);
    assert.match(await page.innerText('main'), /滨河社区/);
    await shoot(page, 'community.png', 'screenshot.png');
    await context.close();
  });
});
