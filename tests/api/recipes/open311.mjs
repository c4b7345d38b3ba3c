// Audit recipes, out-of-scope ids and samples for Open311 API keys, Open311
// intake and the hotline / 12345 import (docs/open311.md).
let seq = 0;
const uniq = (p) => `${p}${Date.now() % 100000}${++seq}`;

async function newKey(x, place = '140930100010') {
  const r = await x.api.post('/api/v1/api-keys', { name: uniq('审计密钥'), place_code: place });
  x.ok(r);
  return r.body;
}

async function open311Post(x, format) {
  const k = await newKey(x);
  const form = new URLSearchParams({ api_key: k.key, service_code: 'streetlight', address_id: '140930100010', description: '路灯不亮（Open311 审计）' });
  const r = await x.s.client().raw('POST', `/open311/v2/requests.${format}`, { body: form });
  x.ok(r);
  return { entity: 'order', action: 'create', actor: `open311:${k.name}` };
}

// An order of the community, filed by staff, to hide from the public feed.
async function staffOrder(x) {
  const o = await x.api.post('/api/v1/orders', { category_code: 'streetlight', place_code: x.household, channel: 'visit', title: '审计工单', description: '路灯不亮' });
  x.ok(o);
  return o.body.id;
}

export const recipes = {
  'PUT /api/v1/orders/{id}/open311': async (x) => {
    x.ok(await x.api.put(`/api/v1/orders/${await staffOrder(x)}/open311`, { open311_hidden: true }));
    return { entity: 'order', action: 'open311_hide' };
  },
  'POST /orders/{id}/open311': async (x) => {
    x.ok(await x.page.postFormRaw(`/orders/${await staffOrder(x)}/open311`, { open311_hidden: '1' }));
    return { entity: 'order', action: 'open311_hide' };
  },
  'POST /api/v1/api-keys': async (x) => { await newKey(x); return { entity: 'api_key', action: 'create' }; },
  'POST /api/v1/api-keys/{id}/revoke': async (x) => {
    const k = await newKey(x);
    x.ok(await x.api.post(`/api/v1/api-keys/${k.id}/revoke`, {}));
    return { entity: 'api_key', action: 'revoke' };
  },
  'POST /api-keys': async (x) => {
    x.ok(await x.page.postFormRaw('/api-keys', { name: uniq('页面密钥'), place_code: '140930100010' }));
    return { entity: 'api_key', action: 'create' };
  },
  'POST /api-keys/{id}/revoke': async (x) => {
    const k = await newKey(x);
    x.ok(await x.page.postFormRaw(`/api-keys/${k.id}/revoke`, {}));
    return { entity: 'api_key', action: 'revoke' };
  },
  'POST /open311/v2/requests.json': (x) => open311Post(x, 'json'),
  'POST /open311/v2/requests.xml': (x) => open311Post(x, 'xml'),
  'POST /api/v1/orders/import': async (x) => {
    const csv = '工单编号,分类,地址编码,标题,内容,联系电话,紧急程度\n' +
      `${uniq('AUD')},路灯修缮,140930100010,路灯不亮,审计导入,13912345678,一般\n`;
    x.ok(await x.api.raw('POST', '/api/v1/orders/import', { headers: { 'Content-Type': 'text/csv' }, body: csv }));
    return { entity: 'orders', action: 'import' };
  },
};

export const outsideIds = {
  api_key: (ids) => ids.api_key, // a key of the other community
};

export async function samples(admin, which, ids) {
  const r = await admin.post('/api/v1/api-keys', { name: `样例密钥${which}`, place_code: ids.place });
  if (r.status === 201) ids.api_key = r.body.id;
}
