/* 三率 arithmetic: see order_rates.h and docs/demand-loop.md. */
#include "core/order_rates.h"

#include <stdio.h>

/* Every field of struct order_counts, for the field-by-field loops. */
#define COUNT_FIELDS(X)                                                                            \
    X(accepted)                                                                                    \
    X(rejected)                                                                                    \
    X(merged)                                                                                      \
    X(responded_in_limit) X(resolved) X(fixed) X(resolved_in_limit) X(reopened) X(satisfied)       \
        X(basic) X(unsatisfied) X(responded) X(response_seconds) X(resolution_seconds)

static struct rate frac(long long num, long long den)
{
    return (struct rate){num, den};
}

static long long avg(long long sum, long long n)
{
    return n > 0 ? (sum + n / 2) / n : -1;
}

/* All counts non-negative and every part within its whole. */
static bool consistent(const struct order_counts *c)
{
#define NEGATIVE(f)                                                                                \
    if (c->f < 0) return false;
    COUNT_FIELDS(NEGATIVE)
#undef NEGATIVE
    long long base = c->accepted - c->rejected - c->merged;
    return base >= 0 && c->responded_in_limit <= c->accepted && c->resolved <= base &&
           c->fixed <= c->resolved && c->resolved_in_limit <= c->resolved &&
           c->reopened <= c->resolved && c->responded <= c->accepted;
}

int order_rates_compute(const struct order_counts *c, struct order_rates *out)
{
    *out = (struct order_rates){.avg_response_seconds = -1, .avg_resolution_seconds = -1};
    if (!c || !consistent(c)) return -1;
    long long base = c->accepted - c->rejected - c->merged;
    long long rated = c->satisfied + c->basic + c->unsatisfied;
    out->response = frac(c->responded_in_limit, c->accepted);
    out->resolution = frac(c->fixed, base);
    out->completion = frac(c->resolved, base);
    out->satisfaction = frac(c->satisfied + c->basic, rated);
    out->on_time = frac(c->resolved_in_limit, c->resolved);
    out->reopen = frac(c->reopened, c->resolved);
    out->avg_response_seconds = avg(c->response_seconds, c->responded);
    out->avg_resolution_seconds = avg(c->resolution_seconds, c->resolved);
    return 0;
}

void order_counts_add(struct order_counts *dst, const struct order_counts *src)
{
#define ADD(f) dst->f += src->f;
    COUNT_FIELDS(ADD)
#undef ADD
}

bool rate_has_data(struct rate r)
{
    return r.den > 0;
}

int rate_permille(struct rate r)
{
    if (r.den <= 0 || r.num < 0) return -1;
    return (int)((r.num * 1000 + r.den / 2) / r.den);
}

char *rate_format(struct rate r, char *buf, size_t size)
{
    if (!buf || size == 0) return buf;
    int p = rate_permille(r);
    if (p < 0)
        snprintf(buf, size, "无数据");
    else
        snprintf(buf, size, "%d.%d%%", p / 10, p % 10);
    return buf;
}
