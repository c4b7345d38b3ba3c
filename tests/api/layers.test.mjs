// Every arrow points down (issue 11, points 3, 4 and 5), read from the source:
// which layer may include which (docs/architecture.md), no cycle among the
// service headers, no SQL and no literal column number outside src/store/,
// and no function over 120 lines. The lists of files not yet conforming may
// only shrink: a listed file that conforms fails the test until it is taken off.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';

import {ROOT} from '../lib/harness.mjs';

const SRC = path.join(ROOT, 'src');
const MAY_INCLUDE = {
  util: ['util'],
  core: ['core', 'util'],
  auth: ['auth', 'core', 'util'],
  store: ['store', 'core', 'util'],
  service: ['service', 'store', 'auth', 'core', 'util'],
  io: ['io', 'service', 'store', 'auth', 'core', 'util'],
  http: ['http', 'service', 'store', 'auth', 'core', 'util'],
  api: ['api', 'http', 'io', 'service', 'store', 'auth', 'core', 'util'],
  pages: ['pages', 'http', 'io', 'service', 'store', 'auth', 'core', 'util'],
  cli: ['cli', 'api', 'pages', 'http', 'io', 'service', 'store', 'auth', 'core', 'util'],
};

// Not yet conforming (taken off as they are fixed).
const UPWARD_INCLUDES = new Set([
]);
const SQL_OUTSIDE_STORE = new Set([
]);
const COLUMN_NUMBERS = new Set([
]);
const LONG_FUNCTIONS = new Set([
]);

const files = [];
for (const layer of fs.readdirSync(SRC)) {
  const dir = path.join(SRC, layer);
  if (!fs.statSync(dir).isDirectory()) continue;
  for (const f of fs.readdirSync(dir))
    if (/\.[ch]$/.test(f)) files.push({layer, name: `${layer}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8')});
}

// The source without comments and string literals (kept as "" so calls still parse).
const code = (t) => t.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
  .replace(/\/\/[^\n]*/g, '')
  .replace(/"(?:[^"\\\n]|\\.)*"/g, '""');

function upward(f) {
  const out = [];
  for (const [, layer] of f.text.matchAll(/^#include "([a-z0-9_]+)\//gm))
    if (MAY_INCLUDE[f.layer] && !MAY_INCLUDE[f.layer].includes(layer)) out.push(`${f.name} includes ${layer}/`);
  return out;
}

function sql(f) {
  if (f.layer === 'store') return [];
  const c = code(f.text);
  const out = [];
  if (/\b(DBQ|DBX|DBI|db_query|db_exec|db_exec_script|db_scalar_int)\s*\(/.test(c)) out.push(`${f.name} runs SQL`);
  if (/"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s/.test(f.text)) out.push(`${f.name} holds SQL text`);
  return out;
}

// Any read of a result cell: by number or by an enum of column positions,
// both are a query's layout known outside the store.
function columnNumbers(f) {
  if (f.layer === 'store') return [];
  const n = (code(f.text).match(/\bdb_get(_int)?\s*\(/g) || []).length;
  return n ? [`${f.name} reads ${n} result cells (the store returns structs)`] : [];
}

// Functions: a line starting a definition at column 0, its body to the
// matching brace at column 0.
function longFunctions(f) {
  if (!f.name.endsWith('.c')) return [];
  const lines = code(f.text).split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '{') continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== '}') j++;
    if (j - i - 1 > 120) out.push(`${f.name}:${i} a function of ${j - i - 1} lines`);
    i = j;
  }
  return out;
}

function check(fn, allowed, what) {
  const found = [];
  const pass = new Set(files.map((f) => f.name));
  for (const f of files) {
    const p = fn(f);
    if (p.length) pass.delete(f.name);
    if (!allowed.has(f.name)) found.push(...p);
  }
  assert.deepEqual(found, [], `${what}:\n${found.join('\n')}`);
  const stale = [...allowed].filter((n) => pass.has(n) || !files.some((f) => f.name === n));
  if (process.env.LINLI_STALE_OUT) fs.appendFileSync(process.env.LINLI_STALE_OUT, stale.map((n) => `${what}\t${n}\n`).join(''));
  assert.deepEqual(stale, [], `${what}: these now conform, take them off the list`);
}

test('each layer includes only the layers below it', () => check(upward, UPWARD_INCLUDES, 'upward includes'));
test('no SQL outside src/store/', () => check(sql, SQL_OUTSIDE_STORE, 'SQL outside store'));
test('no result cell read outside src/store/ (by number or by column enum)', () => check(columnNumbers, COLUMN_NUMBERS, 'column numbers'));
test('no function over 120 lines', () => check(longFunctions, LONG_FUNCTIONS, 'long functions'));

test('no cycle among the service headers', () => {
  const deps = new Map();
  for (const f of files.filter((x) => x.layer === 'service')) {
    const unit = f.name.replace(/\.[ch]$/, '');
    const set = deps.get(unit) || new Set();
    for (const [, d] of f.text.matchAll(/^#include "(service\/[a-z0-9_]+)\.h"/gm)) if (d !== unit) set.add(d);
    deps.set(unit, set);
  }
  const cycles = [];
  const state = new Map();
  const visit = (u, stack) => {
    state.set(u, 1);
    for (const d of deps.get(u) || []) {
      if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].join(' → '));
      else if (!state.get(d)) visit(d, [...stack, d]);
    }
    state.set(u, 2);
  };
  for (const u of deps.keys()) if (!state.get(u)) visit(u, [u]);
  assert.deepEqual(cycles, []);
});

test('the checks find what they are for', () => {
  const fake = (layer, name, text) => ({layer, name: `${layer}/${name}`, text});
  assert.equal(upward(fake('pages', 'x.c', '#include "api/api_x.h"\n')).length, 1);
  assert.equal(upward(fake('api', 'x.c', '#include "pages/layout.h"\n')).length, 1);
  assert.equal(sql(fake('service', 'x.c', 'DBQ(d, a, "SELECT 1");')).length, 2);
  assert.equal(sql(fake('store', 'x.c', 'DBQ(d, a, "SELECT 1");')).length, 0);
  assert.equal(columnNumbers(fake('api', 'x.c', 'db_get(r, 0, 5);')).length, 1);
  assert.equal(columnNumbers(fake('api', 'x.c', 'db_get(r, i, PC_NAME);')).length, 1);
  assert.equal(columnNumbers(fake('store', 'x.c', 'db_get(r, i, PC_NAME);')).length, 0);
  const body = Array.from({length: 121}, () => '    x++;').join('\n');
  assert.equal(longFunctions(fake('core', 'x.c', `void f(void)\n{\n${body}\n}\n`)).length, 1);
});
