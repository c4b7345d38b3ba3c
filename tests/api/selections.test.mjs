// Selections 评选 (docs/evaluation.md), on both stores: a community's yearly
// 文明邻里示范家庭 and 先锋骑手; nomination by self and by a neighbour within
// the window, the community's review, publication with the honour recorded and
// the points paid once even when publishing is retried, the public 公示 showing
// name and compound only, bad input and out-of-scope ids changing nothing.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {forEachStore, startServer, DEMO} from '../lib/harness.mjs';

const BINHE = '140930100010';
const MAYINGWEI = '140930100007';

forEachStore('评选', (store) => {
  let s, binhe, mayingwei, jumin, kuaidi, anon;
  const nowFile = join(mkdtempSync(join(tmpdir(), 'linli-sel-')), 'now');
  const setNow = (iso) => writeFileSync(nowFile, `${iso}\n`);
  const one = (sql) => s.sql(sql)[0][0];
  const count = (sql) => Number(one(sql));
  const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.body; };
  const balance = (person) => count(`SELECT COALESCE((SELECT balance FROM points_accounts WHERE person_id = ${person}), 0)`);
  const state = () => [count('SELECT COUNT(*) FROM selections'), count('SELECT COUNT(*) FROM selection_nominations'),
    count("SELECT COUNT(*) FROM audit_log WHERE entity IN ('selection', 'selection_nomination')"),
    count("SELECT COUNT(*) FROM selection_nominations WHERE state <> 'pending'")];
  const create = async (c, over = {}) => ok(await c.post('/api/v1/selections', {name: '文明邻里示范家庭', candidate_kind: 'household',
    place_code: BINHE, opens_on: '2026-11-01', closes_on: '2026-11-30', points: '50', year: '2026', ...over}), 201);
  let fam, juminPerson, juminHead, neighbour, neighbourHead;

  test.before(async () => {
    setNow('2026-11-23T09:00:00+08:00');
    s = await startServer({store, demo: true, env: {LINLI_NOW_FILE: nowFile}, args: ['--tick', '0']});
    binhe = await s.login('binhe', DEMO.password);
    mayingwei = await s.login('mayingwei', DEMO.password);
    jumin = await s.login('jumin', DEMO.password);
    kuaidi = await s.login('kuaidi', DEMO.password);
    anon = s.client();
    juminPerson = Number(one("SELECT person_id FROM accounts WHERE username = 'jumin'"));
    const hh = one(`SELECT place_code FROM people WHERE id = ${juminPerson}`);
    juminHead = Number(one(`SELECT COALESCE((SELECT id FROM people WHERE place_code = '${hh}' AND relation = '户主' ORDER BY id LIMIT 1), ${juminPerson})`));
    // a neighbour with a name nobody else in 滨河社区 has, in another household with a head
    const [id, name, place] = s.sql(`SELECT p.id, p.name, p.place_code FROM people p WHERE p.place_code >= '${BINHE}' AND p.place_code < '${BINHE}:' AND p.place_code <> '${hh}'
      AND EXISTS (SELECT 1 FROM people h WHERE h.place_code = p.place_code AND h.relation = '户主')
      AND (SELECT COUNT(*) FROM people q WHERE q.name = p.name AND q.place_code >= '${BINHE}' AND q.place_code < '${BINHE}:') = 1 ORDER BY p.id LIMIT 1`)[0];
    neighbour = {id: Number(id), name, place};
    neighbourHead = Number(one(`SELECT id FROM people WHERE place_code = '${place}' AND relation = '户主' ORDER BY id LIMIT 1`));
  });
  test.after(async () => { await s.stop(); });

  test('create; nominate self and a neighbour; duplicates refused', async () => {
    fam = await create(binhe);
    s.validate('POST', '/api/v1/selections', 201, fam);
    assert.equal(fam.state, 'open');
    assert.equal(fam.can_manage, true);
    const self = await jumin.post(`/api/v1/selections/${fam.id}/nominations`, {self: true, reason: '邻里互助，热心公益'});
    ok(self, 201);
    s.validate('POST', '/api/v1/selections/{id}/nominations', 201, self.body);
    assert.equal(self.body.self, true);
    assert.equal(self.body.person_id, juminHead, 'a household is nominated in the name of its head');
    const nb = ok(await jumin.post(`/api/v1/selections/${fam.id}/nominations`, {nominee_name: neighbour.name, reason: '常年照顾孤寡老人'}), 201);
    assert.equal(nb.self, false);
    assert.equal(nb.person_id, neighbourHead);
    // the same household again
    assert.equal((await jumin.post(`/api/v1/selections/${fam.id}/nominations`, {self: true, reason: '再提名一次试试'})).status, 409);
    // a resident sees the selection and only their own nominations
    const mine = ok(await jumin.get(`/api/v1/selections/${fam.id}`));
    s.validate('GET', '/api/v1/selections/{id}', 200, mine);
    assert.equal(mine.nominations.length, 2);
    assert.equal(mine.can_manage, false);
    assert.ok(ok(await jumin.get('/api/v1/selections')).items.some((x) => x.id === fam.id));
    // the page form works too (kuaidi nominates jumin's neighbour again: refused, the same household)
    const page = await s.browserLogin('kuaidi');
    const r = await page.postFormRaw(`/selections/${fam.id}/nominate`, {nominee_name: neighbour.name, reason: '同一家庭再次推荐'});
    assert.equal(r.status, 409);
    assert.match(r.text, /已被提名/);
  });

  test('the window: before it opens and after it closes, nothing is taken', async () => {
    const closed = await create(binhe, {name: '已截止的评选', closes_on: '2026-11-20'});
    const later = await create(binhe, {name: '未开始的评选', opens_on: '2026-12-01', closes_on: '2026-12-31'});
    const before = state();
    const a = await jumin.post(`/api/v1/selections/${closed.id}/nominations`, {self: true, reason: '热心公益服务'});
    assert.equal(a.status, 409);
    assert.match(a.body.error.message, /提名已截止/);
    assert.equal((await jumin.post(`/api/v1/selections/${later.id}/nominations`, {self: true, reason: '热心公益服务'})).status, 409);
    assert.deepEqual(state(), before);
    // the last day is included (China time)
    setNow('2026-11-20T23:59:00+08:00');
    ok(await jumin.post(`/api/v1/selections/${closed.id}/nominations`, {self: true, reason: '最后一天提名'}), 201);
    setNow('2026-11-23T09:00:00+08:00');
  });

  test('bad input changes nothing', async () => {
    const before = state();
    const bad = [
      [jumin, `/api/v1/selections/${fam.id}/nominations`, {self: false, reason: '太短'}, 400],
      [jumin, `/api/v1/selections/${fam.id}/nominations`, {nominee_name: '不存在的人名甲乙', reason: '这个人很好很好'}, 422],
      [jumin, `/api/v1/selections/${fam.id}/nominations`, {reason: '没有写被推荐人'}, 400],
      [binhe, '/api/v1/selections', {name: '评选', candidate_kind: 'family', place_code: BINHE, opens_on: '2026-11-01', closes_on: '2026-11-30'}, 400],
      [binhe, '/api/v1/selections', {name: '评选', candidate_kind: 'person', place_code: BINHE, opens_on: '2026-11-30', closes_on: '2026-11-01'}, 400],
      [binhe, '/api/v1/selections', {name: '评选', candidate_kind: 'person', place_code: BINHE, opens_on: '2026-11-01', closes_on: '2026-11-30', points: '-5'}, 400],
      [binhe, '/api/v1/selections', {name: '评选', candidate_kind: 'person', place_code: '140930100', opens_on: '2026-11-01', closes_on: '2026-11-30'}, 404],
      [jumin, '/api/v1/selections', {name: '评选', candidate_kind: 'person', place_code: BINHE, opens_on: '2026-11-01', closes_on: '2026-11-30'}, 404],
    ];
    for (const [c, path, body, status] of bad) {
      const r = await c.post(path, body);
      assert.equal(r.status, status, `${path} ${JSON.stringify(body)} → ${r.status} ${r.text}`);
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
    }
    const n = ok(await binhe.get(`/api/v1/selections/${fam.id}`)).nominations;
    assert.equal((await binhe.post(`/api/v1/selection-nominations/${n[1].id}/review`, {decision: 'reject'})).status, 400, 'a rejection needs a reason');
    assert.equal((await binhe.post(`/api/v1/selection-nominations/${n[1].id}/review`, {decision: 'maybe'})).status, 400);
    assert.equal((await jumin.post(`/api/v1/selection-nominations/${n[1].id}/review`, {decision: 'approve'})).status, 404, 'residents do not review');
    assert.deepEqual(state(), before);
  });

  test('out of scope answers 404', async () => {
    const other = await create(mayingwei, {name: '马营围文明家庭', place_code: MAYINGWEI});
    assert.equal((await jumin.get(`/api/v1/selections/${other.id}`)).status, 404);
    assert.equal((await binhe.get(`/api/v1/selections/${other.id}`)).status, 404);
    assert.equal((await jumin.post(`/api/v1/selections/${other.id}/nominations`, {self: true, reason: '热心公益服务'})).status, 404);
    assert.equal((await mayingwei.get(`/api/v1/selections/${fam.id}`)).status, 404);
    assert.equal((await mayingwei.post(`/api/v1/selections/${fam.id}/publish`, {})).status, 404);
    const n = ok(await binhe.get(`/api/v1/selections/${fam.id}`)).nominations;
    assert.equal((await mayingwei.post(`/api/v1/selection-nominations/${n[0].id}/review`, {decision: 'approve'})).status, 404);
    assert.ok(!ok(await jumin.get('/api/v1/selections')).items.some((x) => x.id === other.id));
  });

  test('review, publish once with points, the public 公示 shows name and compound only', async () => {
    const n = ok(await binhe.get(`/api/v1/selections/${fam.id}`)).nominations;
    const selfNom = n.find((x) => x.self), nbNom = n.find((x) => !x.self);
    const early = await binhe.post(`/api/v1/selections/${fam.id}/publish`, {});
    assert.equal(early.status, 409, 'not while nominations wait for review');
    assert.match(early.body.error.message, /还有2条提名待审核/);
    assert.equal(one(`SELECT state FROM selections WHERE id = ${fam.id}`), 'open');
    const rv = await binhe.post(`/api/v1/selection-nominations/${selfNom.id}/review`, {decision: 'approve'});
    ok(rv);
    s.validate('POST', '/api/v1/selection-nominations/{id}/review', 200, rv.body);
    ok(await binhe.post(`/api/v1/selection-nominations/${nbNom.id}/review`, {decision: 'reject', reason: '事迹材料不足'}));
    assert.equal((await binhe.post(`/api/v1/selection-nominations/${nbNom.id}/review`, {decision: 'approve'})).status, 409, 'reviewed once');
    // not public before publication
    assert.equal((await anon.get(`/api/v1/selections/${fam.id}/winners`)).status, 404);
    assert.equal((await anon.raw('GET', `/selections/${fam.id}`)).status, 404);
    const b0 = balance(juminHead), b1 = balance(neighbourHead);
    const p = await binhe.post(`/api/v1/selections/${fam.id}/publish`, {});
    ok(p);
    s.validate('POST', '/api/v1/selections/{id}/publish', 200, p.body);
    assert.equal(p.body.state, 'published');
    assert.equal(balance(juminHead), b0 + 50);
    assert.equal(balance(neighbourHead), b1, 'a rejected nomination earns nothing');
    // retried: refused, nothing paid twice
    assert.equal((await binhe.post(`/api/v1/selections/${fam.id}/publish`, {})).status, 409);
    const page = await s.browserLogin('binhe');
    assert.equal((await page.postFormRaw(`/selections/${fam.id}/publish`, {})).status, 409);
    assert.equal(balance(juminHead), b0 + 50);
    assert.equal(count(`SELECT COUNT(*) FROM points_movements WHERE source_type = 'selection' AND source_id = ${selfNom.id}`), 1);
    assert.equal(count(`SELECT COUNT(*) FROM selection_nominations WHERE id = ${selfNom.id} AND honoured_at IS NOT NULL`), 1, 'the honour is recorded');
    // jumin (who nominated the winning household) hears of the decision and of the result
    const inbox = ok(await jumin.get('/api/v1/inbox?limit=50')).items;
    assert.ok(inbox.some((x) => x.kind === 'selection_reviewed' && x.title.includes('已通过')), 'told of the approval');
    assert.ok(inbox.some((x) => x.kind === 'selection_reviewed' && x.title.includes('未通过')), 'told of the rejection');
    assert.equal(inbox.filter((x) => x.kind === 'selection_published').length, 1, 'told of the result once');
    // closed to nominations now
    assert.equal((await kuaidi.post(`/api/v1/selections/${fam.id}/nominations`, {self: true, reason: '热心公益服务'})).status, 409);
    // the public 公示: no login, name and compound only
    const w = ok(await anon.get(`/api/v1/selections/${fam.id}/winners`));
    s.validate('GET', '/api/v1/selections/{id}/winners', 200, w);
    assert.equal(w.winners.length, 1);
    assert.deepEqual(Object.keys(w.winners[0]).sort(), ['compound', 'name']);
    const headName = one(`SELECT name FROM people WHERE id = ${juminHead}`);
    assert.equal(w.winners[0].name, headName);
    const html = (await anon.raw('GET', `/selections/${fam.id}`)).text;
    assert.match(html, new RegExp(`${headName}家庭`));
    assert.doesNotMatch(html, /1[3-9]\d{9}/, 'no phone');
    assert.doesNotMatch(html, /\d{17}[\dX]/, 'no 身份证号');
    assert.doesNotMatch(html, new RegExp(neighbour.name), 'not the rejected one');
  });

  test('先锋骑手: only registered new-employment partners', async () => {
    const rider = await create(binhe, {name: '先锋骑手', candidate_kind: 'partner', points: '30'});
    ok(await kuaidi.post(`/api/v1/selections/${rider.id}/nominations`, {self: true, reason: '积极报告安全隐患'}), 201);
    const r = await jumin.post(`/api/v1/selections/${rider.id}/nominations`, {self: true, reason: '我也想参加评选'});
    assert.equal(r.status, 422);
    assert.match(r.body.error.message, /新就业群体/);
  });
});
