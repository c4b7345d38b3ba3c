// Every arrow points down (issue 11, point 5, and point 3 for io/ and cli/):
// a static check of the sources, no server.
//  - io/ includes nothing from cli/ (the commands live in cli/, the importers
//    and exporters they share with the pages and the API in io/);
//  - http/ includes nothing from pages/ or api/ (the HTML error page comes
//    through http_set_error_page());
//  - io/, cli/ and http/session.c hold no SQL and read no query column by a
//    literal number: store/ functions return structs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const src = join(import.meta.dirname, '..', '..', 'src');
const files = (dir) =>
    readdirSync(join(src, dir))
        .filter((f) => /\.[ch]$/.test(f))
        .map((f) => `${dir}/${f}`);
const text = (f) => readFileSync(join(src, f), 'utf8');

// Lines of f matching re, as "file:line: text".
function hits(list, re) {
    const out = [];
    for (const f of list)
        text(f)
            .split('\n')
            .forEach((l, i) => {
                if (re.test(l)) out.push(`${f}:${i + 1}: ${l.trim()}`);
            });
    return out;
}

test('io/ includes nothing from cli/', () => {
    assert.deepEqual(hits(files('io'), /#include\s+"cli\//), []);
});

test('http/ includes nothing from pages/ or api/', () => {
    assert.deepEqual(hits(files('http'), /#include\s+"(pages|api)\//), []);
});

test('no SQL in io/ and cli/', () => {
    const sql = /\b(DBQ|DBX|DBI|db_query|db_exec(_script)?)\s*\(|"\s*(SELECT|INSERT|UPDATE|DELETE|PRAGMA|VACUUM|LOCK)\s/;
    assert.deepEqual(hits([...files('io'), ...files('cli')], sql), []);
});

test('no query column read by a literal number in io/, cli/ and http/session.c', () => {
    const literal = /db_get(_int)?\([^,()]+, *[^,()]+, *[0-9]+\)/;
    assert.deepEqual(hits([...files('io'), ...files('cli'), 'http/session.c'], literal), []);
});
