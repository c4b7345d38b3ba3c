// `linli backup FILE` while the server runs: the copy is a complete database
// that linli opens (SQLite), or a pg_dump archive that pg_restore lists (PG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forEachStore, startServer, runLinli, DEMO } from '../lib/harness.mjs';

forEachStore('backup', (store) => {
  test('an online backup holds what was written before it', async () => {
    const s = await startServer({ store, demo: true });
    try {
      const c = await s.login('xian', DEMO.password);
      const made = await c.post('/api/v1/accounts', { username: 'before_backup', password: 'pass12345', role: 'grid_worker', place_code: '140930100010' });
      assert.equal(made.status, 201);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'linli-backup-')), store === 'sqlite' ? 'copy.db' : 'copy.dump');
      const r = await s.cli(['backup', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(existsSync(file) && statSync(file).size > 0);
      if (store === 'sqlite') {
        const list = await runLinli(['user', 'list', '--db', file]);
        assert.equal(list.code, 0, list.stderr);
        assert.match(list.stdout, /before_backup/);
        assert.match(list.stdout, /binhe/);
      } else {
        const l = spawnSync('pg_restore', ['--list', file], { encoding: 'utf8' });
        assert.equal(l.status, 0, l.stderr);
        assert.match(l.stdout, /TABLE DATA public accounts/);
      }
      const again = await s.cli(['backup', file]);
      assert.notEqual(again.code, 0, 'an existing file is never overwritten');
    } finally {
      await s.stop();
    }
  });
});
