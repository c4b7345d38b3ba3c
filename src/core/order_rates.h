/* 三率 and the other figures of the demand loop, computed from counts.
 *
 * The store counts orders (for a place rolled up from below, a category, a
 * channel, a period) into struct order_counts; this file turns counts into
 * rates. Rates are never averaged: to roll up, add the counts
 * (order_counts_add) and compute again. A rate is an exact fraction; its
 * denominator 0 means "no data" (无数据), which is not 0 %.
 *
 *   响应率 response     = responded within the response limit / accepted
 *   解决率 resolution   = fixed / (accepted − rejected − merged)
 *   办结率 completion   = resolved (any outcome) / (accepted − rejected − merged)
 *   满意率 satisfaction = (满意 + 基本满意) / rated orders (each order counts
 *                         its standing rating once; unrated orders are not
 *                         in the denominator)
 *   按时办结率 on_time  = resolved within the resolution limit / resolved
 *   重办率 reopen       = reopened at least once / resolved
 *
 * "Fixed" is the outcome 已解决: an order closed 未解决 or 纳入需求清单 is
 * 办结 but not 解决. Pure: C standard library only. */
#ifndef LINLI_ORDER_RATES_H
#define LINLI_ORDER_RATES_H
#include <stdbool.h>
#include <stddef.h>

/* An exact fraction. */
struct rate {
    long long num;
    long long den;
};

/* Counts over one population of orders. Every field is a number of orders
 * except the second sums. */
struct order_counts {
    long long accepted;           /* orders accepted (已受理), whatever came later */
    long long rejected;           /* of accepted: later 不予受理 */
    long long merged;             /* of accepted: later 已合并 */
    long long responded_in_limit; /* of accepted: first contact within the response limit */
    long long resolved;           /* of accepted: reached 已办结 (any outcome) */
    long long fixed;              /* of resolved: latest outcome 已解决 */
    long long resolved_in_limit;  /* of resolved: within the resolution limit */
    long long reopened;           /* of resolved: reopened at least once */
    long long satisfied;          /* standing rating 满意 */
    long long basic;              /* standing rating 基本满意 */
    long long unsatisfied;        /* standing rating 不满意 */
    long long responded;          /* orders with a first contact (for the average) */
    long long response_seconds;   /* Σ counted response time of those orders */
    long long resolution_seconds; /* Σ counted resolution time of the resolved orders */
};

struct order_rates {
    struct rate response;             /* 响应率 */
    struct rate resolution;           /* 解决率 */
    struct rate completion;           /* 办结率 */
    struct rate satisfaction;         /* 满意率 */
    struct rate on_time;              /* 按时办结率 */
    struct rate reopen;               /* 重办率 */
    long long avg_response_seconds;   /* rounded; -1 = no data */
    long long avg_resolution_seconds; /* rounded; -1 = no data */
};

/* Fill *out from *c. Returns 0, or -1 when the counts are inconsistent (a
 * negative count, a numerator larger than its denominator, rejected + merged
 * > accepted): then every rate is "no data" and both averages -1. */
int order_rates_compute(const struct order_counts *c, struct order_rates *out);

/* dst += src, field by field (rolling places up). */
void order_counts_add(struct order_counts *dst, const struct order_counts *src);

bool rate_has_data(struct rate r);
/* The rate in per mille, rounded half up (975 = 97.5 %); -1 = no data. */
int rate_permille(struct rate r);
/* "97.5%" (one decimal, from rate_permille), or "无数据". Returns buf. */
char *rate_format(struct rate r, char *buf, size_t size);

#endif
