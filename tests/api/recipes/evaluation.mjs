// 双评价 and selections (docs/evaluation.md): audit recipes for the write
// routes (API and page forms), an out-of-scope id for each new id_entity, and
// their samples.
const BINHE = '140930100010';

// An in-service member of 滨河社区 not yet evaluated by the community for year.
async function unrated(x, year) {
  const r = await x.api.get(`/api/v1/dual-reviews?place=${BINHE}&year=${year}&limit=500`);
  x.ok(r);
  const m = r.body.items.find((i) => !i.community_evaluation);
  if (!m) throw new Error(`no unrated in-service member in ${BINHE} for ${year}`);
  return m.id;
}

export const recipes = {
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
};

// A registered in-service member living in the community — for the other
// community, one who does not work at bumen's 县住建局 (bumen would see them
// as their work unit, rightly).
export async function samples(admin, which, ids) {
  const r = await admin.get(`/api/v1/dual-reviews?place=${ids.place}&limit=500`);
  if (r.status !== 200) return;
  const m = r.body.items.find((i) => i.work_org_name !== '河曲县住房和城乡建设管理局');
  if (m) ids.dual_review_member = m.id;
}
