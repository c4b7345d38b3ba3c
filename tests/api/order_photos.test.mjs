// Photos of work orders: upload as the raw body (API) or with the intake form
// (page), types decided by the magic bytes (JPEG, PNG, WebP only), at most
// 5 MB each and 6 per order and stage; every refusal changes nothing; photos
// are as visible as their order (out of scope: 404 like a missing one).
import {test} from 'node:test';
import assert from 'node:assert/strict';

import {forEachStore, startServer} from '../lib/harness.mjs';

const HOUSEHOLD = '140930100010001011001'; // jumin's household in the demo
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 7), Buffer.from('ffd9', 'hex')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([30, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(22, 1)]);
const GIF = Buffer.from('474946383961010001000000002c00000000010001000002', 'hex');

forEachStore('order photos', (store) => {
  let s, jumin, sg, mayingwei, admin;
  const upload = (c, id, bytes, type, stage = 'intake') =>
    c.raw('POST', `/api/v1/orders/${id}/photos?stage=${stage}`, {headers: {'Content-Type': type}, body: bytes});
  const count = async (c, id) => {
    const r = await c.get(`/api/v1/orders/${id}/photos`);
    assert.equal(r.status, 200, r.text);
    s.validate('GET', '/api/v1/orders/{id}/photos', 200, r.body);
    return r.body.items.length;
  };
  const newOrder = async () => {
    const r = await jumin.post('/api/v1/orders', {category_code: 'streetlight', place_code: HOUSEHOLD,
      title: '路灯不亮', description: '楼下路灯坏了'});
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };

  test.before(async () => {
    s = await startServer({store, demo: true});
    [jumin, sg, mayingwei, admin] = await Promise.all(['jumin', 'binhe_sg', 'mayingwei', 'admin'].map((u) => s.login(u)));
  });
  test.after(async () => { await s.stop(); });

  test('JPEG, PNG and WebP are kept with the type their bytes show, audited, and read back', async () => {
    const id = await newOrder();
    const before = (await admin.get('/api/v1/audit?limit=1')).body.items[0].id;
    for (const [bytes, type] of [[PNG, 'image/png'], [JPEG, 'image/jpeg'], [WEBP, 'image/webp']]) {
      const r = await upload(jumin, id, bytes, type);
      assert.equal(r.status, 201, r.text);
      s.validate('POST', '/api/v1/orders/{id}/photos', 201, r.body);
      assert.equal(r.body.mime, type);
      assert.equal(r.body.size, bytes.length);
      assert.equal(r.body.stage, 'intake');
      const back = await fetch(`${s.url}${r.body.url}`, {headers: {Authorization: `Bearer ${sg.token}`}});
      assert.equal(back.status, 200);
      assert.equal(back.headers.get('content-type'), type);
      assert.deepEqual(Buffer.from(await back.arrayBuffer()), bytes);
    }
    const audit = (await admin.get('/api/v1/audit?limit=20')).body.items.filter((e) => e.id > before);
    assert.equal(audit.filter((e) => e.action === 'photo' && e.entity === 'order' && e.actor === 'jumin').length, 3);
    assert.equal(await count(jumin, id), 3);
  });

  test('a wrong type, a type that disagrees with the bytes, an empty body and 5 MB + 1 are refused; nothing changes', async () => {
    const id = await newOrder();
    assert.equal((await upload(jumin, id, PNG, 'image/png')).status, 201);
    const cases = [
      [GIF, 'image/png', 400, 'photo'],
      [GIF, 'image/gif', 400, 'photo'],
      [PNG, 'image/jpeg', 400, 'photo'],
      [Buffer.alloc(0), 'image/png', 400, 'photo'],
      [Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024 + 1 - JPEG.length)]), 'image/jpeg', 413, 'photo'],
    ];
    for (const [bytes, type, status, field] of cases) {
      const r = await upload(jumin, id, bytes, type);
      assert.equal(r.status, status, `${type} ${bytes.length}: ${r.text}`);
      assert.equal(r.body.error.field, field);
      assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
    }
    assert.equal((await upload(jumin, id, PNG, 'image/png', 'before')).status, 400);
    assert.equal(await count(jumin, id), 1);
  });

  test('six photos per stage: the seventh is refused with nothing changed; result photos are the assignee’s', async () => {
    const id = await newOrder();
    for (let i = 0; i < 6; i++) assert.equal((await upload(i % 2 ? sg : jumin, id, PNG, 'image/png')).status, 201);
    const seventh = await upload(jumin, id, JPEG, 'image/jpeg');
    assert.equal(seventh.status, 409, seventh.text);
    assert.match(seventh.body.error.message, /最多上传6张/);
    assert.equal(await count(jumin, id), 6);
    // the requester may not add result photos; a dispatcher may
    assert.equal((await upload(jumin, id, PNG, 'image/png', 'result')).status, 403);
    assert.equal((await upload(sg, id, PNG, 'image/png', 'result')).status, 201);
    assert.equal(await count(jumin, id), 7);
  });

  test('out of scope answers 404 exactly like a missing order or photo', async () => {
    const id = await newOrder();
    const p = (await upload(jumin, id, PNG, 'image/png')).body;
    for (const c of [mayingwei]) {
      assert.equal((await c.get(`/api/v1/orders/${id}/photos`)).status, 404);
      assert.equal((await c.get(p.url)).status, 404);
      assert.equal((await upload(c, id, PNG, 'image/png')).status, 404);
    }
    assert.equal((await jumin.get(`/api/v1/orders/${id}/photos/${Number(p.id) + 100000}`)).status, 404);
    assert.equal((await jumin.get('/api/v1/orders/999999999/photos')).status, 404);
    assert.equal(await count(jumin, id), 1);
  });

  test('the intake form stores its photos with the order, or neither', async () => {
    const b = await s.browserLogin('jumin');
    const mine = async () => (await jumin.get('/api/v1/orders?mine=1&limit=500')).body.items.length;
    const n0 = await mine();
    const html = await b.postMultipart('/orders', {category_code: 'streetlight', place_code: HOUSEHOLD,
      title: '带照片的诉求', description: '路灯坏了，附照片', urgency: 'normal', scope_size: 'household',
      photos: {filename: 'lamp.png', content: PNG, type: 'image/png'}});
    assert.equal(b.last.status, 200);
    assert.match(b.last.url, /^\/orders\/\d+\?done=submit$/);
    assert.match(html, /诉求已提交/);
    assert.match(html, /<img src="\/api\/v1\/orders\/\d+\/photos\/\d+" alt="诉求照片1"/);
    assert.equal(await mine(), n0 + 1);
    const bad = await b.postMultipart('/orders', {category_code: 'streetlight', place_code: HOUSEHOLD,
      title: '带错误照片的诉求', description: '附了一个 GIF',
      photos: {filename: 'lamp.gif', content: GIF, type: 'image/png'}});
    assert.equal(b.last.status, 400);
    assert.match(bad, /照片「lamp.gif」：照片只能是 JPEG、PNG 或 WebP 格式/);
    assert.match(bad, /带错误照片的诉求/, 'the form keeps what was typed');
    assert.equal(await mine(), n0 + 1, 'no order without its photos');
  });
});
