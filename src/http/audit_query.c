/* The audit-log filter as read from a query string, shared by the page and the API. */
#include "http/audit_query.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"

err_code audit_filter_from_query(req *r, struct audit_filter *f)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    f->limit = (int)limit;
    f->before_id = cursor;
    const char *v;
    f->entity = (v = req_query(r, "entity")) && *v ? v : NULL;
    f->action = (v = req_query(r, "action")) && *v ? v : NULL;
    f->actor = (v = req_query(r, "actor")) && *v ? v : NULL;
    f->place_code = (v = req_query(r, "place")) && *v ? v : NULL;
    const char *names[2] = {"from", "to"};
    int64_t *outs[2] = {&f->from, &f->to};
    for (int i = 0; i < 2; i++) {
        v = req_query(r, names[i]);
        if (!v || !*v) continue;
        time_t t;
        char tmp[40];
        /* a bare date means that day in China time */
        if (strlen(v) == 10) {
            snprintf(tmp, sizeof tmp, "%sT00:00:00+08:00", v);
            v = tmp;
        }
        if (!clock_parse_rfc3339(v, &t))
            return http_fail(r, E_BAD_INPUT, names[i], "日期格式应为 2026-11-23 或 RFC 3339 时间");
        *outs[i] = t + (i == 1 && strlen(req_query(r, names[i])) == 10 ? 86400 : 0);
    }
    return E_OK;
}
