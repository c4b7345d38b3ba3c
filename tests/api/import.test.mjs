// Import and export of the people ledger, on the small demo, both stores:
// a good file imports every row in one audited transaction; a file with bad
// rows reports exactly those rows (line, column, Chinese reason) and changes
// nothing, in the dry run and in the real run; UTF-8 with and without BOM and
// GB18030 import alike; exports are masked, scope-checked and audited; the
// page and the API answer 404 to accounts without people.import.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {DEMO, ROOT, forEachStore, startServer} from '../lib/harness.mjs';
import { tidyErrors } from '../lib/tidy.mjs';

const FIXTURES = path.join(ROOT, 'tests/fixtures');
const fixture = (name) => fs.readFileSync(path.join(FIXTURES, name));
const BINHE = DEMO.community; // 140930100010 滨河社区
const MAYINGWEI = '140930100007'; // 马营围社区
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;
const MASKED_PHONE = /\*/;

// The three bad rows of tests/fixtures/people_bad.csv, and nothing else.
const BAD_ROWS = [
  {line: 3, column: '身份证号', message: '校验位错误'},
  {line: 4, column: '所在地代码', message: /不存在/},
  {line: 5, column: '身份证号', message: '与第2行重复'},
];

function assertErrors(actual, expected) {
  assert.equal(actual.length, expected.length, JSON.stringify(actual));
  expected.forEach((e, i) => {
    assert.equal(actual[i].line, e.line, JSON.stringify(actual[i]));
    assert.equal(actual[i].column, e.column, JSON.stringify(actual[i]));
    if (e.message instanceof RegExp) assert.match(actual[i].message, e.message);
    else assert.equal(actual[i].message, e.message);
  });
}

// POSTs a file to the import API, as the CSV body itself or as multipart.
async function upload(s, c, bytes, {dryRun = false, multipart = false, filename = 'people.csv'} = {}) {
  const q = `?filename=${encodeURIComponent(filename)}${dryRun ? '&dry_run=1' : ''}`;
  if (multipart) {
    const fd = new FormData();
    fd.append('file', new Blob([bytes], {type: 'text/csv'}), filename);
    return c.raw('POST', `/api/v1/imports/people${q}`, {body: fd});
  }
  return c.raw('POST', `/api/v1/imports/people${q}`, {headers: {'Content-Type': 'text/csv'}, body: new Uint8Array(bytes)});
}

// GET with the raw bytes (Response.text() would drop the BOM we check for).
async function getBytes(s, c, p) {
  const res = await fetch(s.url + p, {headers: {Authorization: `Bearer ${c.token}`}});
  const bytes = Buffer.from(await res.arrayBuffer());
  return {status: res.status, headers: res.headers, bytes};
}

// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// The export as {header, rows: [{column: value}]}; checks the BOM.
async function exportCsv(s, c, query = '') {
  const r = await getBytes(s, c, `/api/v1/exports/people?format=csv${query}`);
  assert.equal(r.status, 200, r.bytes.toString());
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="people-.*\.csv"$/);
  assert.ok(r.bytes.subarray(0, 3).equals(BOM), 'the CSV starts with the UTF-8 BOM');
  const text = r.bytes.subarray(3).toString('utf8');
  const [header, ...data] = parseCsv(text);
  const rows = data.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
  assert.equal(Number(r.headers.get('x-export-rows')), rows.length);
  return {text, header, rows};
}

// No 身份证号 or phone number of anyone in the community appears unmasked.
function assertNoSecrets(s, text, community) {
  const secrets = s
    .sql(`SELECT id_number, phone FROM people WHERE place_code >= '${community}' AND place_code < '${community}:'`)
    .flat()
    .filter((v) => v && v.length >= 7);
  assert.ok(secrets.length > 0);
  for (const v of secrets) assert.ok(!text.includes(v), `${v} appears unmasked`);
}

const count = (s, sql) => Number(s.sql(sql)[0][0]);
const people = (s) => count(s, 'SELECT COUNT(*) FROM people');
const audits = (s, action) => count(s, `SELECT COUNT(*) FROM audit_log WHERE entity = 'people' AND action = '${action}'`);


forEachStore('people import and export', (store) => {
  let s;
  before(async () => {
    s = await startServer({store, demo: true});
  });
  after(async () => {
    await s.stop();
  });

  test('a good file imports all rows, once, with one audit entry', async () => {
    const c = await s.login('binhe', DEMO.password);
    const before0 = people(s);
    const audit0 = audits(s, 'import');

    const dry = await upload(s, c, fixture('people_good.csv'), {dryRun: true});
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    s.validate('POST', '/api/v1/imports/people', 200, dry.body);
    assert.deepEqual([dry.body.dry_run, dry.body.rows, dry.body.imported, dry.body.errors], [true, 8, 0, []]);
    assert.equal(people(s), before0, 'a dry run changes nothing');
    assert.equal(audits(s, 'import'), audit0);

    const r = await upload(s, c, fixture('people_good.csv'), {filename: 'people_good.csv'});
    assert.equal(r.status, 201, JSON.stringify(r.body));
    s.validate('POST', '/api/v1/imports/people', 201, r.body);
    assert.equal(r.body.imported, 8);
    assert.equal(r.body.party_members, 4);
    assert.equal(r.body.volunteers, 2);
    assert.equal(r.body.encoding, 'UTF-8');
    assert.equal(people(s), before0 + 8);

    // one entry for the whole file, by binhe, filed under 滨河社区, visible to binhe
    assert.equal(audits(s, 'import'), audit0 + 1);
    const log = await c.get('/api/v1/audit?entity=people&action=import&limit=5');
    assert.equal(log.status, 200);
    const entry = log.body.items[0];
    assert.equal(entry.actor, 'binhe');
    assert.equal(entry.place_code, BINHE);
    assert.match(entry.note, /8 人/);
    assert.match(entry.note, /people_good\.csv/);

    // what the rows say landed where it belongs: derived sex and birth date,
    // party membership with 双报到, volunteer skills, care tags, multi-line note
    const [row] = s.sql("SELECT sex, birth_date, place_code, hukou_local FROM people WHERE id_number = '142201196511300038'");
    assert.deepEqual(row, ['M', '1965-11-30', BINHE, '0']);
    const [pm] = s.sql(
      "SELECT m.kind, m.work_unit, m.reported_at, m.reported_community, v.skills FROM people p " +
        'JOIN party_members m ON m.person_id = p.id JOIN volunteers v ON v.person_id = p.id ' +
        "WHERE p.id_number = '142201196511300038'",
    );
    assert.deepEqual(pm, ['in_service', '河曲县人民医院', '2024-03-01', BINHE, '医生,急救']);
    const tags = s.sql(
      "SELECT t.tag FROM care_tags t JOIN people p ON p.id = t.person_id WHERE p.id_number = '14220119520712002X' ORDER BY t.tag",
    );
    assert.deepEqual(tags.flat(), ['dibao', 'empty_nest']);
    assert.equal(count(s, "SELECT COUNT(*) FROM people WHERE name = '导入测试乙' AND note LIKE '备注含%换行'"), 1);

    // the same file again: every 身份证号 is already there, nothing is updated
    const again = await upload(s, c, fixture('people_good.csv'));
    assert.equal(again.status, 422);
    assert.equal(again.body.errors.length, 7); // 庚 has no 身份证号
    for (const e of again.body.errors) {
      assert.equal(e.column, '身份证号');
      assert.match(e.message, /已在台账中登记（居民编号 \d+/, 'in scope: which record holds it');
    }
    assert.equal(people(s), before0 + 8);
    assert.equal(audits(s, 'import'), audit0 + 1);
  });

  test('a file with 3 bad rows reports exactly those rows and imports nothing', async () => {
    const c = await s.login('binhe', DEMO.password);
    const before0 = people(s);
    const audit0 = audits(s, 'import');
    for (const opts of [{dryRun: true}, {dryRun: false}, {dryRun: false, multipart: true}]) {
      const r = await upload(s, c, fixture('people_bad.csv'), opts);
      assert.equal(r.status, 422, JSON.stringify(r.body));
      s.validate('POST', '/api/v1/imports/people', 422, r.body);
      assertErrors(r.body.errors, BAD_ROWS);
      assert.equal(r.body.imported, 0);
      assert.equal(r.body.rows, 5);
      assert.equal(r.body.error.code, 'invalid');
      assert.match(r.body.error.message, /3 处错误/);
      assert.equal(people(s), before0, `nothing imported (${JSON.stringify(opts)})`);
      assert.equal(audits(s, 'import'), audit0);
    }
    // the good rows of that file are not in the ledger either
    assert.equal(count(s, "SELECT COUNT(*) FROM people WHERE name LIKE '导入坏例%'"), 0);
  });

  test('places outside the importer\'s scope are refused like unknown ones', async () => {
    const c = await s.login('binhe', DEMO.password);
    const before0 = people(s);
    const csv = '姓名,所在地代码\n范围内,140930100010\n范围外,140930100007\n不存在,99\n';
    const r = await upload(s, c, Buffer.from(csv));
    assert.equal(r.status, 422);
    assertErrors(r.body.errors, [
      {line: 3, column: '所在地代码', message: /不在您的管辖范围内/},
      {line: 4, column: '所在地代码', message: /不存在/},
    ]);
    assert.equal(people(s), before0);
    // the same row is fine for someone whose scope covers it
    const x = await s.login('mayingwei', DEMO.password);
    const ok = await upload(s, x, Buffer.from('姓名,所在地代码\n范围外,140930100007\n'), {dryRun: true});
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  test('unreadable files get one clear Chinese error', async () => {
    const c = await s.login('binhe', DEMO.password);
    const cases = [
      [Buffer.from([0x80, 0x80, 0x41, 0x0a]), /编码/], // neither UTF-8 nor GB18030
      [Buffer.from('PK\x03\x04 not really a workbook'), /xlsx/],
      [Buffer.from('姓名,所在地代码\n"未闭合,140930100010\n'), /引号/],
      [Buffer.from('姓名\n张三\n'), /缺少必需的列/],
      [Buffer.from('姓名,所在地代码\n'), /没有数据行/],
    ];
    for (const [bytes, why] of cases) {
      const r = await upload(s, c, bytes, {dryRun: true});
      assert.equal(r.status, 422, JSON.stringify(r.body));
      s.validate('POST', '/api/v1/imports/people', 422, r.body);
      assert.equal(r.body.errors.length, 1, JSON.stringify(r.body.errors));
      assert.match(r.body.errors[0].message, why);
    }
    const rows = ['姓名,所在地代码', ...Array.from({length: 50001}, (_, i) => `人${i},${BINHE}`)].join('\n');
    const big = await upload(s, c, Buffer.from(rows), {dryRun: true});
    assert.equal(big.status, 422);
    assert.match(big.body.errors[0].message, /50000/);
    const empty = await upload(s, c, Buffer.alloc(0));
    assert.equal(empty.status, 400);
  });

  test('export: CSV with BOM and xlsx, masked, audited', async () => {
    const c = await s.login('binhe', DEMO.password);
    const audit0 = audits(s, 'export');
    const {text, header, rows} = await exportCsv(s, c);
    assert.ok(rows.length > 0);
    assert.deepEqual(header.slice(0, 6), ['姓名', '性别', '年龄', '身份证号', '手机号', '所在地代码']);
    assertNoSecrets(s, text, BINHE);
    let ids = 0;
    for (const r of rows) {
      if (r['身份证号']) {
        assert.match(r['身份证号'], MASKED_ID);
        ids++;
      }
      if (r['手机号']) assert.match(r['手机号'], MASKED_PHONE);
    }
    assert.ok(ids > 0, 'the export carries masked 身份证号');
    assert.equal(audits(s, 'export'), audit0 + 1);
    const [entry] = s.sql("SELECT actor, place_code, after_json FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1");
    assert.equal(entry[0], 'binhe');
    assert.equal(JSON.parse(entry[2]).rows, rows.length);

    const x = await getBytes(s, c, `/api/v1/exports/people?format=xlsx&place=${BINHE}`);
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(x.bytes.subarray(0, 2).toString('latin1'), 'PK');
    assert.match(x.headers.get('content-disposition'), /\.xlsx"$/);
    assert.equal(audits(s, 'export'), audit0 + 2);

    const bad = await c.get('/api/v1/exports/people?format=pdf');
    assert.equal(bad.status, 400);
    s.validate('GET', '/api/v1/exports/people', 400, bad.body);
  });

  test('a community secretary exports only the rows of their community', async () => {
    for (const [user, community] of [['binhe', BINHE], ['mayingwei', MAYINGWEI]]) {
      const c = await s.login(user, DEMO.password);
      const {rows} = await exportCsv(s, c);
      assert.ok(rows.length > 0, `${user} exports someone`);
      for (const r of rows) assert.ok(r['所在地代码'].startsWith(community), `${user}: ${r['所在地代码']}`);
      const inside = count(s, `SELECT COUNT(*) FROM people WHERE place_code >= '${community}' AND place_code < '${community}:'`);
      assert.equal(rows.length, inside, `${user} exports all of ${community}`);
      const other = community === BINHE ? MAYINGWEI : BINHE;
      const out = await c.get(`/api/v1/exports/people?format=csv&place=${other}`);
      assert.equal(out.status, 404);
      s.validate('GET', '/api/v1/exports/people', 404, out.body);
    }
    // the county sees both, and a place filter narrows it to the subtree
    const xian = await s.login('xian', DEMO.password);
    const all = await exportCsv(s, xian);
    const one = await exportCsv(s, xian, `&place=${MAYINGWEI}`);
    assert.ok(all.rows.length > one.rows.length && one.rows.length > 0);
    assert.ok(one.rows.every((r) => r['所在地代码'].startsWith(MAYINGWEI)));
  });

  test('accounts without people.import get 404 from the page and the API', async () => {
    for (const user of ['jumin', 'wangge1', 'kuaidi']) {
      const c = await s.login(user, DEMO.password);
      const r = await upload(s, c, fixture('people_good.csv'), {dryRun: true});
      assert.equal(r.status, 404, `${user}: ${r.status}`);
      s.validate('POST', '/api/v1/imports/people', 404, r.body);
      const b = await s.browserLogin(user, DEMO.password);
      await b.get('/import');
      assert.equal(b.last.status, 404, `${user} GET /import`);
    }
    // exports need people.read: a resident has none
    const jumin = await s.login('jumin', DEMO.password);
    assert.equal((await jumin.get('/api/v1/exports/people')).status, 404);
  });

  test('the /import page: template link, error table, counts after an import', async () => {
    const b = await s.browserLogin('binhe_sg', DEMO.password);
    const page = await b.get('/import');
    assert.equal(b.last.status, 200);
    assert.match(page, /href="\/static\/people-template\.csv"/);
    assert.match(page, /enctype="multipart\/form-data"/);
    assert.match(page, /\/api\/v1\/exports\/people\?format=xlsx/);
    assert.equal(tidyErrors(page), '');

    const before0 = people(s);
    const report = await b.postMultipart('/import', {
      action: 'import',
      file: {filename: 'people_bad.csv', content: fixture('people_bad.csv'), type: 'text/csv'},
    });
    assert.equal(b.last.status, 422);
    assert.equal(tidyErrors(report), '');
    const cells = [...report.matchAll(/<tr><td>(第\d+行)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    assert.deepEqual(cells.map((x) => x.slice(0, 2)), [['第3行', '身份证号'], ['第4行', '所在地代码'], ['第5行', '身份证号']]);
    assert.equal(cells[0][2], '校验位错误');
    assert.equal(people(s), before0);

    const csv = `姓名,所在地代码,党员类别,关怀标签\n页面导入甲,${BINHE},居民党员,空巢老人、低保\n页面导入乙,${BINHE},,\n`;
    const checked = await b.postMultipart('/import', {action: 'check', file: {filename: 'p.csv', content: csv}});
    assert.equal(b.last.status, 200);
    assert.match(checked, /检查通过：共 2 行数据/);
    assert.equal(people(s), before0);
    const done = await b.postMultipart('/import', {action: 'import', file: {filename: 'p.csv', content: csv}});
    assert.equal(b.last.status, 200);
    assert.equal(tidyErrors(done), '');
    assert.match(done, /<strong>2<\/strong> 人已导入/);
    assert.match(done, /<strong>1<\/strong> 名党员/);
    assert.equal(people(s), before0 + 2);
  });

  test('the published template is valid and imports its example row', async () => {
    const r = await fetch(`${s.url}/static/people-template.csv`);
    assert.equal(r.status, 200);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.ok(bytes.subarray(0, 3).equals(BOM), 'the template opens in Excel as UTF-8');
    const [header, example] = parseCsv(bytes.subarray(3).toString('utf8'));
    assert.deepEqual(header, [
      '姓名', '性别', '出生日期', '身份证号', '手机号', '所在地代码', '与户主关系', '户籍',
      '党员类别', '所在支部', '工作单位', '报到日期', '特长', '关怀标签', '备注',
    ]);
    assert.equal(example.length, header.length);
    const c = await s.login('binhe', DEMO.password);
    const dry = await upload(s, c, bytes, {dryRun: true});
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.rows, 1);
    assert.equal(dry.body.encoding, 'UTF-8 (BOM)');
  });

  test('the command line: import --dry-run, --as scope, export to stdout and to .xlsx', async () => {
    const dry = await s.cli(['import', 'people', path.join(FIXTURES, 'people_bad.csv'), '--dry-run']);
    assert.equal(dry.code, 1);
    assert.match(dry.stderr, /第3行「身份证号」：校验位错误/);
    assert.match(dry.stderr, /第4行「所在地代码」：区划代码不存在/);
    assert.match(dry.stderr, /第5行「身份证号」：与第2行重复/);
    const scoped = await s.cli(['import', 'people', '-', '--dry-run', '--as', 'binhe'], `姓名,所在地代码\n甲,${MAYINGWEI}\n`);
    assert.equal(scoped.code, 1);
    assert.match(scoped.stderr, /第2行「所在地代码」：区划代码不存在或不在您的管辖范围内/);

    const out = await s.cli(['export', 'people', '--place', BINHE]);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(out.stdout.startsWith('\uFEFF姓名,性别,年龄,身份证号'));
    assertNoSecrets(s, out.stdout, BINHE);
    const file = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'linli-export-')), 'p.xlsx');
    const x = await s.cli(['export', 'people', '--as', 'binhe', '--out', file]);
    assert.equal(x.code, 0, x.stderr);
    assert.equal(fs.readFileSync(file).subarray(0, 2).toString('latin1'), 'PK');
    fs.rmSync(path.dirname(file), {recursive: true, force: true});
  });
});

// The same file in three encodings gives the same ledger rows.
forEachStore('people import encodings', (store) => {
  const files = ['people_good.csv', 'people_good_bom.csv', 'people_good_gb18030.csv'];
  const encodings = ['UTF-8', 'UTF-8 (BOM)', 'GB18030'];

  test('UTF-8, UTF-8 with BOM and GB18030 import the same', async () => {
    assert.ok(fixture('people_good_bom.csv').subarray(0, 3).equals(BOM));
    assert.ok(!fixture('people_good_gb18030.csv').equals(fixture('people_good.csv')));
    const results = [];
    for (const [i, name] of files.entries()) {
      const s = await startServer({store, demo: true});
      try {
        const c = await s.login('binhe', DEMO.password);
        const r = await upload(s, c, fixture(name));
        assert.equal(r.status, 201, `${name}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.encoding, encodings[i]);
        assert.equal(r.body.imported, 8);
        const rows = s.sql(
          "SELECT p.name, p.sex, p.birth_date, p.id_number, p.phone, p.place_code, p.relation, p.hukou_local, " +
            "m.kind, m.work_unit, v.skills, LENGTH(p.note) FROM people p LEFT JOIN party_members m ON m.person_id = p.id " +
            "LEFT JOIN volunteers v ON v.person_id = p.id WHERE p.name LIKE '导入测试%' ORDER BY p.name",
        );
        const tags = s.sql(
          "SELECT p.name, t.tag FROM care_tags t JOIN people p ON p.id = t.person_id WHERE p.name LIKE '导入测试%' ORDER BY p.name, t.tag",
        );
        const {rows: exported} = await exportCsv(s, c, `&place=${BINHE}`);
        const mine = exported.filter((r) => r['姓名'].startsWith('导入测试'));
        results.push({rows, tags, mine});
      } finally {
        await s.stop();
      }
    }
    assert.equal(results[0].rows.length, 8);
    assert.ok(results[0].mine.some((r) => r['备注'] === '备注含\n换行'));
    assert.ok(results[0].mine.some((r) => r['备注'] === '独居,子女在外地'));
    for (const k of [1, 2]) {
      assert.deepEqual(results[k].rows, results[0].rows, `${files[k]} rows`);
      assert.deepEqual(results[k].tags, results[0].tags, `${files[k]} care tags`);
      assert.deepEqual(results[k].mine, results[0].mine, `${files[k]} export`);
    }
  });
});
