// 双评价 and selections (docs/evaluation.md): audit recipes for the write
// routes (API and page forms), an out-of-scope id for each new id_entity, and
// their samples.
import { DEMO } from '../../lib/harness.mjs';

const BINHE = '140930100010';

// An in-service member of 滨河社区 not yet evaluated by the community for year.
async function unrated(x, year) {
  const r = await x.api.get(`/api/v1/dual-reviews?place=${BINHE}&year=${year}&limit=500`);
  x.ok(r);
  const m = r.body.items.find((i) => !i.community_evaluation);
  if (!m) throw new Error(`no unrated in-service member in ${BINHE} for ${year}`);
  return m.id;
}

let seq = 0;
// A selection of 滨河社区 open today (binhe manages it).
async function selection(x, kind = 'household') {
  const r = await x.api.post('/api/v1/selections', { name: `审计评选${++seq}`, candidate_kind: kind, place_code: BINHE, opens_on: '2020-01-01', closes_on: '2099-12-31', points: '0' });
  x.ok(r);
  return r.body.id;
}
// jumin nominates their own household; the nomination's id.
async function nominated(x, sel) {
  const jumin = await x.s.login('jumin', DEMO.password);
  const r = await jumin.post(`/api/v1/selections/${sel}/nominations`, { self: true, reason: '审计用提名理由' });
  x.ok(r);
  return r.body.id;
}

export const recipes = {
  'POST /api/v1/selections': async (x) => { await selection(x); return { entity: 'selection', action: 'create' }; },
  'POST /selections': async (x) => {
    x.ok(await x.page.postFormRaw('/selections', { name: `页面评选${++seq}`, candidate_kind: 'person', place_code: BINHE, opens_on: '2020-01-01', closes_on: '2099-12-31' }));
    return { entity: 'selection', action: 'create' };
  },
  'POST /api/v1/selections/{id}/nominations': async (x) => {
    await nominated(x, await selection(x));
    return { entity: 'selection_nomination', action: 'nominate_self', actor: 'jumin' };
  },
  'POST /selections/{id}/nominate': async (x) => {
    const sel = await selection(x);
    const b = await x.s.browserLogin('jumin', DEMO.password);
    x.ok(await b.postFormRaw(`/selections/${sel}/nominate`, { self: '1', reason: '页面自荐理由' }));
    return { entity: 'selection_nomination', action: 'nominate_self', actor: 'jumin' };
  },
  'POST /api/v1/selection-nominations/{id}/review': async (x) => {
    const id = await nominated(x, await selection(x));
    x.ok(await x.api.post(`/api/v1/selection-nominations/${id}/review`, { decision: 'approve' }));
    return { entity: 'selection_nomination', action: 'approve' };
  },
  'POST /selection-nominations/{id}/review': async (x) => {
    const id = await nominated(x, await selection(x));
    x.ok(await x.page.postFormRaw(`/selection-nominations/${id}/review`, { decision: 'reject', reason: '材料不足' }));
    return { entity: 'selection_nomination', action: 'reject' };
  },
  'POST /api/v1/selections/{id}/publish': async (x) => {
    const sel = await selection(x);
    x.ok(await x.api.post(`/api/v1/selections/${sel}/publish`, {}));
    return { entity: 'selection', action: 'publish' };
  },
  'POST /selections/{id}/publish': async (x) => {
    const sel = await selection(x);
    x.ok(await x.page.postFormRaw(`/selections/${sel}/publish`, {}));
    return { entity: 'selection', action: 'publish' };
  },
  'POST /api/v1/dual-reviews/{id}/evaluations': async (x) => {
    const id = await unrated(x, '2025');
    x.ok(await x.api.post(`/api/v1/dual-reviews/${id}/evaluations`, { year: '2025', side: 'community', grade: 'excellent', comment: '审计' }));
    return { entity: 'dual_review', action: 'create' };
  },
  'POST /dual-review/{id}/evaluate': async (x) => {
    const id = await unrated(x, '2024');
    x.ok(await x.page.postFormRaw(`/dual-review/${id}/evaluate`, { year: '2024', side: 'community', grade: 'competent' }));
    return { entity: 'dual_review', action: 'create' };
  },
};

export const outsideIds = {
  dual_review_member: (ids) => ids.dual_review_member,
  selection: (ids) => ids.selection,
  selection_nomination: (ids) => ids.selection_nomination,
};

// A registered in-service member living in the community — for the other
// community, one who does not work at bumen's 县住建局 (bumen would see them
// as their work unit, rightly).
export async function samples(admin, which, ids) {
  const r = await admin.get(`/api/v1/dual-reviews?place=${ids.place}&limit=500`);
  if (r.status !== 200) return;
  const m = r.body.items.find((i) => i.work_org_name !== '河曲县住房和城乡建设管理局');
  if (m) ids.dual_review_member = m.id;
  // a selection of the community, open, with one nomination made by staff
  const s = await admin.post('/api/v1/selections', { name: `样例评选${which}`, candidate_kind: 'person', place_code: ids.place, opens_on: '2020-01-01', closes_on: '2099-12-31' });
  if (s.status !== 201) return;
  ids.selection = s.body.id;
  if (ids.person) {
    const n = await admin.post(`/api/v1/selections/${s.body.id}/nominations`, { person_id: ids.person, reason: '样例提名理由' });
    if (n.status === 201) ids.selection_nomination = n.body.id;
  }
}
