/* GET /api/v1/audit — the audit log within the caller's scope, newest first. */
#include "core/roles.h"
#include "http/audit_query.h"
#include "http/http.h"
#include "http/json_out.h"
#include "store/store_audit.h"

/* before/after are JSON documents */
static void set_doc(json_t *o, const char *key, const char *text)
{
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    json_object_set_new(o, key, doc ? doc : json_null());
}

static json_t *entry_json(const struct audit_row *e)
{
    json_t *o = json_object();
    json_set_int(o, "id", e->id);
    json_set_time_at(o, "at", e->at);
    json_set_str(o, "actor", e->actor);
    json_set_str(o, "action", e->action);
    json_set_str(o, "entity", e->entity);
    json_set_str(o, "entity_id", e->entity_id); /* ids of any kind: text */
    json_set_str(o, "place_code", e->place_code);
    set_doc(o, "before_json", e->before_json);
    set_doc(o, "after_json", e->after_json);
    json_set_str(o, "note", e->note);
    return o;
}

static err_code api_audit(req *r)
{
    struct audit_filter f = {0};
    err_code e = audit_filter_from_query(r, &f);
    if (e) return e;
    f.limit++;
    struct audit_row *rows;
    int n = audit_find(r->db, r->a, r->me->account_id, &f, &rows);
    if (n < 0) return E_INTERNAL;
    bool more = n >= f.limit;
    if (more) n = f.limit - 1;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, entry_json(&rows[i]));
    return http_json(r, 200, json_page_id(items, more ? rows[n - 1].id : 0));
}
ROUTE("GET", "/api/v1/audit", api_audit, CAP_AUDIT_READ, R_API, NULL,
      "操作日志（可按对象、操作、操作人、区划、时间筛选）");
