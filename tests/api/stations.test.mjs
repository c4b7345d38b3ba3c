// Service positions 阵地: the demo's 党群服务中心 and 小区党群服务站 lie in their
// communities; data scope (滨河社区's secretary gets 404 for 马营围社区's
// stations, the county sees both); create and patch (audited), bad input →
// 400/404 in Chinese and nothing changed; the standardized rule (六有一好 +
// 2+5); the coverage figure recomputed from the database; the pages pass tidy.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';

import {forEachStore, startServer, DEMO} from '../lib/harness.mjs';

const BINHE = '140930100010';
const MAYINGWEI = '140930100007';
const chinese = /[\u4e00-\u9fa5]/;
const ALL = {
  standard: {has_code: true, has_area: true, has_sign: true, has_flag: true, has_facilities: true, has_archive: true, good_quality: true},
  areas: {branch: true, service: true},
  modules: {members: true, deliberation: true, agency: true, culture: true, mediation: true},
};

function tidyErrors(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--drop-empty-elements', 'no'], {input: html, encoding: 'utf8'});
  return r.status >= 2 ? r.stderr : '';
}

forEachStore('service positions 阵地', (store) => {
  let s, admin, binhe, mayingwei, xian, jumin;
  test.before(async () => {
    s = await startServer({store, demo: true});
    admin = await s.login('admin', DEMO.password);
    binhe = await s.login('binhe', DEMO.password);
    mayingwei = await s.login('mayingwei', DEMO.password);
    xian = await s.login('xian', DEMO.password);
    jumin = await s.login('jumin', DEMO.password);
  });
  test.after(async () => { await s.stop(); });

  test('the demo stations exist and lie in their communities', async () => {
    const r = await xian.get('/api/v1/stations?limit=500');
    assert.equal(r.status, 200);
    s.validate('GET', '/api/v1/stations', 200, r.body);
    const items = r.body.items;
    const centers = items.filter((x) => x.kind === 'center');
    assert.deepEqual(centers.map((c) => c.place_code).sort(), [MAYINGWEI, BINHE]);
    assert.ok(items.filter((x) => x.kind === 'station').length >= 4);
    for (const st of items) {
      assert.match(st.kind_name, chinese);
      const d = await xian.get(`/api/v1/stations/${st.id}`);
      assert.equal(d.status, 200);
      s.validate('GET', '/api/v1/stations/{id}', 200, d.body);
      for (const p of d.body.places) {
        assert.equal(p.level, 'compound');
        assert.equal(p.code.slice(0, 12), st.place_code.slice(0, 12), `${st.name} serves ${p.code}`);
      }
    }
  });

  test('scope: 滨河 sees its own stations only, 马营围 and out-of-scope ids answer 404', async () => {
    const mine = (await binhe.get('/api/v1/stations?limit=500')).body.items;
    assert.ok(mine.length > 0);
    for (const st of mine) assert.ok(st.place_code.startsWith(BINHE), st.place_code);
    const theirs = (await mayingwei.get('/api/v1/stations?limit=500')).body.items;
    assert.ok(theirs.length > 0);
    for (const st of theirs) assert.ok(st.place_code.startsWith(MAYINGWEI), st.place_code);
    const r = await binhe.get(`/api/v1/stations/${theirs[0].id}`);
    assert.equal(r.status, 404);
    assert.match(r.body.error.message, chinese);
    const p = await binhe.patch(`/api/v1/stations/${theirs[0].id}`, {name: '越权'});
    assert.equal(p.status, 404);
    assert.equal((await binhe.get(`/api/v1/stations?place=${MAYINGWEI}`)).status, 404);
    const bb = await s.browserLogin('binhe', DEMO.password);
    await bb.get(`/stations/${theirs[0].id}`);
    assert.equal(bb.last.status, 404);
    // a resident may not register one
    const j = await jumin.post('/api/v1/stations', {kind: 'station', name: 'x', place_code: BINHE});
    assert.ok([403, 404].includes(j.status), `${j.status}`);
  });

  test('create and patch, audited; the standardized rule', async () => {
    const compounds = s.sql(`SELECT code FROM places WHERE level = 'compound' AND parent_code = '${BINHE}' ORDER BY code`).map((r) => r[0]);
    const c = await binhe.post('/api/v1/stations', {
      kind: '小区党群服务站', name: '测试小区党群服务站', place_code: compounds[0], area_m2: 80, funding: 12000,
      build_mode: '协调物业用房共享', opened_on: '2025-03-01', hours: '每天 8:00—20:00', zone_24h: true, zone_8h: true,
      phone: '0350-7212345', ...ALL, standard: {...ALL.standard, has_archive: false},
      extra_modules: ['四点半课堂', '便民工具墙', '四点半课堂'],
    });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    s.validate('POST', '/api/v1/stations', 201, c.body);
    assert.equal(c.body.kind, 'station');
    assert.equal(c.body.build_mode, 'share');
    assert.equal(c.body.standardized, false);
    assert.deepEqual(c.body.missing, ['有档案']);
    assert.deepEqual(c.body.extra_modules, ['四点半课堂', '便民工具墙']);
    assert.deepEqual(c.body.places.map((p) => p.code), [compounds[0]], 'a compound station serves its compound');
    const id = c.body.id;
    let audit = (await admin.get('/api/v1/audit?limit=5')).body.items.find((e) => e.entity === 'station' && e.action === 'create');
    assert.ok(audit && audit.actor === 'binhe');

    const p = await binhe.patch(`/api/v1/stations/${id}`, {standard: {has_archive: true}, places: [compounds[0], compounds[1]]});
    assert.equal(p.status, 200, JSON.stringify(p.body));
    s.validate('PATCH', '/api/v1/stations/{id}', 200, p.body);
    assert.equal(p.body.standardized, true);
    assert.deepEqual(p.body.missing, []);
    assert.equal(p.body.n_places, 2);
    assert.equal(p.body.area_m2, 80, 'fields not given are kept');
    audit = (await admin.get('/api/v1/audit?limit=5')).body.items.find((e) => e.entity === 'station' && e.action === 'update');
    assert.ok(audit && audit.actor === 'binhe');
    // one module missing breaks the standard again
    const q = await binhe.patch(`/api/v1/stations/${id}`, {modules: {mediation: false}});
    assert.equal(q.body.standardized, false);
    assert.deepEqual(q.body.missing, ['矛盾调解']);
  });

  test('bad input → Chinese 400/404 and nothing changed', async () => {
    const count = () => s.sql('SELECT COUNT(*) FROM stations')[0][0];
    const audits = () => s.sql("SELECT COUNT(*) FROM audit_log WHERE entity = 'station'")[0][0];
    const n0 = count(), a0 = audits();
    const base = {kind: 'station', name: '坏输入', place_code: BINHE};
    const cases = [
      [{...base, kind: '服务点'}, 400, 'kind'],
      [{...base, name: '  '}, 400, 'name'],
      [{...base, name: '站'.repeat(101)}, 400, 'name'],
      [{...base, place_code: MAYINGWEI}, 404, 'place_code'],
      [{...base, place_code: '999999999999'}, 404, 'place_code'],
      [{...base, kind: 'center', place_code: s.sql(`SELECT MIN(code) FROM places WHERE level = 'compound' AND parent_code = '${BINHE}'`)[0][0]}, 400, 'place_code'],
      [{...base, area_m2: -5}, 400, 'area_m2'],
      [{...base, area_m2: 'big'}, 400, 'area_m2'],
      [{...base, funding: 1e12}, 400, 'funding'],
      [{...base, build_mode: '借用'}, 400, 'build_mode'],
      [{...base, opened_on: '2025-02-30'}, 400, 'opened_on'],
      [{...base, phone: '12'}, 400, 'phone'],
      [{...base, standard: {has_code: 'yes'}}, 400, 'standard.has_code'],
      [{...base, modules: {dance: true}}, 400, 'modules.dance'],
      [{...base, extra_modules: ['很长'.repeat(11)]}, 400, 'extra_modules'],
      [{...base, places: [`${MAYINGWEI}001`]}, 404, 'places'],
      [{...base, places: [s.sql(`SELECT MIN(code) FROM places WHERE level = 'building' AND code LIKE '${BINHE}%'`)[0][0]]}, 400, 'places'],
    ];
    for (const [body, status, field] of cases) {
      const r = await binhe.post('/api/v1/stations', body);
      assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.field, field);
      assert.match(r.body.error.message, chinese);
    }
    const st = (await binhe.get(`/api/v1/stations?place=${BINHE}&kind=center`)).body.items[0];
    const r = await binhe.patch(`/api/v1/stations/${st.id}`, {name: '改名', opened_on: 'tomorrow'});
    assert.equal(r.status, 400);
    assert.equal((await binhe.get(`/api/v1/stations/${st.id}`)).body.name, st.name);
    assert.equal((await binhe.get('/api/v1/stations?kind=nope')).status, 400);
    assert.equal(count(), n0);
    assert.equal(audits(), a0);
  });

  test('the summary counts and coverage agree with SQL', async () => {
    for (const [c, place] of [[xian, '140930'], [binhe, BINHE], [mayingwei, MAYINGWEI]]) {
      const r = await c.get(`/api/v1/stations/summary?place=${place}`);
      assert.equal(r.status, 200);
      s.validate('GET', '/api/v1/stations/summary', 200, r.body);
      const like = `'${place}%'`;
      const [[compounds, covered]] = s.sql(
        `SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM stations st WHERE st.kind <> 'love_post' AND (st.place_code = c.code ` +
        `OR EXISTS (SELECT 1 FROM station_places sp WHERE sp.station_id = st.id AND sp.place_code = c.code))) THEN 1 ELSE 0 END) ` +
        `FROM places c WHERE c.level = 'compound' AND c.code LIKE ${like}`);
      assert.equal(r.body.compounds, Number(compounds), place);
      assert.equal(r.body.compounds_covered, Number(covered), place);
      assert.ok(r.body.compounds_covered > 0 && r.body.compounds_covered <= r.body.compounds);
      assert.equal(r.body.coverage_permille, Math.round(1000 * covered / compounds));
      const cols = 'has_code+has_area+has_sign+has_flag+has_facilities+has_archive+good_quality+area_branch+area_service+mod_members+mod_deliberation+mod_agency+mod_culture+mod_mediation';
      const [[centers, stations, std]] = s.sql(
        `SELECT SUM(CASE WHEN kind = 'center' THEN 1 ELSE 0 END), SUM(CASE WHEN kind = 'station' THEN 1 ELSE 0 END), ` +
        `SUM(CASE WHEN kind <> 'love_post' AND ${cols} = 14 THEN 1 ELSE 0 END) FROM stations st WHERE st.place_code LIKE ${like} ` +
        `OR EXISTS (SELECT 1 FROM station_places sp WHERE sp.station_id = st.id AND sp.place_code LIKE ${like})`);
      assert.equal(r.body.centers, Number(centers));
      assert.equal(r.body.stations, Number(stations));
      assert.equal(r.body.standardized, Number(std));
      assert.ok(r.body.standardized < r.body.centers + r.body.stations || place === BINHE, 'one demo station falls short');
    }
    assert.equal((await binhe.get(`/api/v1/stations/summary?place=${MAYINGWEI}`)).status, 404);
  });

  test('pages: list, detail, new; forms create and edit; tidy', async () => {
    const b = await s.browserLogin('binhe', DEMO.password);
    const st = (await binhe.get(`/api/v1/stations?place=${BINHE}&kind=station`)).body.items[0];
    for (const path of ['/stations', `/stations?place=${BINHE}&kind=station`, `/stations/${st.id}`, '/stations/new', `/places/${BINHE}`, `/places/${st.place_code}`]) {
      const html = await b.get(path);
      assert.equal(b.last.status, 200, path);
      assert.equal(tidyErrors(html), '', path);
      assert.match(html, /党群/, path);
    }
    const list = await b.get(`/stations?place=${BINHE}`);
    assert.match(list, /<svg/);
    assert.match(list, /小区覆盖率/);
    const detail = await b.get(`/stations/${st.id}`);
    assert.match(detail, /有档案/);
    assert.match(detail, /✓/);
    await b.postForm('/stations', {kind: 'love_post', name: '页面爱心驿站', place_code: BINHE, area_m2: '20', item_has_sign: '1', extra_modules_extra: '饮水，充电'});
    assert.equal(b.last.status, 200);
    const row = s.sql("SELECT id, kind, area_m2, has_sign, has_code, extra_modules FROM stations WHERE name = '页面爱心驿站'");
    assert.equal(row.length, 1);
    assert.deepEqual(row[0].slice(1), ['love_post', '20', '1', '0', '饮水、充电']);
    const bad = await b.postForm('/stations', {kind: 'station', name: '', place_code: BINHE});
    assert.equal(b.last.status, 400);
    assert.match(bad, /请填写阵地名称/);
    assert.equal(tidyErrors(bad), '');
    await b.postForm(`/stations/${row[0][0]}`, {kind: 'love_post', name: '页面爱心驿站（改）', place_code: BINHE});
    assert.equal(b.last.status, 200);
    assert.equal(s.sql(`SELECT name FROM stations WHERE id = ${row[0][0]}`)[0][0], '页面爱心驿站（改）');
  });
});
