// Every page in the route table, opened by an account that may see it, answers
// 200, has one <h1> and passes `tidy` without errors. Derived from `linli routes`, so a page
// added later is checked without editing this file; a page whose {param} names
// an entity this file cannot supply fails, so its author adds it here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachStore, startServer, DEMO } from '../lib/harness.mjs';
import { sampleIds } from '../lib/samples.mjs';
import { tidyErrors } from '../lib/tidy.mjs';

forEachStore('pages', (store) => {
  let s;
  test.before(async () => { s = await startServer({ store, demo: true }); });
  test.after(async () => { await s.stop(); });

  test('every page answers 200 and passes tidy', async () => {
    const routes = JSON.parse((await s.cli(['routes'])).stdout);
    const pages = routes.filter((r) => !r.api && !r.public && r.method === 'GET');
    assert.ok(pages.length >= 5);
    const admin = await s.browserLogin('admin', DEMO.password);
    const api = await s.login('admin', DEMO.password);
    const ids = await sampleIds(api, 'inside');
    for (const p of pages) {
      const path = p.path.replace(/\{(\w+)\}/g, () => {
        const v = ids[p.id_entity];
        assert.ok(v !== undefined, `no sample for {${p.id_entity}} of ${p.path}: add it to tests/lib/samples.mjs`);
        return encodeURIComponent(v);
      });
      const res = await admin.raw('GET', path);
      assert.equal(res.status, 200, `${path} answered ${res.status}`);
      const html = res.body;
      assert.match(html, /<html lang="zh-CN">/, path);
      assert.match(html, /name="viewport"/, path);
      assert.equal((html.match(/<h1[ >]/g) || []).length, 1, `${path} has one heading <h1>`);
      const errs = tidyErrors(html);
      assert.equal(errs, '', `${path} has tidy errors:\n${errs}`);
    }
  });

  test('the login page passes tidy and needs no login', async () => {
    const r = await fetch(`${s.url}/login`);
    assert.equal(r.status, 200);
    assert.equal(tidyErrors(await r.text()), '');
  });
});
