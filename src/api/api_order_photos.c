/* Work-order photos over the API: upload one photo as the raw body
 * (Content-Type image/jpeg, image/png or image/webp; ?stage=intake|result),
 * list an order's photos, read one photo's bytes (also the <img> of the order
 * page, with the session cookie). Rules in service/svc_order_photos.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_order_photos.h"
#include "store/store_order_photos.h"
#include "util/clock.h"

static json_t *photo_json(int64_t order_id, const struct order_photo_row *p)
{
    json_t *j = json_object();
    json_set_int(j, "id", p->id);
    json_set_str(j, "stage", p->stage);
    json_set_str(j, "mime", p->mime);
    json_set_int(j, "size", p->size);
    json_set_time_at(j, "created_at", p->created_at);
    char url[96];
    snprintf(url, sizeof url, "/api/v1/orders/%lld/photos/%lld", (long long)order_id,
             (long long)p->id);
    json_set_str(j, "url", url);
    return j;
}

static err_code api_order_photo_add(req *r)
{
    int64_t id = req_id(r, "id");
    const char *stage = req_query(r, "stage");
    struct svc_result res =
        svc_order_photo_add(r->db, r->a, r->me, id, stage && *stage ? stage : "intake",
                            r->content_type, r->body, r->body_len);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    struct order_photo_row *p;
    int n = store_order_photos(r->db, r->a, id, &p);
    for (int i = 0; i < n; i++)
        if (p[i].id == res.id) return http_json(r, 201, photo_json(id, &p[i]));
    return E_INTERNAL;
}
ROUTE("POST", "/api/v1/orders/{id}/photos", api_order_photo_add, NULL, R_API, "order",
      "上传工单照片（请求体为图片本身；stage=intake 诉求照片或 result 办结照片；每阶段最多6张）");

static err_code api_order_photos(req *r)
{
    int64_t id = req_id(r, "id");
    struct order_photo_row *p;
    int n = svc_order_photos(r->db, r->a, r->me, id, &p);
    if (n < 0) return E_NOT_FOUND;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, photo_json(id, &p[i]));
    return http_json(r, 200, json_pack("{s:o}", "items", items));
}
ROUTE("GET", "/api/v1/orders/{id}/photos", api_order_photos, NULL, R_API, "order",
      "工单照片列表（诉求照片在前）");

static err_code api_order_photo(req *r)
{
    int64_t id = req_id(r, "id"), n = req_id(r, "n");
    const char *mime, *data;
    size_t len;
    err_code e = svc_order_photo_get(r->db, r->a, r->me, id, n, &mime, &data, &len);
    if (e) return e;
    http_bytes(r, 200, mime, data, len);
    http_header(r, "Cache-Control", "private, max-age=86400");
    return E_OK;
}
ROUTE("GET", "/api/v1/orders/{id}/photos/{n}", api_order_photo, NULL, R_API, "order",
      "一张工单照片（图片本身，与工单同样的可见范围）");
