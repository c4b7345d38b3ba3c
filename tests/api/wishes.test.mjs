// Micro-wishes 微心愿 (docs/wishes.md), on both stores: post → review →
// published on the public wall with the identity hidden → pushed to the linked
// organisations' accounts and the registered in-service members → 20
// concurrent claims with one winner → fulfil with a photo → confirm by the
// poster only; volunteer self-sign-up; bad input changes nothing; counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachStore, startServer, makeUser, psql, sqlite, DEMO } from '../lib/harness.mjs';
import { tidyErrors } from '../lib/tidy.mjs';
import { PNG, phone } from './recipes/wishes.mjs';

const BINHE = '140930100010';
const MAYINGWEI = '140930100007';


const photoForm = (note, content, type = 'image/png') => {
  const fd = new FormData();
  if (note !== undefined) fd.append('note', note);
  if (content !== undefined) fd.append('photo', new Blob([content], { type }), 'photo');
  return fd;
};

forEachStore('micro-wishes', (store) => {
  let s, admin, binhe, jumin;
  const query = (sql) => (store === 'sqlite' ? sqlite(s.dbUrl, sql) : psql(s.dbUrl, sql));
  const audits = async (id, action) => (await admin.get('/api/v1/audit?entity=wish&limit=500')).body.items
    .filter((e) => String(e.entity_id) === String(id) && (!action || e.action === action));
  const wishCount = () => Number(query('SELECT COUNT(*) FROM wishes')[0][0]);

  before(async () => {
    s = await startServer({ store, demo: true });
    admin = await s.login('admin', DEMO.password);
    binhe = await s.login('binhe', DEMO.password);
    jumin = await s.login('jumin', DEMO.password);
  });
  after(async () => { await s.stop(); });

  // the fixture of the push: a county organ with a 共建协议 on 滨河社区, the
  // 滨河社区党委 itself, an organ linked only to 马营围社区, and an in-service
  // party member who registered (报到) in 滨河社区.
  async function pushFixture() {
    const organ = await admin.post('/api/v1/organisations', { kind: 'department', name: '县民政局（心愿测试）', place_code: '140930' });
    assert.equal(organ.status, 201, organ.text);
    assert.equal((await admin.post(`/api/v1/organisations/${organ.body.id}/agreements`, { place_code: BINHE, title: '包联共建协议', signed_on: '2026-01-05' })).status, 201);
    const other = await admin.post('/api/v1/organisations', { kind: 'department', name: '县文旅局（心愿测试）', place_code: '140930' });
    assert.equal((await admin.post(`/api/v1/organisations/${other.body.id}/agreements`, { place_code: MAYINGWEI, title: '共建协议', signed_on: '2026-01-05' })).status, 201);
    const committee = (await admin.get(`/api/v1/organisations?place=${BINHE}&limit=500`)).body.items
      .find((o) => o.kind === 'community_party_committee');
    assert.ok(committee, 'the demo has 滨河社区党委');
    await makeUser(s, 'organ_in', 'department', { org: organ.body.id });
    await makeUser(s, 'organ_out', 'department', { org: other.body.id });
    await makeUser(s, 'committee', 'department', { org: committee.id });
    // an in-service member of 滨河 with an account linked to the person
    const person = (await admin.get(`/api/v1/residents?place=${BINHE}&limit=50`)).body.items
      .find((p) => !p.is_party_member);
    const pm = await admin.put(`/api/v1/residents/${person.id}/party-member`, { kind: 'in_service', work_unit: '县民政局', reported_at: '2026-01-10', reported_community: BINHE });
    assert.equal(pm.status, 200, pm.text);
    const m = await makeUser(s, 'zaizhi', 'volunteer', MAYINGWEI);
    query(`UPDATE accounts SET person_id = ${person.id} WHERE id = ${m.id}`);
  }

  test('post → review → public wall without identity → pushed → 20 claims, one wins → fulfil → confirm', async () => {
    await pushFixture();
    // jumin posts a wish for themselves
    const before = wishCount();
    const bad = await jumin.post('/api/v1/wishes', { title: 'x' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'title');
    assert.equal((await jumin.post('/api/v1/wishes', { title: '想要一个书包', wanted_by: '2020-01-01' })).status, 400);
    assert.equal((await jumin.post('/api/v1/wishes', { title: '想要一个书包', kind: 'child' })).status, 403, 'a resident posts only for themselves');
    assert.equal((await jumin.post('/api/v1/wishes', { title: '想要一个书包', place_code: MAYINGWEI })).status, 404);
    assert.equal(wishCount(), before, 'bad input changes nothing');
    const w = await jumin.post('/api/v1/wishes', { title: '想给孩子买一个新书包', detail: '孩子上三年级了', wanted_by: '2099-12-31' });
    assert.equal(w.status, 201, w.text);
    s.validate('POST', '/api/v1/wishes', 201, w.body);
    assert.equal(w.body.state, 'pending');
    assert.match(w.body.display_name, /^.\*\*$/u);
    const id = w.body.id;
    // not on the wall before review
    assert.ok(!(await s.client().get(`/api/v1/wall/${BINHE}`)).body.items.some((x) => x.id === id));
    // review: jumin may not; a reject needs a reason
    assert.equal((await jumin.post(`/api/v1/wishes/${id}/review`, { decision: 'approve' })).status, 403);
    assert.equal((await binhe.post(`/api/v1/wishes/${id}/review`, { decision: 'reject' })).status, 400);
    assert.equal((await binhe.post(`/api/v1/wishes/${id}/review`, { decision: 'maybe' })).status, 400);
    const may = await s.login('mayingwei', DEMO.password);
    assert.equal((await may.post(`/api/v1/wishes/${id}/review`, { decision: 'approve' })).status, 404, 'another community\'s secretary');
    assert.equal((await binhe.get(`/api/v1/wishes/${id}`)).body.state, 'pending');
    const ok = await binhe.post(`/api/v1/wishes/${id}/review`, { decision: 'approve' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.state, 'published');
    assert.equal((await binhe.post(`/api/v1/wishes/${id}/review`, { decision: 'approve' })).status, 409);

    // the public wall: no login, identity hidden in the JSON and the HTML
    const [me] = query(`SELECT p.name, p.phone, p.place_code FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.username = 'jumin'`);
    const [name, ph, household] = me;
    const wall = await s.client().get(`/api/v1/wall/${BINHE}`);
    assert.equal(wall.status, 200);
    s.validate('GET', '/api/v1/wall/{code}', 200, wall.body);
    const card = wall.body.items.find((x) => x.id === id);
    assert.ok(card, 'the wish is on the wall');
    assert.equal(card.display_name, `${[...name][0]}**`);
    for (const leak of [name, ph, household].filter((v) => v && v.length > 1))
      assert.ok(!wall.text.includes(leak), `the wall JSON shows ${leak}`);
    assert.equal(card.place_code, undefined);
    const page = await fetch(`${s.url}/wall/${BINHE}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes('想给孩子买一个新书包'));
    for (const leak of [name, ph, household].filter((v) => v && v.length > 1))
      assert.ok(!html.includes(leak), `the wall page shows ${leak}`);
    assert.equal(tidyErrors(html), '');
    assert.equal((await s.client().get('/api/v1/wall/140930')).status, 404, 'a county has no wall');

    // pushed: the linked organ, the community's party committee, the in-service member — not the other organ
    for (const [user, want] of [['organ_in', true], ['committee', true], ['zaizhi', true], ['organ_out', false], ['mayingwei', false]]) {
      const c = await s.login(user, user === 'mayingwei' ? DEMO.password : 'pass12345');
      const inbox = (await c.get('/api/v1/inbox?limit=50')).body.items;
      const got = inbox.some((n) => n.kind === 'wish_published' && n.title.includes('想给孩子买一个新书包'));
      assert.equal(got, want, `${user} ${want ? 'gets' : 'must not get'} the wish`);
    }
    const mine = (await jumin.get('/api/v1/inbox?limit=10')).body.items;
    assert.ok(mine.some((n) => n.kind === 'wish_published'), 'the poster hears it was published');

    // a resident (not a volunteer) cannot claim
    assert.equal((await jumin.post(`/api/v1/wishes/${id}/claim`, {})).status, 403);
    assert.equal((await (await s.login('kuaidi', DEMO.password)).post(`/api/v1/wishes/${id}/claim`, {})).status, 403);

    // 20 volunteers claim at once: exactly one wins
    const vols = [];
    for (let i = 0; i < 20; i++) {
      await makeUser(s, `vol${i}`, 'volunteer', BINHE);
      vols.push(await s.login(`vol${i}`, 'pass12345'));
    }
    const res = await Promise.all(vols.map((v) => v.post(`/api/v1/wishes/${id}/claim`, {})));
    const won = res.map((r, i) => [r.status, i]).filter(([st]) => st === 200);
    assert.equal(won.length, 1, `statuses: ${res.map((r) => r.status).join(',')}`);
    assert.ok(res.every((r) => r.status === 200 || r.status === 409));
    const winner = vols[won[0][1]], loser = vols[(won[0][1] + 1) % 20];
    assert.equal((await winner.get(`/api/v1/wishes/${id}`)).body.claimed_by_me, true);
    assert.equal((await audits(id, 'claim')).length, 1);
    assert.equal(Number(query(`SELECT COUNT(*) FROM wishes WHERE id = ${id} AND state = 'claimed'`)[0][0]), 1);

    // fulfil: only the claimer, a real image, a note — bad input changes nothing
    const fulfil = (c, fd) => c.raw('POST', `/api/v1/wishes/${id}/fulfil`, { body: fd });
    assert.equal((await fulfil(loser, photoForm('送到了', PNG))).status, 403);
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary');
    const badType = await fulfil(winner, photoForm('送到了', gif, 'image/png'));
    assert.equal(badType.status, 400);
    assert.equal(badType.body.error.field, 'photo');
    assert.equal((await fulfil(winner, photoForm('送到了', Buffer.from('just text'), 'text/plain'))).status, 400);
    const huge = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG.length)]);
    const tooBig = await fulfil(winner, photoForm('送到了', huge));
    assert.equal(tooBig.status, 413, tooBig.text);
    assert.equal((await fulfil(winner, photoForm('', PNG))).status, 400);
    assert.equal((await fulfil(winner, photoForm('送到了'))).status, 400, 'no photo');
    const still = await winner.get(`/api/v1/wishes/${id}`);
    assert.equal(still.body.state, 'claimed');
    assert.equal(still.body.photo_url, null);
    assert.equal(Number(query(`SELECT COUNT(*) FROM wish_photos WHERE wish_id = ${id}`)[0][0]), 0);
    assert.equal((await jumin.post(`/api/v1/wishes/${id}/confirm`, {})).status, 409, 'nothing to confirm yet');
    const done = await fulfil(winner, photoForm('书包已经送到孩子手里', PNG));
    assert.equal(done.status, 200, done.text);
    s.validate('POST', '/api/v1/wishes/{id}/fulfil', 200, done.body);
    assert.equal(done.body.state, 'fulfilled');
    const img = await fetch(`${s.url}${done.body.photo_url}`, { headers: { Authorization: `Bearer ${jumin.token}` } });
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await img.arrayBuffer()), PNG);
    assert.equal((await fetch(`${s.url}${done.body.photo_url}`)).status, 401, 'the photo is not public');

    // confirm: only the poster
    const other = await makeUser(s, 'jumin_b', 'resident', BINHE);
    const otherC = await s.login(other.username, 'pass12345');
    assert.equal((await otherC.post(`/api/v1/wishes/${id}/confirm`, {})).status, 403);
    assert.equal((await winner.post(`/api/v1/wishes/${id}/confirm`, {})).status, 403);
    assert.equal((await binhe.post(`/api/v1/wishes/${id}/confirm`, {})).status, 403);
    assert.equal((await may.post(`/api/v1/wishes/${id}/confirm`, {})).status, 404);
    assert.equal((await jumin.get(`/api/v1/wishes/${id}`)).body.state, 'fulfilled');
    const conf = await jumin.post(`/api/v1/wishes/${id}/confirm`, {});
    assert.equal(conf.status, 200, conf.text);
    assert.equal(conf.body.state, 'achieved');
    assert.equal((await jumin.post(`/api/v1/wishes/${id}/confirm`, {})).status, 409);
    assert.equal((await audits(id, 'achieve')).length, 1);
    assert.ok((await winner.get('/api/v1/inbox?limit=5')).body.items.some((n) => n.kind === 'wish_achieved'));
  });

  test('a grid worker posts for a child; only they confirm 达成; the wall shows a masked surname', async () => {
    const wangge = await s.login('wangge1', DEMO.password);
    const child = (await wangge.get('/api/v1/residents?limit=1')).body.items[0];
    const w = await wangge.post('/api/v1/wishes', { kind: 'child', title: '想要一套画笔', person_id: child.id });
    assert.equal(w.status, 201, w.text);
    assert.equal(w.body.kind, 'child');
    assert.equal(w.body.display_name, `${[...child.name][0]}**`);
    assert.equal(w.body.person_id, child.id);
    // a person outside the grid worker's grid is not theirs
    const outside = (await admin.get(`/api/v1/residents?place=${MAYINGWEI}&limit=1`)).body.items[0];
    assert.equal((await wangge.post('/api/v1/wishes', { kind: 'child', title: '想要一套画笔', person_id: outside.id })).status, 404);
    const id = w.body.id;
    assert.equal((await wangge.post(`/api/v1/wishes/${id}/review`, { decision: 'approve' })).status, 200);
    const wall = await s.client().get(`/api/v1/wall/${BINHE}`);
    assert.ok(!wall.text.includes(child.name), 'no full name on the wall');
    assert.equal(wall.body.items.find((x) => x.id === id).person_id, undefined);
    const v = await s.login('dangyuan', DEMO.password);
    assert.equal((await v.post(`/api/v1/wishes/${id}/claim`, {})).status, 200);
    assert.equal((await v.raw('POST', `/api/v1/wishes/${id}/fulfil`, { body: photoForm('画笔送到了', PNG) })).status, 200);
    assert.equal((await binhe.post(`/api/v1/wishes/${id}/confirm`, {})).status, 403, 'another staff member may not confirm');
    assert.equal((await jumin.post(`/api/v1/wishes/${id}/confirm`, {})).status, 403);
    assert.equal((await wangge.post(`/api/v1/wishes/${id}/confirm`, {})).status, 200);
  });

  test('a 爱心人士 signs up with a phone number and claims; bad sign-ups change nothing', async () => {
    const id = (await binhe.post('/api/v1/wishes', { kind: 'elder', title: '想请人陪着去趟医院' })).body.id;
    assert.equal((await binhe.post(`/api/v1/wishes/${id}/review`, { decision: 'approve' })).status, 200);
    const pub = s.client();
    const accounts = () => Number(query('SELECT COUNT(*) FROM accounts')[0][0]);
    const n0 = accounts();
    for (const [body, field] of [
      [{ name: '张爱心', phone: '12345', password: 'pass12345', community: BINHE }, 'phone'],
      [{ name: '张爱心', phone: phone(), password: 'short', community: BINHE }, 'password'],
      [{ name: '张爱心', phone: phone(), password: 'pass12345', community: '140930' }, 'community'],
      [{ name: '', phone: phone(), password: 'pass12345', community: BINHE }, 'name'],
    ]) {
      const r = await pub.post('/api/v1/volunteers/signup', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.field, field);
    }
    assert.equal(accounts(), n0, 'bad sign-ups create nothing');
    const p = phone();
    const r = await pub.post('/api/v1/volunteers/signup', { name: '张爱心', phone: p, password: 'pass12345', community: BINHE });
    assert.equal(r.status, 201, r.text);
    s.validate('POST', '/api/v1/volunteers/signup', 201, r.body);
    assert.equal((await pub.post('/api/v1/volunteers/signup', { name: '张爱心', phone: p, password: 'pass12345', community: BINHE })).status, 409);
    const v = await s.login(p, 'pass12345');
    const me = await v.get('/api/v1/me');
    assert.ok(me.body.grants.some((g) => g.role === 'volunteer' && g.place_code === BINHE), JSON.stringify(me.body.grants));
    const c = await v.post(`/api/v1/wishes/${id}/claim`, {});
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.claimed_by_me, true);
    // a volunteer of 滨河 may not read a pending wish, nor residents
    assert.equal((await v.get('/api/v1/residents?limit=5')).status, 404);
    const audit = (await admin.get('/api/v1/audit?entity=account&action=signup&limit=50')).body.items;
    assert.ok(audit.some((e) => e.actor === p));
  });

  test('out-of-scope and missing ids answer 404; lists stay in scope', async () => {
    const may = await s.login('mayingwei', DEMO.password);
    const w = await may.post('/api/v1/wishes', { kind: 'elder', title: '马营围的心愿' });
    assert.equal(w.status, 201, w.text);
    const id = w.body.id;
    for (const c of [binhe, jumin, await s.login('dangyuan', DEMO.password)]) {
      assert.equal((await c.get(`/api/v1/wishes/${id}`)).status, 404);
      assert.equal((await c.post(`/api/v1/wishes/${id}/review`, { decision: 'approve' })).status, 404);
      assert.equal((await c.post(`/api/v1/wishes/${id}/claim`, {})).status, 404);
      assert.equal((await c.get(`/api/v1/wishes/${id}/photo`)).status, 404);
    }
    assert.equal((await binhe.get('/api/v1/wishes/99999999')).status, 404);
    const list = (await binhe.get('/api/v1/wishes?limit=500')).body.items;
    assert.ok(list.length > 0 && list.every((x) => x.place_code.startsWith(BINHE)));
    const mine = (await jumin.get('/api/v1/wishes?mine=1&limit=500')).body;
    s.validate('GET', '/api/v1/wishes', 200, mine);
    assert.ok(mine.items.every((x) => x.posted_by_me || x.claimed_by_me));
    assert.equal((await binhe.get(`/api/v1/stats/wishes?place=${MAYINGWEI}`)).status, 404);
    assert.equal((await jumin.get(`/api/v1/stats/wishes?place=${BINHE}`)).status, 404);
  });

  test('counts by place (rolled up), kind and state match a fixture counted by hand', async () => {
    const may = await s.login('mayingwei', DEMO.password);
    const compounds = (await may.get(`/api/v1/places/${MAYINGWEI}/children?limit=2`)).body.items.map((p) => p.code);
    assert.equal(compounds.length, 2);
    const post = async (kind, place, title) => {
      const r = await may.post('/api/v1/wishes', { kind, place_code: place, title, wanted_by: '2099-01-01' });
      assert.equal(r.status, 201, r.text);
      return r.body.id;
    };
    // fixture: (the earlier test left one pending elder wish at the community itself)
    const a = await post('child', compounds[0], '统计甲');
    const b = await post('child', compounds[0], '统计乙');
    const c = await post('elder', compounds[1], '统计丙');
    await post('resident', compounds[1], '统计丁');
    assert.equal((await may.post(`/api/v1/wishes/${a}/review`, { decision: 'approve' })).status, 200);
    assert.equal((await may.post(`/api/v1/wishes/${b}/review`, { decision: 'approve' })).status, 200);
    assert.equal((await may.post(`/api/v1/wishes/${c}/review`, { decision: 'reject', reason: '已由社区解决' })).status, 200);
    const vol = await makeUser(s, 'may_vol', 'volunteer', MAYINGWEI);
    assert.equal((await (await s.login(vol.username, 'pass12345')).post(`/api/v1/wishes/${a}/claim`, {})).status, 200);
    const st = await may.get(`/api/v1/stats/wishes?place=${MAYINGWEI}`);
    assert.equal(st.status, 200, st.text);
    s.validate('GET', '/api/v1/stats/wishes', 200, st.body);
    assert.equal(st.body.total.total, 5);
    assert.equal(st.body.total.published, 2);
    assert.equal(st.body.total.claimed, 1);
    assert.equal(st.body.total.achieved, 0);
    const row = (code) => st.body.by_place.find((p) => p.place_code === code);
    assert.deepEqual([row(compounds[0]).total, row(compounds[0]).published, row(compounds[0]).claimed], [2, 2, 1]);
    assert.deepEqual([row(compounds[1]).total, row(compounds[1]).published], [2, 0]);
    const kinds = Object.fromEntries(st.body.by_kind.map((k) => [k.id, k.count]));
    assert.deepEqual(kinds, { child: 2, elder: 2, resident: 1 });
    const states = Object.fromEntries(st.body.by_state.map((k) => [k.id, k.count]));
    assert.deepEqual(states, { pending: 2, published: 1, claimed: 1, rejected: 1 });
    // rolled up: the street sees 马营围 as one row with the same total
    const xikou = await s.login('xikou', DEMO.password);
    const up = await xikou.get('/api/v1/stats/wishes?place=140930100');
    assert.equal(up.body.by_place.find((p) => p.place_code === MAYINGWEI).total, 5);
    // a period before today counts nothing
    const old = await may.get(`/api/v1/stats/wishes?place=${MAYINGWEI}&from=2001-01-01&to=2001-12-31`);
    assert.equal(old.body.total.total, 0);
    assert.equal((await may.get(`/api/v1/stats/wishes?place=${MAYINGWEI}&from=2026-13-01`)).status, 400);
    // the secretary's page: unclaimed and overdue, and the counts
    const page = await s.browserLogin('mayingwei', DEMO.password);
    const html = await page.get('/wishes/admin?state=published');
    assert.equal(page.last.status, 200);
    assert.ok(html.includes('统计乙') && !html.includes('统计丙</a>'));
    assert.equal(tidyErrors(html), '');
  });

  test('the phone pages: a bad wish is refused with a Chinese message and changes nothing', async () => {
    const b = await s.browserLogin('jumin', DEMO.password);
    const n0 = wishCount();
    const bad = await b.postFormRaw('/wishes', { title: '好', wanted_by: '2099-01-01' });
    assert.equal(bad.status, 400);
    assert.ok(bad.text.includes('请用2到60个字写下心愿'));
    assert.equal(tidyErrors(bad.text), '');
    assert.equal(wishCount(), n0);
    const ok = await b.postFormRaw('/wishes', { title: '想要几盆花装点楼道' });
    assert.equal(ok.status, 303);
    const id = /\/wishes\/(\d+)\?done=post$/.exec(ok.headers.location)[1];
    assert.equal(wishCount(), n0 + 1);
    for (const p of ['/wishes', '/wishes/new', `/wishes/${id}?done=post`]) {
      const html = await b.get(p);
      assert.equal(b.last.status, 200, p);
      assert.equal(tidyErrors(html), '', p);
    }
    assert.ok((await b.get('/wishes')).includes('想要几盆花装点楼道'));
    assert.equal((await b.raw('GET', '/wishes/admin')).status, 404, 'residents have no admin page');
  });

  test('the public pages need no login and pass tidy; sign-up by page logs in', async () => {
    const signup = await fetch(`${s.url}/volunteer/signup?community=${BINHE}`);
    assert.equal(signup.status, 200);
    assert.equal(tidyErrors(await signup.text()), '');
    const form = new URLSearchParams({ name: '李爱心', phone: phone(), password: 'pass12345', community: BINHE });
    const r = await fetch(`${s.url}/volunteer/signup`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/wall\/140930100010\?done=signup$/);
    assert.match(r.headers.get('set-cookie') || '', /linli_session=/);
    const bad = await fetch(`${s.url}/volunteer/signup`, { method: 'POST', body: new URLSearchParams({ name: '李爱心', phone: '1', password: 'pass12345', community: BINHE }) });
    assert.equal(bad.status, 400);
    const text = await bad.text();
    assert.ok(text.includes('请填写11位手机号码'));
    assert.equal(tidyErrors(text), '');
  });

  test('sign-ups from one address are rate-limited', async () => {
    let last;
    for (let i = 0; i < 8; i++) {
      last = await s.client().post('/api/v1/volunteers/signup', { name: '王爱心', phone: phone(), password: 'pass12345', community: BINHE });
      if (last.status === 429) break;
    }
    assert.equal(last.status, 429);
  });
});
