// One binder per operation (issue 11, point 1): the page and the API read a
// request into the same service input, so a page form saved unchanged changes
// nothing. The party member's page used to leave out work_org_id, which the API
// sets, and saving it unchanged cleared his work unit out of 双评价.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {formValues} from '../lib/forms.mjs';
import {DEMO, forEachStore, startServer} from '../lib/harness.mjs';

forEachStore('binders: one mapping from a request to an operation', (store) => {
  let s, admin;
  before(async () => {
    s = await startServer({store});
    admin = await s.login('admin', DEMO.password);
  });
  after(async () => {
    await s.stop();
  });

  test('a party member\'s page saved unchanged keeps every field, the work unit (组织) included', async () => {
    const person = Number(s.sql("SELECT person_id FROM accounts WHERE username = 'dangyuan'")[0][0]);
    const [org, orgName] = s.sql("SELECT id, name FROM organisations WHERE kind = 'department' ORDER BY id LIMIT 1")[0];
    const put = await admin.put(`/api/v1/residents/${person}/party-member`, {
      kind: 'in_service', work_unit: '县档案馆', work_org_id: String(org), reported_at: '2026-01-10',
      reported_community: DEMO.community, pioneer_post: '先锋岗', duty_area: '1号楼'});
    assert.equal(put.status, 200, put.text);
    const before = (await admin.get(`/api/v1/residents/${person}`)).body.party_member;
    assert.equal(String(before.work_org_id), String(org));

    const page = await s.browserLogin('binhe', DEMO.password);
    const html = await page.get(`/residents/${person}/edit`);
    // the work unit is shown by name, chosen
    assert.match(html, new RegExp(`<option value="${org}" selected>${orgName}</option>`));
    const fields = formValues(html, `/residents/${person}/party-member`);
    assert.equal(fields.work_org_id, String(org));
    const res = await page.postFormRaw(`/residents/${person}/party-member`, fields);
    assert.equal(res.status, 303, res.text);
    const afterSave = (await admin.get(`/api/v1/residents/${person}`)).body.party_member;
    assert.deepEqual(afterSave, before, 'saving the page unchanged changes nothing');

    // the page can also take the work unit away, as the API can
    const cleared = await page.postFormRaw(`/residents/${person}/party-member`, {...formValues(await page.get(`/residents/${person}/edit`), `/residents/${person}/party-member`), work_org_id: ''});
    assert.equal(cleared.status, 303, cleared.text);
    assert.equal((await admin.get(`/api/v1/residents/${person}`)).body.party_member.work_org_id ?? null, null);
  });

  test('a resident\'s page forms saved unchanged change nothing: the person (身份证号 and phone kept), tags and records', async () => {
    const person = Number(s.sql("SELECT person_id FROM accounts WHERE username = 'dangyuan'")[0][0]);
    const put = await admin.put(`/api/v1/residents/${person}/volunteer`, {skills: ['水电维修', '理发'], team_id: null});
    assert.equal(put.status, 200, put.text);
    const strip = (p) => ({...p, updated_at: null});
    const before = strip((await admin.get(`/api/v1/residents/${person}`)).body);
    assert.ok(before.id_number && before.phone, 'the person has a 身份证号 and a phone');
    const page = await s.browserLogin('binhe', DEMO.password);
    // the forms of what the person has (an empty record form would add that record)
    for (const form of ['edit', 'care-tags', 'party-member', 'volunteer']) {
      const html = await page.get(`/residents/${person}/edit`);
      const action = `/residents/${person}/${form}`;
      const res = await page.postFormRaw(action, formValues(html, action));
      assert.equal(res.status, 303, `${form}: ${res.text}`);
    }
    assert.deepEqual(strip((await admin.get(`/api/v1/residents/${person}`)).body), before, 'saving the forms unchanged changes nothing');
  });

  test('a grid\'s page form saved unchanged keeps its places and workers; emptied, it clears them as the API does', async () => {
    const binhe = await s.login('binhe', DEMO.password);
    const [[building]] = s.sql(`SELECT code FROM places WHERE level = 'building' AND code LIKE '${DEMO.community}%' ORDER BY code LIMIT 1`);
    const [[worker]] = s.sql(`SELECT p.id FROM people p JOIN community_workers w ON w.person_id = p.id WHERE w.community_code = '${DEMO.community}' AND p.place_code LIKE '${DEMO.community}%' ORDER BY p.id LIMIT 1`);
    const made = await binhe.post('/api/v1/grids', {name: '绑定器测试网格', kind: 'dedicated', community_code: DEMO.community, places: [building], workers: [Number(worker)]});
    assert.equal(made.status, 201, made.text);
    const page = await s.browserLogin('binhe', DEMO.password);
    const action = `/grids/${made.body.id}`;
    const fields = formValues(await page.get(action), action);
    // checkboxes: formValues keeps one value a name, and this grid has one of each
    assert.equal(fields.places, building);
    assert.equal(fields.workers, String(worker));
    const res = await page.postFormRaw(action, fields);
    assert.equal(res.status, 303, res.text);
    const after = (await binhe.get(action.replace('/grids', '/api/v1/grids'))).body;
    assert.deepEqual(after.places.map((p) => p.code), [building]);
    assert.deepEqual(after.workers.map((w) => w.id), [Number(worker)]);
    // nothing checked: the hidden places_set / workers_set say "given, empty"
    const {places, workers, ...rest} = formValues(await page.get(action), action);
    assert.equal(places, building);
    assert.equal(workers, String(worker));
    const emptied = await page.postFormRaw(action, rest);
    assert.equal(emptied.status, 303, emptied.text);
    const cleared = (await binhe.get(`/api/v1/grids/${made.body.id}`)).body;
    assert.equal(cleared.places.length, 0);
    assert.equal(cleared.workers.length, 0);
  });
});
