// The route-table-generated tests (audit_walk, scope) take per-area additions
// from tests/api/recipes/*.mjs, so that each capability brings its own
// recipes without editing the generated tests. A module may export:
//
//   recipes     {"METHOD path": async (x) => ({entity, action, actor?})}  audit_walk
//   outsideIds  {id_entity: (ids) => id}                                   scope
//   samples     async (admin, which, ids) => void: adds ids[entity]        samples.mjs
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIR = join(import.meta.dirname, '..', 'api', 'recipes');

let loaded;
export async function extensions() {
  if (!loaded) {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.mjs')).sort();
    loaded = await Promise.all(files.map((f) => import(pathToFileURL(join(DIR, f)).href)));
  }
  return loaded;
}

// Merges one export of every module; a key defined twice is an error.
export async function merged(name, base = {}) {
  const out = { ...base };
  for (const m of await extensions()) {
    for (const [k, v] of Object.entries(m[name] || {})) {
      if (k in out) throw new Error(`tests/api/recipes: ${name} key "${k}" defined twice`);
      out[k] = v;
    }
  }
  return out;
}
