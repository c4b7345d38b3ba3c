/* GET /api/v1/stats/orders — 三率 and the other figures of the demand loop for
 * a division and period, with the lines below it (children, categories,
 * channels, days). Thin: the counters are in service/svc_order_stats.c, the
 * definitions in core/order_tally.h and core/order_rates.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/order_rates.h"
#include "core/order_tally.h"
#include "core/whistle_rule.h"
#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_order_stats.h"
#include "util/version_cache.h"

static json_t *rate_json(struct rate r)
{
    char txt[16];
    json_t *j = json_object();
    json_object_set_new(j, "num", json_integer(r.num));
    json_object_set_new(j, "den", json_integer(r.den));
    int pm = rate_permille(r);
    json_object_set_new(j, "permille", pm < 0 ? json_null() : json_integer(pm));
    json_object_set_new(j, "text", json_string(rate_format(r, txt, sizeof txt)));
    return j;
}

static json_t *line_json(const struct stats_line *l)
{
    json_t *j = json_object();
    json_set_str(j, "key", l->key);
    json_set_str(j, "name", l->name);
    json_t *c = json_object();
    for (int m = 0; m < ORDER_TALLY_N; m++)
        json_object_set_new(c, order_tally_columns[m], json_integer(l->v[m]));
    json_object_set_new(j, "counts", c);
    json_t *rt = json_object();
    json_object_set_new(rt, "response", rate_json(l->rates.response));
    json_object_set_new(rt, "resolution", rate_json(l->rates.resolution));
    json_object_set_new(rt, "completion", rate_json(l->rates.completion));
    json_object_set_new(rt, "satisfaction", rate_json(l->rates.satisfaction));
    json_object_set_new(rt, "on_time", rate_json(l->rates.on_time));
    json_object_set_new(rt, "reopen", rate_json(l->rates.reopen));
    json_object_set_new(j, "rates", rt);
    long long ar = l->rates.avg_response_seconds, as = l->rates.avg_resolution_seconds;
    json_object_set_new(j, "avg_response_seconds", ar < 0 ? json_null() : json_integer(ar));
    json_object_set_new(j, "avg_resolution_seconds", as < 0 ? json_null() : json_integer(as));
    return j;
}

static json_t *lines_json(const struct stats_line *l, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, line_json(&l[i]));
    return a;
}

static void set_day(json_t *j, const char *key, int v)
{
    char s[16];
    snprintf(s, sizeof s, "%04d-%02d-%02d", v / 10000, v / 100 % 100, v % 100);
    json_object_set_new(j, key, json_string(s));
}

/* The answers of the last few dozen questions, by the figures' version. */
static struct version_cache *cache;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static void cache_init(void)
{
    cache = version_cache_new(64, 16u << 20);
}

static err_code api_stats_orders(req *r)
{
    struct stats_query q = {.place = req_query(r, "place"),
                            .category = req_query(r, "category"),
                            .channel = req_query(r, "channel")};
    if (!q.place || !*q.place) return http_fail(r, E_BAD_INPUT, "place", "请指定区划代码 place");
    struct svc_result v = svc_order_stats_period(req_query(r, "from"), req_query(r, "to"), &q);
    if (v.err) return http_fail(r, v.err, v.field, v.message);
    /* the same question at the same version of the figures: the same answer */
    int64_t version;
    v = svc_order_stats_version(r->db, r->a, r->me, &q, &version);
    if (v.err) return http_fail(r, v.err, v.field, v.message);
    pthread_once(&cache_once, cache_init);
    const char *key = arena_printf(r->a, "%s|%d|%d|%s|%s", q.place, q.from, q.to,
                                   q.category ? q.category : "", q.channel ? q.channel : "");
    buf_reset(&r->out);
    if (cache && version_cache_get(cache, key, version, &r->out)) return http_json_written(r, 200);
    struct stats_report rep;
    v = svc_order_stats_report(r->db, r->a, r->me, &q, &rep);
    if (v.err) return http_fail(r, v.err, v.field, v.message);
    json_t *j = json_object();
    json_set_str(j, "place_code", q.place);
    json_set_str(j, "place_name", rep.place_name);
    set_day(j, "from", q.from);
    set_day(j, "to", q.to);
    json_set_str(j, "category", q.category && *q.category ? q.category : NULL);
    json_set_str(j, "channel", q.channel && *q.channel ? q.channel : NULL);
    json_object_set_new(j, "total", line_json(&rep.total));
    json_object_set_new(j, "children", lines_json(rep.children, rep.nchildren));
    json_object_set_new(j, "categories", lines_json(rep.categories, rep.ncategories));
    json_object_set_new(j, "channels", lines_json(rep.channels, rep.nchannels));
    /* a year is 365 lines: each day carries what a trend needs, not every counter */
    json_t *days = json_array();
    for (int i = 0; i < rep.ndays; i++) {
        const struct stats_line *l = &rep.days[i];
        json_t *dj = json_object();
        json_set_str(dj, "key", l->key);
        json_object_set_new(dj, "n_total", json_integer(l->v[T_TOTAL]));
        json_object_set_new(dj, "n_accepted", json_integer(l->v[T_ACCEPTED]));
        json_object_set_new(dj, "n_resolved", json_integer(l->v[T_RESOLVED]));
        const struct rate rs[3] = {l->rates.response, l->rates.resolution, l->rates.satisfaction};
        static const char *const names[3] = {"response_permille", "resolution_permille",
                                             "satisfaction_permille"};
        for (int k = 0; k < 3; k++) {
            int pm = rate_permille(rs[k]);
            json_object_set_new(dj, names[k], pm < 0 ? json_null() : json_integer(pm));
        }
        json_array_append_new(days, dj);
    }
    json_object_set_new(j, "days", days);
    json_t *w = json_array();
    for (int i = 0; i < rep.nwhistles; i++) {
        json_t *k = json_object();
        json_set_str(k, "kind", rep.whistles[i].kind);
        json_set_str(k, "name", rep.whistles[i].name);
        json_object_set_new(k, "whistles", json_integer(rep.whistles[i].whistles));
        json_object_set_new(k, "calls", json_integer(rep.whistles[i].calls));
        json_object_set_new(k, "answered", json_integer(rep.whistles[i].answered));
        json_array_append_new(w, k);
    }
    json_object_set_new(j, "whistles", w);
    json_t *c = json_object();
    char yuan[32];
    json_object_set_new(c, "confirmed", json_integer(rep.costs));
    json_object_set_new(c, "amount_fen", json_integer(rep.cost_fen));
    json_set_str(c, "amount_yuan", money_format_yuan(rep.cost_fen, yuan, sizeof yuan));
    json_object_set_new(j, "costs", c);
    json_t *at = json_array();
    for (int i = 0; i < rep.nattention; i++) {
        const struct stats_attention *x = &rep.attention[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(x->id));
        json_set_str(o, "code", x->code);
        json_set_str(o, "title", x->title);
        json_set_str(o, "state", x->state);
        json_object_set_new(o, "escalation_level", json_integer(x->level));
        json_object_set_new(o, "response_breached", json_boolean(x->response_breached));
        json_object_set_new(o, "resolution_breached", json_boolean(x->resolution_breached));
        json_array_append_new(at, o);
    }
    json_object_set_new(j, "attention", at);
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!body) return E_INTERNAL;
    if (cache) version_cache_put(cache, key, version, body, strlen(body));
    buf_reset(&r->out);
    buf_puts(&r->out, body);
    free(body);
    return http_json_written(r, 200);
}
ROUTE("GET", "/api/v1/stats/orders", api_stats_orders, CAP_ORDERS_READ, R_API, NULL,
      "三率等工单指标（按区划逐级汇总，按分类、渠道、日期分列）");
