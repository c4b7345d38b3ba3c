// Every main page fits a 375-px phone screen: nothing wider than the viewport,
// touch targets (buttons, inputs, selects; a checkbox is reached through its
// label) at least 40 px high.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, DEMO, STORES } from '../lib/harness.mjs';

const PAGES = ['/', '/places', '/places/140930100010', '/residents', '/organisations',
  '/branches/coverage?place=140930100010', '/import', '/accounts', '/audit', '/categories',
  '/responsibilities', '/orders', '/orders/new', '/dashboard', '/supervisions', '/whistles',
  '/order-costs', '/inbox', '/webhooks', '/api-keys', '/wishes', '/wishes/admin', '/activities',
  '/activities/stats', '/points', '/market', '/points/admin', '/selections', '/dual-review'];

test('main pages fit a 375-px phone', async () => {
  const s = await startServer({ store: STORES[0], demo: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    await page.goto(`${s.url}/login`);
    await page.fill('#username', 'binhe');
    await page.fill('#password', DEMO.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    const household = (await (await s.login('binhe', DEMO.password)).get('/api/v1/residents?limit=1')).body.items[0].place_code;
    for (const p of [...PAGES, `/places/${household}`]) {
      const resp = await page.goto(`${s.url}${p}`);
      assert.equal(resp.status(), 200, p);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 376, `${p} is ${width}px wide on a 375-px screen`);
      const small = await page.evaluate(() => [...document.querySelectorAll('main button, main input, main select')]
        .filter((e) => !['hidden', 'checkbox', 'radio'].includes(e.type) && e.offsetParent !== null)
        .filter((e) => e.getBoundingClientRect().height < 40)
        .map((e) => `${e.tagName}#${e.id || e.name || ''}:${Math.round(e.getBoundingClientRect().height)}`));
      assert.deepEqual(small, [], `${p}: touch targets under 40 px`);
    }
  } finally {
    await browser.close();
    await s.stop();
  }
});
