// Transport hardening (issue 10, points 1, 9 and 13): no body crashes the
// server; bodies before authentication are small, a process-wide budget bounds
// what is held, connections per address are limited; behind a trusted proxy
// (a real nginx) X-Forwarded-For/-Proto are believed, from anyone else not.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {DEMO, ROOT, forEachStore, freePort, sleep, startServer} from '../lib/harness.mjs';

// One request on its own connection (Connection: close), from localAddress
// (any 127.x.y.z is this machine, and a different client address).
function req(port, method, p, {headers = {}, body, localAddress = '127.0.0.1'} = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const h = {...headers};
    if (data && !Object.keys(h).some((k) => k.toLowerCase() === 'transfer-encoding')) h['Content-Length'] = data.length;
    const r = http.request({host: '127.0.0.1', port, method, path: p, headers: h, localAddress, agent: false}, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({status: res.statusCode, headers: res.headers, text, json});
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    if (data) r.write(data);
    r.end();
  });
}

// Raw bytes on a socket; resolves with what came back when the server closes
// (or resets) the connection.
function rawExchange(port, bytes, {localAddress = '127.0.0.1'} = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    const sock = net.connect({host: '127.0.0.1', port, localAddress});
    let done = false;
    const finish = (err) => {
      if (done) return;
      done = true;
      resolve({text: Buffer.concat(chunks).toString('latin1'), error: err ? err.code : null});
    };
    sock.on('data', (c) => chunks.push(c));
    sock.on('close', () => finish());
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => sock.write(bytes, () => {}));
  });
}

// An upload as curl sends a large one: the headers with "Expect: 100-continue",
// the body only after "100 Continue". A server that refuses from the headers
// answers at once and the body is never sent (so no reset can eat the answer).
function upload(port, head, body) {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    let sent = false;
    let done = false;
    const sock = net.connect({host: '127.0.0.1', port});
    const finish = (err) => {
      if (done) return;
      done = true;
      resolve({text: got.toString('latin1'), error: err ? err.code : null});
    };
    sock.on('data', (c) => {
      got = Buffer.concat([got, c]);
      const m = /^HTTP\/1\.1 100 [^\r]*\r\n\r\n/.exec(got.toString('latin1'));
      if (!sent && m) {
        sent = true;
        got = got.subarray(m[0].length);
        sock.write(body);
      }
    });
    sock.on('close', () => finish());
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => sock.write(head + 'Expect: 100-continue\r\n\r\n'));
  });
}

const statusOf = (text) => {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
};

function procStatus(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)[1]);
  return {rss: kb('VmRSS'), hwm: kb('VmHWM')};
}

const multipart = (boundary, parts) =>
  Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from(`--${boundary}\r\n${p.head}\r\n\r\n`, 'latin1'), Buffer.from(p.body), Buffer.from('\r\n')])),
    Buffer.from(`--${boundary}--\r\n`),
  ]);

forEachStore('HTTP hardening', (store) => {
  test('malformed bodies answer 400 in Chinese and the server goes on serving', async () => {
    const s = await startServer({store});
    try {
      const mp = {'Content-Type': 'multipart/form-data; boundary=BBBBB'};
      // the 22 bytes of issue 10: a part without a name killed the server
      let r = await req(s.port, 'POST', '/login', {headers: mp, body: '--BBBBB\r\n\r\nhello'});
      assert.equal(r.status, 400);
      assert.match(r.text, /没有名称/);
      r = await req(s.port, 'POST', '/api/v1/auth/login', {headers: mp, body: '--BBBBB\r\n\r\nhello'});
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'bad_request');
      assert.match(r.json.error.message, /没有名称/);
      // a nameless part among named ones, complete body
      const nameless = multipart('BBBBB', [
        {head: 'Content-Disposition: form-data; name="username"', body: 'binhe'},
        {head: 'Content-Disposition: form-data; filename="a.csv"', body: 'x,y'},
      ]);
      r = await req(s.port, 'POST', '/api/v1/auth/login', {headers: mp, body: nameless});
      assert.equal(r.status, 400);
      // NUL and invalid UTF-8 in text fields, urlencoded and multipart
      const form = {'Content-Type': 'application/x-www-form-urlencoded'};
      for (const bad of ['a%00b', 'a%ffb', '%c0%af', '%ed%a0%80', '%f4%90%80%80', '%e4%b8']) {
        r = await req(s.port, 'POST', '/api/v1/auth/login', {headers: form, body: `username=${bad}&password=x`});
        assert.equal(r.status, 400, bad);
        assert.equal(r.json.error.field, 'username', bad);
        assert.match(r.json.error.message, /UTF-8/, bad);
      }
      const nul = multipart('BBBBB', [{head: 'Content-Disposition: form-data; name="username"', body: Buffer.from('bin\0he', 'latin1')}]);
      r = await req(s.port, 'POST', '/login', {headers: mp, body: nul});
      assert.equal(r.status, 400);
      assert.match(r.text, /UTF-8/);
      // a query parameter is text too
      r = await req(s.port, 'GET', '/api/v1/me?x=%ff');
      assert.equal(r.status, 400);
      assert.equal(r.json.error.field, 'x');
      // malformed: multipart without a boundary, and one cut short
      r = await req(s.port, 'POST', '/api/v1/auth/login', {headers: {'Content-Type': 'multipart/form-data'}, body: 'username=x'});
      assert.equal(r.status, 400);
      r = await req(s.port, 'POST', '/api/v1/auth/login', {headers: mp, body: '--BBBBB\r\nContent-Disposition: form-data; name="username"\r\n\r\nbin'});
      assert.equal(r.status, 400);
      // 中文 in a form is fine, and a login form works as before
      r = await req(s.port, 'POST', '/login', {headers: form, body: `username=${encodeURIComponent('滨河　')}&password=x`});
      assert.notEqual(r.status, 400);
      assert.doesNotMatch(r.text, /UTF-8/);
      r = await req(s.port, 'POST', '/login', {headers: form, body: `username=binhe&password=${DEMO.password}`});
      assert.equal(r.status, 303);
      // file parts are bytes: a GB18030 CSV imports
      const c = await s.login('binhe', DEMO.password);
      const fd = new FormData();
      fd.append('file', new Blob([fs.readFileSync(path.join(ROOT, 'tests/fixtures/people_good_gb18030.csv'))], {type: 'text/csv'}), 'people.csv');
      const up = await c.raw('POST', '/api/v1/imports/people?dry_run=1', {body: fd});
      assert.equal(up.status, 200, JSON.stringify(up.body));
      assert.equal(up.body.encoding, 'GB18030');
      // still serving
      assert.equal((await req(s.port, 'GET', '/login')).status, 200);
      assert.equal((await c.get('/api/v1/me')).status, 200);
    } finally {
      await s.stop(); // fails on any sanitizer report
    }
  });

  test('before authentication only small bodies; callers allowed to upload send large ones', async () => {
    const s = await startServer({store});
    try {
      const form = {'Content-Type': 'application/x-www-form-urlencoded'};
      const big = 'x'.repeat(40 * 1024);
      // refused from the headers alone: the body is never sent
      const head = `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${16 * 1024 * 1024}\r\n\r\n`;
      let x = await rawExchange(s.port, head);
      assert.equal(statusOf(x.text), 413, x.text);
      assert.match(Buffer.from(x.text, 'latin1').toString('utf8'), /32 KB/);
      let r = await req(s.port, 'POST', '/api/v1/auth/login', {headers: form, body: `username=a&password=b&pad=${big}`});
      assert.equal(r.status, 413);
      assert.equal(r.json.error.code, 'payload_too_large');
      // a non-public route without credentials: the same
      r = await req(s.port, 'POST', '/api/v1/imports/people', {headers: {'Content-Type': 'text/csv'}, body: big});
      assert.equal(r.status, 413);
      // a forged bearer token buys nothing
      r = await req(s.port, 'POST', '/api/v1/imports/people', {headers: {'Content-Type': 'text/csv', Authorization: `Bearer ${'a'.repeat(64)}`}, body: big});
      assert.equal(r.status, 413);
      // chunked (no Content-Length) past the limit: refused too (connection closed, or 413)
      x = await rawExchange(
        s.port,
        Buffer.concat([
          Buffer.from('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n'),
          ...Array.from({length: 20}, () => Buffer.from(`4000\r\n${'y'.repeat(0x4000)}\r\n`)),
          Buffer.from('0\r\n\r\n'),
        ]),
      );
      assert.ok(statusOf(x.text) === 413 || statusOf(x.text) === 0, x.text.slice(0, 200));
      assert.notEqual(statusOf(x.text), 200);
      // a logged-in caller with the capability uploads more than 32 KB
      const c = await s.login('binhe', DEMO.password);
      const csv = fs.readFileSync(path.join(ROOT, 'tests/fixtures/people_good.csv'), 'utf8');
      const padded = csv.trimEnd() + '\n' + '\n'.repeat(40 * 1024);
      r = await req(s.port, 'POST', '/api/v1/imports/people?dry_run=1', {headers: {'Content-Type': 'text/csv', Authorization: `Bearer ${c.token}`}, body: padded});
      assert.notEqual(r.status, 413, r.text);
      assert.notEqual(r.status, 503, r.text);
      // one without it (a resident) does not
      const jumin = await s.login('jumin', DEMO.password);
      r = await req(s.port, 'POST', '/api/v1/imports/people?dry_run=1', {headers: {'Content-Type': 'text/csv', Authorization: `Bearer ${jumin.token}`}, body: padded});
      assert.equal(r.status, 413);
      // Open311: the api_key in the query, or first in the form, allows a large body
      const key = (await s.cli(['apikey', 'create', '滨河热线', '--place', '140930100010'])).stdout.trim();
      const fields = `service_code=streetlight&address_id=140930100010&description=${encodeURIComponent('路灯不亮')}&pad=${big}`;
      r = await req(s.port, 'POST', `/open311/v2/requests.json?api_key=${key}`, {headers: form, body: fields});
      assert.equal(r.status, 200, r.text);
      r = await req(s.port, 'POST', '/open311/v2/requests.json', {headers: form, body: `api_key=${key}&${fields}`});
      assert.equal(r.status, 200, r.text);
      const mp = multipart('KKKK', [
        {head: 'Content-Disposition: form-data; name="api_key"', body: key},
        {head: 'Content-Disposition: form-data; name="service_code"', body: 'streetlight'},
        {head: 'Content-Disposition: form-data; name="address_id"', body: '140930100010'},
        {head: 'Content-Disposition: form-data; name="media"; filename="a.bin"\r\nContent-Type: application/octet-stream', body: Buffer.alloc(40 * 1024, 0xff)},
      ]);
      r = await req(s.port, 'POST', '/open311/v2/requests.json', {headers: {'Content-Type': 'multipart/form-data; boundary=KKKK'}, body: mp});
      assert.equal(r.status, 200, r.text);
      // the key after the large part, or a wrong key: small limit
      r = await req(s.port, 'POST', '/open311/v2/requests.json', {headers: form, body: `${fields}&api_key=${key}`});
      assert.equal(r.status, 413);
      r = await req(s.port, 'POST', '/open311/v2/requests.json', {headers: form, body: `api_key=lk_${'0'.repeat(64)}&${fields}`});
      assert.equal(r.status, 413);
    } finally {
      await s.stop();
    }
  });

  test('many connections with large bodies: memory stays bounded and the server answers', async () => {
    // a budget of 24 MiB for all bodies at once; 48 uploads of 8 MiB each
    const s = await startServer({store, args: ['--body-budget-mb', '24']});
    try {
      const c = await s.login('binhe', DEMO.password);
      const before = procStatus(s.proc.pid);
      const size = 8 * 1024 * 1024;
      const body = Buffer.alloc(size, 0x41);
      const one = (auth) =>
        upload(
          s.port,
          `POST /api/v1/orders/999999999/photos HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/jpeg\r\n` +
            (auth ? `Authorization: Bearer ${c.token}\r\n` : '') +
            `Content-Length: ${size}\r\n`,
          body,
        );
      // 48 anonymous and 48 logged-in uploads at once
      const results = await Promise.all([...Array.from({length: 48}, () => one(false)), ...Array.from({length: 48}, () => one(true))]);
      const after = procStatus(s.proc.pid);
      const anon = results.slice(0, 48).map((x) => statusOf(x.text));
      const authed = results.slice(48).map((x) => statusOf(x.text));
      assert.ok(anon.every((st) => st === 413), `anonymous: ${anon}`);
      // read to the end and answered (no such order), or refused for the budget
      const read = authed.filter((st) => st === 404).length;
      assert.ok(read >= 1 && read <= 48, `logged in: ${authed}`);
      assert.ok(authed.every((st) => st === 404 || st === 503), `logged in: ${authed}`);
      assert.ok(authed.some((st) => st === 503), `logged in: ${authed}`);
      // 96 uploads of 8 MiB offered; before, every one was read and buffered
      // (over 700 MiB). Now at most the budget at once, plus the sanitizer's
      // quarantine of what was freed.
      const grownMiB = (after.hwm - before.hwm) / 1024;
      assert.ok(grownMiB < 200, `VmHWM grew by ${grownMiB.toFixed(0)} MiB`);
      console.log(`# VmHWM grew by ${grownMiB.toFixed(1)} MiB; logged-in uploads read: ${read} of 48`);
      // still answering, and nothing of the budget is left held
      assert.equal((await req(s.port, 'GET', '/login')).status, 200);
      assert.equal((await c.get('/api/v1/me')).status, 200);
      const again = await one(true);
      assert.equal(statusOf(again.text), 404, again.text.slice(0, 300));
    } finally {
      await s.stop();
    }
  });

  test('connections per address are limited; other addresses and trusted proxies are not', async () => {
    const s = await startServer({store, args: ['--conns-per-address', '4', '--trusted-proxy', '127.0.0.3']});
    const open = [];
    try {
      // four keep-alive connections from 127.0.0.2, each answered once (so counted)
      const keepAlive = (localAddress) =>
        new Promise((resolve, reject) => {
          const sock = net.connect({host: '127.0.0.1', port: s.port, localAddress});
          sock.once('error', reject);
          sock.once('data', (d) => resolve({sock, text: d.toString('latin1')}));
          sock.on('connect', () => sock.write('GET /login HTTP/1.1\r\nHost: x\r\n\r\n'));
        });
      for (let i = 0; i < 4; i++) {
        const k = await keepAlive('127.0.0.2');
        assert.equal(statusOf(k.text), 200);
        open.push(k.sock);
      }
      const fifth = await rawExchange(s.port, 'GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {localAddress: '127.0.0.2'});
      assert.equal(statusOf(fifth.text), 0, 'a fifth connection from 127.0.0.2 is closed unanswered');
      // another address is served
      assert.equal((await req(s.port, 'GET', '/login', {localAddress: '127.0.0.4'})).status, 200);
      // a trusted proxy is never counted
      for (let i = 0; i < 6; i++) {
        const k = await keepAlive('127.0.0.3');
        assert.equal(statusOf(k.text), 200);
        open.push(k.sock);
      }
      // closing one lets the address in again (the server sees the close soon)
      open.shift().destroy();
      let ok = false;
      for (let i = 0; i < 100 && !ok; i++) {
        const x = await rawExchange(s.port, 'GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {localAddress: '127.0.0.2'});
        ok = statusOf(x.text) === 200;
        if (!ok) await sleep(50);
      }
      assert.ok(ok, 'served again after a connection closed');
    } finally {
      for (const k of open) k.destroy();
      await s.stop();
    }
  });

  test('X-Forwarded-For and -Proto only from a trusted proxy', async () => {
    // 127.0.0.1 is the proxy; 127.0.0.2 is a client that forges the headers
    const s = await startServer({store, args: ['--trusted-proxy', '127.0.0.1/32', '--trusted-proxy', '10.0.0.0/8']});
    try {
      const login = (localAddress, headers) =>
        req(s.port, 'POST', '/api/v1/auth/login', {
          localAddress,
          headers: {'Content-Type': 'application/json', ...headers},
          body: JSON.stringify({username: 'binhe', password: DEMO.password}),
        });
      const lastIp = () => s.sql("SELECT note FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1")[0][0];
      let r = await login('127.0.0.1', {'X-Forwarded-For': '198.51.100.9, 203.0.113.7, 10.1.2.3', 'X-Forwarded-Proto': 'https'});
      assert.equal(r.status, 200);
      assert.equal(lastIp(), '203.0.113.7', 'the rightmost address that is not a trusted proxy');
      assert.match(String(r.headers['set-cookie']), /; Secure/);
      r = await login('127.0.0.2', {'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https'});
      assert.equal(r.status, 200);
      assert.equal(lastIp(), '127.0.0.2');
      assert.doesNotMatch(String(r.headers['set-cookie']), /Secure/);
      r = await login('127.0.0.1', {'X-Forwarded-For': 'garbage, 2001:db8::7'});
      assert.equal(lastIp(), '2001:db8::7');
      r = await login('127.0.0.1', {});
      assert.equal(lastIp(), '127.0.0.1');
      assert.doesNotMatch(String(r.headers['set-cookie']), /Secure/);
      // an invalid CIDR stops the server before it serves
      const bad = await s.cli(['serve', '--listen', '127.0.0.1:1', '--trusted-proxy', '10.0.0.0/33']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /trusted-proxy/);
    } finally {
      await s.stop();
    }
  });

  test('behind a real nginx, one client failing logins does not lock out the others', async () => {
    const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
    assert.ok(nginx, 'nginx is needed (tools/deps.sh test installs nginx-light)');
    const s = await startServer({store, args: ['--trusted-proxy', '127.0.0.1']});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-nginx-'));
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${s.port};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
    );
    const ng = spawn(nginx, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {stdio: ['ignore', 'ignore', 'pipe']});
    let ngErr = '';
    ng.stderr.on('data', (d) => (ngErr += d));
    try {
      let up = false;
      for (let i = 0; i < 200 && !up; i++) {
        try {
          up = (await req(port, 'GET', '/login')).status === 200;
        } catch {
          await sleep(50);
        }
      }
      assert.ok(up, `nginx did not come up: ${ngErr}`);
      const login = (localAddress, username, password) =>
        req(port, 'POST', '/api/v1/auth/login', {localAddress, headers: {'Content-Type': 'application/json'}, body: JSON.stringify({username, password})});
      // client A (127.0.0.2) fails until it is limited, each time another name
      let limited = false;
      for (let i = 0; i < 200 && !limited; i++) limited = (await login('127.0.0.2', `nobody${i}`, 'wrong')).status === 429;
      assert.ok(limited, 'client A is rate-limited');
      // client B (127.0.0.5), through the same proxy, still logs in
      const b = await login('127.0.0.5', 'binhe', DEMO.password);
      assert.equal(b.status, 200, b.text);
      const ip = s.sql("SELECT note FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1")[0][0];
      assert.equal(ip, '127.0.0.5');
      assert.equal((await login('127.0.0.2', 'binhe', DEMO.password)).status, 429);
    } finally {
      ng.kill('SIGTERM');
      await new Promise((res) => (ng.exitCode !== null ? res() : ng.once('exit', res)));
      fs.rmSync(dir, {recursive: true, force: true});
      await s.stop();
    }
  });
});
