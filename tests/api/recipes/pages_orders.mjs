// Audit recipes of the work-order pages and of order photos (issue 3): each
// makes one successful call as binhe and names the audit entry it leaves.
// Their {id} routes name an `order`, whose out-of-scope id the scope test
// already has, so there are no outsideIds here.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

const newOrder = async (x) => {
  const o = await x.api.post('/api/v1/orders', { category_code: 'streetlight', place_code: x.household, channel: 'visit', title: '审计工单', description: '路灯不亮' });
  x.ok(o);
  return o.body.id;
};

export const recipes = {
  'POST /orders': async (x) => {
    x.ok(await x.page.postFormRaw('/orders', { category_code: 'streetlight', place_code: x.household, channel: 'grid', title: '页面代录工单', description: '路灯不亮', urgency: 'normal', scope_size: 'household' }));
    return { entity: 'order', action: 'create' };
  },
  'POST /orders/{id}/events': async (x) => {
    const id = await newOrder(x);
    x.ok(await x.page.postFormRaw(`/orders/${id}/events`, { event: 'accept' }));
    return { entity: 'order', action: 'accept' };
  },
  'POST /api/v1/orders/{id}/photos': async (x) => {
    const id = await newOrder(x);
    x.ok(await x.api.raw('POST', `/api/v1/orders/${id}/photos?stage=intake`, { headers: { 'Content-Type': 'image/png' }, body: PNG }));
    return { entity: 'order', action: 'photo' };
  },
};

export const outsideIds = {};
