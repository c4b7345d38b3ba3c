// Micro-wishes 微心愿 (docs/wishes.md): audit recipes for every write route —
// API, page forms and the public volunteer sign-up — an out-of-scope id for
// the `wish` id_entity (a wish of the other community still waiting for
// review, which nobody outside that community may see), and its samples.
import { DEMO } from '../../lib/harness.mjs';

export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

let seq = 0;
// A fresh mainland mobile number per call (the sign-up's username).
export const phone = () => `139${String((Date.now() * 7 + ++seq * 7919) % 1e8).padStart(8, '0')}`;

// binhe posts a wish for a child in 滨河社区; approve: also publishes it.
async function staffWish(x, approve = false) {
  const w = await x.api.post('/api/v1/wishes', { kind: 'child', title: `审计心愿${++seq}`, place_code: '140930100010' });
  x.ok(w);
  if (approve) x.ok(await x.api.post(`/api/v1/wishes/${w.body.id}/review`, { decision: 'approve' }));
  return w.body.id;
}

async function claimed(x) {
  const id = await staffWish(x, true);
  const v = await x.s.login('dangyuan', DEMO.password);
  x.ok(await v.post(`/api/v1/wishes/${id}/claim`, {}));
  return { id, v };
}

async function fulfilled(x) {
  const { id, v } = await claimed(x);
  const fd = new FormData();
  fd.append('note', '已送到');
  fd.append('photo', new Blob([PNG], { type: 'image/png' }), 'done.png');
  x.ok(await v.raw('POST', `/api/v1/wishes/${id}/fulfil`, { body: fd }));
  return id;
}

export const recipes = {
  'POST /api/v1/wishes': async (x) => { await staffWish(x); return { entity: 'wish', action: 'create' }; },
  'POST /api/v1/wishes/{id}/review': async (x) => { await staffWish(x, true); return { entity: 'wish', action: 'approve' }; },
  'POST /api/v1/wishes/{id}/claim': async (x) => { await claimed(x); return { entity: 'wish', action: 'claim', actor: 'dangyuan' }; },
  'POST /api/v1/wishes/{id}/fulfil': async (x) => { await fulfilled(x); return { entity: 'wish', action: 'fulfil', actor: 'dangyuan' }; },
  'POST /api/v1/wishes/{id}/confirm': async (x) => {
    const id = await fulfilled(x);
    x.ok(await x.api.post(`/api/v1/wishes/${id}/confirm`, {}));
    return { entity: 'wish', action: 'achieve' };
  },
  'POST /api/v1/volunteers/signup': async (x) => {
    const p = phone();
    x.ok(await x.s.client().post('/api/v1/volunteers/signup', { name: '审计志愿者', phone: p, password: 'pass12345', community: '140930100010' }));
    return { entity: 'account', action: 'signup', actor: p };
  },
  'POST /volunteer/signup': async (x) => {
    const p = phone();
    const form = new URLSearchParams({ name: '页面志愿者', phone: p, password: 'pass12345', community: '140930100010' });
    x.ok(await x.s.client().raw('POST', '/volunteer/signup', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }));
    return { entity: 'account', action: 'signup', actor: p };
  },
  'POST /wishes': async (x) => {
    x.ok(await x.page.postFormRaw('/wishes', { kind: 'elder', title: '页面代发心愿', place_code: '140930100010' }));
    return { entity: 'wish', action: 'create' };
  },
  'POST /wishes/{id}/review': async (x) => {
    const id = await staffWish(x);
    x.ok(await x.page.postFormRaw(`/wishes/${id}/review`, { decision: 'reject', reason: '内容重复' }));
    return { entity: 'wish', action: 'reject' };
  },
  'POST /wishes/{id}/claim': async (x) => {
    const id = await staffWish(x, true);
    const b = await x.s.browserLogin('dangyuan', DEMO.password);
    x.ok(await b.postFormRaw(`/wishes/${id}/claim`, {}));
    return { entity: 'wish', action: 'claim', actor: 'dangyuan' };
  },
  'POST /wishes/{id}/fulfil': async (x) => {
    const { id } = await claimed(x);
    const b = await x.s.browserLogin('dangyuan', DEMO.password);
    const html = await b.postMultipart(`/wishes/${id}/fulfil`, { note: '页面上传', photo: { filename: 'a.png', type: 'image/png', content: PNG } });
    x.ok({ status: b.last.status, body: html.replace(/\s+/g, ' ').slice(-600) });
    return { entity: 'wish', action: 'fulfil', actor: 'dangyuan' };
  },
  'POST /wishes/{id}/confirm': async (x) => {
    const id = await fulfilled(x);
    x.ok(await x.page.postFormRaw(`/wishes/${id}/confirm`, {}));
    return { entity: 'wish', action: 'achieve' };
  },
};

export const outsideIds = {
  wish: (ids) => ids.wish,
};

// A wish of each community, posted by its secretary's level and left pending.
export async function samples(admin, which, ids) {
  const r = await admin.post('/api/v1/wishes', { kind: 'child', title: `样例心愿${which}`, place_code: ids.place });
  if (r.status === 201) ids.wish = r.body.id;
}
