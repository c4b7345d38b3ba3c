// 双评价 (docs/evaluation.md), on both stores: an in-service party member's
// record in the community where they live, computed on a fixture made through
// the API (an order they handled and that was rated, a wish they fulfilled, an
// activity they served at), the community's and the work unit's evaluations on
// one record, the unit side seeing only its own members, bad input changing
// nothing, and the CSV export for the work units.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {forEachStore, startServer, makeUser, DEMO} from '../lib/harness.mjs';
import {PNG} from './recipes/wishes.mjs';

const BINHE = '140930100010';

forEachStore('双评价', (store) => {
  let s, admin, binhe, binhe_sg, jumin, dangyuan, mayingwei;
  let unitA, unitB, orgA, orgB, dyPerson, otherPerson;
  const nowFile = join(mkdtempSync(join(tmpdir(), 'linli-dual-')), 'now');
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const count = (sql) => Number(s.sql(sql)[0][0]);
  const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.body; };

  test.before(async () => {
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '0']});
    admin = await s.login('admin', DEMO.password);
    binhe = await s.login('binhe', DEMO.password);
    binhe_sg = await s.login('binhe_sg', DEMO.password);
    jumin = await s.login('jumin', DEMO.password);
    dangyuan = await s.login('dangyuan', DEMO.password);
    mayingwei = await s.login('mayingwei', DEMO.password);
    // two work units, each with its party organisation's liaison account
    orgA = ok(await admin.post('/api/v1/organisations', {kind: 'department', name: '县档案馆（双评价测试）', place_code: '140930'}), 201).id;
    orgB = ok(await admin.post('/api/v1/organisations', {kind: 'department', name: '县气象局（双评价测试）', place_code: '140930'}), 201).id;
    await makeUser(s, 'unit_a', 'department', {org: orgA});
    await makeUser(s, 'unit_b', 'department', {org: orgB});
    unitA = await s.login('unit_a', 'pass12345');
    unitB = await s.login('unit_b', 'pass12345');
    // dangyuan works at unit A and registered (报到) in 滨河社区; another resident works at unit B
    dyPerson = Number(s.sql("SELECT person_id FROM accounts WHERE username = 'dangyuan'")[0][0]);
    ok(await admin.put(`/api/v1/residents/${dyPerson}/party-member`, {kind: 'in_service', work_unit: '县档案馆', work_org_id: String(orgA), reported_at: '2026-01-10', reported_community: BINHE}));
    otherPerson = (await admin.get(`/api/v1/residents?place=${BINHE}&limit=50`)).body.items.find((p) => !p.is_party_member && p.id !== dyPerson).id;
    ok(await admin.put(`/api/v1/residents/${otherPerson}/party-member`, {kind: 'in_service', work_unit: '县气象局', work_org_id: String(orgB), reported_at: '2026-02-01', reported_community: BINHE}));
  });
  test.after(async () => { await s.stop(); });

  test('the record: an order handled and rated, a wish fulfilled, an activity served — computed by hand', async () => {
    const before = ok(await binhe.get(`/api/v1/dual-reviews/${dyPerson}?year=2026`));
    s.validate('GET', '/api/v1/dual-reviews/{id}', 200, before);
    assert.deepEqual(before.my_sides, ['community']);
    assert.equal(before.work_org_name, '县档案馆（双评价测试）');
    const f0 = before.figures;

    // an order: jumin asks, the community dispatches to dangyuan, who resolves it; 满意
    const household = s.sql("SELECT p.place_code FROM people p JOIN accounts a ON a.person_id = p.id WHERE a.username = 'jumin'")[0][0];
    const o = ok(await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: household, title: '楼道灯不亮', description: '3单元楼道灯坏了', contact_phone: '13812345678'}), 201);
    const ev = async (c, body) => ok(await c.post(`/api/v1/orders/${o.id}/events`, body));
    await ev(binhe_sg, {event: 'accept'});
    await ev(binhe_sg, {event: 'dispatch', assignee_kind: 'person', assignee_id: dyPerson});
    await ev(dangyuan, {event: 'take'});
    await ev(dangyuan, {event: 'contact', note: '已联系'});
    await ev(dangyuan, {event: 'resolve', result: '换了灯泡', outcome: 'fixed'});
    await ev(jumin, {event: 'rate', rating: 'satisfied', comment: '很好'});

    // a wish: binhe posts for a child, dangyuan claims and fulfils, binhe confirms
    const w = ok(await binhe.post('/api/v1/wishes', {kind: 'child', title: '一套绘本', place_code: BINHE}), 201);
    ok(await binhe.post(`/api/v1/wishes/${w.id}/review`, {decision: 'approve'}));
    ok(await dangyuan.post(`/api/v1/wishes/${w.id}/claim`, {}));
    const fd = new FormData();
    fd.append('note', '已送到');
    fd.append('photo', new Blob([PNG], {type: 'image/png'}), 'done.png');
    assert.equal((await dangyuan.raw('POST', `/api/v1/wishes/${w.id}/fulfil`, {body: fd})).status, 200);
    ok(await binhe.post(`/api/v1/wishes/${w.id}/confirm`, {}));

    // an activity: dangyuan signs up, checks in and is credited 2.5 hours
    const a = ok(await binhe.post('/api/v1/activities', {kind: 'haircut', title: '义剪', place_code: BINHE, capacity: 5,
      starts_at: '2026-11-23T10:00:00+08:00', ends_at: '2026-11-23T13:00:00+08:00'}), 201);
    ok(await dangyuan.post(`/api/v1/activities/${a.id}/signup`, {}));
    setNow('2026-11-23T10:10:00+08:00');
    const code = ok(await binhe.get(`/api/v1/activities/${a.id}/code`)).code;
    ok(await dangyuan.post(`/api/v1/activities/${a.id}/checkin`, {code}));
    const su = ok(await binhe.get(`/api/v1/activities/${a.id}/signups`)).items.find((x) => x.username === 'dangyuan');
    ok(await binhe.post(`/api/v1/activities/${a.id}/service`, {signup_id: su.id, hours: 2.5}));

    const r = ok(await binhe.get(`/api/v1/dual-reviews/${dyPerson}?year=2026`));
    const f = r.figures;
    assert.equal(f.orders_handled, f0.orders_handled + 1);
    assert.equal(f.rated_satisfied, f0.rated_satisfied + 1);
    assert.equal(f.rated_unsatisfied, f0.rated_unsatisfied);
    assert.equal(f.wishes_fulfilled, f0.wishes_fulfilled + 1);
    assert.equal(f.activities_signed, f0.activities_signed + 1);
    assert.equal(f.activities_served, f0.activities_served + 1);
    assert.equal(f.service_minutes, f0.service_minutes + 150);
    // the demo's rules: finish_order 5, fulfil_wish 20, serve_activity 10
    assert.equal(f.points_earned, f0.points_earned + 35);
    // by hand, from the tables
    assert.equal(f.orders_handled, count(`SELECT COUNT(*) FROM orders WHERE assignee_kind = 'person' AND assignee_id = ${dyPerson} AND resolved_at >= 1767196800 AND resolved_at < 1798732800`));
    // another year has none of it
    const y2025 = ok(await binhe.get(`/api/v1/dual-reviews/${dyPerson}?year=2025`)).figures;
    assert.equal(y2025.orders_handled, count(`SELECT COUNT(*) FROM orders WHERE assignee_kind = 'person' AND assignee_id = ${dyPerson} AND resolved_at >= 1735660800 AND resolved_at < 1767196800`));
    assert.equal(y2025.service_minutes, 0);
    assert.equal(ok(await unitA.get(`/api/v1/dual-reviews/${dyPerson}`)).figures.service_minutes, f.service_minutes, 'the unit sees the same record');
  });

  test('both sides evaluate; each only its own side; both on one record and one page', async () => {
    const c = await binhe.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {year: '2026', side: 'community', grade: 'excellent', comment: '服务积极，群众满意'});
    ok(c);
    s.validate('POST', '/api/v1/dual-reviews/{id}/evaluations', 200, c.body);
    assert.equal(c.body.community_evaluation.grade_name, '优秀');
    assert.equal(c.body.unit_evaluation, null);
    // the unit may not give the community's evaluation, nor the community the unit's
    assert.equal((await unitA.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {side: 'community', grade: 'basic'})).status, 403);
    assert.equal((await binhe.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {side: 'unit', grade: 'basic'})).status, 403);
    // a grid worker reads (people.read) but a resident does not see the member at all
    assert.equal((await jumin.get(`/api/v1/dual-reviews/${dyPerson}`)).status, 404);
    const u = ok(await unitA.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {year: '2026', side: 'unit', grade: '称职', comment: '本职工作扎实'}));
    assert.equal(u.unit_evaluation.grade, 'competent');
    assert.equal(u.community_evaluation.grade, 'excellent');
    assert.deepEqual(u.my_sides, ['unit']);
    // giving it again replaces it and is audited with the before
    ok(await unitA.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {year: '2026', side: 'unit', grade: 'excellent'}));
    const audit = (await admin.get('/api/v1/audit?entity=dual_review&limit=50')).body.items;
    const upd = audit.find((e) => e.action === 'update');
    assert.ok(upd, 'the update is audited');
    assert.match(JSON.stringify(upd), /"competent"/, 'the before is kept');
    assert.equal(count(`SELECT COUNT(*) FROM dual_reviews WHERE person_id = ${dyPerson}`), 2);

    // one page with both sides; the community's form for binhe
    const page = await s.browserLogin('binhe');
    const html = await page.get(`/dual-review/${dyPerson}?year=2026`);
    assert.match(html, /社区评价/);
    assert.match(html, /单位评价/);
    assert.match(html, /服务积极，群众满意/);
    assert.match(html, /name="side" value="community"/);
    assert.doesNotMatch(html, /name="side" value="unit"/);
    // the page form
    const res = await page.postFormRaw(`/dual-review/${dyPerson}/evaluate`, {year: '2026', side: 'community', grade: 'competent', comment: '页面评价'});
    assert.equal(res.status, 303, res.text);
    assert.equal(s.sql(`SELECT grade FROM dual_reviews WHERE person_id = ${dyPerson} AND side = 'community'`)[0][0], 'competent');
  });

  test('the member reads their own record, evaluates nothing, and finds it from 我的积分', async () => {
    const own = ok(await dangyuan.get(`/api/v1/dual-reviews/${dyPerson}`));
    s.validate('GET', '/api/v1/dual-reviews/{id}', 200, own);
    assert.equal(own.id, dyPerson);
    assert.deepEqual(own.my_sides, []);
    // not another member's, and not the list
    assert.equal((await dangyuan.get(`/api/v1/dual-reviews/${otherPerson}`)).status, 404);
    assert.equal(ok(await dangyuan.get('/api/v1/dual-reviews')).items.length, 0);
    // no evaluation of their own, on either side
    const before = count('SELECT COUNT(*) FROM dual_reviews');
    for (const side of ['community', 'unit']) {
      const r = await dangyuan.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {side, grade: 'excellent'});
      assert.ok(r.status === 403 || r.status === 404, `${side}: ${r.status} ${r.text}`);
    }
    assert.equal(count('SELECT COUNT(*) FROM dual_reviews'), before);
    // the page: read only, reached from 我的积分
    const page = await s.browserLogin('dangyuan');
    assert.match(await page.get('/points'), new RegExp(`href="/dual-review/${dyPerson}"`));
    const html = await page.get(`/dual-review/${dyPerson}`);
    assert.equal(page.last.status, 200);
    assert.match(html, /社区评价/);
    assert.match(html, /单位评价/);
    assert.doesNotMatch(html, /evaluate/);
    assert.equal((await page.raw('GET', `/dual-review/${otherPerson}`)).status, 404);
    // an account whose person is no such member has no link
    const plain = s.sql(`SELECT a.username FROM accounts a WHERE a.person_id IS NOT NULL AND a.person_id NOT IN (SELECT person_id FROM party_members WHERE kind = 'in_service' AND reported_at IS NOT NULL) ORDER BY a.username`);
    assert.ok(plain.length > 0, 'a demo account that is not an in-service member');
    const other = await s.browserLogin(plain[0][0]);
    assert.match(await other.get('/points'), /积分明细/);
    assert.doesNotMatch(await other.get('/points'), /我的双评价/);
  });

  test('bad input changes nothing', async () => {
    const n = count('SELECT COUNT(*) FROM dual_reviews');
    const a = count("SELECT COUNT(*) FROM audit_log WHERE entity = 'dual_review'");
    for (const body of [
      {side: 'community', grade: 'great'},
      {side: 'both', grade: 'excellent'},
      {side: 'community', grade: 'incompetent'},
      {side: 'community', grade: 'excellent', year: '2099'},
      {side: 'community', grade: 'excellent', year: 'abcd'},
      {side: 'community', grade: 'excellent', comment: 'x'.repeat(501)},
    ]) {
      const r = await binhe.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status}`);
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
    }
    assert.equal(count('SELECT COUNT(*) FROM dual_reviews'), n);
    assert.equal(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'dual_review'"), a);
    const page = await s.browserLogin('binhe');
    const r = await page.postFormRaw(`/dual-review/${dyPerson}/evaluate`, {year: '2026', side: 'community', grade: 'incompetent'});
    assert.equal(r.status, 400);
    assert.match(r.text, /评为不称职时请写明评语/);
    assert.equal(count('SELECT COUNT(*) FROM dual_reviews'), n);
  });

  test('scope: the unit side sees only its members, the community side only its residents', async () => {
    assert.equal((await unitA.get(`/api/v1/dual-reviews/${otherPerson}`)).status, 404);
    assert.equal((await unitB.get(`/api/v1/dual-reviews/${dyPerson}`)).status, 404);
    assert.equal((await unitB.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {side: 'unit', grade: 'basic'})).status, 404);
    assert.equal(ok(await unitB.get(`/api/v1/dual-reviews/${otherPerson}`)).id, otherPerson);
    assert.equal((await mayingwei.get(`/api/v1/dual-reviews/${dyPerson}`)).status, 404);
    assert.equal((await mayingwei.post(`/api/v1/dual-reviews/${dyPerson}/evaluations`, {side: 'community', grade: 'basic'})).status, 404);
    const listA = ok(await unitA.get('/api/v1/dual-reviews?limit=500'));
    s.validate('GET', '/api/v1/dual-reviews', 200, listA);
    assert.deepEqual(listA.items.map((m) => m.id), [dyPerson]);
    const listB = ok(await unitB.get('/api/v1/dual-reviews?limit=500')).items.map((m) => m.id);
    assert.deepEqual(listB, [otherPerson]);
    const mine = ok(await binhe.get(`/api/v1/dual-reviews?limit=500&org=${orgA}`)).items;
    assert.deepEqual(mine.map((m) => m.id), [dyPerson]);
    const all = ok(await binhe.get('/api/v1/dual-reviews?limit=500')).items;
    assert.ok(all.length >= 2 && all.every((m) => m.place_code.startsWith(BINHE)));
    assert.equal(ok(await mayingwei.get(`/api/v1/dual-reviews?limit=500&org=${orgA}`)).items.length, 0);
    // a page outside the scope is a 404 like a missing one
    const pageB = await s.browserLogin('unit_b', 'pass12345');
    const r = await pageB.raw('GET', `/dual-review/${dyPerson}`);
    assert.equal(r.status, 404);
  });

  test('the export: CSV with a BOM, figures and both evaluations, for the work unit', async () => {
    const r = await fetch(`${s.url}/api/v1/dual-reviews/export?year=2026&place=${BINHE}&org=${orgA}`, {headers: {Authorization: `Bearer ${binhe.token}`}});
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /text\/csv/);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with a BOM');
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines.length, 2, text);
    assert.match(lines[0], /^姓名,居住地,工作单位,报到日期,报到社区,年度,办理工单/);
    const rec = ok(await binhe.get(`/api/v1/dual-reviews/${dyPerson}?year=2026`));
    const cells = lines[1].split(',');
    assert.equal(cells[0], rec.name);
    assert.equal(cells[2], '县档案馆（双评价测试）');
    assert.equal(cells[5], '2026');
    assert.equal(Number(cells[6]), rec.figures.orders_handled);
    assert.equal(Number(cells[13]), rec.figures.service_minutes / 60);
    assert.equal(Number(cells[14]), rec.figures.points_earned);
    assert.equal(cells[15], '称职');
    assert.equal(cells[17], '优秀');
    assert.doesNotMatch(text, /1[3-9]\d{9}/, 'no phone numbers');
    // the unit exports its own members only; the export is audited
    const ru = await unitA.raw('GET', '/api/v1/dual-reviews/export?year=2026');
    assert.equal(ru.text.replace(/^\uFEFF/, '').trim().split('\r\n').length, 2);
    const rb = await unitB.raw('GET', '/api/v1/dual-reviews/export?year=2026');
    assert.doesNotMatch(rb.text, /县档案馆/);
    assert.ok(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'dual_review' AND action = 'export'") >= 3);
  });
});
