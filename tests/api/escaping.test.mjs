// Escaping is the easy path (issue 11, point 6): in src/pages/ every value that
// is not a literal reaches the page through an escaping verb — buf_html,
// buf_hprintf (every %s escaped), buf_url — never through buf_printf's %s or
// buf_puts of a variable, unless the line says `/* trusted: why */` (HTML this
// code built). This reads the C source: a call is found by its name and its
// parentheses, string literals stand for themselves, and a `cond ? "a" : "b"`
// of literals is a literal.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';

import {ROOT} from '../lib/harness.mjs';

// Page files not converted yet; each is taken off as it passes. The list may
// only shrink.
const NOT_YET = new Set([
]);

// The text of the call starting at `open` (the '(' after the name), with each
// string or character literal replaced by L, and where it ends.
function callArgs(src, open) {
  let depth = 0;
  let out = '';
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += 'L';
      i = j;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const j = src.indexOf('*/', i + 2);
      i = j + 1;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return {args: out.slice(1), end: i};
    out += c;
  }
  return {args: out.slice(1), end: src.length};
}

// Splits at top-level commas.
function splitArgs(s) {
  const parts = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

const LITS = /^\(?\s*L(\s*L)*\s*\)?$/;
function isLiteral(arg) {
  const a = arg.trim();
  if (LITS.test(a)) return true;
  const q = a.indexOf('?');
  if (q < 0) return false;
  // cond ? L : L, possibly nested in the branches
  return a.slice(q + 1).split(':').every((piece) => {
    const p = piece.trim().replace(/^\(|\)$/g, '').trim();
    const inner = p.lastIndexOf('?');
    return LITS.test(inner >= 0 ? p.slice(inner + 1).trim() : p);
  });
}

// The literal text of the format argument, for %s.
function literalText(src, open) {
  const m = src.slice(open).match(/^\(\s*[^,]+,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)/);
  return m ? m[1] : null;
}

function problems(file) {
  const src = fs.readFileSync(file, 'utf8');
  const out = [];
  const re = /\b(buf_puts|buf_printf)\s*\(/g;
  let m;
  while ((m = re.exec(src))) {
    const open = m.index + m[0].length - 1;
    const {args, end} = callArgs(src, open);
    const lineStart = src.lastIndexOf('\n', m.index) + 1;
    const lineEnd = src.indexOf('\n', end);
    const around = src.slice(lineStart, lineEnd < 0 ? src.length : lineEnd);
    if (/\/\*\s*trusted\b/.test(around)) continue;
    const line = src.slice(0, m.index).split('\n').length;
    const parts = splitArgs(args);
    if (m[1] === 'buf_puts') {
      if (!isLiteral(parts[1] || '')) out.push(`${path.basename(file)}:${line}: buf_puts of a value (use buf_html, or mark /* trusted: … */)`);
    } else {
      const fmt = literalText(src, open);
      if (fmt === null) out.push(`${path.basename(file)}:${line}: buf_printf with a format that is not a literal`);
      else if (/%[-+ #0-9.*]*s/.test(fmt)) out.push(`${path.basename(file)}:${line}: buf_printf with %s (use buf_hprintf, or mark /* trusted: … */)`);
    }
  }
  return out;
}

const dir = path.join(ROOT, 'src', 'pages');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.c')).sort();

test('page output of values goes through an escaping verb', () => {
  const found = [];
  for (const f of files) if (!NOT_YET.has(f)) found.push(...problems(path.join(dir, f)));
  if (process.env.LINLI_ESCAPING_LIST) fs.writeFileSync(process.env.LINLI_ESCAPING_LIST, found.join('\n') + '\n');
  assert.deepEqual(found, [], found.join('\n'));
});

test('the files not yet converted still have something to convert (the list only shrinks)', () => {
  const missing = [...NOT_YET].filter((f) => !files.includes(f));
  assert.deepEqual(missing, [], 'listed but do not exist');
  const pass = [...NOT_YET].filter((f) => !problems(path.join(dir, f)).length);
  if (process.env.LINLI_STALE_OUT) fs.appendFileSync(process.env.LINLI_STALE_OUT, pass.map((f) => `escaping\t${f}\n`).join(''));
  assert.deepEqual(pass, [], 'these pass: take them off NOT_YET');
});

test('the check finds what it is for', () => {
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'esc-')), 'x.c');
  fs.writeFileSync(tmp, [
    'buf_puts(o, name);',
    'buf_printf(o, "<b>%s</b>", name);',
    'buf_puts(o, ok ? "a" : "b");',
    'buf_puts(o, "<p>" "x");',
    'buf_printf(o, "%d", n);',
    'buf_puts(o, html); /* trusted: built above */',
  ].join('\n'));
  const p = problems(tmp);
  assert.equal(p.length, 2, p.join('\n'));
  assert.match(p[0], /x\.c:1: buf_puts/);
  assert.match(p[1], /x\.c:2: buf_printf with %s/);
});
