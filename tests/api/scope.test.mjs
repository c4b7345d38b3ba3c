// Data scope, generated from the route table (`linli routes`): every API route
// that takes an {id} or {code} is called by every demo account with an id that
// exists but lies OUTSIDE that account's scope, and must answer exactly like a
// missing id (404) — or 401/403/405 where the route is not for that role at
// all — never 2xx. Every list route is read by the scoped accounts, and no row
// may belong to a place outside their scope.
//
// Routes added later are covered without editing this file, as long as their
// id_entity is one of OUTSIDE_ID below; an unknown id_entity FAILS the test,
// so whoever adds a new kind of {id} says here how to find one out of scope.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {forEachStore, startServer} from '../lib/harness.mjs';
import {INSIDE, OUTSIDE, sampleIds} from '../lib/samples.mjs';
import {merged} from '../lib/extensions.mjs';

// Each account and the community whose ids are outside its scope: 滨河社区's
// accounts (and the 县住建局 department) get 马营围社区's ids, 马营围's
// secretary gets 滨河's. home: the community its list rows must lie in.
// inScope: kinds of ids of the other community that the account may
// nevertheless see — the department's organisation serves all of 河曲县, so
// 马营围's places, grids and organisations are its business; its people and
// accounts are not.
const ACCOUNTS = {
  binhe: {other: 'outside', home: INSIDE},
  binhe_sg: {other: 'outside', home: INSIDE},
  wangge1: {other: 'outside', home: INSIDE},
  jumin: {other: 'outside', home: INSIDE},
  dangyuan: {other: 'outside', home: INSIDE},
  kuaidi: {other: 'outside', home: INSIDE},
  bumen: {other: 'outside', home: null, inScope: ['place', 'household', 'organisation', 'grid', 'category', 'responsibility', 'station']},
  mayingwei: {other: 'inside', home: OUTSIDE},
};

// id_entity → the id to use, from the other community's samples (found through
// the admin account by tests/lib/samples.mjs).
const BASE_OUTSIDE_ID = {
  person: (ids) => ids.person,
  place: (ids) => ids.household, // a household: valid for every place route, members included
  household: (ids) => ids.household,
  organisation: (ids) => ids.organisation,
  grid: (ids) => ids.grid,
  account: (ids) => ids.account, // the other community's secretary
  grant: (ids) => ids.grant,
  category: (ids) => ids.category, // a local category of the other community
  responsibility: (ids) => ids.responsibility,
  order: (ids) => ids.order, // a work order filed in the other community
  station: (ids) => ids.station, // a 党群服务阵地 of the other community
};

const REFUSED = [401, 403, 404, 405];
const HAS_PARAM = /\{[A-Za-z_][A-Za-z0-9_]*\}/;
const isWrite = (m) => !['GET', 'HEAD', 'DELETE'].includes(m);

// Every division-code-like value under a key naming a place, however nested.
function placeCodes(node, out = []) {
  if (Array.isArray(node)) node.forEach((v) => placeCodes(v, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && /(^|_)(place_code|community_code|code|place|household)$/.test(k) && /^\d{2,}$/.test(v))
        out.push({key: k, code: v});
      else placeCodes(v, out);
    }
  }
  return out;
}

// A code lies in the home community, or names one of its ancestors.
const within = (code, home) => code.startsWith(home) || home.startsWith(code);

forEachStore('data scope', (store) => {
  let s;
  let routes;
  let samples;
  before(async () => {
    s = await startServer({store, demo: true});
    const r = await s.cli(['routes']);
    assert.equal(r.code, 0, r.stderr);
    routes = JSON.parse(r.stdout);
    const admin = await s.login('admin');
    samples = {inside: await sampleIds(admin, 'inside'), outside: await sampleIds(admin, 'outside')};
  });
  after(async () => {
    await s.stop();
  });

  test('the samples are real and on the right side', async () => {
    for (const side of ['inside', 'outside']) {
      for (const k of ['person', 'household', 'account', 'grant'])
        assert.ok(samples[side][k] !== undefined, `no ${side} sample for ${k}`);
    }
    const binhe = await s.login('binhe');
    const mayingwei = await s.login('mayingwei');
    // each secretary reads a person of their own community: the ids are not just missing
    assert.equal((await binhe.get(`/api/v1/residents/${samples.inside.person}`)).status, 200);
    assert.equal((await mayingwei.get(`/api/v1/residents/${samples.outside.person}`)).status, 200);
    assert.equal((await binhe.get(`/api/v1/households/${samples.inside.household}/members`)).status, 200);
  });

  test('every route with an {id} or {code} answers 404 for an id outside the caller\'s scope', async () => {
    const OUTSIDE_ID = await merged('outsideIds', BASE_OUTSIDE_ID);
    // public routes (the wish wall of any community) have no data scope
    const targets = routes.filter((r) => r.api && !r.public && HAS_PARAM.test(r.path));
    assert.ok(targets.length >= 5, 'routes with ids exist');
    const unknown = targets.filter((r) => !OUTSIDE_ID[r.id_entity]);
    assert.deepEqual(
      unknown.map((r) => `${r.method} ${r.path} id_entity=${r.id_entity}`),
      [],
      'add these id_entity values to OUTSIDE_ID in tests/api/scope.test.mjs or outsideIds in tests/api/recipes/*.mjs (or give the route its id_entity)',
    );
    const failures = [];
    let tried = 0;
    for (const [user, acct] of Object.entries(ACCOUNTS)) {
      const c = await s.login(user);
      const ids = samples[acct.other];
      for (const r of targets) {
        if ((acct.inScope || []).includes(r.id_entity)) continue;
        const id = OUTSIDE_ID[r.id_entity](ids);
        assert.ok(id !== undefined && id !== null, `no out-of-scope ${r.id_entity} in the demo (${r.method} ${r.path})`);
        const path = r.path.replace(new RegExp(HAS_PARAM.source, 'g'), encodeURIComponent(String(id)));
        const res = await c.raw(r.method, path, isWrite(r.method) ? {body: {}} : {});
        tried++;
        if (!REFUSED.includes(res.status))
          failures.push(`${user}: ${r.method} ${path} (${r.id_entity} of the other community) → ${res.status} ${res.text.slice(0, 160)}`);
        else if (res.status === 404 && !(res.body && res.body.error && res.body.error.code === 'not_found'))
          failures.push(`${user}: ${r.method} ${path} → 404 without the API error body: ${res.text.slice(0, 160)}`);
      }
    }
    assert.ok(tried > 0);
    assert.deepEqual(failures, [], `out-of-scope ids must answer like missing ones:\n  ${failures.join('\n  ')}`);
  });

  test('self-only accounts and the department never list residents', async () => {
    for (const user of ['jumin', 'dangyuan', 'kuaidi', 'bumen']) {
      const c = await s.login(user);
      const r = await c.get('/api/v1/residents?limit=500');
      assert.ok(REFUSED.includes(r.status), `${user} lists residents: ${r.status}`);
    }
  });

  test('no list route returns a row outside the caller\'s scope', async () => {
    const binhe = await s.login('binhe');
    const mine = await binhe.get('/api/v1/residents?limit=500');
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.length > 0);
    for (const p of mine.body.items) assert.ok(p.place_code.startsWith(INSIDE), `binhe sees ${p.place_code}`);

    const lists = routes.filter((r) => r.api && r.method === 'GET' && !HAS_PARAM.test(r.path));
    const failures = [];
    let checked = 0;
    for (const [user, acct] of Object.entries(ACCOUNTS)) {
      if (!acct.home) continue;
      const c = await s.login(user);
      for (const r of lists) {
        let cursor = null;
        for (let page = 0; page < 20; page++) {
          const q = `limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const res = await c.get(`${r.path}?${q}`);
          if (res.status !== 200 || !res.body || !Array.isArray(res.body.items)) break;
          checked++;
          const detail = routes.find((d) => d.api && d.method === 'GET' && d.path === `${r.path}/{id}`);
          for (const item of res.body.items) {
            const foreign = placeCodes(item).filter(({code}) => !within(code, acct.home));
            if (!foreign.length) continue;
            // a row that sits elsewhere (an organisation serving several
            // compounds) must show, in its own record, a place in scope
            const rec = detail && item.id !== undefined ? await c.get(`${r.path}/${item.id}`) : null;
            const why = rec && rec.status === 200 && placeCodes(rec.body).some(({code}) => code.startsWith(acct.home));
            if (!why)
              for (const {key, code} of foreign)
                failures.push(`${user}: GET ${r.path} has ${key}=${code} (outside ${acct.home})`);
          }
          cursor = res.body.next_cursor;
          if (!cursor) break;
        }
      }
    }
    assert.ok(checked > 0);
    assert.deepEqual([...new Set(failures)], [], `lists leak rows:\n  ${[...new Set(failures)].slice(0, 40).join('\n  ')}`);
  });
});
