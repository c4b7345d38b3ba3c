/* What one work order contributes to the figures 三率 and the dashboards.
 *
 * The figures over millions of orders are never computed by scanning them:
 * every change of an order adds (tally after − tally before) to per-day
 * counters (store/store_order_stats.h), and a dashboard sums a few hundred
 * counter rows. This file is the one definition of what an order counts as,
 * from the facts on its row; order_rates.h turns the summed counts into rates.
 * Pure: C standard library only. */
#ifndef LINLI_ORDER_TALLY_H
#define LINLI_ORDER_TALLY_H
#include <stdbool.h>

#include "core/order_fsm.h"
#include "core/order_rates.h"

/* The counters, in the order of their columns in order_stats. */
#define ORDER_TALLY_METRICS(X)                                                                     \
    X(T_TOTAL, "n_total")                                                                          \
    X(T_ST_SUBMITTED, "st_submitted")                                                              \
    X(T_ST_ACCEPTED, "st_accepted")                                                                \
    X(T_ST_DISPATCHED, "st_dispatched")                                                            \
    X(T_ST_TAKEN, "st_taken")                                                                      \
    X(T_ST_RESOLVED, "st_resolved")                                                                \
    X(T_ST_RATED, "st_rated")                                                                      \
    X(T_ST_CLOSED, "st_closed")                                                                    \
    X(T_ST_REJECTED, "st_rejected")                                                                \
    X(T_ST_MERGED, "st_merged")                                                                    \
    X(T_ST_SUSPENDED, "st_suspended")                                                              \
    X(T_ACCEPTED, "n_accepted")                                                                    \
    X(T_REJECTED, "n_rejected")                                                                    \
    X(T_MERGED, "n_merged")                                                                        \
    X(T_RESPONDED, "n_responded")                                                                  \
    X(T_RESPONDED_IN_LIMIT, "n_responded_in_limit")                                                \
    X(T_RESPONSE_SECONDS, "response_seconds")                                                      \
    X(T_RESOLVED, "n_resolved")                                                                    \
    X(T_FIXED, "n_fixed")                                                                          \
    X(T_RESOLVED_IN_LIMIT, "n_resolved_in_limit")                                                  \
    X(T_RESOLUTION_SECONDS, "resolution_seconds")                                                  \
    X(T_REOPENED, "n_reopened")                                                                    \
    X(T_SATISFIED, "n_satisfied")                                                                  \
    X(T_BASIC, "n_basic")                                                                          \
    X(T_UNSATISFIED, "n_unsatisfied")                                                              \
    X(T_RESPONSE_BREACHED, "n_response_breached")                                                  \
    X(T_RESOLUTION_BREACHED, "n_resolution_breached")                                              \
    X(T_ESCALATED, "n_escalated")

enum order_tally_metric {
#define TALLY_ENUM(e, col) e,
    ORDER_TALLY_METRICS(TALLY_ENUM)
#undef TALLY_ENUM
        ORDER_TALLY_N
};

/* Column names, indexed by enum order_tally_metric. */
extern const char *const order_tally_columns[ORDER_TALLY_N];

/* The facts of one order that the figures depend on (from its row). */
struct order_facts {
    enum order_state state;
    bool accepted;          /* accepted_at is set */
    bool responded;         /* first contact made (the response clock stopped) */
    bool response_breached; /* the response limit was exceeded (at contact, or by the scheduler) */
    bool resolved;          /* resolved_at is set (已办结 and not reopened since) */
    bool resolution_breached; /* the resolution limit was exceeded */
    bool reopened;            /* reopened at least once */
    bool escalated;           /* escalated at least one level */
    enum order_outcome outcome;
    enum order_rating rating;                       /* the latest rating still standing, or NONE */
    long long response_seconds, resolution_seconds; /* counted (suspensions excluded) */
};

/* One order's counters: v[m] for every metric (most are 0 or 1). */
void order_tally_of(const struct order_facts *f, long long v[ORDER_TALLY_N]);

/* delta = after − before; either may be NULL (an order that did not exist). */
void order_tally_delta(const struct order_facts *before, const struct order_facts *after,
                       long long delta[ORDER_TALLY_N]);
/* true when every counter of v is 0. */
bool order_tally_is_zero(const long long v[ORDER_TALLY_N]);

/* The counts order_rates_compute() takes, from summed counters. */
void order_tally_counts(const long long v[ORDER_TALLY_N], struct order_counts *out);

#endif
