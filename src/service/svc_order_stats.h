/* The demand loop's figures 三率: kept current with every change of an order,
 * rebuilt from the orders on demand, and read for a division and period.
 *
 * Every write path of an order calls svc_order_stats_before() before it
 * changes the order and svc_order_stats_after() after, inside the same
 * transaction, which queues exactly the difference the change made
 * (core/order_tally.h); svc_order_stats_fold() adds queued differences to the
 * counters in batches. So the counters can never drift from the orders — and
 * `linli stats --check` proves it by rebuilding them in memory. */
#ifndef LINLI_SVC_ORDER_STATS_H
#define LINLI_SVC_ORDER_STATS_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/order_rates.h"
#include "core/order_tally.h"
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_order_stats.h"

/* The order's facts before a change (NULL on error; pass NULL to _after for
 * an order not yet inserted). */
struct order_fact_row *svc_order_stats_before(db *d, arena *a, int64_t order_id);
/* After the change: fixes stopped clocks on the order (counted seconds,
 * breach) and adds the difference to the counters. 0, or -1 on error. */
int svc_order_stats_after(db *d, arena *a, int64_t order_id, const struct order_fact_row *before,
                          time_t now);

/* The scheduler found a running clock past its limit (which: 0 response,
 * 1 resolution): the order is marked and counted as breached, once. */
int svc_order_stats_mark_breach(db *d, arena *a, int64_t order_id, int which, time_t now);

/* Folds the queued changes into the counters, in batches (the server's worker
 * does it every few seconds; reads and `linli stats` do it first). Returns
 * how many were folded, or -1 on error. Safe with several processes. */
long svc_order_stats_fold(db *d);

/* Recounts every order into the counters (svc_order_stats_rebuild.c):
 * check=false replaces them (one transaction); check=true compares only and
 * reports the rows that differ on stderr. Returns the number of differing
 * counter rows, or -1 on error. */
long svc_order_stats_rebuild(db *d, bool check);
/* What an order's facts count as, and its day filed (yyyymmdd, China time). */
void svc_order_stats_facts(const struct order_fact_row *r, struct order_facts *f);
int svc_order_stats_day(const struct order_fact_row *r);

/* One line of a dashboard: a key (place code, category, channel or day),
 * its name, and the summed counters with their rates. */
struct stats_line {
    const char *key, *name;
    long long v[ORDER_TALLY_N];
    struct order_rates rates;
};
struct stats_query {
    const char *place;              /* a division code: province … community */
    int from, to;                   /* yyyymmdd, inclusive (China time) */
    const char *category, *channel; /* NULL: all */
};
struct stats_whistles {
    const char *kind, *name;             /* publicity 宣传哨 … */
    long long whistles, calls, answered; /* blown, departments called, 报到 */
};
struct stats_attention {
    int64_t id;
    const char *code, *title, *state;
    int level; /* 0 社区, 1 街道, 2 区/县 */
    bool response_breached, resolution_breached;
};
struct stats_report {
    const char *place_name;
    struct stats_whistles *whistles; /* 吹哨 by kind in the period */
    int nwhistles;
    long long costs, cost_fen;         /* 部门买单 confirmed in the period */
    struct stats_attention *attention; /* in hand, breached or escalated (up to 20) */
    int nattention;
    struct stats_line total;
    struct stats_line *children, *categories, *channels, *days;
    int nchildren, ncategories, nchannels, ndays;
};
/* Fills q->from/q->to from "YYYY-MM-DD" texts (NULL or empty: from the 1st
 * of January of this year, to today, China time). E_BAD_INPUT on a bad date. */
struct svc_result svc_order_stats_period(const char *from, const char *to, struct stats_query *q);
/* The division a place code lies in (cut to 12, 9, 6, 4 or 2 digits), in a. */
const char *svc_order_stats_division(arena *a, const char *place);

/* Checks that the account may read the figures of q->place (as the report
 * does), folds what is queued, and gives the figures' version: two reports
 * of one query and one version are the same. */
struct svc_result svc_order_stats_version(db *d, arena *a, const struct principal *who,
                                          const struct stats_query *q, int64_t *version);

/* The figures for a division the account's grants cover (orders.read over
 * it, or the command line). E_BAD_INPUT for a bad place or period,
 * E_NOT_FOUND outside scope. */
struct svc_result svc_order_stats_report(db *d, arena *a, const struct principal *who,
                                         const struct stats_query *q, struct stats_report *out);

#endif
