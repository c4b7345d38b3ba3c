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
    // A redemption's result pages need a redemption (the sample movement is an award). The
    // resident's own one answers 404 to everyone else, admin included: she opens it herself.
    let redemption;
    const redeemed = async () => {
      if (redemption) return redemption;
      const jid = Number(s.sql("SELECT person_id FROM accounts WHERE username = 'jumin'")[0][0]);
      const place = DEMO.community;
      const aw = await api.post('/api/v1/points/awards', {place_code: place, person_id: jid, source_type: 'pages_test', source_id: 1, points: 50});
      assert.equal(aw.status, 201, aw.text);
      const g = await api.post('/api/v1/points/goods', {place_code: place, name: '页面测试毛巾', price: 10, stock: 5, source: 'purchase'});
      assert.equal(g.status, 201, g.text);
      const jumin = await s.login('jumin', DEMO.password);
      const m = await jumin.post('/api/v1/points/redemptions', {goods_id: g.body.id, qty: 1});
      assert.equal(m.status, 201, m.text);
      redemption = m.body.id;
      return redemption;
    };
    const own = {
      '/market/redeemed/{id}': async () => ({client: await s.browserLogin('jumin', DEMO.password), id: await redeemed(), owner: true}),
      '/points/admin/redeemed/{id}': async () => ({client: admin, id: await redeemed()}),
    };
    for (const p of pages) {
      if (own[p.path]) {
        const {client, id, owner} = await own[p.path]();
        const path = p.path.replace('{id}', String(id));
        const res = await client.raw('GET', path);
        assert.equal(res.status, 200, `${path} answered ${res.status}`);
        assert.equal((res.body.match(/<h1[ >]/g) || []).length, 1, `${path} has one heading <h1>`);
        assert.equal(tidyErrors(res.body), '', `${path} has tidy errors`);
        if (owner) assert.equal((await admin.raw('GET', path)).status, 404, `${path} is its owner's only`);
        continue;
      }
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
