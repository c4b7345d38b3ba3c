// One binder per operation (issue 11, point 1) for the two registries: the
// organisation and station pages read their forms through the API's binders,
// so a page saved unchanged changes nothing — not the 五有 flags, the
// secretary, the parent, the places served, the checklist, the N modules or
// the zones — and a box unchecked on the page is given as false.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {formValues} from '../lib/forms.mjs';
import {DEMO, forEachStore, startServer} from '../lib/harness.mjs';

forEachStore('registry pages saved unchanged change nothing', (store) => {
  let s, admin, page;
  before(async () => {
    s = await startServer({store});
    admin = await s.login('admin', DEMO.password);
    page = await s.browserLogin('admin', DEMO.password);
  });
  after(async () => {
    await s.stop();
  });

  test('an organisation: 五有, secretary, parent and places survive the page', async () => {
    const id = Number(s.sql("SELECT o.id FROM organisations o WHERE o.kind = 'branch' AND o.parent_id IS NOT NULL AND EXISTS (SELECT 1 FROM org_places p WHERE p.org_id = o.id) ORDER BY o.id LIMIT 1")[0][0]);
    const set = await admin.patch(`/api/v1/organisations/${id}`, {
      has_position: true, has_ledger: false, has_plan: null, secretary_way: 'elected', one_shoulder: true, phone: '0350-1234567'});
    assert.equal(set.status, 200, set.text);
    const want = (await admin.get(`/api/v1/organisations/${id}`)).body;
    assert.equal(want.five_haves.has_position, true);
    assert.equal(want.five_haves.has_plan, null);

    const fields = formValues(await page.get(`/organisations/${id}`), `/organisations/${id}`);
    assert.equal(fields.places_set, '1');
    const res = await page.postFormRaw(`/organisations/${id}`, fields);
    assert.equal(res.status, 303, res.text);
    assert.deepEqual((await admin.get(`/api/v1/organisations/${id}`)).body, want, 'saving the page unchanged changes nothing');

    // the page clears a flag ("" is not assessed) and the places, as the API can
    const cleared = await page.postFormRaw(`/organisations/${id}`, {...fields, _once: undefined, has_position: '', places: undefined, places_extra: ''});
    assert.equal(cleared.status, 303, cleared.text);
    const got = (await admin.get(`/api/v1/organisations/${id}`)).body;
    assert.equal(got.five_haves.has_position, null);
    assert.equal(got.n_places, 0);
  });

  test('a station: checklist, N modules, zones and places survive the page', async () => {
    const id = Number(s.sql("SELECT st.id FROM stations st WHERE st.kind = 'station' AND EXISTS (SELECT 1 FROM station_places p WHERE p.station_id = st.id) ORDER BY st.id LIMIT 1")[0][0]);
    const set = await admin.patch(`/api/v1/stations/${id}`, {
      standard: {has_sign: true, has_archive: false}, modules: {mediation: true}, extra_modules: ['老年食堂', '四点半课堂'],
      zone_24h: true, zone_8h: false, area_m2: 120, funding: 50000, hours: '8:00-20:00'});
    assert.equal(set.status, 200, set.text);
    const want = (await admin.get(`/api/v1/stations/${id}`)).body;

    const fields = formValues(await page.get(`/stations/${id}`), `/stations/${id}`);
    assert.equal(fields.items_set, '1');
    const res = await page.postFormRaw(`/stations/${id}`, fields);
    assert.equal(res.status, 303, res.text);
    assert.deepEqual((await admin.get(`/api/v1/stations/${id}`)).body, want, 'saving the page unchanged changes nothing');

    // unchecking on the page is given: false, and no N modules
    const off = await page.postFormRaw(`/stations/${id}`, {...fields, _once: undefined, zone_24h: undefined, item_has_sign: undefined, extra_modules_extra: ''});
    assert.equal(off.status, 303, off.text);
    const got = (await admin.get(`/api/v1/stations/${id}`)).body;
    assert.equal(got.zone_24h, false);
    assert.equal(got.standard.has_sign, false);
    assert.deepEqual(got.extra_modules, []);
  });
});
