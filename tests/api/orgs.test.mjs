// Organisations, 共建协议 and the branch coverage report: data scope (滨河社区's
// secretary gets 404 for 马营围社区's organisations; the county sees both),
// creating and changing organisations and agreements (audited; unknown kind,
// empty name, a place outside scope → 400/404 in Chinese and nothing changed),
// the 五有 / 四个一批 / 一肩挑 record of a branch, the coverage report checked
// against the branch rule recomputed from the database, and the pages.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';

import {forEachStore, startServer, DEMO} from '../lib/harness.mjs';

const BINHE = '140930100010';
const MAYINGWEI = '140930100007';
const chinese = /[\u4e00-\u9fa5]/;

function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], {input: html, encoding: 'utf8'});
  return r.status >= 2 ? r.stderr : '';
}

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

// The coverage of compounds under a prefix, recomputed from the database with
// the branch rule (3 or more party members: a branch of its own).
function expectedCoverage(s, prefix) {
  const compounds = s.sql(
    `SELECT c.code, (SELECT COUNT(*) FROM people p JOIN party_members m ON m.person_id = p.id WHERE p.place_code LIKE c.code || '%') ` +
      `FROM places c WHERE c.level = 'compound' AND c.code LIKE '${prefix}%'`,
  );
  const branches = s.sql(`SELECT id, place_code, formation FROM organisations WHERE kind = 'branch'`);
  const served = s.sql(`SELECT op.org_id, op.place_code FROM org_places op JOIN organisations o ON o.id = op.org_id WHERE o.kind = 'branch'`);
  const placesOf = new Map();
  for (const [id, code] of served) placesOf.set(id, [...(placesOf.get(id) || []), code]);
  const formation = new Map(branches.map(([id, , f]) => [id, f || ((placesOf.get(id) || []).length > 1 ? 'joint' : 'standalone')]));
  const has = (code, f) =>
    branches.some(([id, home]) => formation.get(id) === f && (home === code || (placesOf.get(id) || []).includes(code)));
  const e = {compounds: 0, covered: 0, standalone: 0, joint: 0, standalone_missing: 0, joint_missing: 0, party_members: 0};
  for (const [code, n] of compounds) {
    const m = Number(n);
    const s1 = has(code, 'standalone');
    const j1 = has(code, 'joint');
    e.compounds++;
    e.party_members += m;
    if (s1 || j1) e.covered++;
    if (m >= 3 && !s1) e.standalone_missing++;
    if (m < 3 && !j1) e.joint_missing++;
  }
  for (const [id, home] of branches) {
    const anchor = home || [...(placesOf.get(id) || [])].sort()[0];
    if (anchor && anchor.startsWith(prefix)) e[formation.get(id)]++;
  }
  e.branches = e.standalone + e.joint;
  return e;
}

forEachStore('organisations, agreements and branch coverage', (store) => {
  let s;
  let outside; // an organisation of 马营围社区
  test.before(async () => {
    s = await startServer({store, demo: true});
    const admin = await s.login('admin', DEMO.password);
    outside = (await admin.get(`/api/v1/organisations?place=${MAYINGWEI}&limit=1`)).body.items[0];
  });
  test.after(async () => {
    await s.stop();
  });

  test('organisations are scoped: 404 for the other community, the county sees both', async () => {
    assert.ok(outside, '马营围社区 has organisations');
    const binhe = await s.login('binhe', DEMO.password);
    const list = await all(binhe, '/api/v1/organisations');
    for (const o of list.slice(0, 50)) s.validate('GET', '/api/v1/organisations', 200, {items: [o], next_cursor: null});
    const names = list.map((o) => o.name);
    assert.ok(names.some((n) => n.includes('滨河社区党委')));
    assert.ok(!list.some((o) => o.id === outside.id));
    // one sitting in 马营围社区 is listed only because it serves a place in 滨河社区
    // (a property company managing compounds in both)
    for (const o of list.filter((x) => (x.place_code || '').startsWith(MAYINGWEI))) {
      const d = await binhe.get(`/api/v1/organisations/${o.id}`);
      assert.ok(d.body.places.length > 0 && d.body.places.every((p) => p.code.startsWith(BINHE)), o.name);
    }
    const r = await binhe.get(`/api/v1/organisations/${outside.id}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
    assert.equal((await binhe.get(`/api/v1/organisations?place=${MAYINGWEI}`)).status, 404);
    assert.equal((await binhe.get('/api/v1/organisations?kind=nonsense')).status, 400);
    const branches = await all(binhe, `/api/v1/organisations?kind=branch&place=${BINHE}`);
    assert.ok(branches.length > 0 && branches.every((o) => o.kind === 'branch' && o.place_code.startsWith(BINHE)));

    const xian = await s.login('xian', DEMO.password);
    assert.equal((await xian.get(`/api/v1/organisations/${outside.id}`)).status, 200);
    assert.equal((await xian.get(`/api/v1/organisations/${branches[0].id}`)).status, 200);

    const b = await s.browserLogin('binhe', DEMO.password);
    await b.get(`/organisations/${outside.id}`);
    assert.equal(b.last.status, 404);
  });

  test('a branch shows the places it covers, its members (masked for who may not reveal) and its sub-organisations', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const branch = (await all(binhe, `/api/v1/organisations?kind=branch&place=${BINHE}`)).find((o) => o.n_members > 0);
    assert.ok(branch);
    const d = await binhe.get(`/api/v1/organisations/${branch.id}`);
    assert.equal(d.status, 200);
    s.validate('GET', '/api/v1/organisations/{id}', 200, d.body);
    assert.equal(d.body.members.length, branch.n_members);
    assert.ok(d.body.places.length > 0 && d.body.places.every((p) => p.code.startsWith(BINHE)));
    assert.equal(d.body.five_haves.has_organisation, true);
    const [[name]] = s.sql(`SELECT name FROM people WHERE id = ${d.body.members[0].id}`);
    assert.equal(d.body.members[0].name, name, 'the secretary may reveal names');
    // the department reads organisations but no people
    const dep = await s.login('bumen', DEMO.password);
    const dd = await dep.get(`/api/v1/organisations/${branch.id}`);
    assert.equal(dd.status, 200);
    assert.deepEqual(dd.body.members, []);
  });

  test('creating an organisation is audited; bad input answers in Chinese and changes nothing', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const count = () => Number(s.sql('SELECT COUNT(*) FROM organisations')[0][0]);
    const before = count();
    const [[compound]] = s.sql(`SELECT code FROM places WHERE level = 'compound' AND code LIKE '${BINHE}%' ORDER BY code LIMIT 1`);
    const [[other]] = s.sql(`SELECT code FROM places WHERE level = 'compound' AND code LIKE '${MAYINGWEI}%' ORDER BY code LIMIT 1`);
    const bad = [
      [{kind: 'nonsense', name: '某组织', place_code: BINHE}, 400, 'kind'],
      [{kind: 'branch', name: '', place_code: BINHE}, 400, 'name'],
      [{kind: 'branch', name: '   ', place_code: BINHE}, 400, 'name'],
      [{kind: 'branch', name: '某支部', place_code: MAYINGWEI}, 404, 'place_code'],
      [{kind: 'branch', name: '某支部', place_code: '99999999'}, 404, 'place_code'],
      [{kind: 'branch', name: '某支部', place_code: BINHE, places: [other]}, 404, 'places'],
      [{kind: 'branch', name: '某支部', place_code: BINHE, parent_id: outside.id}, 404, 'parent_id'],
      [{kind: 'branch', name: '某支部', place_code: BINHE, formation: '大概'}, 400, 'formation'],
      [{kind: 'volunteer_team', name: '某队', place_code: BINHE, has_plan: true}, 400, 'kind'],
      [{kind: 'social_org', name: '某会', place_code: BINHE, phone: '12345'}, 400, 'phone'],
      [{kind: 'branch', name: '某支部', place_code: BINHE, secretary_way: '抽签'}, 400, 'secretary_way'],
    ];
    for (const [body, status, field] of bad) {
      const r = await binhe.post('/api/v1/organisations', body);
      assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
      s.validate('POST', '/api/v1/organisations', status, r.body);
      assert.equal(r.body.error.field, field);
      assert.match(r.body.error.message, chinese);
    }
    assert.equal(count(), before, 'nothing was created');

    const [[parent]] = s.sql(`SELECT id FROM organisations WHERE kind = 'community_party_committee' AND place_code = '${BINHE}'`);
    const [[secretary]] = s.sql(`SELECT p.id FROM people p JOIN party_members m ON m.person_id = p.id WHERE p.place_code LIKE '${compound}%' ORDER BY p.id LIMIT 1`);
    const r = await binhe.post('/api/v1/organisations', {
      kind: '党支部', name: '测试小区党支部', place_code: compound, parent_id: Number(parent), places: [compound],
      has_position: true, has_ledger: true, has_mechanism: false, secretary_person_id: Number(secretary),
      secretary_way: '党员选', one_shoulder: true,
    });
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/organisations', 201, r.body);
    assert.equal(r.body.kind, 'branch');
    assert.equal(r.body.formation, 'standalone', 'one compound: 单独组建');
    assert.equal(r.body.parent_id, Number(parent));
    assert.deepEqual(r.body.places.map((p) => p.code), [compound]);
    assert.equal(r.body.five_haves.met, 3);
    assert.equal(r.body.five_haves.has_plan, null);
    assert.equal(r.body.secretary.way, 'elected');
    assert.equal(r.body.secretary.way_name, '党员选');
    assert.equal(r.body.secretary.one_shoulder, true);
    assert.equal(r.body.secretary.person_id, Number(secretary));
    assert.equal(count(), before + 1);
    const audit = await binhe.get('/api/v1/audit?entity=organisation&action=create&limit=5');
    assert.equal(audit.status, 200);
    const entry = audit.body.items.find((e) => String(e.entity_id) === String(r.body.id));
    assert.ok(entry, 'audit entry for the new organisation');
    assert.equal(entry.actor, 'binhe');
    assert.equal(entry.after_json.name, '测试小区党支部');
    assert.deepEqual(entry.after_json.places, [compound]);

    // several compounds: 联合组建; a standalone branch may not cover two
    const [[c2]] = s.sql(`SELECT code FROM places WHERE level = 'compound' AND code LIKE '${BINHE}%' ORDER BY code LIMIT 1 OFFSET 1`);
    const two = await binhe.post('/api/v1/organisations', {kind: 'branch', name: '测试联合党支部', place_code: BINHE, places: [compound, c2]});
    assert.equal(two.status, 201);
    assert.equal(two.body.formation, 'joint');
    const wrong = await binhe.post('/api/v1/organisations', {kind: 'branch', name: '错', place_code: BINHE, places: [compound, c2], formation: 'standalone'});
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error.message, /单独组建/);

    const jumin = await s.login('jumin', DEMO.password);
    assert.equal((await jumin.post('/api/v1/organisations', {kind: 'branch', name: 'x', place_code: BINHE})).status, 404);
  });

  test('changing an organisation is audited with before and after; no cycles, no edits outside scope', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const [[id, name]] = s.sql(`SELECT id, name FROM organisations WHERE kind = 'volunteer_team' AND place_code = '${BINHE}' ORDER BY id LIMIT 1`);
    const r = await binhe.patch(`/api/v1/organisations/${id}`, {name: `${name}（更名）`, phone: '0350-7212345'});
    assert.equal(r.status, 200, r.text);
    s.validate('PATCH', '/api/v1/organisations/{id}', 200, r.body);
    assert.equal(r.body.name, `${name}（更名）`);
    assert.equal(r.body.phone, '0350-7212345');
    const e = (await binhe.get('/api/v1/audit?entity=organisation&action=update&limit=5')).body.items.find((x) => String(x.entity_id) === String(id));
    assert.equal(e.before_json.name, name);
    assert.equal(e.after_json.name, `${name}（更名）`);

    const [[committee]] = s.sql(`SELECT id FROM organisations WHERE kind = 'community_party_committee' AND place_code = '${BINHE}'`);
    const [[child]] = s.sql(`SELECT id FROM organisations WHERE parent_id = ${committee} ORDER BY id LIMIT 1`);
    const cycle = await binhe.patch(`/api/v1/organisations/${committee}`, {parent_id: Number(child)});
    assert.equal(cycle.status, 400);
    assert.match(cycle.body.error.message, /下级/);
    const empty = await binhe.patch(`/api/v1/organisations/${id}`, {name: ''});
    assert.equal(empty.status, 400);
    assert.equal(s.sql(`SELECT name FROM organisations WHERE id = ${id}`)[0][0], `${name}（更名）`, 'unchanged');
    // a county department is visible to the community but not editable by it
    const [[dept]] = s.sql(`SELECT id FROM organisations WHERE kind = 'department' ORDER BY id LIMIT 1`);
    assert.equal((await binhe.get(`/api/v1/organisations/${dept}`)).status, 200);
    const denied = await binhe.patch(`/api/v1/organisations/${dept}`, {name: 'x'});
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, chinese);
    assert.equal((await binhe.patch(`/api/v1/organisations/${outside.id}`, {name: 'x'})).status, 404);
  });

  test('a 共建协议 is added, listed on the community and audited', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const [[unit, unitName]] = s.sql(`SELECT id, name FROM organisations WHERE kind = 'cobuilding_unit' AND place_code = '${BINHE}' ORDER BY id LIMIT 1`);
    const count = () => Number(s.sql('SELECT COUNT(*) FROM agreements')[0][0]);
    const before = count();
    const bad = [
      [{place_code: BINHE, title: '', signed_on: '2026-03-01'}, 400, 'title'],
      [{place_code: BINHE, title: '协议', signed_on: '2026-02-30'}, 400, 'signed_on'],
      [{place_code: BINHE, title: '协议', signed_on: '2026-03-01', expires_on: '2025-03-01'}, 400, 'expires_on'],
      [{place_code: MAYINGWEI, title: '协议', signed_on: '2026-03-01'}, 404, 'place_code'],
      [{place_code: '140930100', title: '协议', signed_on: '2026-03-01'}, 404, 'place_code'],
    ];
    for (const [body, status, field] of bad) {
      const r = await binhe.post(`/api/v1/organisations/${unit}/agreements`, body);
      assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
      assert.equal(r.body.error.field, field);
      assert.match(r.body.error.message, chinese);
    }
    assert.equal(count(), before);
    const r = await binhe.post(`/api/v1/organisations/${unit}/agreements`, {
      place_code: BINHE, title: '2026年度党建共建协议', signed_on: '2026-03-01', expires_on: '2029-02-28',
    });
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/organisations/{id}/agreements', 201, r.body);
    assert.equal(r.body.org_name, unitName);
    assert.equal(count(), before + 1);
    const e = (await binhe.get('/api/v1/audit?entity=agreement&action=create&limit=5')).body.items.find((x) => String(x.entity_id) === String(r.body.id));
    assert.ok(e, 'audited');
    assert.equal(e.after_json.title, '2026年度党建共建协议');
    const d = await binhe.get(`/api/v1/organisations/${unit}`);
    assert.ok(d.body.agreements.some((a) => a.id === r.body.id));
    const b = await s.browserLogin('binhe', DEMO.password);
    const html = await b.get(`/places/${BINHE}`);
    assert.match(html, /2026年度党建共建协议/);
    assert.equal((await binhe.post(`/api/v1/organisations/${outside.id}/agreements`, {place_code: BINHE, title: 'x', signed_on: '2026-01-01'})).status, 404);
  });

  test('the coverage report agrees with the branch rule on the demo', async () => {
    const xian = await s.login('xian', DEMO.password);
    for (const code of ['140930', '140930100', BINHE, MAYINGWEI]) {
      const r = await xian.get(`/api/v1/branches/coverage?place=${code}`);
      assert.equal(r.status, 200, r.text);
      s.validate('GET', '/api/v1/branches/coverage', 200, r.body);
      const t = r.body.total;
      const e = expectedCoverage(s, code);
      for (const k of Object.keys(e)) assert.equal(t[k], e[k], `${code}: ${k}`);
      assert.equal(t.branches, t.standalone + t.joint);
      assert.ok(t.covered <= t.compounds);
      assert.ok(t.compounds > 0);
      assert.equal(t.coverage_permille, Math.round((t.covered * 1000) / t.compounds));
      // rows are the children; what lies in them adds up to the total
      for (const k of ['compounds', 'covered', 'party_members', 'standalone_missing', 'joint_missing'])
        assert.equal(r.body.rows.reduce((a, x) => a + x[k], 0), t[k], `${code}: rows add up to ${k}`);
    }
    const county = (await xian.get('/api/v1/branches/coverage')).body;
    assert.equal(county.total.code, '140930', 'defaults to the top scope');
    const binhe = await s.login('binhe', DEMO.password);
    assert.equal((await binhe.get(`/api/v1/branches/coverage?place=${MAYINGWEI}`)).status, 404);
    assert.equal((await binhe.get('/api/v1/branches/coverage')).body.total.code, BINHE);
  });

  test('the coverage page writes the figures and draws them as SVG, without JavaScript', async () => {
    const xian = await s.login('xian', DEMO.password);
    const t = (await xian.get('/api/v1/branches/coverage?place=140930100')).body.total;
    const b = await s.browserLogin('xian', DEMO.password);
    const html = await b.get('/branches/coverage?place=140930100');
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(html), '');
    assert.match(html, /<svg[^>]*role="img"/);
    assert.match(html, new RegExp(`共有小区 <strong>${t.compounds}</strong> 个，已覆盖 <strong>${t.covered}</strong> 个；小区党支部 <strong>${t.branches}</strong> 个，其中单独组建 <strong>${t.standalone}</strong> 个`));
    const main = html.slice(html.indexOf('<main>'), html.indexOf('</main>'));
    assert.doesNotMatch(main, /<script/);
    const mine = await s.browserLogin('binhe', DEMO.password);
    const page = await mine.get(`/branches/coverage?place=${BINHE}`);
    assert.equal(mine.last.status, 200);
    assert.equal(tidyErrors(page), '');
    assert.match(page, /联合组建建议/);
    await mine.get(`/branches/coverage?place=${MAYINGWEI}`);
    assert.equal(mine.last.status, 404);
  });

  test('organisation pages and forms', async () => {
    const b = await s.browserLogin('binhe', DEMO.password);
    for (const p of ['/organisations', '/organisations?kind=branch', `/organisations?place=${BINHE}`, '/organisations/new',
      `/organisations/new?place=${BINHE}`]) {
      const html = await b.get(p);
      assert.equal(b.last.status, 200, p);
      assert.equal(tidyErrors(html), '', `${p}: tidy`);
    }
    const before = Number(s.sql('SELECT COUNT(*) FROM organisations')[0][0]);
    const err = await b.postForm('/organisations', {kind: 'branch', name: '', place_code: BINHE});
    assert.equal(b.last.status, 400);
    assert.match(err, /请填写组织名称/);
    assert.equal(tidyErrors(err), '');
    const out = await b.postForm('/organisations', {kind: 'social_org', name: '外社区的会', place_code: MAYINGWEI});
    assert.equal(b.last.status, 404);
    assert.match(out, /不在您的管辖范围内/);
    assert.equal(Number(s.sql('SELECT COUNT(*) FROM organisations')[0][0]), before);
    const ok = await b.postForm('/organisations', {
      kind: 'social_org', name: '滨河社区老年协会', place_code: BINHE, places: BINHE, parent_id: '', formation: '',
    });
    assert.equal(b.last.status, 200);
    assert.match(b.last.url, /^\/organisations\/\d+/);
    assert.match(ok, /滨河社区老年协会/);
    assert.equal(tidyErrors(ok), '');
    const id = b.last.url.match(/\/organisations\/(\d+)/)[1];
    const agr = await b.postForm(`/organisations/${id}/agreements`, {place_code: BINHE, title: '敬老共建', signed_on: '2026-13-01'});
    assert.equal(b.last.status, 400);
    assert.match(agr, /签订日期/);
    const agr2 = await b.postForm(`/organisations/${id}/agreements`, {place_code: BINHE, title: '敬老共建', signed_on: '2026-05-01'});
    assert.match(agr2, /敬老共建/);
    const edit = await b.postForm(`/organisations/${id}`, {kind: 'social_org', name: '滨河社区老年人协会', place_code: BINHE, places: BINHE});
    assert.match(edit, /已保存/);
    assert.match(edit, /滨河社区老年人协会/);
  });
});
