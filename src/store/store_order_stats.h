/* SQL for the demand loop's figures: the clock facts fixed on an order, and
 * the per-day counters order_stats (migration 013) that dashboards sum. What
 * an order counts as is decided in core/order_tally.h, not here. */
#ifndef LINLI_STORE_ORDER_STATS_H
#define LINLI_STORE_ORDER_STATS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/order_tally.h"
#include "store/db.h"

/* The facts of one order that the figures count (no visibility check: the
 * caller holds the order). Strings in the caller's arena. */
struct order_fact_row {
    int64_t id, created_at;
    const char *state, *outcome, *rating, *place, *category, *channel;
    bool accepted, contacted, resolved;    /* accepted_at, first_contact_at, resolved_at set */
    bool response_fixed, resolution_fixed; /* the counted seconds are fixed on the order */
    long long response_counted, resolution_counted;
    bool response_breached, resolution_breached;
    int reopen_count, escalation_level;
};
bool store_order_fact_row(db *d, arena *a, int64_t id, struct order_fact_row *out);
/* The facts of up to limit orders with ids above after_id, in id order (the
 * rebuild reads every order in pages of them): how many, or -1. */
int store_order_fact_rows(db *d, arena *a, int64_t after_id, int limit,
                          struct order_fact_row **out);

/* Fixes a stopped clock's counted seconds; a breach once set stays set.
 * which: 0 response, 1 resolution. counted < 0 clears the counted seconds
 * (a reopened order's resolution clock runs again). */
int store_order_set_clock(db *d, int64_t id, int which, long long counted, int breached);

/* Records a breach found by the scheduler while the clock still runs
 * (which: 0 response, 1 resolution). */
int store_order_mark_breach(db *d, int64_t id, int which);

/* Adds delta to the counters of every division above place_code (province,
 * city, county, street, community), for the day and its month, for all
 * categories and channels, the category, the channel, and both. */
int store_order_stats_add(db *d, const char *place_code, int day, const char *category,
                          const char *channel, const long long delta[ORDER_TALLY_N]);

/* Queues delta for (place_code, day, category, channel) (order_stats_pending). */
int store_order_stats_pend(db *d, const char *place_code, int day, const char *category,
                           const char *channel, const long long delta[ORDER_TALLY_N]);

/* Anything queued? */
bool store_order_stats_pending(db *d);

/* The figures' version (migration 020), and its bump inside a writing
 * transaction. */
int64_t store_order_stats_version(db *d);
int store_order_stats_touch(db *d);

/* One counter row as the rebuild writes it into the emptied table. */
struct order_stats_row {
    const char *place, *category, *channel;
    char grain; /* 'd' or 'm' */
    int combo, bucket;
    long long v[ORDER_TALLY_N];
};
/* Takes (deletes and returns) up to limit queued deltas, oldest first, as
 * rows with place, bucket (the day), category, channel and v. A row is
 * returned to one transaction only, also with several processes. How many,
 * or -1 on error. */
int store_order_stats_take(db *d, arena *a, int limit, struct order_stats_row **out);
/* Inserts n rows (none may exist yet: no upsert). 0, or -1 on error. */
int store_order_stats_insert(db *d, const struct order_stats_row *rows, int n);
/* The stored rows of one place, grain and combo (bucket, category, channel,
 * v; the check compares them with the recount): how many, or -1. */
int store_order_stats_group(db *d, arena *a, const char *place, char grain, int combo,
                            struct order_stats_row **out);
/* Every (place, grain, combo) that has rows (the rest of each row is zero):
 * how many, or -1. */
int store_order_stats_groups(db *d, arena *a, struct order_stats_row **out);
/* Empties the counters (rebuild). */
int store_order_stats_clear(db *d);

/* 吹哨 on the orders under place, blown in [t_from, t_to), by kind: how many
 * kinds, or -1. */
struct order_whistle_count {
    const char *kind;
    long long whistles, calls, answered; /* answered: 报到 */
};
int store_order_whistle_counts(db *d, arena *a, const char *place, int64_t t_from, int64_t t_to,
                               struct order_whistle_count **out);
/* 部门买单 confirmed in [t_from, t_to) on the orders under place: count and
 * Σ fen. false on error. */
bool store_order_cost_totals(db *d, const char *place, int64_t t_from, int64_t t_to,
                             long long *count, long long *fen);
/* Orders in hand under place that breached a limit or went up the tree, the
 * highest level first: how many, or -1. */
struct order_attention {
    int64_t id;
    const char *code, *title, *state;
    int level;
    bool response_breached, resolution_breached;
};
int store_orders_attention(db *d, arena *a, const char *place, int limit,
                           struct order_attention **out);
/* The name of a place, or NULL. */
const char *store_order_stats_place_name(db *d, arena *a, const char *code);

/* Sums of the counters for one division at one grain ('d': buckets are
 * days yyyymmdd, 'm': months yyyymm) over buckets [from, to], an optional
 * category (itself or its children) and channel, grouped by: */
enum order_stats_group {
    OSG_NONE,     /* one row */
    OSG_CHILDREN, /* the divisions one level below: key place_code, then its name */
    OSG_CATEGORY, /* key category_code, then its name */
    OSG_CHANNEL,  /* key channel */
    OSG_DAY,      /* key: the bucket (use grain 'd') */
};
/* One summed row: key, name (or NULL), the sums in metric order. */
struct order_stats_sum {
    const char *key, *name;
    long long v[ORDER_TALLY_N];
};
/* How many rows, or -1 on error. */
int store_order_stats_sum(db *d, arena *a, enum order_stats_group g, const char *place, char grain,
                          int from, int to, const char *category, const char *channel,
                          struct order_stats_sum **out);

#endif
