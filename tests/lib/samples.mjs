// Sample ids of the small demo for tests generated from the route table: for
// each id_entity a route may take, an id inside 滨河社区 (which binhe may see)
// and one outside it (in 马营围社区). Looked up through the API as admin.
export const INSIDE = '140930100010';   // 滨河社区
export const OUTSIDE = '140930100007';  // 马营围社区

import { extensions } from './extensions.mjs';

export async function first(client, path) {
  const r = await client.get(path);
  if (r.status !== 200 || !r.body.items || r.body.items.length === 0) return undefined;
  return r.body.items[0];
}

// Returns {entity: id} for the community INSIDE or OUTSIDE.
export async function sampleIds(admin, which = 'inside') {
  const place = which === 'inside' ? INSIDE : OUTSIDE;
  const ids = { place };
  const person = await first(admin, `/api/v1/residents?place=${place}&limit=1`);
  if (person) { ids.person = person.id; ids.household = person.place_code; }
  const org = await first(admin, `/api/v1/organisations?place=${place}&limit=1`);
  if (org) ids.organisation = org.id;
  const grid = await first(admin, `/api/v1/grids?place=${place}&limit=1`);
  if (grid) ids.grid = grid.id;
  const accounts = await admin.get('/api/v1/accounts?limit=500');
  const acct = accounts.body.items.find((a) => a.username === (which === 'inside' ? 'binhe' : 'mayingwei'));
  if (acct) {
    ids.account = acct.id;
    ids.grant = acct.grants[0] && acct.grants[0].id;
  }
  // a local 事项分类 of this community and a 责任清单 entry for it (made once)
  const code = `local_${place}`;
  let cat = await admin.get(`/api/v1/categories/${code}`);
  if (cat.status === 404)
    cat = await admin.post('/api/v1/categories', { code, name: '社区特色事项', parent_code: 'service', place_code: place });
  if (cat.status === 200 || cat.status === 201) ids.category = code;
  let resp = await first(admin, `/api/v1/responsibilities?category=${code}&limit=1`);
  if (!resp && ids.category && ids.organisation) {
    const r = await admin.post('/api/v1/responsibilities', { category_code: code, place_code: place, org_id: ids.organisation });
    if (r.status === 201) resp = r.body;
  }
  if (resp) ids.responsibility = resp.id;
  // a 党群服务阵地 sitting in this community (the demo has one or more)
  const station = await first(admin, `/api/v1/stations?place=${place}&limit=1`);
  if (station) ids.station = station.id;
  // a work order filed by staff in this community (order routes' {id})
  if (ids.household) {
    const o = await admin.post('/api/v1/orders', { category_code: 'streetlight', place_code: ids.household, channel: 'visit', title: '样例工单', description: '路灯不亮' });
    if (o.status === 201) ids.order = o.body.id;
  }
  for (const m of await extensions()) if (m.samples) await m.samples(admin, which, ids);
  return ids;
}
