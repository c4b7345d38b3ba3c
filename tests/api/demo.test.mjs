// `linli demo --scale small`: the demo accounts log in and point where they
// should; every generated 身份证号 passes GB 11643; every compound's branch
// follows the branch rule; every household lies in one grid; the demo is the
// same every time and refuses a database that already has accounts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {forEachStore, startServer, runLinli, sqlite, DEMO} from '../lib/harness.mjs';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

// GB 11643: the check character of the first 17 digits.
function checkChar(id) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

const BINHE = '140930100010';
const under = (code, prefix) => code.startsWith(prefix);

forEachStore('demo county', (store) => {
  let s;
  test.before(async () => {
    s = await startServer({store, demo: true});
  });
  test.after(async () => {
    await s.stop();
  });

  test('every demo account logs in with the demo password', async () => {
    for (const username of Object.keys(DEMO.accounts)) {
      const c = await s.login(username, DEMO.password);
      assert.ok(c.token, username);
    }
    const rows = s.sql('SELECT a.username, g.role, g.place_code, g.grid_id, g.org_id FROM accounts a JOIN grants g ON g.account_id = a.id ORDER BY a.username');
    assert.equal(rows.length, Object.keys(DEMO.accounts).length);
    for (const [username, role, place] of rows) {
      const want = DEMO.accounts[username];
      assert.ok(want, `unexpected account ${username}`);
      assert.equal(role, want.role, username);
      if (want.place) assert.equal(place, want.place, username);
    }
    // Display names are Chinese.
    for (const [u, name] of s.sql('SELECT username, display_name FROM accounts'))
      assert.match(name, /[\u4e00-\u9fa5]/, `${u}: ${name}`);
  });

  test('jumin, dangyuan and kuaidi are people of 滨河社区 of the right kind', () => {
    const rows = s.sql(
      'SELECT a.username, p.place_code, (SELECT COUNT(*) FROM party_members m WHERE m.person_id = p.id), ' +
        '(SELECT COUNT(*) FROM partners x WHERE x.person_id = p.id), (SELECT COUNT(*) FROM volunteers v WHERE v.person_id = p.id) ' +
        'FROM accounts a JOIN people p ON p.id = a.person_id ORDER BY a.username',
    );
    const by = Object.fromEntries(rows.map((r) => [r[0], {place: r[1], party: r[2] === '1', partner: r[3] === '1', volunteer: r[4] === '1'}]));
    assert.deepEqual(Object.keys(by).sort(), ['dangyuan', 'jumin', 'kuaidi']);
    for (const u of ['jumin', 'dangyuan', 'kuaidi']) {
      assert.ok(under(by[u].place, BINHE), `${u} lives in 滨河社区: ${by[u].place}`);
      assert.equal(by[u].place.length, 21, `${u} lives in a household`);
    }
    assert.ok(by.dangyuan.party && by.dangyuan.volunteer);
    assert.ok(by.kuaidi.partner);
    assert.ok(!by.jumin.party && !by.jumin.partner);
  });

  test('wangge1 holds the first grid of 滨河社区, bumen the housing bureau serving 河曲县', () => {
    const [[code, community]] = s.sql(
      "SELECT gr.code, gr.community_code FROM accounts a JOIN grants g ON g.account_id = a.id JOIN grids gr ON gr.id = g.grid_id WHERE a.username = 'wangge1'",
    );
    assert.equal(community, BINHE);
    const first = s.sql(`SELECT code FROM grids WHERE community_code = '${BINHE}' ORDER BY code LIMIT 1`)[0][0];
    assert.equal(code, first);
    const [[name, kind]] = s.sql(
      "SELECT o.name, o.kind FROM accounts a JOIN grants g ON g.account_id = a.id JOIN organisations o ON o.id = g.org_id WHERE a.username = 'bumen'",
    );
    assert.equal(name, '河曲县住房和城乡建设管理局');
    assert.equal(kind, 'department');
    const places = s.sql(
      "SELECT op.place_code FROM organisations o JOIN org_places op ON op.org_id = o.id WHERE o.name = '河曲县住房和城乡建设管理局'",
    ).map((r) => r[0]);
    assert.ok(places.includes('140930'), JSON.stringify(places));
  });

  test('every generated 身份证号 passes the GB 11643 check and matches the person', () => {
    const rows = s.sql('SELECT id_number, birth_date, sex, place_code FROM people');
    assert.ok(rows.length >= 200 && rows.length <= 1500, `a few hundred residents: ${rows.length}`);
    const seen = new Set();
    for (const [id, birth, sex, placeCode] of rows) {
      assert.match(id, /^14\d{15}[\dX]$/, id);
      assert.equal(checkChar(id), id[17], `check digit of ${id}`);
      assert.equal(id.slice(6, 14), birth.replace(/-/g, ''), `birth date in ${id}`);
      assert.equal(Number(id[16]) % 2 === 1, sex === 'M', `sex digit of ${id}`);
      assert.ok(!seen.has(id), `duplicate ${id}`);
      seen.add(id);
      assert.equal(placeCode.length, 21, `lives in a household: ${placeCode}`);
    }
    const phones = s.sql("SELECT phone FROM people WHERE phone IS NOT NULL AND phone <> ''").map((r) => r[0]);
    assert.ok(phones.length > rows.length / 2);
    for (const p of phones) assert.match(p, /^1[3-9]\d{9}$/);
  });

  test('every compound has exactly one branch and the branch rule holds', () => {
    const compounds = s.sql(
      "SELECT c.code, COUNT(m.person_id) FROM places c LEFT JOIN people p ON p.place_code >= c.code AND p.place_code < c.code || ':' " +
        "LEFT JOIN party_members m ON m.person_id = p.id WHERE c.level = 'compound' GROUP BY c.code ORDER BY c.code",
    ).map(([code, n]) => ({code, members: Number(n)}));
    assert.ok(compounds.length >= 10, `compounds: ${compounds.length}`);
    const links = s.sql(
      "SELECT o.id, o.formation, op.place_code FROM organisations o JOIN org_places op ON op.org_id = o.id WHERE o.kind = 'branch'",
    );
    const branchOf = new Map();
    const branches = new Map();
    for (const [id, formation, code] of links) {
      assert.ok(!branchOf.has(code), `${code} is in two branches`);
      branchOf.set(code, id);
      if (!branches.has(id)) branches.set(id, {formation, codes: []});
      branches.get(id).codes.push(code);
    }
    const members = new Map(compounds.map((c) => [c.code, c.members]));
    const formations = new Set();
    for (const c of compounds) {
      assert.ok(branchOf.has(c.code), `compound ${c.code} has no branch`);
      // Fewer than 3 party members: never a branch of its own.
      if (c.members < 3) assert.equal(branches.get(branchOf.get(c.code)).formation, 'joint', c.code);
    }
    for (const [id, b] of branches) {
      formations.add(b.formation);
      if (b.formation === 'standalone') {
        assert.equal(b.codes.length, 1, `standalone branch ${id} covers one compound`);
        assert.ok(members.get(b.codes[0]) >= 3, `standalone ${b.codes[0]} has 3 or more members`);
        continue;
      }
      assert.equal(b.formation, 'joint', `branch ${id}: ${b.formation}`);
      const community = b.codes[0].slice(0, 12);
      assert.ok(b.codes.every((c) => c.slice(0, 12) === community), `joint branch ${id} within one community`);
      const mine = compounds.filter((c) => c.code.startsWith(community)).map((c) => c.code);
      // Neighbours: consecutive compounds of the community.
      const idx = b.codes.map((c) => mine.indexOf(c)).sort((x, y) => x - y);
      assert.equal(idx[idx.length - 1] - idx[0] + 1, idx.length, `joint branch ${id} is contiguous`);
      // At most one compound of 3+ members (a neighbour that hosts the group).
      assert.ok(b.codes.filter((c) => members.get(c) >= 3).length <= 1, `joint branch ${id}`);
      const total = b.codes.reduce((n, c) => n + members.get(c), 0);
      assert.ok(total >= 3 || b.codes.length === mine.length, `joint branch ${id} reaches 3 members`);
    }
    assert.deepEqual([...formations].sort(), ['joint', 'standalone'], 'the small demo shows both outcomes');
    // A party member's branch is the branch of the compound where they live.
    const wrong = s.sql(
      'SELECT COUNT(*) FROM party_members m JOIN people p ON p.id = m.person_id WHERE NOT EXISTS (SELECT 1 FROM org_places op ' +
        "WHERE op.org_id = m.branch_id AND p.place_code >= op.place_code AND p.place_code < op.place_code || ':')",
    );
    assert.equal(Number(wrong[0][0]), 0);
    // Each branch has a party member as its secretary, chosen in one of the 四个一批 ways.
    const secretaries = s.sql(
      "SELECT o.id, o.secretary_way, (SELECT COUNT(*) FROM party_members m WHERE m.person_id = o.secretary_person_id) " +
        "FROM organisations o WHERE o.kind = 'branch'",
    );
    for (const [id, way, member] of secretaries) {
      assert.ok(['dispatched', 'elected', 'community', 'veteran'].includes(way), `branch ${id}: ${way}`);
      assert.equal(member, '1', `branch ${id}: the secretary is a party member`);
    }
    const kinds = s.sql('SELECT DISTINCT kind FROM party_members ORDER BY kind').map((r) => r[0]);
    assert.ok(kinds.includes('in_service') && kinds.includes('retired') && kinds.includes('resident'), kinds.join());
  });

  test('grids: each household in exactly one basic grid of its community', () => {
    const grids = s.sql("SELECT g.id, g.code, g.name, g.kind, g.community_code FROM grids g ORDER BY g.code");
    assert.ok(grids.length >= 4);
    for (const [, code, name, kind, community] of grids) {
      assert.equal(kind, 'basic');
      assert.ok(code.startsWith(community));
      assert.match(name, /^(滨河|马营围)社区第\d+网格$/);
    }
    const rows = s.sql(
      "SELECT h.code, COUNT(gp.grid_id) FROM places h LEFT JOIN grid_places gp ON h.code >= gp.place_code AND h.code < gp.place_code || ':' " +
        "WHERE h.level = 'household' GROUP BY h.code",
    );
    assert.ok(rows.length > 100);
    for (const [code, n] of rows) assert.equal(n, '1', `household ${code} in ${n} grids`);
    // Every grid has a grid worker, a community worker of its community.
    const workers = s.sql(
      'SELECT g.code, COUNT(cw.person_id) FROM grids g LEFT JOIN grid_workers w ON w.grid_id = g.id ' +
        'LEFT JOIN community_workers cw ON cw.person_id = w.person_id AND cw.community_code = g.community_code GROUP BY g.code',
    );
    for (const [code, n] of workers) assert.ok(Number(n) >= 1, `grid ${code} has no grid worker`);
  });

  test('organisations of every kind are linked to places, with agreements and one demo audit entry', () => {
    const kinds = s.sql('SELECT DISTINCT kind FROM organisations').map((r) => r[0]);
    for (const k of ['party_committee', 'community_party_committee', 'branch', 'party_group', 'department', 'cobuilding_unit', 'property_company', 'owners_committee', 'volunteer_team'])
      assert.ok(kinds.includes(k), `no organisation of kind ${k}`);
    const unlinked = s.sql('SELECT COUNT(*) FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM org_places op WHERE op.org_id = o.id)');
    assert.equal(unlinked[0][0], '0');
    assert.ok(Number(s.sql('SELECT COUNT(*) FROM agreements')[0][0]) > 0);
    const tags = s.sql('SELECT DISTINCT tag FROM care_tags').map((r) => r[0]);
    assert.ok(tags.includes('empty_nest') && tags.includes('floating'), tags.join());
    assert.equal(s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'demo'")[0][0], '1');
  });

  test('stations: a 党群服务中心 per community, a 小区党群服务站 per grid, each in its own community', () => {
    const kinds = Object.fromEntries(s.sql('SELECT kind, COUNT(*) FROM stations GROUP BY kind'));
    const communities = s.sql("SELECT COUNT(DISTINCT community_code) FROM grids")[0][0];
    assert.equal(kinds.center, communities);
    assert.equal(kinds.station, s.sql('SELECT COUNT(*) FROM grids')[0][0], 'one station per grid (网格+党群服务站)');
    assert.equal(kinds.love_post, '1');
    // centers sit in a community, stations in a compound of a demo community
    for (const [kind, level] of s.sql('SELECT st.kind, p.level FROM stations st JOIN places p ON p.code = st.place_code'))
      assert.equal(level, kind === 'station' ? 'compound' : 'community', kind);
    // every compound served lies in the station's community
    const stray = s.sql('SELECT st.name, sp.place_code FROM stations st JOIN station_places sp ON sp.station_id = st.id ' +
      "JOIN places p ON p.code = sp.place_code WHERE p.level <> 'compound' OR substr(sp.place_code, 1, 12) <> substr(st.place_code, 1, 12)");
    assert.deepEqual(stray, []);
    // the small demo keeps exactly one station short of the standard
    const short = s.sql('SELECT COUNT(*) FROM stations WHERE kind = \'station\' AND (has_archive = 0 OR mod_mediation = 0)')[0][0];
    assert.equal(short, '1');
  });

  test('the demo refuses a database that already has accounts', async () => {
    const before = s.sql('SELECT COUNT(*) FROM people')[0][0];
    const r = await s.cli(['demo', '--scale', 'small']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /已有账号/);
    assert.equal(s.sql('SELECT COUNT(*) FROM people')[0][0], before);
  });

  if (store === 'sqlite')
    test('the same demo every time', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-demo-'));
      try {
        const q =
          'SELECT id, name, sex, birth_date, id_number, phone, place_code, relation FROM people ORDER BY id;' +
          'SELECT code, name FROM places ORDER BY code; SELECT id, kind, name, formation FROM organisations ORDER BY id;' +
          'SELECT id, kind, name, place_code, area_m2, funding, opened_on, extra_modules FROM stations ORDER BY id;';
        const dumps = [];
        for (const f of ['a.db', 'b.db']) {
          const db = path.join(dir, f);
          const r = await runLinli(['demo', '--scale', 'small', '--db', db]);
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stdout, /http:\/\/localhost:8080/);
          assert.match(r.stdout, /linli2026/);
          for (const u of Object.keys(DEMO.accounts)) assert.match(r.stdout, new RegExp(`\\b${u}\\b`));
          dumps.push(JSON.stringify(sqlite(db, q)));
        }
        assert.equal(dumps[0], dumps[1]);
      } finally {
        fs.rmSync(dir, {recursive: true, force: true});
      }
    });
});
