// 吹哨报到, 部门买单, 督办/回访 and 处置层级 (tests/api/whistles.test.mjs,
// order_costs.test.mjs): audit recipes for their write routes, out-of-scope
// ids for their id_entity values, and samples in each community.
const BINHE_HOUSEHOLD = '140930100010001011001';

async function newOrder(api) {
  const r = await api.post('/api/v1/orders', { category_code: 'streetlight', place_code: BINHE_HOUSEHOLD, channel: 'visit', title: '审计工单', description: '路灯不亮' });
  if (r.status !== 201) throw new Error(`order: ${r.status} ${r.text}`);
  return r.body.id;
}

async function department(api, kind, i = 0) {
  const r = await api.get('/api/v1/whistle-kinds?place=140930');
  return r.body.items.find((k) => k.code === kind).departments[i].id;
}

export const recipes = {
  'PUT /api/v1/whistle-kinds/{code}': async (x) => {
    const xian = await x.s.login('xian'); // a county leader configures the county's kinds
    const r = await xian.get('/api/v1/whistle-kinds?place=140930');
    const k = r.body.items.find((y) => y.code === 'tackle');
    x.ok(await xian.put('/api/v1/whistle-kinds/tackle', { place_code: '140930', answer_minutes: k.answer_minutes, department_ids: k.departments.map((d) => d.id) }));
    return { entity: 'whistle_kind', action: 'update', actor: 'xian' };
  },
  'POST /api/v1/orders/{id}/whistles': async (x) => {
    x.ok(await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/whistles`, { kind: 'tackle', note: '审计' }));
    return { entity: 'whistle', action: 'whistle' };
  },
  'POST /api/v1/whistle-calls/{id}/report': async (x) => {
    const w = await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/whistles`, { kind: 'tackle' });
    x.ok(w);
    const bumen = await x.s.login('bumen');
    const mine = await bumen.get('/api/v1/whistle-calls?as=department&limit=500');
    const call = mine.body.items.find((c) => c.whistle_id === w.body.items[0].whistle_id);
    x.ok(await bumen.post(`/api/v1/whistle-calls/${call.id}/report`, { note: '已到场' }));
    return { entity: 'whistle_call', action: 'whistle_report', actor: 'bumen' };
  },
  'POST /api/v1/orders/{id}/costs': async (x) => {
    x.ok(await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/costs`, { org_id: await department(x.api, 'tackle'), amount: '12.30' }));
    return { entity: 'order_cost', action: 'propose' };
  },
  'POST /api/v1/order-costs/{id}/confirm': async (x) => {
    const k = await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/costs`, { org_id: await department(x.api, 'tackle'), amount: '1' });
    x.ok(k);
    const bumen = await x.s.login('bumen');
    x.ok(await bumen.post(`/api/v1/order-costs/${k.body.id}/confirm`, {}));
    return { entity: 'order_cost', action: 'confirm', actor: 'bumen' };
  },
  'POST /api/v1/order-costs/{id}/decline': async (x) => {
    const k = await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/costs`, { org_id: await department(x.api, 'tackle'), amount: '2' });
    x.ok(k);
    const bumen = await x.s.login('bumen');
    x.ok(await bumen.post(`/api/v1/order-costs/${k.body.id}/decline`, {}));
    return { entity: 'order_cost', action: 'decline', actor: 'bumen' };
  },
  'POST /api/v1/orders/{id}/tier': async (x) => {
    x.ok(await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/tier`, { tier: 'consult', participants: '居民代表', outcome: '物业维修' }));
    return { entity: 'order', action: 'tier' };
  },
  // the page forms
  'POST /orders/{id}/whistles': async (x) => {
    x.ok(await x.page.postFormRaw(`/orders/${await newOrder(x.api)}/whistles`, { kind: 'emergency', note: '页面吹哨' }));
    return { entity: 'whistle', action: 'whistle' };
  },
  'POST /whistle-calls/{id}/report': async (x) => {
    const w = await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/whistles`, { kind: 'tackle' });
    x.ok(w);
    const bumen = await x.s.login('bumen');
    const mine = await bumen.get('/api/v1/whistle-calls?as=department&limit=500');
    const call = mine.body.items.find((c) => c.whistle_id === w.body.items[0].whistle_id);
    const b = await x.s.browserLogin('bumen');
    x.ok(await b.postFormRaw(`/whistle-calls/${call.id}/report`, { note: '页面报到' }));
    return { entity: 'whistle_call', action: 'whistle_report', actor: 'bumen' };
  },
  'POST /orders/{id}/costs': async (x) => {
    x.ok(await x.page.postFormRaw(`/orders/${await newOrder(x.api)}/costs`, { org_id: await department(x.api, 'tackle'), amount: '3.50' }));
    return { entity: 'order_cost', action: 'propose' };
  },
  'POST /order-costs/{id}/confirm': async (x) => {
    const k = await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/costs`, { org_id: await department(x.api, 'tackle'), amount: '4' });
    x.ok(k);
    const b = await x.s.browserLogin('bumen');
    x.ok(await b.postFormRaw(`/order-costs/${k.body.id}/confirm`, {}));
    return { entity: 'order_cost', action: 'confirm', actor: 'bumen' };
  },
  'POST /order-costs/{id}/decline': async (x) => {
    const k = await x.api.post(`/api/v1/orders/${await newOrder(x.api)}/costs`, { org_id: await department(x.api, 'tackle'), amount: '5' });
    x.ok(k);
    const b = await x.s.browserLogin('bumen');
    x.ok(await b.postFormRaw(`/order-costs/${k.body.id}/decline`, {}));
    return { entity: 'order_cost', action: 'decline', actor: 'bumen' };
  },
  'POST /orders/{id}/tier': async (x) => {
    x.ok(await x.page.postFormRaw(`/orders/${await newOrder(x.api)}/tier`, { tier: 'tackle', note: '页面' }));
    return { entity: 'order', action: 'tier' };
  },
};

// Out of scope: the other community's order gets a 宣传哨 (whose departments
// do not include bumen's 住建局) and a cost named on the 民政局.
export const outsideIds = {
  whistle_kind: () => 'publicity', // county kinds: only a county leader may configure them
  whistle_call: (ids) => ids.whistle_call,
  order_cost: (ids) => ids.order_cost,
};

export async function samples(admin, which, ids) {
  if (!ids.order) return;
  const w = await admin.post(`/api/v1/orders/${ids.order}/whistles`, { kind: 'publicity', note: '样例' });
  if (w.status === 201) ids.whistle_call = w.body.items[0].id;
  const k = await admin.post(`/api/v1/orders/${ids.order}/costs`, { org_id: await department(admin, 'publicity'), amount: '10' });
  if (k.status === 201) ids.order_cost = k.body.id;
}
