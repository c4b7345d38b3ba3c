/* What one order counts as: see order_tally.h and docs/demand-loop.md §4. */
#include "core/order_tally.h"

#include <string.h>

const char *const order_tally_columns[ORDER_TALLY_N] = {
#define TALLY_NAME(e, col) [e] = col,
    ORDER_TALLY_METRICS(TALLY_NAME)
#undef TALLY_NAME
};

/* Current-state counters, indexed by enum order_state. */
static const enum order_tally_metric state_metric[ORDER_STATE_COUNT] = {
    [ORDER_SUBMITTED] = T_ST_SUBMITTED,   [ORDER_ACCEPTED] = T_ST_ACCEPTED,
    [ORDER_DISPATCHED] = T_ST_DISPATCHED, [ORDER_TAKEN] = T_ST_TAKEN,
    [ORDER_RESOLVED] = T_ST_RESOLVED,     [ORDER_RATED] = T_ST_RATED,
    [ORDER_CLOSED] = T_ST_CLOSED,         [ORDER_REJECTED] = T_ST_REJECTED,
    [ORDER_MERGED] = T_ST_MERGED,         [ORDER_SUSPENDED] = T_ST_SUSPENDED,
};

void order_tally_of(const struct order_facts *f, long long v[ORDER_TALLY_N])
{
    memset(v, 0, sizeof(long long) * ORDER_TALLY_N);
    if (!f) return;
    v[T_TOTAL] = 1;
    if ((int)f->state >= 0 && f->state < ORDER_STATE_COUNT) v[state_metric[f->state]] = 1;
    v[T_ESCALATED] = f->escalated;
    v[T_RESPONSE_BREACHED] = f->response_breached;
    v[T_RESOLUTION_BREACHED] = f->resolution_breached;
    /* the rates' population is the accepted orders (受理后): an order refused
     * at intake counts only in its state */
    if (!f->accepted) return;
    v[T_ACCEPTED] = 1;
    v[T_REJECTED] = f->state == ORDER_REJECTED;
    v[T_MERGED] = f->state == ORDER_MERGED;
    if (f->responded) {
        v[T_RESPONDED] = 1;
        v[T_RESPONSE_SECONDS] = f->response_seconds;
        v[T_RESPONDED_IN_LIMIT] = !f->response_breached;
    }
    /* a rejected or merged order is outside 解决率's base, so never 办结 in it */
    if (f->resolved && f->state != ORDER_REJECTED && f->state != ORDER_MERGED) {
        v[T_RESOLVED] = 1;
        v[T_RESOLUTION_SECONDS] = f->resolution_seconds;
        v[T_FIXED] = f->outcome == ORDER_OUTCOME_FIXED;
        v[T_RESOLVED_IN_LIMIT] = !f->resolution_breached;
        v[T_REOPENED] = f->reopened; /* of resolved: 重办率's numerator */
    }
    v[T_SATISFIED] = f->rating == ORDER_RATING_SATISFIED;
    v[T_BASIC] = f->rating == ORDER_RATING_BASIC;
    v[T_UNSATISFIED] = f->rating == ORDER_RATING_UNSATISFIED;
}

void order_tally_delta(const struct order_facts *before, const struct order_facts *after,
                       long long delta[ORDER_TALLY_N])
{
    long long b[ORDER_TALLY_N];
    order_tally_of(before, b);
    order_tally_of(after, delta);
    for (int i = 0; i < ORDER_TALLY_N; i++) delta[i] -= b[i];
}

bool order_tally_is_zero(const long long v[ORDER_TALLY_N])
{
    for (int i = 0; i < ORDER_TALLY_N; i++)
        if (v[i]) return false;
    return true;
}

void order_tally_counts(const long long v[ORDER_TALLY_N], struct order_counts *out)
{
    *out = (struct order_counts){
        .accepted = v[T_ACCEPTED],
        .rejected = v[T_REJECTED],
        .merged = v[T_MERGED],
        .responded_in_limit = v[T_RESPONDED_IN_LIMIT],
        .resolved = v[T_RESOLVED],
        .fixed = v[T_FIXED],
        .resolved_in_limit = v[T_RESOLVED_IN_LIMIT],
        .reopened = v[T_REOPENED],
        .satisfied = v[T_SATISFIED],
        .basic = v[T_BASIC],
        .unsatisfied = v[T_UNSATISFIED],
        .responded = v[T_RESPONDED],
        .response_seconds = v[T_RESPONSE_SECONDS],
        .resolution_seconds = v[T_RESOLUTION_SECONDS],
    };
}
