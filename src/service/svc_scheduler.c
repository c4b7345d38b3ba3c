/* The timers' jobs; see svc_scheduler.h. */
#include "service/svc_scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/login_rule.h"
#include "core/order_clock.h"
#include "core/order_fsm.h"
#include "service/svc_notify.h"
#include "service/svc_order_stats.h"
#include "service/svc_orders.h"
#include "service/svc_whistles.h"
#include "store/store_accounts.h"
#include "store/store_idempotency.h"
#include "store/store_orders.h"
#include "store/store_timers.h"
#include "util/clock.h"

enum { BATCH = 200 };

static struct scheduler_config config = {ORDER_WARN_PERCENT_DEFAULT, ORDER_UNRATED_CLOSE_DAYS};

static int env_int(const char *name, int lo, int hi, int dflt)
{
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    char *end;
    long n = strtol(v, &end, 10);
    return *end || n < lo || n > hi ? dflt : (int)n;
}

void scheduler_config_default(struct scheduler_config *c)
{
    c->warn_percent = env_int("LINLI_WARN_PERCENT", 1, 99, ORDER_WARN_PERCENT_DEFAULT);
    c->unrated_close_days = env_int("LINLI_UNRATED_CLOSE_DAYS", 1, 3650, ORDER_UNRATED_CLOSE_DAYS);
}

void svc_scheduler_configure(const struct scheduler_config *c)
{
    config = *c;
}

static void logf_(buf *log, const char *fmt, const char *code, const char *what)
{
    if (log) buf_printf(log, fmt, code ? code : "?", what);
}

/* The two clocks of an order, as the jobs see them. */
struct clock_view {
    const char *name, *zh;
    long long counted, limit;
    bool stopped;
    time_t deadline;
};

static int order_clocks(db *d, arena *a, const struct order_row *o, time_t now,
                        struct clock_view cv[2])
{
    struct order_clocks c;
    svc_order_clocks_of(d, a, o, now, &c);
    if (!c.started) return 0;
    cv[0] = (struct clock_view){"response",         "响应",
                                c.response_counted, o->response_limit_s,
                                c.response_stopped, c.response_deadline};
    cv[1] = (struct clock_view){"resolution",         "办结",
                                c.resolution_counted, o->resolution_limit_s,
                                c.resolution_stopped, c.resolution_deadline};
    return 2;
}

/* Walks the open orders in batches; fn acts on one and returns actions or -1. */
typedef int (*order_fn)(db *d, arena *a, const struct order_row *o, time_t now, buf *log);
static int each_open_order(db *d, arena *a, time_t now, buf *log, order_fn fn)
{
    int total = 0, failed = 0;
    int64_t after = 0;
    for (;;) {
        arena *ba = arena_new();
        int64_t *ids = NULL;
        int n = store_timer_open_orders(d, ba, after, BATCH, &ids);
        if (n < 0) failed = 1, n = 0;
        for (int i = 0; i < n; i++) {
            after = ids[i];
            arena *oa = arena_new();
            struct order_row o;
            int k = store_order_read(d, oa, 0, after, &o) ? fn(d, oa, &o, now, log) : 0;
            if (k < 0)
                failed = 1;
            else
                total += k;
            arena_free(oa);
        }
        arena_free(ba);
        if (n < BATCH) break;
    }
    (void)a;
    return failed ? -1 : total;
}

static int warn_one(db *d, arena *a, const struct order_row *o, time_t now, buf *log)
{
    struct clock_view cv[2];
    int n = order_clocks(d, a, o, now, cv), acted = 0;
    for (int i = 0; i < n; i++) {
        if (cv[i].stopped || cv[i].limit <= 0) continue;
        /* at the share, not yet past the limit (a breach is the next job's) */
        if (cv[i].counted * 100 < cv[i].limit * config.warn_percent || cv[i].counted > cv[i].limit)
            continue;
        const char *kind = arena_printf(a, "%s_warning", cv[i].name);
        if (db_begin(d) < 0) return -1;
        int claimed = store_alert_claim(d, o->id, kind, 0, now);
        int rc = claimed < 0 ? -1 : 0;
        if (claimed == 1) {
            int64_t id = o->id;
            const char *code = o->code;
            char due[32] = "—";
            if (cv[i].deadline != CLOCK_NONE) clock_format_local(cv[i].deadline, due);
            const char *title = arena_printf(a, "即将超时：%s", o->title);
            const char *body =
                arena_printf(a, "工单 %s 的%s时限将于 %s 到期（已用 %d%%），请抓紧办理。", code,
                             cv[i].zh, due, config.warn_percent);
            db_rows *as = store_assignee_accounts(d, a, o->assignee_kind, o->assignee_id);
            db_rows *staff = store_staff_for_place(d, a, o->place_code, o->escalation_level, false);
            if (notify_accounts(d, as, 0, "warning", id, title, body, now) < 0 ||
                notify_accounts(d, staff, 0, "warning", id, title, body, now) < 0)
                rc = -1;
        }
        if (rc < 0) {
            fprintf(stderr, "linli: scheduler warning: %s\n", db_errmsg(d));
            db_rollback(d);
            return -1;
        }
        if (db_commit(d) < 0) return -1;
        if (claimed == 1) {
            logf_(log, "warning %s %s\n", o->code, cv[i].name);
            acted++;
        }
    }
    return acted;
}

static int breach_one(db *d, arena *a, const struct order_row *o, time_t now, buf *log)
{
    struct clock_view cv[2];
    int n = order_clocks(d, a, o, now, cv), acted = 0;
    int64_t id = o->id;
    for (int i = 0; i < n; i++) {
        if (cv[i].limit <= 0 || cv[i].counted <= cv[i].limit) continue;
        /* each breach escalates from the level the order has now */
        struct order_row cur;
        if (!store_order_read(d, a, 0, id, &cur)) return acted;
        int level = cur.escalation_level;
        int next = level < 2 ? level + 1 : 2;
        const char *kind = arena_printf(a, "%s_breach", cv[i].name);
        if (db_begin(d) < 0) return -1;
        int claimed = store_alert_claim(d, id, kind, next, now);
        int rc = claimed < 0 ? -1 : 0;
        if (claimed == 1) {
            static const char *const up[] = {"社区", "街道", "区/县三级会商"};
            const char *note = arena_printf(a, "%s超时，系统上报%s", cv[i].zh, up[next]);
            struct svc_result r = svc_order_system_event(d, a, id, ORDER_EV_ESCALATE, note, now);
            /* counted in the figures as a breach (超时), once: with the claim */
            if (!r.err && svc_order_stats_mark_breach(d, a, id, i, now) < 0) r.err = E_INTERNAL;
            if (r.err)
                rc = r.err == E_CONFLICT ? 1 : -1; /* changed meanwhile: next tick */
            else {
                const char *title = arena_printf(a, "工单超时上报：%s", o->title);
                const char *body =
                    arena_printf(a, "工单 %s %s，已上报%s，请督办。", o->code, note, up[next]);
                db_rows *leads = store_staff_for_place(d, a, o->place_code, next, true);
                if (notify_accounts(d, leads, 0, "breach", id, title, body, now) < 0) rc = -1;
            }
        }
        if (rc != 0) {
            if (rc < 0) fprintf(stderr, "linli: scheduler breach: %s\n", db_errmsg(d));
            db_rollback(d);
            if (rc < 0) return -1;
            continue;
        }
        if (db_commit(d) < 0) return -1;
        if (claimed == 1) {
            logf_(log, "breach %s %s\n", o->code, cv[i].name);
            acted++;
        }
    }
    return acted;
}

static int job_warnings(db *d, arena *a, time_t now, buf *log)
{
    return each_open_order(d, a, now, log, warn_one);
}

static int job_breaches(db *d, arena *a, time_t now, buf *log)
{
    return each_open_order(d, a, now, log, breach_one);
}

/* 吹哨 calls unanswered past their 报到 limit: marked once, order escalated */
static int job_whistles(db *d, arena *a, time_t now, buf *log)
{
    int n = svc_whistles_tick(d, a, now);
    if (n > 0) logf_(log, "whistles %s %s\n", "escalated", arena_printf(a, "%d", n));
    return n;
}

static int job_auto_close(db *d, arena *a, time_t now, buf *log)
{
    (void)a;
    int total = 0, failed = 0;
    int64_t after = 0;
    time_t before = now - (time_t)config.unrated_close_days * 86400;
    for (;;) {
        arena *ba = arena_new();
        int64_t *ids = NULL;
        int n = store_timer_unrated_orders(d, ba, before, after, BATCH, &ids);
        if (n < 0) failed = 1, n = 0;
        for (int i = 0; i < n; i++) {
            after = ids[i];
            arena *oa = arena_new();
            struct order_row o;
            if (store_order_read(d, oa, 0, after, &o) &&
                order_auto_close_due(o.resolved_at, now, config.unrated_close_days)) {
                const char *note =
                    arena_printf(oa, "群众%d日内未评价，系统自动关闭", config.unrated_close_days);
                struct svc_result r =
                    svc_order_system_event(d, oa, after, ORDER_EV_CLOSE, note, now);
                if (!r.err) {
                    total++;
                    logf_(log, "close %s %s\n", o.code, "unrated");
                } else if (r.err != E_CONFLICT)
                    failed = 1;
            }
            arena_free(oa);
        }
        arena_free(ba);
        if (n < BATCH) break;
    }
    return failed ? -1 : total;
}

/* Expired sessions and idle login counters are deleted. Deletes by a
 * condition on time only, so several processes ticking at once delete each
 * row once and agree; a failed-signup row is kept for a day (its window is
 * an hour). */
static int job_purge_logins(db *d, arena *a, time_t now, buf *log)
{
    if (db_begin(d) < 0) return -1;
    int s = store_sessions_purge(d, now);
    int c = s < 0 ? s : store_login_counters_purge(d, now - LOGIN_WINDOW, now - 86400);
    if (c < 0) {
        fprintf(stderr, "linli: scheduler purge: %s\n", db_errmsg(d));
        db_rollback(d);
        return -1;
    }
    if (db_commit(d) < 0) return -1;
    if (s > 0) logf_(log, "purge %s %s\n", "sessions", arena_printf(a, "%d", s));
    if (c > 0) logf_(log, "purge %s %s\n", "login_counters", arena_printf(a, "%d", c));
    return (s > 0) + (c > 0); /* the lines logged */
}

/* Idempotency keys past their day (http/idempotency.h); not counted as actions. */
static int job_idempotency_purge(db *d, arena *a, time_t now, buf *log)
{
    (void)a;
    (void)log;
    return store_idem_purge(d, (int64_t)now) < 0 ? -1 : 0;
}

/* The job table: to add a timer, write its function and add one line. */
static const struct scheduler_job {
    const char *name;
    int (*fn)(db *d, arena *a, time_t now, buf *log);
} jobs[] = {
    {"whistles_unanswered", job_whistles}, {"clock_warnings", job_warnings},
    {"clock_breaches", job_breaches},      {"auto_close", job_auto_close},
    {"purge_logins", job_purge_logins},    {"idempotency_purge", job_idempotency_purge},
};

int svc_scheduler_tick_log(db *d, arena *a, time_t now, buf *log)
{
    int total = 0;
    bool failed = false;
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        int n = jobs[i].fn(d, a, now, log);
        if (n < 0) {
            fprintf(stderr, "linli: scheduler job %s failed\n", jobs[i].name);
            failed = true;
        } else
            total += n;
    }
    return failed ? -1 : total;
}

int svc_scheduler_tick(db *d, arena *a, time_t now)
{
    return svc_scheduler_tick_log(d, a, now, NULL);
}
