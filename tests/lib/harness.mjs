// The test harness: real linli processes on real databases, over loopback.
//
//   import {forEachStore, startServer, makeUser, DEMO} from '../lib/harness.mjs';
//   forEachStore('residents', (store) => {
//     test('list', async () => {
//       const s = await startServer({store});
//       try { const c = await s.login('binhe', DEMO.password); … } finally { await s.stop(); }
//     });
//   });
//
// Every server gets a database of its own: a copy of the small demo county
// (SQLite: a file copy of build/testdata/demo.db; PostgreSQL: CREATE DATABASE …
// TEMPLATE linli_demo_tpl), or an empty one made by `linli init`. tests/run.sh
// starts the PostgreSQL cluster and builds both templates once per run; see
// docs/testing.md. Servers run the sanitizer build; stop() fails when the
// process exits non-zero or printed a sanitizer report.
//
// A server s = await startServer({store, demo = true, env = {}, args = [], dbUrl}):
//   s.url, s.dbUrl, s.store, s.proc, s.port, s.stderr
//   s.stop()                SIGTERM, wait, check exit code and sanitizer output, drop the database
//   s.kill9() / s.restart() kill -9; start again on the same database
//   s.cli(args, stdin)      → {code, stdout, stderr}; `--db s.dbUrl` appended unless given
//   s.login(user, pw)       → API client {token, get, post, patch, put, del, raw} with a bearer token
//   s.client(token = null)  → API client with that token, or anonymous
//                             each method resolves {status, headers, cookies, body (JSON or text), text}
//   s.browserLogin(user,pw) → cookie client, logged in through the login form (see cookieClient)
//   s.validate(method, pathPattern, status, body)  against /api/v1/openapi.json; throws on mismatch
//   s.sql(query)            → rows (arrays of strings) straight from the database (sqlite3 / psql)
import {after, before, describe} from 'node:test';
import {spawn, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {OpenApiValidator} from './openapi.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LINLI_BIN = path.resolve(ROOT, process.env.LINLI_BIN || 'build/test/linli');
export const STORES = (process.env.LINLI_TEST_STORES || 'sqlite,pg')
  .split(/[,\s]+/)
  .filter(Boolean);
export const VALGRIND = process.env.LINLI_VALGRIND === '1';

// The demo county's accounts (`linli demo`); all share DEMO.password.
export const DEMO = {
  password: 'linli2026',
  county: '140930', // 河曲县
  street: '140930100', // 西口镇
  community: '140930100010', // 滨河社区
  accounts: {
    admin: {role: 'admin', place: '14', scope: '山西省'},
    xian: {role: 'county_admin', place: '140930', scope: '河曲县'},
    xikou: {role: 'street_admin', place: '140930100', scope: '西口镇'},
    binhe: {role: 'secretary', place: '140930100010', scope: '滨河社区'},
    binhe_sg: {role: 'community_worker', place: '140930100010', scope: '滨河社区'},
    wangge1: {role: 'grid_worker', place: null, grid: '滨河社区第1网格', community: '140930100010', scope: '滨河社区第1网格'},
    mayingwei: {role: 'secretary', place: '140930100007', scope: '马营围社区'},
    jumin: {role: 'resident', place: '140930100010', scope: '滨河社区', person: true},
    dangyuan: {role: 'volunteer', place: '140930100010', scope: '滨河社区', person: true},
    kuaidi: {role: 'partner', place: '140930100010', scope: '滨河社区', person: true},
    bumen: {role: 'department', place: null, org: '河曲县住房和城乡建设管理局', scope: '河曲县住房和城乡建设管理局'},
  },
};

const SANITIZER_RE =
  /ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer)|runtime error:|SUMMARY: (AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer)|==\d+== ?(ERROR|Invalid|Conditional jump|Use of uninitialised|Syscall param)|definitely lost: [1-9]/;

const SAN_ENV = {
  ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:abort_on_error=1',
  UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'halt_on_error=1:print_stacktrace=1',
};

const START_TIMEOUT_MS = VALGRIND ? 120_000 : 30_000;
// under valgrind a login still hashing (argon2id, 64 MiB) can hold the shutdown for minutes
const STOP_TIMEOUT_MS = VALGRIND ? 900_000 : 15_000; // valgrind's leak check of a big heap, on a busy machine

let serial = 0;
function uniqueName(prefix) {
  return `${prefix}_${process.pid}_${++serial}_${randomBytes(3).toString('hex')}`;
}

function tail(s, n = 4000) {
  return s.length > n ? `…${s.slice(-n)}` : s;
}

// ---------------------------------------------------------------- processes

// Runs the linli binary (no --db added) and resolves {code, stdout, stderr}.
// A sanitizer report in its output is an error.
export function runLinli(args, {stdin, env = {}, timeout = 300_000} = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(LINLI_BIN, args, {env: {...process.env, ...SAN_ENV, ...env}, stdio: ['pipe', 'pipe', 'pipe']});
    const out = [];
    const err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeout);
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${LINLI_BIN}: ${e.message}`));
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const res = {code: code ?? 128 + (os.constants.signals[signal] || 0), stdout, stderr};
      if (SANITIZER_RE.test(stderr))
        reject(new Error(`linli ${args.join(' ')}: sanitizer report (exit ${res.code}):\n${tail(stderr)}`));
      else resolve(res);
    });
    p.stdin.on('error', () => {}); // the command may exit without reading
    if (stdin !== undefined && stdin !== null) p.stdin.end(stdin);
    else p.stdin.end();
  });
}

function runTool(cmd, args, {input} = {}) {
  const r = spawnSync(cmd, args, {input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

// ---------------------------------------------------------------- PostgreSQL

function pgAdminUrl() {
  const u = process.env.LINLI_TEST_PG_URL;
  if (!u)
    throw new Error(
      'LINLI_TEST_PG_URL is not set: the PostgreSQL tests run under tests/run.sh (`make test`), which starts a throwaway cluster',
    );
  return u;
}

function pgUrlFor(dbname) {
  const u = new URL(pgAdminUrl());
  u.pathname = `/${dbname}`;
  return u.toString();
}

// Runs SQL through psql; returns rows as arrays of strings.
export function psql(url, sql) {
  const r = runTool('psql', ['-X', '-q', '-A', '-t', '-F', '\x1f', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);
  if (r.status !== 0) throw new Error(`psql: ${sql}\n${r.stderr}`);
  return splitRows(r.stdout);
}

function splitRows(out) {
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\x1f'));
}

async function pgCreateDatabase(name, template) {
  const sql = template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`;
  // Two copies of one template at the same moment can collide ("source
  // database is being accessed by other users"): retry a few times.
  for (let i = 0; ; i++) {
    try {
      psql(pgAdminUrl(), sql);
      return pgUrlFor(name);
    } catch (e) {
      if (i >= 20 || !/being accessed by other users|could not|deadlock/i.test(e.message)) throw e;
      await sleep(100 + Math.random() * 300);
    }
  }
}

function pgDropDatabase(name) {
  psql(pgAdminUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

// ---------------------------------------------------------------- SQLite

let demoSqliteBuilt = null;
// The demo template file: LINLI_TEST_DEMO_SQLITE (tests/run.sh), else
// build/testdata/demo.db, built here once if missing (for `node --test FILE`).
async function demoSqliteTemplate() {
  if (process.env.LINLI_TEST_DEMO_SQLITE) return process.env.LINLI_TEST_DEMO_SQLITE;
  const file = path.join(ROOT, 'build/testdata/demo.db');
  if (fs.existsSync(file)) return file;
  if (!demoSqliteBuilt) {
    demoSqliteBuilt = (async () => {
      fs.mkdirSync(path.dirname(file), {recursive: true});
      const tmp = `${file}.${process.pid}.tmp`;
      const r = await runLinli(['demo', '--scale', 'small', '--db', tmp]);
      if (r.code !== 0) throw new Error(`linli demo failed (${r.code}):\n${r.stderr}`);
      fs.renameSync(tmp, file); // atomic: concurrent test files never see half a file
      return file;
    })();
  }
  return demoSqliteBuilt;
}

function copySqlite(from, to) {
  fs.copyFileSync(from, to);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(from + ext)) fs.copyFileSync(from + ext, to + ext);
}

// Runs SQL through the sqlite3 shell; returns rows as arrays of strings.
export function sqlite(file, sql) {
  const r = runTool('sqlite3', ['-batch', '-noheader', '-separator', '\x1f', '-cmd', '.timeout 10000', file, sql]);
  if (r.status !== 0) throw new Error(`sqlite3: ${sql}\n${r.stderr}`);
  return splitRows(r.stdout);
}

// ---------------------------------------------------------------- ports

// The server binds with SO_REUSEPORT (MHD_OPTION_LISTENING_ADDRESS_REUSE), so
// two servers given one port would both start and share its connections: a
// port chosen here is also claimed with a lock file that other test processes
// respect until the server that uses it stops.
const PORT_LOCKS = path.join(os.tmpdir(), 'linli-test-ports');

function claimPort(port) {
  fs.mkdirSync(PORT_LOCKS, {recursive: true});
  const f = path.join(PORT_LOCKS, String(port));
  for (let i = 0; i < 2; i++) {
    try {
      fs.writeFileSync(f, String(process.pid), {flag: 'wx'});
      return true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(f, 'utf8')) || 0;
      let alive = pid > 0;
      try {
        if (alive) process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) return false;
      fs.rmSync(f, {force: true}); // left by a dead test process
    }
  }
  return false;
}

function releasePort(port) {
  if (!port) return;
  const f = path.join(PORT_LOCKS, String(port));
  try {
    if (Number(fs.readFileSync(f, 'utf8')) === process.pid) fs.rmSync(f, {force: true});
  } catch {
    // already gone
  }
}

// A free loopback port, claimed for this process (see releasePort).
export async function freePort() {
  for (;;) {
    const port = await probePort();
    if (claimPort(port)) return port;
  }
}

function probePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------- HTTP

function headersObject(res) {
  const h = {};
  res.headers.forEach((v, k) => {
    h[k] = v;
  });
  const cookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : splitSetCookie(res.headers.get('set-cookie'));
  if (cookies.length) h['set-cookie'] = cookies.length === 1 ? cookies[0] : cookies.join(', ');
  return {h, cookies};
}

// Fallback for runtimes without Headers.getSetCookie(): split on commas that
// start a new "name=" pair (Expires dates contain commas too).
function splitSetCookie(v) {
  if (!v) return [];
  return v.split(/,(?=\s*[A-Za-z0-9_\-]+=)/).map((s) => s.trim());
}

async function request(base, method, p, {headers = {}, body, redirect = 'manual'} = {}) {
  let payload = body;
  const hdrs = {...headers};
  if (body !== undefined && body !== null && typeof body === 'object' && !(body instanceof Uint8Array) && !(body instanceof URLSearchParams) && !(body instanceof FormData)) {
    payload = JSON.stringify(body);
    if (!Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-type')) hdrs['Content-Type'] = 'application/json';
  }
  for (const k of Object.keys(hdrs)) if (hdrs[k] === null || hdrs[k] === undefined) delete hdrs[k];
  const res = await fetch(base + p, {method, headers: hdrs, body: payload, redirect});
  const text = await res.text();
  const {h, cookies} = headersObject(res);
  let parsed = text;
  if (/json/i.test(h['content-type'] || '') && text.length) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text; // left as text: a test asserting on it will show it
    }
  }
  return {status: res.status, headers: h, cookies, body: parsed, text};
}

// A bearer-token API client. token may be null (anonymous).
function apiClient(server, token) {
  const auth = (headers = {}) => {
    const has = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
    return has || !token ? headers : {...headers, Authorization: `Bearer ${token}`};
  };
  const c = {
    token,
    raw: (method, p, {headers, body} = {}) => request(server.url, method, p, {headers: auth(headers), body}),
    get: (p, opts = {}) => c.raw('GET', p, opts),
    post: (p, json, opts = {}) => c.raw('POST', p, {...opts, body: json === undefined ? {} : json}),
    patch: (p, json, opts = {}) => c.raw('PATCH', p, {...opts, body: json === undefined ? {} : json}),
    put: (p, json, opts = {}) => c.raw('PUT', p, {...opts, body: json === undefined ? {} : json}),
    del: (p, opts = {}) => c.raw('DELETE', p, opts),
  };
  return c;
}

// A browser-like client: a cookie jar and forms, no JavaScript.
//   get(path)             → the page's text, redirects followed (like a browser)
//   postForm(path, f)     → the text of the page it leads to (303 followed); the
//                           CSRF token (_csrf) is added unless f has _csrf
//   raw(method, path, o)  → {status, headers, body, text}, redirects not followed
//   last                  → {status, headers, url} of the final response of the
//                           last get/postForm (e.g. b.last.status === 404)
function cookieClient(server) {
  const jar = new Map();
  let csrf = null;
  let csrfFor = null;
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (cookies) => {
    for (const c of cookies) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === '';
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const follow = async (res, p) => {
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400 && res.headers.location; hops++) {
      const loc = new URL(res.headers.location, server.url + p);
      p = loc.pathname + loc.search;
      res = await b.raw('GET', p);
    }
    b.last = {status: res.status, headers: res.headers, url: p};
    return res.text;
  };
  const b = {
    cookies: jar,
    last: null,
    get cookie() {
      return jar.get('linli_session') || null;
    },
    async raw(method, p, {headers = {}, body} = {}) {
      const h = {...headers};
      if (jar.size && !Object.keys(h).some((k) => k.toLowerCase() === 'cookie')) h.Cookie = cookieHeader();
      const res = await request(server.url, method, p, {headers: h, body});
      remember(res.cookies);
      return res;
    },
    async get(p, opts = {}) {
      return follow(await b.raw('GET', p, opts), p);
    },
    async csrf() {
      if (csrf && csrfFor === b.cookie) return csrf;
      const me = await b.raw('GET', '/api/v1/me');
      if (me.status !== 200 || !me.body || !me.body.csrf)
        throw new Error(`cannot read the CSRF token from GET /api/v1/me: ${me.status} ${JSON.stringify(me.body)}`);
      csrf = me.body.csrf;
      csrfFor = b.cookie;
      return csrf;
    },
    // The urlencoded form request, not sent, not followed: {status, headers, body, text}.
    async postFormRaw(p, fields = {}, {headers = {}} = {}) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) {
        if (Array.isArray(v)) v.forEach((x) => form.append(k, String(x)));
        else if (v !== undefined && v !== null) form.append(k, String(v));
      }
      if (!('_csrf' in fields)) form.append('_csrf', await b.csrf());
      return b.raw('POST', p, {headers: {'Content-Type': 'application/x-www-form-urlencoded', ...headers}, body: form.toString()});
    },
    // fields: {name: value | [values]}.
    async postForm(p, fields = {}, opts = {}) {
      return follow(await b.postFormRaw(p, fields, opts), p);
    },
    // Multipart form (file uploads): a field value {filename, content, type}
    // is sent as a file. Returns the text of the page it leads to.
    async postMultipart(p, fields = {}) {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) {
        if (v && typeof v === 'object' && 'content' in v)
          fd.append(k, new Blob([v.content], {type: v.type || 'application/octet-stream'}), v.filename || 'upload');
        else if (v !== undefined && v !== null) fd.append(k, String(v));
      }
      if (!('_csrf' in fields)) fd.append('_csrf', await b.csrf());
      return follow(await b.raw('POST', p, {body: fd}), p);
    },
  };
  return b;
}

// ---------------------------------------------------------------- servers

const live = new Set(); // servers whose process or database still exists
let currentSuite = null;

function sanitizerCheck(what, stderr) {
  if (SANITIZER_RE.test(stderr)) throw new Error(`${what}: sanitizer report:\n${tail(stderr)}`);
}

// Starts `linli serve` on a fresh database. Options:
//   store  'sqlite' | 'pg'
//   demo   true: a copy of the small demo county; false: an empty `linli init`
//   env    extra environment (LINLI_NOW_FILE …)
//   args   extra `serve` arguments (--secure-cookies …)
//   dbUrl  serve an existing database instead (a second process on the same
//          database); it is not dropped by stop()
export async function startServer({store = STORES[0] || 'sqlite', demo = true, env = {}, args = [], dbUrl = null} = {}) {
  if (store !== 'sqlite' && store !== 'pg') throw new Error(`unknown store "${store}"`);
  if (!fs.existsSync(LINLI_BIN)) throw new Error(`${LINLI_BIN} does not exist: run \`make build/test/linli\``);
  const s = {
    store,
    url: null,
    dbUrl,
    port: null,
    proc: null,
    stderr: '',
    stdout: '',
    owned: !dbUrl, // whether stop() removes the database
    suite: currentSuite,
    dir: null,
    pgName: null,
    openapi: null,
  };
  live.add(s);
  try {
    if (!dbUrl) {
      if (store === 'sqlite') {
        s.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-test-'));
        s.dbUrl = path.join(s.dir, 'linli.db');
        if (demo) copySqlite(await demoSqliteTemplate(), s.dbUrl);
        else await initDb(s.dbUrl);
      } else {
        s.pgName = uniqueName('t');
        const tpl = demo ? process.env.LINLI_TEST_DEMO_PG_TEMPLATE || 'linli_demo_tpl' : null;
        s.dbUrl = await pgCreateDatabase(s.pgName, tpl);
        if (!demo) await initDb(s.dbUrl);
      }
    }
    await launch(s, {env, args});
    await loadOpenApi(s);
  } catch (e) {
    if (s.proc) await terminate(s).catch(() => {});
    await cleanup(s).catch(() => {});
    throw e;
  }

  s.stop = () => stopServer(s);
  s.kill9 = () => kill9(s);
  s.restart = async () => {
    if (s.proc) await terminate(s);
    await launch(s, {env, args});
    return s;
  };
  s.cli = (cmdArgs, stdin, opts = {}) => {
    const a = [...cmdArgs];
    if (!a.includes('--db') && !a.some((x) => String(x).startsWith('--db='))) a.push('--db', s.dbUrl);
    return runLinli(a.map(String), {stdin, env: {...env, ...(opts.env || {})}});
  };
  s.client = (token = null) => apiClient(s, token);
  s.login = async (username, password = DEMO.password) => {
    const r = await request(s.url, 'POST', '/api/v1/auth/login', {body: {username, password}});
    if (r.status !== 200 || !r.body || !r.body.token)
      throw new Error(`login as ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    const c = apiClient(s, r.body.token);
    c.username = username;
    c.loginResponse = r;
    return c;
  };
  s.browserLogin = async (username, password = DEMO.password) => {
    const b = cookieClient(s);
    const r = await b.raw('POST', '/login', {
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({username, password}).toString(),
    });
    if (r.status !== 303 || !b.cookie)
      throw new Error(`form login as ${username} failed: ${r.status} (expected 303 and a linli_session cookie)\n${tail(String(r.text), 800)}`);
    b.username = username;
    return b;
  };
  s.browser = () => cookieClient(s); // not logged in
  // Synchronous (the document was loaded at start): throws on a mismatch.
  s.validate = (method, pathPattern, status, body) => {
    if (!s.openapi) throw s.openapiError;
    return s.openapi.validate(method, pathPattern, status, body);
  };
  // SQL straight into the database (checks the tests cannot make through the API).
  s.sql = (query) => (s.store === 'sqlite' ? sqlite(s.dbUrl, query) : psql(s.dbUrl, query));
  return s;
}

// The server's own OpenAPI document, for validate(). A broken document is
// reported by the first validate() (and by tests/api/openapi.test.mjs), not
// here, so tests that do not validate still run.
async function loadOpenApi(s) {
  try {
    const r = await request(s.url, 'GET', '/api/v1/openapi.json');
    if (r.status !== 200 || typeof r.body !== 'object') throw new Error(`GET /api/v1/openapi.json answered ${r.status}`);
    s.openapi = new OpenApiValidator(r.body);
  } catch (e) {
    s.openapiError = new Error(`OpenAPI document unusable: ${e.message}`);
  }
}

async function initDb(dbUrl) {
  const r = await runLinli(['init', '--db', dbUrl]);
  if (r.code !== 0) throw new Error(`linli init --db ${dbUrl} failed (${r.code}):\n${r.stderr}`);
}

// Spawns the server on a free port and waits until it answers; a port taken
// between choosing and binding is retried with another.
async function launch(s, {env, args}) {
  let lastErr;
  for (let attempt = 0; attempt < 5; attempt++) {
    const reuse = attempt === 0 && s.port;
    const port = reuse ? s.port : await freePort();
    try {
      await spawnServer(s, port, {env, args});
      return;
    } catch (e) {
      lastErr = e;
      releasePort(port);
      s.port = null;
      if (!e.addressInUse) throw e;
    }
  }
  throw lastErr;
}

async function spawnServer(s, port, {env, args}) {
  const serveArgs = ['serve', '--db', s.dbUrl, '--listen', `127.0.0.1:${port}`, '--threads', '4', ...args.map(String)];
  let cmd = LINLI_BIN;
  let argv = serveArgs;
  if (VALGRIND) {
    cmd = 'valgrind';
    argv = ['-q', '--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite', '--show-leak-kinds=definite', LINLI_BIN, ...serveArgs];
  }
  const proc = spawn(cmd, argv, {env: {...process.env, ...SAN_ENV, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
  const st = {stderr: '', stdout: '', exited: false, code: null, signal: null};
  proc.stdout.on('data', (d) => {
    st.stdout += d;
  });
  proc.stderr.on('data', (d) => {
    st.stderr += d;
  });
  st.done = new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      st.exited = true;
      st.code = code;
      st.signal = signal;
      resolve();
    });
    proc.on('error', (e) => {
      st.stderr += `\nspawn error: ${e.message}`;
      st.exited = true;
      resolve();
    });
  });
  // A forgotten server must not keep the test process alive; it is killed
  // at exit (see below).
  proc.unref();
  proc.stdout.unref?.();
  proc.stderr.unref?.();
  s.proc = proc;
  s.st = st;
  s.port = port;
  s.url = `http://127.0.0.1:${port}`;
  Object.defineProperty(s, 'stderr', {get: () => st.stderr, configurable: true});
  Object.defineProperty(s, 'stdout', {get: () => st.stdout, configurable: true});

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (st.exited) {
      const e = new Error(
        `linli serve exited during start-up (code ${st.code}, signal ${st.signal}):\n${tail(st.stderr)}`,
      );
      e.addressInUse = /in use|EADDRINUSE|bind/i.test(st.stderr);
      s.proc = null;
      throw e;
    }
    try {
      const res = await fetch(`${s.url}/api/v1/openapi.json`, {signal: AbortSignal.timeout(2000)});
      await res.arrayBuffer();
      if (res.status > 0) return;
    } catch {
      // not listening yet
    }
    await sleep(40);
  }
  proc.kill('SIGKILL');
  await st.done;
  s.proc = null;
  throw new Error(`linli serve did not answer within ${START_TIMEOUT_MS} ms:\n${tail(st.stderr)}`);
}

// SIGTERM and wait; fails on a non-zero exit or a sanitizer report.
async function terminate(s) {
  const proc = s.proc;
  const st = s.st;
  if (!proc) return;
  s.proc = null;
  if (!st.exited) {
    proc.ref(); // keep the event loop alive until it has exited (it was unref'd at spawn)
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await st.done;
    clearTimeout(t);
  }
  sanitizerCheck(`linli serve (${s.store})`, st.stderr);
  if (st.code !== 0)
    throw new Error(`linli serve (${s.store}) exited with code ${st.code}${st.signal ? ` signal ${st.signal}` : ''}:\n${tail(st.stderr)}`);
}

async function kill9(s) {
  const proc = s.proc;
  const st = s.st;
  if (!proc) return;
  s.proc = null;
  if (!st.exited) {
    proc.ref();
    proc.kill('SIGKILL');
    await st.done;
  }
  sanitizerCheck(`linli serve (${s.store}) before kill -9`, st.stderr);
}

async function cleanup(s) {
  live.delete(s);
  releasePort(s.port);
  if (!s.owned) return;
  if (s.pgName) {
    const name = s.pgName;
    s.pgName = null;
    pgDropDatabase(name);
  }
  if (s.dir) {
    fs.rmSync(s.dir, {recursive: true, force: true});
    s.dir = null;
  }
}

async function stopServer(s) {
  try {
    await terminate(s);
  } finally {
    await cleanup(s);
  }
}

// Whatever a failed test left behind is killed and removed when the test
// process exits (synchronously: 'exit' handlers cannot wait).
process.on('exit', () => {
  for (const s of live) {
    try {
      if (s.proc && !s.st.exited) s.proc.kill('SIGKILL');
      releasePort(s.port);
      if (s.owned && s.dir) fs.rmSync(s.dir, {recursive: true, force: true});
      if (s.owned && s.pgName)
        spawnSync('psql', ['-X', '-q', '-d', pgAdminUrl(), '-c', `DROP DATABASE IF EXISTS "${s.pgName}" WITH (FORCE)`]);
    } catch {
      // best effort
    }
  }
});

// ---------------------------------------------------------------- suites

// One describe() per store: `${title} [sqlite]`, `${title} [pg]`. Servers a
// suite started and did not stop are stopped (and checked) after it.
export function forEachStore(title, fn) {
  for (const store of STORES) {
    describe(`${title} [${store}]`, () => {
      const token = Symbol(`${title} [${store}]`);
      let outer = null;
      before(() => {
        outer = currentSuite;
        currentSuite = token;
      });
      const body = fn(store);
      // Registered after the suite's own hooks, so it runs after them.
      after(async () => {
        currentSuite = outer;
        const left = [...live].filter((s) => s.suite === token);
        const errors = [];
        for (const s of left) {
          try {
            await stopServer(s);
          } catch (e) {
            errors.push(e.message);
          }
        }
        if (errors.length) throw new Error(`servers left running by "${title} [${store}]":\n${errors.join('\n')}`);
      });
      return body;
    });
  }
}

// Creates an account through the command line (`linli user add`, password on
// standard input). place: a place code, or {grid: id} / {org: id}.
export async function makeUser(server, username, role, place, password = 'pass12345') {
  const args = ['user', 'add', username, '--role', role];
  if (place && typeof place === 'object') {
    if (place.grid) args.push('--grid', String(place.grid));
    else if (place.org) args.push('--org', String(place.org));
  } else if (place) args.push('--place', String(place));
  const r = await server.cli(args, `${password}\n`);
  if (r.code !== 0) throw new Error(`linli ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  const m = /\(id (\d+)\)/.exec(r.stdout);
  return {username, password, role, place, id: m ? Number(m[1]) : null};
}
