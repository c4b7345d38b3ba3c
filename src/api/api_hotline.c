/* Hotline / 12345 work orders over the API: POST /api/v1/orders/import (the
 * hotline's CSV as a text/csv body, ?dry_run=1 checks only, ?channel=) and
 * GET /api/v1/orders/hotline-results?since=&channel= (what the hotline polls
 * to fetch results back). The work is in io/order_import.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "io/order_import.h"
#include "store/store_hotline.h"
#include "util/clock.h"

#define RESULTS_MAX 1000

static bool truthy(const char *v)
{
    return v && (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"));
}

static err_code api_orders_import(req *r)
{
    if (r->json || r->form || !r->body || r->body_len == 0)
        return http_fail(r, E_BAD_INPUT, "file", "请以 text/csv 请求体上传热线工单 CSV 文件");
    bool dry_run = truthy(req_query(r, "dry_run"));
    struct order_import_report rep;
    int rc = order_import(r->db, r->a, r->me, req_query(r, "channel"), r->body, r->body_len,
                          dry_run, &rep);
    if (rc == IMPORT_FAILED) return E_INTERNAL;
    json_t *errors = json_array();
    for (int i = 0; i < rep.nerrors; i++) {
        const struct import_error *e = &rep.errors[i];
        json_t *o = json_object();
        json_object_set_new(o, "line", e->line > 0 ? json_integer(e->line) : json_null());
        json_set_str(o, "column", e->column);
        json_set_str(o, "message", e->message);
        json_array_append_new(errors, o);
    }
    json_t *body = json_object();
    json_set_bool(body, "dry_run", dry_run);
    json_set_str(body, "encoding", rep.encoding);
    json_set_int(body, "rows", rep.rows);
    json_set_int(body, "imported", rep.imported);
    json_set_int(body, "would_import", rep.would_import);
    json_set_int(body, "skipped", rep.skipped);
    json_object_set_new(body, "errors", errors);
    if (rc == IMPORT_INVALID) {
        json_object_set_new(
            body, "error",
            json_pack("{s:s, s:s, s:s}", "code", err_api_code(E_UNPROCESSABLE), "message",
                      arena_printf(r->a, "发现 %d 处错误，未导入任何工单", rep.nerrors), "field",
                      "file"));
        return http_json(r, 422, body);
    }
    return http_json(r, dry_run ? 200 : 201, body);
}
ROUTE("POST", "/api/v1/orders/import", api_orders_import, CAP_ORDERS_FILE, R_API, NULL,
      "导入 12345/热线工单（CSV；dry_run=1 只检查；按工单编号幂等）");

static err_code api_hotline_results(req *r)
{
    const char *since = req_query(r, "since"), *channel = req_query(r, "channel");
    time_t from = 0;
    if (since && *since && !clock_parse_rfc3339(since, &from))
        return http_fail(r, E_BAD_INPUT, "since",
                         "since 应为 RFC 3339 时间，如 2026-11-23T00:00:00Z");
    if (!channel || !*channel) channel = "hotline_12345";
    if (strcmp(channel, "hotline_12345") != 0 && strcmp(channel, "hotline") != 0)
        return http_fail(r, E_BAD_INPUT, "channel", "channel 应为 hotline_12345 或 hotline");
    int64_t limit;
    err_code e = req_int(r, "query", "limit", 1, RESULTS_MAX, RESULTS_MAX, &limit);
    if (e) return e;
    /* cursor "<updated_at>-<id>": the last item of the previous page */
    long long after_at = 0, after_id = 0;
    const char *cursor = req_query(r, "cursor");
    if (cursor && *cursor &&
        (sscanf(cursor, "%lld-%lld", &after_at, &after_id) != 2 || after_at <= 0))
        return http_fail(r, E_BAD_INPUT, "cursor", "cursor 无效");
    struct hotline_result *o;
    int got = store_hotline_results(r->db, r->a, r->me->account_id, channel, (int64_t)from,
                                    after_at, after_id, (int)limit + 1, &o);
    if (got < 0) return E_INTERNAL;
    int n = got > limit ? (int)limit : got;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = json_object();
        json_set_str(j, "external_ref", o[i].external_ref);
        json_set_int(j, "order_id", o[i].id);
        json_set_str(j, "order_code", o[i].code);
        json_set_str(j, "channel", o[i].channel);
        json_set_str(j, "place_code", o[i].place_code);
        json_set_str(j, "state", o[i].state);
        json_set_str(j, "outcome", o[i].outcome);
        json_set_str(j, "result", o[i].result);
        json_set_time_nz(j, "resolved_at", o[i].resolved_at);
        json_set_str(j, "rating", o[i].rating);
        json_set_time_at(j, "updated_at", o[i].updated_at);
        json_array_append_new(items, j);
    }
    const char *next = got > limit ? arena_printf(r->a, "%lld-%lld", (long long)o[n - 1].updated_at,
                                                  (long long)o[n - 1].id)
                                   : NULL;
    return http_json(r, 200, json_page(items, next));
}
ROUTE("GET", "/api/v1/orders/hotline-results", api_hotline_results, CAP_ORDERS_READ, R_API, NULL,
      "热线工单办理结果回取（since、channel）");
