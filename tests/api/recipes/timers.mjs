// Timers and notifications (docs/timers-and-notifications.md): audit recipes
// for the inbox and webhook write routes, out-of-scope ids for the
// `notification` and `webhook` id_entity values, and the samples behind them.
import { DEMO } from '../../lib/harness.mjs';

let seq = 0;

// A notification for the community's staff: staff file an order, accept it,
// resolve it on the spot and reopen it — 重新办理 tells the dispatchers.
async function reopenedOrder(client, household) {
  const o = await client.post('/api/v1/orders', { category_code: 'streetlight', place_code: household, channel: 'visit', title: '消息样例工单', description: '路灯不亮' });
  if (o.status !== 201) throw new Error(`order: ${o.status} ${o.text}`);
  for (const body of [{ event: 'accept' }, { event: 'resolve', result: '已修好', outcome: 'fixed' }, { event: 'reopen' }]) {
    const r = await client.post(`/api/v1/orders/${o.body.id}/events`, body);
    if (r.status !== 200) throw new Error(`${body.event}: ${r.status} ${r.text}`);
  }
  return o.body.id;
}

// The newest unread notification of a client (after reopenedOrder).
async function unread(client) {
  const r = await client.get('/api/v1/inbox?unread=1&limit=1');
  if (r.status !== 200 || !r.body.items.length) throw new Error(`inbox: ${r.status} ${r.text}`);
  return r.body.items[0].id;
}

// a name that never resolves (RFC 6761 .invalid): loopback targets are refused
// without LINLI_WEBHOOK_ALLOW_PRIVATE, and these hooks are never delivered to
const hook = () => ({ url: `http://hooks.example.invalid/audit-${++seq}`, place_code: '140930100010', kinds: 'breach' });

export const recipes = {
  'POST /api/v1/inbox/{id}/read': async (x) => {
    await reopenedOrder(x.api, x.household);
    x.ok(await x.api.post(`/api/v1/inbox/${await unread(x.api)}/read`, {}));
    return { entity: 'notification', action: 'read' };
  },
  'POST /inbox/{id}/read': async (x) => {
    await reopenedOrder(x.api, x.household);
    x.ok(await x.page.postFormRaw(`/inbox/${await unread(x.api)}/read`, {}));
    return { entity: 'notification', action: 'read' };
  },
  'POST /api/v1/webhooks': async (x) => {
    const r = await x.api.post('/api/v1/webhooks', hook());
    x.ok(r);
    x.ok(await x.api.del(`/api/v1/webhooks/${r.body.id}`)); // nothing to deliver to
    return { entity: 'webhook', action: 'create' };
  },
  'DELETE /api/v1/webhooks/{id}': async (x) => {
    const r = await x.api.post('/api/v1/webhooks', hook());
    x.ok(r);
    x.ok(await x.api.del(`/api/v1/webhooks/${r.body.id}`));
    return { entity: 'webhook', action: 'disable' };
  },
  'POST /webhooks': async (x) => {
    x.ok(await x.page.postFormRaw('/webhooks', hook()));
    return { entity: 'webhook', action: 'create' };
  },
  'POST /webhooks/{id}/disable': async (x) => {
    const r = await x.api.post('/api/v1/webhooks', hook());
    x.ok(r);
    x.ok(await x.page.postFormRaw(`/webhooks/${r.body.id}/disable`, {}));
    return { entity: 'webhook', action: 'disable' };
  },
};

export const outsideIds = {
  webhook: (ids) => ids.webhook, // a (disabled) webhook of the other community
  notification: (ids) => ids.notification, // a notification of the other community's secretary
};

export async function samples(admin, which, ids) {
  const w = await admin.post('/api/v1/webhooks', { url: `http://hooks.example.invalid/sample-${which}`, place_code: ids.place });
  if (w.status === 201) {
    ids.webhook = w.body.id;
    await admin.del(`/api/v1/webhooks/${w.body.id}`);
  }
  if (!ids.household) return;
  await reopenedOrder(admin, ids.household);
  const secretary = which === 'inside' ? 'binhe' : 'mayingwei';
  const login = await admin.raw('POST', '/api/v1/auth/login', { headers: { Authorization: '' }, body: { username: secretary, password: DEMO.password } });
  if (login.status !== 200) return;
  const box = await admin.get('/api/v1/inbox?limit=1', { headers: { Authorization: `Bearer ${login.body.token}` } });
  if (box.status === 200 && box.body.items.length) ids.notification = box.body.items[0].id;
}
