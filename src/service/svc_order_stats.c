/* The figures' counters: see svc_order_stats.h. */
#include "service/svc_order_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/order_clock.h"
#include "core/whistle_rule.h"
#include "core/roles.h"
#include "service/svc_order_view.h"
#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "store/store_order_stats.h"
#include "store/store_orders.h"
#include "store/store_places.h"
#include "util/clock.h"

struct order_fact_row *svc_order_stats_before(db *d, arena *a, int64_t order_id)
{
    struct order_fact_row *f = arena_alloc(a, sizeof *f);
    return store_order_fact_row(d, a, order_id, f) ? f : NULL;
}

void svc_order_stats_facts(const struct order_fact_row *r, struct order_facts *f)
{
    memset(f, 0, sizeof *f);
    order_state_parse(r->state, &f->state);
    f->accepted = r->accepted;
    f->responded = r->contacted;
    f->response_seconds = r->response_counted;
    f->response_breached = r->response_breached;
    f->resolved = r->resolved;
    f->resolution_seconds = r->resolution_counted;
    f->resolution_breached = r->resolution_breached;
    if (r->outcome) order_outcome_parse(r->outcome, &f->outcome);
    if (r->rating) order_rating_parse(r->rating, &f->rating);
    f->reopened = r->reopen_count > 0;
    f->escalated = r->escalation_level > 0;
}

int svc_order_stats_day(const struct order_fact_row *r)
{
    return clock_local_date((time_t)r->created_at, CLOCK_CHINA_UTC_OFFSET_MIN);
}

/* A clock that stopped in this change gets its counted seconds and breach
 * fixed on the order; a resolution undone by a reopen runs again. */
static int fix_clocks(db *d, arena *a, int64_t id, const struct order_fact_row *f, time_t now)
{
    bool contact = f->contacted && !f->response_fixed;
    bool resolved = f->resolved && !f->resolution_fixed;
    bool undone = !f->resolved && f->resolution_fixed;
    if (!contact && !resolved && !undone) return 0;
    struct order_row o;
    if (!store_order_read(d, a, 0, id, &o)) return -1;
    struct order_clocks c;
    svc_order_clocks_of(d, a, &o, now, &c);
    if (contact && store_order_set_clock(d, id, 0, c.response_counted,
                                         c.response_status == CLOCK_BREACHED) < 0)
        return -1;
    if (resolved && store_order_set_clock(d, id, 1, c.resolution_counted,
                                          c.resolution_status == CLOCK_BREACHED) < 0)
        return -1;
    if (undone && store_order_set_clock(d, id, 1, -1, 0) < 0) return -1;
    return 1;
}

int svc_order_stats_after(db *d, arena *a, int64_t order_id, const struct order_fact_row *before,
                          time_t now)
{
    struct order_fact_row after;
    if (!store_order_fact_row(d, a, order_id, &after)) return -1;
    int fixed = fix_clocks(d, a, order_id, &after, now);
    if (fixed < 0) return -1;
    if (fixed > 0 && !store_order_fact_row(d, a, order_id, &after)) return -1;
    struct order_facts fb, fa;
    if (before) svc_order_stats_facts(before, &fb);
    svc_order_stats_facts(&after, &fa);
    long long delta[ORDER_TALLY_N];
    order_tally_delta(before ? &fb : NULL, &fa, delta);
    if (order_tally_is_zero(delta)) return 0;
    return store_order_stats_pend(d, after.place, svc_order_stats_day(&after), after.category,
                                  after.channel, delta);
}

int svc_order_stats_mark_breach(db *d, arena *a, int64_t order_id, int which, time_t now)
{
    struct order_fact_row before;
    if (!store_order_fact_row(d, a, order_id, &before) ||
        store_order_mark_breach(d, order_id, which) < 0)
        return -1;
    return svc_order_stats_after(d, a, order_id, &before, now);
}

/* A batch of queued changes, keyed by the order's division (its code cut to
 * the community, 12 digits), day, category and channel, sorted and merged so
 * that each key is added once. */
struct cell {
    char place[16], category[48], channel[24];
    int day;
    long long v[ORDER_TALLY_N];
};

static int cell_cmp(const void *x, const void *y)
{
    const struct cell *p = x, *q = y;
    int c = strcmp(p->place, q->place);
    if (!c) c = (p->day > q->day) - (p->day < q->day);
    if (!c) c = strcmp(p->category, q->category);
    if (!c) c = strcmp(p->channel, q->channel);
    return c;
}

static size_t compact(struct cell *cells, size_t n)
{
    if (n < 2) return n;
    qsort(cells, n, sizeof *cells, cell_cmp);
    size_t w = 0;
    for (size_t i = 1; i < n; i++) {
        if (cell_cmp(&cells[w], &cells[i]) == 0)
            for (int m = 0; m < ORDER_TALLY_N; m++) cells[w].v[m] += cells[i].v[m];
        else
            cells[++w] = cells[i];
    }
    return w + 1;
}

#define FOLD_BATCH 5000

/* One batch: takes up to FOLD_BATCH queued changes and adds them to the
 * counters; answers how many in .id. */
static struct svc_result fold_batch_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)ctx, (void)au; /* the counters follow the orders: nothing to audit */
    struct order_stats_row *r;
    int n = store_order_stats_take(d, a, FOLD_BATCH, &r);
    struct cell *cells = n > 0 ? malloc(sizeof *cells * (size_t)n) : NULL;
    bool ok = n == 0 || (n > 0 && cells);
    for (int i = 0; ok && i < n; i++) {
        struct cell *c = &cells[i];
        snprintf(c->place, sizeof c->place, "%.12s", r[i].place);
        c->day = r[i].bucket;
        snprintf(c->category, sizeof c->category, "%s", r[i].category);
        snprintf(c->channel, sizeof c->channel, "%s", r[i].channel);
        memcpy(c->v, r[i].v, sizeof c->v);
    }
    /* many changes of one community, day, category and channel: one upsert */
    size_t k = ok && n > 0 ? compact(cells, (size_t)n) : 0;
    for (size_t i = 0; ok && i < k; i++)
        ok = order_tally_is_zero(cells[i].v) ||
             store_order_stats_add(d, cells[i].place, cells[i].day, cells[i].category,
                                   cells[i].channel, cells[i].v) == 0;
    free(cells);
    if (ok && n > 0) ok = store_order_stats_touch(d) == 0;
    return ok ? (struct svc_result){.id = n} : svc_store_failed();
}

long svc_order_stats_fold(db *d)
{
    long total = 0;
    for (;;) {
        arena *a = arena_new();
        struct svc_result r = svc_tx(d, a, NULL, "stats fold", fold_batch_tx, NULL);
        arena_free(a);
        if (r.err) return -1;
        total += r.id;
        if (r.id < FOLD_BATCH) return total;
    }
}

/* A period as the store reads it: whole months at grain 'm', the days at
 * either end at grain 'd'. */
struct range {
    char grain;
    int from, to;
};

static int month_days(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

static int period_ranges(int from, int to, struct range out[3])
{
    int n = 0;
    int fy = from / 10000, fm = from / 100 % 100, fd = from % 100;
    int ty = to / 10000, tm = to / 100 % 100, td = to % 100;
    int mfrom = fy * 100 + fm, mto = ty * 100 + tm; /* whole months, yyyymm */
    if (fd != 1) {
        int last = from / 100 * 100 + month_days(fy, fm);
        out[n++] = (struct range){'d', from, to < last ? to : last};
        mfrom = fm == 12 ? (fy + 1) * 100 + 1 : mfrom + 1;
    }
    if (td != month_days(ty, tm) && to / 100 >= mfrom) {
        int first = to / 100 * 100 + 1;
        if (n == 0 || first > out[0].to) out[n++] = (struct range){'d', first, to};
        mto = tm == 1 ? (ty - 1) * 100 + 12 : mto - 1;
    }
    if (mfrom <= mto) out[n++] = (struct range){'m', mfrom, mto};
    return n;
}

/* Sums the store's rows of every range into lines keyed by their first
 * column, then computes each line's rates. */
static int lines_of(db *d, arena *a, enum order_stats_group g, const struct stats_query *q,
                    struct stats_line **out)
{
    struct range rs[3];
    int nr = g == OSG_DAY ? 1 : period_ranges(q->from, q->to, rs);
    if (g == OSG_DAY) rs[0] = (struct range){'d', q->from, q->to};
    struct order_stats_sum *rows[3];
    int nrows[3], cap = 1;
    for (int i = 0; i < nr; i++) {
        nrows[i] = store_order_stats_sum(d, a, g, q->place, rs[i].grain, rs[i].from, rs[i].to,
                                         q->category, q->channel, &rows[i]);
        if (nrows[i] < 0) return -1;
        cap += nrows[i];
    }
    struct stats_line *l = arena_alloc(a, sizeof *l * (size_t)cap);
    memset(l, 0, sizeof *l * (size_t)cap);
    int n = g == OSG_NONE ? 1 : 0; /* the total exists even when nothing was counted */
    for (int i = 0; i < nr; i++)
        for (int k = 0; k < nrows[i]; k++) {
            const char *key = rows[i][k].key;
            int at = 0;
            if (g != OSG_NONE) {
                for (at = 0; at < n && strcmp(l[at].key, key) != 0; at++) continue;
                if (at == n) {
                    l[n].key = key;
                    l[n].name = rows[i][k].name;
                    n++;
                }
            }
            for (int m = 0; m < ORDER_TALLY_N; m++) l[at].v[m] += rows[i][k].v[m];
        }
    for (int i = 1; i < n; i++) /* in key order: codes and days sort as text */
        for (int j = i; j > 0 && strcmp(l[j - 1].key, l[j].key) > 0; j--) {
            struct stats_line t = l[j];
            l[j] = l[j - 1];
            l[j - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        struct order_counts c;
        order_tally_counts(l[i].v, &c);
        order_rates_compute(&c, &l[i].rates);
    }
    *out = l;
    return n;
}

static int parse_day(const char *s)
{
    int y, m, dd, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || s[n] || n != 10) return -1;
    int v = y * 10000 + m * 100 + dd;
    /* a real date: it survives the round trip through the calendar */
    if (clock_local_date(clock_make_local(v, 12, 0, 0), 0) != v) return -1;
    return v;
}

struct svc_result svc_order_stats_period(const char *from, const char *to, struct stats_query *q)
{
    int today = clock_local_date(clock_now(), CLOCK_CHINA_UTC_OFFSET_MIN);
    q->from = from && *from ? parse_day(from) : today / 10000 * 10000 + 101;
    q->to = to && *to ? parse_day(to) : today;
    if (q->from < 0) return svc_fail(E_BAD_INPUT, "from", "起始日期格式应为 YYYY-MM-DD");
    if (q->to < 0) return svc_fail(E_BAD_INPUT, "to", "截止日期格式应为 YYYY-MM-DD");
    if (q->from > q->to) return svc_fail(E_BAD_INPUT, "from", "起始日期不能晚于截止日期");
    return (struct svc_result){0};
}

const char *svc_order_stats_division(arena *a, const char *place)
{
    static const int lens[] = {12, 9, 6, 4, 2};
    size_t len = place ? strlen(place) : 0;
    for (int i = 0; i < 5; i++)
        if (len >= (size_t)lens[i]) return arena_strndup(a, place, (size_t)lens[i]);
    return NULL;
}

static bool valid_day(int v)
{
    int y = v / 10000, m = v / 100 % 100, dd = v % 100;
    return y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31;
}

struct svc_result svc_order_stats_version(db *d, arena *a, const struct principal *who,
                                          const struct stats_query *q, int64_t *version)
{
    size_t len = q->place ? strlen(q->place) : 0;
    if (len != 2 && len != 4 && len != 6 && len != 9 && len != 12)
        return svc_fail(E_BAD_INPUT, "place", "请选择省、市、县、乡镇（街道）或村（社区）");
    int64_t viewer = principal_viewer(who);
    if (!store_place_visible(d, a, viewer, CAP_ORDERS_READ, q->place))
        return svc_fail(E_NOT_FOUND, "place", "地点不存在或不在您的管辖范围内");
    if (store_order_stats_pending(d) && svc_order_stats_fold(d) < 0)
        return svc_fail(E_UNAVAILABLE, NULL, NULL);
    *version = store_order_stats_version(d);
    return *version < 0 ? svc_fail(E_INTERNAL, NULL, NULL) : (struct svc_result){0};
}

struct svc_result svc_order_stats_report(db *d, arena *a, const struct principal *who,
                                         const struct stats_query *q, struct stats_report *out)
{
    memset(out, 0, sizeof *out);
    size_t len = q->place ? strlen(q->place) : 0;
    if (len != 2 && len != 4 && len != 6 && len != 9 && len != 12)
        return svc_fail(E_BAD_INPUT, "place", "请选择省、市、县、乡镇（街道）或村（社区）");
    if (!valid_day(q->from) || !valid_day(q->to) || q->from > q->to)
        return svc_fail(E_BAD_INPUT, "from", "统计期间不正确（起止日期为 YYYY-MM-DD，起不晚于止）");
    int64_t viewer = principal_viewer(who);
    /* the changes still queued first, so the figures are those of now */
    if (store_order_stats_pending(d) && svc_order_stats_fold(d) < 0)
        return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (!store_place_visible(d, a, viewer, CAP_ORDERS_READ, q->place))
        return svc_fail(E_NOT_FOUND, "place", "地点不存在或不在您的管辖范围内");
    out->place_name = store_order_stats_place_name(d, a, q->place);
    if (!out->place_name) out->place_name = q->place;
    struct stats_line *tot;
    if (lines_of(d, a, OSG_NONE, q, &tot) != 1 ||
        (out->nchildren = lines_of(d, a, OSG_CHILDREN, q, &out->children)) < 0 ||
        (out->ncategories = lines_of(d, a, OSG_CATEGORY, q, &out->categories)) < 0 ||
        (out->nchannels = lines_of(d, a, OSG_CHANNEL, q, &out->channels)) < 0 ||
        (out->ndays = lines_of(d, a, OSG_DAY, q, &out->days)) < 0)
        return svc_fail(E_INTERNAL, NULL, NULL);
    /* 吹哨 and 部门买单 of the period, and what needs a leader's attention */
    int64_t t0 = (int64_t)clock_make_local(q->from, 0, 0, CLOCK_CHINA_UTC_OFFSET_MIN);
    int64_t t1 = (int64_t)clock_make_local(q->to, 0, 0, CLOCK_CHINA_UTC_OFFSET_MIN) + 86400;
    struct order_whistle_count *w;
    struct order_attention *at;
    int nw = store_order_whistle_counts(d, a, q->place, t0, t1, &w);
    int nat = store_orders_attention(d, a, q->place, 20, &at);
    if (nw < 0 || nat < 0 ||
        !store_order_cost_totals(d, q->place, t0, t1, &out->costs, &out->cost_fen))
        return svc_fail(E_INTERNAL, NULL, NULL);
    out->whistles = arena_alloc(a, sizeof *out->whistles * (size_t)(nw + 1));
    for (int i = 0; i < nw; i++) {
        const struct whistle_kind_def *k = whistle_kind_find(w[i].kind);
        out->whistles[i] = (struct stats_whistles){w[i].kind, k ? k->zh : w[i].kind, w[i].whistles,
                                                   w[i].calls, w[i].answered};
    }
    out->nwhistles = nw;
    out->attention = arena_alloc(a, sizeof *out->attention * (size_t)(nat + 1));
    for (int i = 0; i < nat; i++)
        out->attention[i] = (struct stats_attention){at[i].id,
                                                     at[i].code,
                                                     at[i].title,
                                                     at[i].state,
                                                     at[i].level,
                                                     at[i].response_breached,
                                                     at[i].resolution_breached};
    out->nattention = nat;
    out->total = tot[0];
    out->total.key = q->place;
    out->total.name = out->place_name;
    return (struct svc_result){0};
}
