/* GET /api/v1/audit — the audit log within the caller's scope, newest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "http/audit_query.h"
#include "store/store_audit.h"
#include "util/clock.h"

static err_code api_audit(req *r)
{
    struct audit_filter f = {0};
    err_code e = audit_filter_from_query(r, &f);
    if (e) return e;
    f.limit++;
    db_rows *rows = audit_list(r->db, r->a, r->me->account_id, &f);
    if (!rows) return E_INTERNAL;
    json_t *items = json_array();
    int n = rows->nrows >= f.limit ? f.limit - 1 : rows->nrows;
    for (int i = 0; i < n; i++) {
        json_t *o = json_row(rows, i);
        char at[32];
        clock_format_rfc3339((time_t)db_get_int(rows, i, 1), at);
        json_set_str(o, "at", at);
        json_set_str(o, "entity_id", db_get(rows, i, 5)); /* ids of any kind: text */
        for (int k = 7; k <= 8; k++) {                    /* before/after are JSON documents */
            const char *s = db_get(rows, i, k);
            json_t *doc = s ? json_loads(s, 0, NULL) : NULL;
            json_object_set_new(o, rows->names[k], doc ? doc : json_null());
        }
        json_array_append_new(items, o);
    }
    const char *next = rows->nrows >= f.limit ? db_get(rows, n - 1, 0) : NULL;
    return http_json(r, 200, json_page(items, next));
}
ROUTE("GET", "/api/v1/audit", api_audit, CAP_AUDIT_READ, R_API, NULL,
      "操作日志（可按对象、操作、操作人、区划、时间筛选）");
