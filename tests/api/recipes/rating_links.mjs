// Audit recipes for the rating link 评价链接 (tests/api/rating_link.test.mjs).
export const recipes = {
  'POST /rate/{token}': async (x) => {
    const jumin = await x.s.login('jumin');
    const o = await jumin.post('/api/v1/orders', { category_code: 'streetlight', place_code: '140930100010001011001', title: '审计评价链接', description: '路灯不亮' });
    x.ok(o);
    for (const ev of [{ event: 'accept' }, { event: 'contact' }, { event: 'resolve', outcome: 'fixed', result: '已修好' }])
      x.ok(await x.api.post(`/api/v1/orders/${o.body.id}/events`, ev));
    const n = (await jumin.get('/api/v1/inbox?limit=20')).body.items.find((i) => i.kind === 'resolved' && i.order_id === o.body.id);
    const token = n.body.match(/\/rate\/([0-9a-f]{32})/)[1];
    const r = await fetch(`${x.s.url}/rate/${token}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'rating=basic' });
    x.ok({ status: r.status, body: await r.text() });
    return { entity: 'order', action: 'rate', actor: '群众（评价链接）' };
  },
};
