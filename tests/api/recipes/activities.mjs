// Activities 活动 (docs/activities.md): audit recipes for every write route,
// API and page forms, out-of-scope ids for the `activity` and
// `activity_series` id_entity values, and the samples behind them. The
// generated tests run on the real clock, so times are relative to now.
const BINHE = '140930100010';
let seq = 0;

const iso = (minutes) => new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const event = (place, over = {}) => ({
  kind: 'lecture', title: `审计讲座${++seq}`, place_code: place, capacity: 5,
  starts_at: iso(7 * 24 * 60), ends_at: iso(7 * 24 * 60 + 60), ...over,
});
const series = (place) => ({
  kind: 'after_school', title: `审计课堂${++seq}`, place_code: place, capacity: 5, freq: 'weekly',
  weekdays: [2], from: iso(24 * 60).slice(0, 10), until: iso(22 * 24 * 60).slice(0, 10),
  start_time: '16:30', duration_minutes: 90,
});

async function made(client, body = event(BINHE)) {
  const r = await client.post('/api/v1/activities', body);
  if (r.status !== 201) throw new Error(`activity: ${r.status} ${r.text}`);
  return r.body.id;
}

// An activity binhe signed up for whose check-in window is open now: made in
// the future (sign-up closes at the start), then moved to have started.
async function openForCheckin(x) {
  const id = await made(x.api, event(BINHE, {starts_at: iso(20), ends_at: iso(120)}));
  x.ok(await x.api.post(`/api/v1/activities/${id}/signup`, {}));
  x.ok(await x.api.patch(`/api/v1/activities/${id}`, {starts_at: iso(-10), ends_at: iso(120)}));
  return id;
}
async function code(x, id) {
  const r = await x.api.get(`/api/v1/activities/${id}/code`);
  if (r.status !== 200) throw new Error(`code: ${r.status} ${r.text}`);
  return r.body.code;
}
async function checkedIn(x) {
  const id = await openForCheckin(x);
  x.ok(await x.api.post(`/api/v1/activities/${id}/checkin`, {code: await code(x, id)}));
  const list = await x.api.get(`/api/v1/activities/${id}/signups`);
  return {id, signup: list.body.items.find((s) => s.username === 'binhe').id};
}

export const recipes = {
  'POST /api/v1/activities': async (x) => {
    await made(x.api);
    return {entity: 'activity', action: 'create'};
  },
  'POST /activities': async (x) => {
    const b = event(BINHE);
    x.ok(await x.page.postFormRaw('/activities', {...b, starts_at: '2030-05-01T09:00', ends_at: '2030-05-01T10:00'}));
    return {entity: 'activity', action: 'create'};
  },
  'PATCH /api/v1/activities/{id}': async (x) => {
    x.ok(await x.api.patch(`/api/v1/activities/${await made(x.api)}`, {capacity: 8}));
    return {entity: 'activity', action: 'update'};
  },
  'POST /activities/{id}': async (x) => {
    const b = event(BINHE);
    const id = await made(x.api, b);
    x.ok(await x.page.postFormRaw(`/activities/${id}`, {kind: b.kind, title: b.title, place_code: BINHE, capacity: '9', starts_at: '2030-05-02T09:00', ends_at: '2030-05-02T11:00'}));
    return {entity: 'activity', action: 'update'};
  },
  'POST /api/v1/activities/{id}/cancel': async (x) => {
    x.ok(await x.api.post(`/api/v1/activities/${await made(x.api)}/cancel`, {}));
    return {entity: 'activity', action: 'cancel'};
  },
  'POST /activities/{id}/cancel': async (x) => {
    x.ok(await x.page.postFormRaw(`/activities/${await made(x.api)}/cancel`, {}));
    return {entity: 'activity', action: 'cancel'};
  },
  'POST /api/v1/activities/{id}/signup': async (x) => {
    x.ok(await x.api.post(`/api/v1/activities/${await made(x.api)}/signup`, {}));
    return {entity: 'activity_signup', action: 'signup'};
  },
  'POST /activities/{id}/signup': async (x) => {
    x.ok(await x.page.postFormRaw(`/activities/${await made(x.api)}/signup`, {}));
    return {entity: 'activity_signup', action: 'signup'};
  },
  'DELETE /api/v1/activities/{id}/signup': async (x) => {
    const id = await made(x.api);
    x.ok(await x.api.post(`/api/v1/activities/${id}/signup`, {}));
    x.ok(await x.api.del(`/api/v1/activities/${id}/signup`));
    return {entity: 'activity_signup', action: 'withdraw'};
  },
  'POST /activities/{id}/withdraw': async (x) => {
    const id = await made(x.api);
    x.ok(await x.api.post(`/api/v1/activities/${id}/signup`, {}));
    x.ok(await x.page.postFormRaw(`/activities/${id}/withdraw`, {}));
    return {entity: 'activity_signup', action: 'withdraw'};
  },
  'POST /api/v1/activities/{id}/checkin': async (x) => {
    await checkedIn(x);
    return {entity: 'activity_signup', action: 'checkin'};
  },
  'POST /activities/{id}/checkin': async (x) => {
    const id = await openForCheckin(x);
    x.ok(await x.page.postFormRaw(`/activities/${id}/checkin`, {code: await code(x, id)}));
    return {entity: 'activity_signup', action: 'checkin'};
  },
  'POST /api/v1/activities/{id}/manual-checkin': async (x) => {
    const id = await openForCheckin(x);
    const list = await x.api.get(`/api/v1/activities/${id}/signups`);
    const signup = list.body.items.find((s) => s.username === 'binhe').id;
    x.ok(await x.api.post(`/api/v1/activities/${id}/manual-checkin`, {signup_id: signup}));
    return {entity: 'activity_signup', action: 'checkin'};
  },
  'POST /activities/{id}/manual-checkin': async (x) => {
    const id = await openForCheckin(x);
    const list = await x.api.get(`/api/v1/activities/${id}/signups`);
    const signup = list.body.items.find((s) => s.username === 'binhe').id;
    x.ok(await x.page.postFormRaw(`/activities/${id}/manual-checkin`, {signup_id: String(signup)}));
    return {entity: 'activity_signup', action: 'checkin'};
  },
  'POST /api/v1/activities/{id}/service': async (x) => {
    const {id, signup} = await checkedIn(x);
    x.ok(await x.api.post(`/api/v1/activities/${id}/service`, {signup_id: signup, hours: 1.5}));
    return {entity: 'activity_signup', action: 'serve'};
  },
  'POST /activities/{id}/service': async (x) => {
    const {id, signup} = await checkedIn(x);
    x.ok(await x.page.postFormRaw(`/activities/${id}/service`, {signup_id: String(signup), hours: ''}));
    return {entity: 'activity_signup', action: 'serve'};
  },
  'POST /api/v1/activity-series': async (x) => {
    x.ok(await x.api.post('/api/v1/activity-series', series(BINHE)));
    return {entity: 'activity_series', action: 'create'};
  },
  'POST /activity-series': async (x) => {
    const b = series(BINHE);
    x.ok(await x.page.postFormRaw('/activity-series', {...b, weekdays: '2', capacity: '5', duration_minutes: '90'}));
    return {entity: 'activity_series', action: 'create'};
  },
  'PATCH /api/v1/activity-series/{id}': async (x) => {
    const r = await x.api.post('/api/v1/activity-series', series(BINHE));
    x.ok(r);
    x.ok(await x.api.patch(`/api/v1/activity-series/${r.body.id}`, {start_time: '15:00'}));
    return {entity: 'activity_series', action: 'update'};
  },
  'POST /activity-series/{id}': async (x) => {
    const b = series(BINHE);
    const r = await x.api.post('/api/v1/activity-series', b);
    x.ok(r);
    x.ok(await x.page.postFormRaw(`/activity-series/${r.body.id}`, {kind: b.kind, title: b.title, place_code: BINHE, capacity: '6', start_time: '15:30', duration_minutes: '60'}));
    return {entity: 'activity_series', action: 'update'};
  },
};

export const outsideIds = {
  activity: (ids) => ids.activity, // an activity of the other community
  activity_series: (ids) => ids.activity_series,
};

export async function samples(admin, which, ids) {
  const a = await admin.post('/api/v1/activities', event(ids.place));
  if (a.status === 201) ids.activity = a.body.id;
  const sr = await admin.post('/api/v1/activity-series', series(ids.place));
  if (sr.status === 201) ids.activity_series = sr.body.id;
}
