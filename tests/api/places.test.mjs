// The place tree and grids as users see them: data scope on every place, grid
// and page (滨河社区's secretary gets 404 for 马营围社区; the county sees both),
// counts at each level that add up, the household page listing its members,
// grids with their households and the 300–500 warning, creating and changing
// grids (audited; bad input changes nothing), and every page passing tidy.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';

import {forEachStore, startServer, DEMO} from '../lib/harness.mjs';

const BINHE = '140930100010';
const MAYINGWEI = '140930100007';
const COUNT_KEYS = ['n_households', 'n_residents', 'n_party_members'];

function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], {input: html, encoding: 'utf8'});
  return r.status >= 2 ? r.stderr : '';
}

const chinese = /[\u4e00-\u9fa5]/;

// Every page of a paged list.
async function all(c, path) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await c.get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    items.push(...r.body.items);
    cursor = r.body.next_cursor;
    if (!cursor) break;
  }
  return items;
}

forEachStore('places and grids', (store) => {
  let s;
  test.before(async () => {
    s = await startServer({store, demo: true});
  });
  test.after(async () => {
    await s.stop();
  });

  test('a secretary sees their community and nothing of the next one', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const tops = await binhe.get('/api/v1/places');
    assert.equal(tops.status, 200);
    s.validate('GET', '/api/v1/places', 200, tops.body);
    assert.deepEqual(tops.body.items.map((p) => p.code), [BINHE]);

    const mine = await binhe.get(`/api/v1/places/${BINHE}`);
    assert.equal(mine.status, 200);
    s.validate('GET', '/api/v1/places/{code}', 200, mine.body);
    assert.equal(mine.body.level, 'community');
    // breadcrumbs: 省 › 市 › 县 › 乡镇, named but outside the secretary's scope
    assert.deepEqual(mine.body.ancestors.map((a) => a.code), ['14', '1409', '140930', '140930100']);
    assert.ok(mine.body.ancestors.every((a) => a.in_scope === false));

    for (const path of [`/api/v1/places/${MAYINGWEI}`, `/api/v1/places/${MAYINGWEI}/children`,
      `/api/v1/places?parent=${MAYINGWEI}`, '/api/v1/places/140930', '/api/v1/places/99999999']) {
      const r = await binhe.get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.error.code, 'not_found');
      assert.match(r.body.error.message, chinese);
    }
    const found = await binhe.get(`/api/v1/places?q=${encodeURIComponent('社区')}`);
    assert.equal(found.status, 200);
    assert.ok(found.body.items.length > 0);
    assert.ok(found.body.items.every((p) => p.code.startsWith(BINHE)), 'search stays in scope');

    const xian = await s.login('xian', DEMO.password);
    const top = await xian.get('/api/v1/places');
    assert.deepEqual(top.body.items.map((p) => p.code), ['140930']);
    for (const code of [BINHE, MAYINGWEI]) assert.equal((await xian.get(`/api/v1/places/${code}`)).status, 200);
    const both = await xian.get(`/api/v1/places?q=${encodeURIComponent('社区')}&limit=500`);
    const codes = both.body.items.map((p) => p.code);
    assert.ok(codes.includes(BINHE) && codes.includes(MAYINGWEI));
  });

  test('counts add up at every level and match the database', async () => {
    const xian = await s.login('xian', DEMO.password);
    for (const code of ['140930', '140930100', BINHE]) {
      const place = (await xian.get(`/api/v1/places/${code}`)).body;
      const children = await all(xian, `/api/v1/places/${code}/children`);
      for (const k of children) s.validate('GET', '/api/v1/places/{code}/children', 200, {items: [k], next_cursor: null});
      assert.equal(children.length, place.n_children, `${code}: n_children`);
      for (const key of COUNT_KEYS) {
        const sum = children.reduce((a, c) => a + c[key], 0);
        assert.equal(sum, place[key], `${code}: ${key} is the sum over its children`);
      }
    }
    const binhe = (await xian.get(`/api/v1/places/${BINHE}`)).body;
    const [[households]] = s.sql(`SELECT COUNT(*) FROM places WHERE level = 'household' AND code LIKE '${BINHE}%'`);
    const [[residents]] = s.sql(`SELECT COUNT(*) FROM people WHERE place_code LIKE '${BINHE}%'`);
    const [[members]] = s.sql(`SELECT COUNT(*) FROM people p JOIN party_members m ON m.person_id = p.id WHERE p.place_code LIKE '${BINHE}%'`);
    assert.equal(binhe.n_households, Number(households));
    assert.equal(binhe.n_residents, Number(residents));
    assert.equal(binhe.n_party_members, Number(members));
    assert.ok(binhe.n_households > 0 && binhe.n_residents > 0 && binhe.n_party_members > 0);
  });

  test('the community page shows counts, party organisations, grids with warnings and co-building units', async () => {
    const b = await s.browserLogin('binhe', DEMO.password);
    const html = await b.get(`/places/${BINHE}`);
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(html), '');
    const api = await s.login('binhe', DEMO.password);
    const place = (await api.get(`/api/v1/places/${BINHE}`)).body;
    for (const key of COUNT_KEYS) assert.ok(html.includes(`<strong>${place[key]}</strong>`), `page shows ${key}=${place[key]}`);
    assert.match(html, /class="breadcrumbs"/);
    assert.match(html, /山西省 › 忻州市 › 河曲县 › 西口镇/);
    assert.match(html, /<h2>党组织<\/h2>/);
    assert.match(html, /<h2>网格<\/h2>/);
    assert.match(html, /共建单位与共建协议/);
    const grids = await all(api, `/api/v1/grids?place=${BINHE}`);
    assert.ok(grids.length > 0);
    for (const g of grids) {
      s.validate('GET', '/api/v1/grids', 200, {items: [g], next_cursor: null});
      assert.equal(g.community_code, BINHE);
      assert.ok(html.includes(`href="/grids/${g.id}"`), `grid ${g.id} linked`);
      const expect = g.kind === 'basic' && (g.n_households < 300 || g.n_households > 500);
      assert.equal(g.size_warning !== null, expect, `grid ${g.name}: ${g.n_households} households`);
      if (expect) assert.ok(html.includes(g.size_warning), 'the page shows the warning');
    }
    const [[agreements]] = s.sql(`SELECT COUNT(*) FROM agreements WHERE place_code = '${BINHE}'`);
    if (Number(agreements) > 0) assert.doesNotMatch(html, /尚无共建协议/);
    // nothing of 马营围社区 leaks onto the page
    assert.ok(!html.includes(`/places/${MAYINGWEI}`));

    await b.get(`/places/${MAYINGWEI}`);
    assert.equal(b.last.status, 404);
  });

  test('a household page lists the people living there', async () => {
    const [[hh]] = s.sql(`SELECT place_code FROM people WHERE place_code LIKE '${BINHE}%' GROUP BY place_code HAVING COUNT(*) > 1 ORDER BY place_code LIMIT 1`);
    const people = s.sql(`SELECT id, name FROM people WHERE place_code = '${hh}'`);
    const b = await s.browserLogin('binhe', DEMO.password);
    const html = await b.get(`/places/${hh}`);
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(html), '');
    assert.match(html, /家庭成员/);
    for (const [id, name] of people) {
      assert.ok(html.includes(`href="/residents/${id}"`), `links person ${id}`);
      assert.ok(html.includes(name), `secretary (people.reveal) sees ${name}`);
    }
    // 省 › 市 › 县 › 乡镇 › 社区 › 小区 › 楼栋 … › 户
    assert.match(html, /西口镇<\/a>|西口镇 › /);
    const api = await s.login('binhe', DEMO.password);
    const detail = (await api.get(`/api/v1/places/${hh}`)).body;
    assert.equal(detail.level, 'household');
    assert.ok(detail.ancestors.some((a) => a.level === 'compound'));
    assert.equal(detail.ancestors.at(-1).code, detail.parent_code);
    // the department may see the place but not the people in it
    const dep = await s.browserLogin('bumen', DEMO.password);
    const depHtml = await dep.get(`/places/${hh}`);
    assert.equal(dep.last.status, 200);
    for (const [id] of people) assert.ok(!depHtml.includes(`href="/residents/${id}"`));
    // 马营围's secretary does not get in
    const may = await s.browserLogin('mayingwei', DEMO.password);
    await may.get(`/places/${hh}`);
    assert.equal(may.last.status, 404);
  });

  test('grids are scoped: the grid worker sees their grid, the other community none', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const mine = await all(binhe, '/api/v1/grids');
    assert.ok(mine.length > 0);
    assert.ok(mine.every((g) => g.community_code === BINHE));
    const one = await binhe.get(`/api/v1/grids/${mine[0].id}`);
    assert.equal(one.status, 200);
    s.validate('GET', '/api/v1/grids/{id}', 200, one.body);
    assert.equal(one.body.n_households, one.body.places.reduce((a, p) => a + p.n_households, 0));
    const may = await s.login('mayingwei', DEMO.password);
    assert.equal((await may.get(`/api/v1/grids/${mine[0].id}`)).status, 404);
    assert.equal((await may.get(`/api/v1/grids?place=${BINHE}`)).status, 404);
    const theirs = await all(may, '/api/v1/grids');
    assert.ok(theirs.length > 0 && theirs.every((g) => g.community_code === MAYINGWEI));
    assert.equal((await binhe.get(`/api/v1/grids/${theirs[0].id}`)).status, 404);
    const gw = await s.login('wangge1', DEMO.password);
    const own = await all(gw, '/api/v1/grids');
    assert.equal(own.length, 1);
    assert.ok(own[0].accounts === undefined);
    const det = await gw.get(`/api/v1/grids/${own[0].id}`);
    assert.ok(det.body.accounts.some((a) => a.role === 'grid_worker'));
  });

  test('creating and changing a grid is audited; bad input changes nothing', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const count = () => Number(s.sql('SELECT COUNT(*) FROM grids')[0][0]);
    const before = count();
    const bad = [
      [{name: '', kind: 'basic', community_code: BINHE}, 400, 'name'],
      [{name: '测试网格', kind: 'huge', community_code: BINHE}, 400, 'kind'],
      [{name: '测试网格', kind: 'basic', community_code: MAYINGWEI}, 404, 'community_code'],
      [{name: '测试网格', kind: 'basic', community_code: '140930100'}, 404, 'community_code'],
      [{name: '测试网格', kind: 'dedicated', community_code: BINHE, places: [`${MAYINGWEI}001`]}, 404, 'places'],
      [{name: '测试网格', kind: 'dedicated', community_code: BINHE, workers: [999999999]}, 404, 'workers'],
    ];
    for (const [body, status, field] of bad) {
      const r = await binhe.post('/api/v1/grids', body);
      assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
      s.validate('POST', '/api/v1/grids', status, r.body);
      assert.equal(r.body.error.field, field);
      assert.match(r.body.error.message, chinese);
    }
    // a place already in a basic grid cannot join another basic grid (多网合一)
    const first = (await all(binhe, `/api/v1/grids?place=${BINHE}`)).find((g) => g.kind === 'basic');
    const firstPlaces = (await binhe.get(`/api/v1/grids/${first.id}`)).body.places;
    const taken = firstPlaces[0].code;
    const clash = await binhe.post('/api/v1/grids', {name: '重叠网格', kind: 'basic', community_code: BINHE, places: [taken]});
    assert.equal(clash.status, 409);
    assert.match(clash.body.error.message, /已属于基础网格/);
    assert.equal(count(), before, 'nothing was created');

    const [[worker]] = s.sql(`SELECT p.id FROM people p JOIN community_workers w ON w.person_id = p.id WHERE w.community_code = '${BINHE}' AND p.place_code LIKE '${BINHE}%' ORDER BY p.id LIMIT 1`);
    const made = await binhe.post('/api/v1/grids', {
      name: '学校专属网格', kind: '专属网格', community_code: BINHE, places: [taken], workers: [Number(worker)],
    });
    assert.equal(made.status, 201, made.text);
    s.validate('POST', '/api/v1/grids', 201, made.body);
    assert.equal(made.body.kind, 'dedicated');
    assert.equal(made.body.size_warning, null, 'dedicated grids have no size rule');
    assert.ok(made.body.code.startsWith(`${BINHE}-`));
    assert.deepEqual(made.body.places.map((p) => p.code), [taken]);
    assert.equal(made.body.workers[0].id, Number(worker));
    if (made.body.workers[0].phone) assert.match(made.body.workers[0].phone, /\*/, 'phones are masked in lists');
    assert.equal(count(), before + 1);
    const audit = await binhe.get('/api/v1/audit?entity=grid&action=create&limit=5');
    const entry = audit.body.items.find((e) => String(e.entity_id) === String(made.body.id));
    assert.ok(entry, 'audit entry for the new grid');
    assert.equal(entry.actor, 'binhe');
    assert.equal(entry.place_code, BINHE);
    assert.equal(entry.after_json.name, '学校专属网格');

    const renamed = await binhe.patch(`/api/v1/grids/${made.body.id}`, {name: '第一中学专属网格', workers: []});
    assert.equal(renamed.status, 200, renamed.text);
    s.validate('PATCH', '/api/v1/grids/{id}', 200, renamed.body);
    assert.equal(renamed.body.name, '第一中学专属网格');
    assert.equal(renamed.body.workers.length, 0);
    const upd = (await binhe.get('/api/v1/audit?entity=grid&action=update&limit=5')).body.items.find((e) => String(e.entity_id) === String(made.body.id));
    assert.equal(upd.before_json.name, '学校专属网格');
    assert.equal(upd.after_json.name, '第一中学专属网格');
    // becoming basic would put the place in two basic grids
    const basic = await binhe.patch(`/api/v1/grids/${made.body.id}`, {kind: 'basic'});
    assert.equal(basic.status, 409);
    assert.equal((await binhe.get(`/api/v1/grids/${made.body.id}`)).body.kind, 'dedicated');

    const may = await s.login('mayingwei', DEMO.password);
    assert.equal((await may.patch(`/api/v1/grids/${made.body.id}`, {name: 'x'})).status, 404);
    const gw = await s.login('wangge1', DEMO.password); // no places.write
    assert.equal((await gw.post('/api/v1/grids', {name: 'x', kind: 'basic', community_code: BINHE})).status, 404);
  });

  test('grid forms: errors re-render in Chinese, success leads to the grid', async () => {
    const b = await s.browserLogin('binhe', DEMO.password);
    const form = await b.get(`/grids/new?community=${BINHE}`);
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(form), '');
    assert.match(form, /name="places"/);
    const before = Number(s.sql('SELECT COUNT(*) FROM grids')[0][0]);
    const err = await b.postForm('/grids', {community_code: BINHE, name: '', kind: 'basic'});
    assert.equal(b.last.status, 400);
    assert.match(err, /请填写网格名称/);
    assert.equal(tidyErrors(err), '');
    assert.equal(Number(s.sql('SELECT COUNT(*) FROM grids')[0][0]), before);
    const [[building]] = s.sql(`SELECT code FROM places WHERE level = 'building' AND code LIKE '${BINHE}%' ORDER BY code DESC LIMIT 1`);
    const ok = await b.postForm('/grids', {community_code: BINHE, name: '菜市场专属网格', kind: 'dedicated', places_extra: building});
    assert.equal(b.last.status, 200);
    assert.match(b.last.url, /^\/grids\/\d+/);
    assert.match(ok, /菜市场专属网格/);
    assert.equal(tidyErrors(ok), '');
    const id = b.last.url.match(/\/grids\/(\d+)/)[1];
    const upd = await b.postForm(`/grids/${id}`, {name: '菜市场网格', kind: 'dedicated', places: building});
    assert.match(upd, /已保存/);
    assert.match(upd, /菜市场网格/);
  });

  test('place pages answer 200 and pass tidy', async () => {
    const b = await s.browserLogin('xian', DEMO.password);
    const [[compound]] = s.sql(`SELECT code FROM places WHERE level = 'compound' AND code LIKE '${BINHE}%' ORDER BY code LIMIT 1`);
    const [[grid]] = s.sql(`SELECT id FROM grids WHERE community_code = '${BINHE}' ORDER BY id LIMIT 1`);
    for (const p of ['/places', '/places/140930', '/places/140930100', `/places/${BINHE}`, `/places/${MAYINGWEI}`,
      `/places/${compound}`, `/places?q=${encodeURIComponent('社区')}`, `/grids/${grid}`, '/grids/new']) {
      const html = await b.get(p);
      assert.equal(b.last.status, 200, p);
      assert.match(html, /<html lang="zh-CN">/);
      assert.equal(tidyErrors(html), '', `${p}: tidy`);
    }
  });
});
