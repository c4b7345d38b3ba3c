// Points 积分 and the points supermarket (docs/points.md): audit recipes for
// every write route, API and page forms (binhe in 滨河社区), out-of-scope ids
// for the `points_movement` and `points_goods` id_entity values, and the
// samples behind them (a good and an award in each community, made by admin).
let seq = 0;
const src = () => 900000 + ++seq;

// A resident of 滨河社区 with a phone, for counter redemptions: she confirms
// with her whole phone number.
const resident = (x) => {
  // (not one whose record was revealed or registered through the API: to that account her number proves nothing)
  const [[id, phone]] = x.s.sql("SELECT id, phone FROM people p WHERE place_code >= '140930100010' AND place_code < '140930100010:' AND phone IS NOT NULL AND LENGTH(phone) >= 7 AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.entity = 'person' AND l.entity_id = CAST(p.id AS TEXT) AND l.action IN ('reveal', 'create')) ORDER BY id DESC LIMIT 1");
  return {id: Number(id), confirm: phone};
};
const newGoods = async (x, stock = 5) => {
  const g = await x.api.post('/api/v1/points/goods', {place_code: '140930100010', name: `审计商品${++seq}`, price: 1, stock, source: 'purchase'});
  x.ok(g);
  return g.body.id;
};
const newAward = async (x, person, points = 5) => {
  const r = await x.api.post('/api/v1/points/awards', {place_code: '140930100010', person_id: person, source_type: 'audit_test', source_id: src(), points});
  x.ok(r);
  return r.body.id;
};

export const recipes = {
  'POST /api/v1/points/awards': async (x) => {
    await newAward(x, x.person);
    return {entity: 'points_movement', action: 'award'};
  },
  'POST /api/v1/points/movements/{id}/reverse': async (x) => {
    const id = await newAward(x, x.person);
    x.ok(await x.api.post(`/api/v1/points/movements/${id}/reverse`, {reason: '审计冲正'}));
    return {entity: 'points_movement', action: 'reverse'};
  },
  'POST /api/v1/points/rules': async (x) => {
    x.ok(await x.api.post('/api/v1/points/rules', {place_code: '140930100010', source_type: 'audit_rule', name: '审计规则', points: 3, cap: 9, period: 'week'}));
    return {entity: 'points_rule', action: 'set'};
  },
  'POST /api/v1/points/goods': async (x) => {
    await newGoods(x);
    return {entity: 'points_goods', action: 'create'};
  },
  'PATCH /api/v1/points/goods/{id}': async (x) => {
    const id = await newGoods(x);
    x.ok(await x.api.patch(`/api/v1/points/goods/${id}`, {price: 2}));
    return {entity: 'points_goods', action: 'update'};
  },
  'POST /api/v1/points/goods/{id}/stock': async (x) => {
    const id = await newGoods(x);
    x.ok(await x.api.post(`/api/v1/points/goods/${id}/stock`, {stock: 3, source: 'donation', donor: '审计捐赠人'}));
    return {entity: 'points_goods', action: 'stock_in'};
  },
  'POST /api/v1/points/redemptions': async (x) => {
    const p = resident(x);
    await newAward(x, p.id);
    const g = await newGoods(x);
    x.ok(await x.api.post('/api/v1/points/redemptions', {goods_id: g, person_id: p.id, confirm: p.confirm}));
    return {entity: 'points_redemption', action: 'redeem'};
  },
  'POST /points/admin/rules': async (x) => {
    x.ok(await x.page.postFormRaw('/points/admin/rules', {place: '140930100010', place_code: '140930100010', source_type: 'audit_page', name: '页面规则', points: '4', cap: '0', period: 'month', active: '1', active_set: '1'}));
    return {entity: 'points_rule', action: 'set'};
  },
  'POST /points/admin/goods': async (x) => {
    x.ok(await x.page.postFormRaw('/points/admin/goods', {place: '140930100010', place_code: '140930100010', name: `页面商品${++seq}`, price: '3', stock: '2', source: 'donation', donor: '页面捐赠人'}));
    return {entity: 'points_goods', action: 'create'};
  },
  'POST /points/admin/goods/{id}/stock': async (x) => {
    const id = await newGoods(x);
    x.ok(await x.page.postFormRaw(`/points/admin/goods/${id}/stock`, {place: '140930100010', stock: '4', source: 'purchase'}));
    return {entity: 'points_goods', action: 'stock_in'};
  },
  'POST /points/admin/redeem': async (x) => {
    const p = resident(x);
    await newAward(x, p.id);
    const g = await newGoods(x);
    x.ok(await x.page.postFormRaw('/points/admin/redeem', {place: '140930100010', goods_id: String(g), person_id: String(p.id), confirm: p.confirm, qty: '1'}));
    return {entity: 'points_redemption', action: 'redeem'};
  },
  'POST /points/admin/award': async (x) => {
    x.ok(await x.page.postFormRaw('/points/admin/award', {place: '140930100010', place_code: '140930100010', person_id: String(x.person), source_type: 'audit_page', source_id: String(src()), points: '2'}));
    return {entity: 'points_movement', action: 'award'};
  },
  'POST /points/admin/reverse': async (x) => {
    const id = await newAward(x, x.person);
    x.ok(await x.page.postFormRaw('/points/admin/reverse', {place: '140930100010', movement_id: String(id), reason: '页面冲正'}));
    return {entity: 'points_movement', action: 'reverse'};
  },
  // a resident makes the one-time code she shows at the counter
  'POST /api/v1/points/me/code': async (x) => {
    const jumin = await x.s.login('jumin');
    x.ok(await jumin.post('/api/v1/points/me/code', {}));
    return {entity: 'points_code', action: 'issue', actor: 'jumin'};
  },
  'POST /points/code': async (x) => {
    const jumin = await x.s.browserLogin('jumin');
    x.ok(await jumin.postFormRaw('/points/code', {}));
    return {entity: 'points_code', action: 'issue', actor: 'jumin'};
  },
  // binhe has no person of their own: a resident redeems in their own community
  'POST /market/redeem': async (x) => {
    const [[pid]] = x.s.sql("SELECT person_id FROM accounts WHERE username = 'jumin'");
    await newAward(x, Number(pid), 1);
    const g = await newGoods(x);
    const jumin = await x.s.browserLogin('jumin');
    x.ok(await jumin.postFormRaw('/market/redeem', {goods_id: String(g), qty: '1'}));
    return {entity: 'points_redemption', action: 'redeem', actor: 'jumin'};
  },
};

export const outsideIds = {
  points_movement: (ids) => ids.points_movement, // an award in the other community
  points_goods: (ids) => ids.points_goods, // a good of the other community's supermarket
};

export async function samples(admin, which, ids) {
  const place = which === 'inside' ? '140930100010' : '140930100007';
  const g = await admin.post('/api/v1/points/goods', {place_code: place, name: `样例商品-${which}`, price: 5, stock: 2, source: 'purchase'});
  if (g.status === 201) ids.points_goods = g.body.id;
  if (!ids.person) return;
  const m = await admin.post('/api/v1/points/awards', {place_code: place, person_id: ids.person, source_type: 'sample', source_id: which === 'inside' ? 1 : 2, points: 1});
  if (m.status === 201 || m.status === 200) ids.points_movement = m.body.id;
}
