/* `linli stats --rebuild` and `--check`: the counters recounted from every
 * order (svc_order_stats.h).
 *
 * A million orders are read in pages of PAGE (one query each) and tallied in
 * memory into cells keyed by community, day, category and channel. Every
 * counter row is then computed in memory — for each division above the
 * cells (province … community), grain and combo, the cells under it summed by
 * bucket, category and channel — and written once, in the table's key order,
 * into the emptied table with a plain INSERT; the check reads the stored rows
 * of the same (division, grain, combo) and compares. Nothing is done per order
 * in SQL, nor more than once per counter row. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_order_stats.h"
#include "store/store_order_stats.h"
#include "util/hash.h"

#define PAGE       5000 /* orders read per query */
#define BATCH      256  /* counter rows per store call */
#define PART_BITS  19   /* category and channel in an aggregation key */
#define MAX_REPORT 100  /* differing rows printed by the check */

/* ---- strings interned: places (cut to 12), categories, channels ---- */
struct names {
    char **s; /* by id; after names_rank(), by rank (strcmp order) */
    int n, cap;
    int *slot; /* open addressing: id + 1, 0 free */
    int nslot; /* a power of two */
};

static uint32_t hash_str(const char *s)
{
    return (uint32_t)fnv1a64_str(FNV64_OFFSET, s);
}

static int names_grow(struct names *t)
{
    int nslot = t->nslot ? t->nslot * 2 : 64;
    int *slot = calloc((size_t)nslot, sizeof *slot);
    if (!slot) return -1;
    for (int id = 0; id < t->n; id++) {
        uint32_t h = hash_str(t->s[id]) & (uint32_t)(nslot - 1);
        while (slot[h]) h = (h + 1) & (uint32_t)(nslot - 1);
        slot[h] = id + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslot = nslot;
    return 0;
}

static int names_id(struct names *t, const char *s)
{
    if (!s) s = "";
    if (2 * (t->n + 1) > t->nslot && names_grow(t) < 0) return -1;
    uint32_t h = hash_str(s) & (uint32_t)(t->nslot - 1);
    for (; t->slot[h]; h = (h + 1) & (uint32_t)(t->nslot - 1))
        if (strcmp(t->s[t->slot[h] - 1], s) == 0) return t->slot[h] - 1;
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        char **more = realloc(t->s, sizeof *more * (size_t)cap);
        if (!more) return -1;
        t->s = more;
        t->cap = cap;
    }
    if (!(t->s[t->n] = strdup(s))) return -1;
    t->slot[h] = t->n + 1;
    return t->n++;
}

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Sorts the names and gives rank[id]; the hash is not used afterwards. */
static int *names_rank(struct names *t)
{
    int *rank = malloc(sizeof *rank * (size_t)(t->n + 1));
    char **by_id = malloc(sizeof *by_id * (size_t)(t->n + 1));
    if (!rank || !by_id) {
        free(rank);
        free(by_id);
        return NULL;
    }
    if (t->n) memcpy(by_id, t->s, sizeof *by_id * (size_t)t->n);
    if (t->n) qsort(t->s, (size_t)t->n, sizeof *t->s, str_cmp);
    for (int id = 0; id < t->n; id++) {
        char **at = bsearch(&by_id[id], t->s, (size_t)t->n, sizeof *t->s, str_cmp);
        rank[id] = (int)(at - t->s);
    }
    free(by_id);
    return rank;
}

/* The rank of s, or -1 when no order has it. */
static int names_find(const struct names *t, const char *s)
{
    if (!s || !t->n) return -1;
    char **at = bsearch(&s, t->s, (size_t)t->n, sizeof *t->s, str_cmp);
    return at ? (int)(at - t->s) : -1;
}

static void names_free(struct names *t)
{
    for (int i = 0; i < t->n; i++) free(t->s[i]);
    free(t->s);
    free(t->slot);
}

/* ---- the recount: one cell per community, day, category and channel ---- */
struct cell {
    int place, day, cat, chan;
    long long v[ORDER_TALLY_N];
};

/* A division above the cells: its code and the range of place ranks below. */
struct division {
    char code[16];
    int lo, hi;
};

struct recount {
    struct names places, cats, chans;
    struct cell *cells;
    size_t n, cap;
    uint32_t *slot; /* cell index + 1 */
    size_t nslot;
    size_t *place_start;  /* [rank] → its first cell (cells sorted by place); [places.n] = n */
    struct division *div; /* sorted by code: the table's key order */
    int ndiv;
};

static uint32_t hash_cell(int place, int day, int cat, int chan)
{
    uint64_t h = (uint64_t)(uint32_t)place * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)(uint32_t)day * 0xC2B2AE3D27D4EB4Fu;
    h ^= (uint64_t)(uint32_t)cat * 0x165667B19E3779F9u;
    h ^= (uint64_t)(uint32_t)chan * 0x27D4EB2F165667C5u;
    return (uint32_t)(h >> 29);
}

static int cells_grow(struct recount *rc)
{
    size_t nslot = rc->nslot ? rc->nslot * 2 : 1u << 16;
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot) return -1;
    for (size_t i = 0; i < rc->n; i++) {
        const struct cell *c = &rc->cells[i];
        size_t h = hash_cell(c->place, c->day, c->cat, c->chan) & (nslot - 1);
        while (slot[h]) h = (h + 1) & (nslot - 1);
        slot[h] = (uint32_t)i + 1;
    }
    free(rc->slot);
    rc->slot = slot;
    rc->nslot = nslot;
    return 0;
}

static struct cell *cell_of(struct recount *rc, int place, int day, int cat, int chan)
{
    if (2 * (rc->n + 1) > rc->nslot && cells_grow(rc) < 0) return NULL;
    size_t h = hash_cell(place, day, cat, chan) & (rc->nslot - 1);
    for (; rc->slot[h]; h = (h + 1) & (rc->nslot - 1)) {
        struct cell *c = &rc->cells[rc->slot[h] - 1];
        if (c->place == place && c->day == day && c->cat == cat && c->chan == chan) return c;
    }
    if (rc->n == rc->cap) {
        size_t cap = rc->cap ? rc->cap * 2 : 1u << 15;
        struct cell *more = realloc(rc->cells, sizeof *more * cap);
        if (!more) return NULL;
        rc->cells = more;
        rc->cap = cap;
    }
    struct cell *c = &rc->cells[rc->n];
    *c = (struct cell){.place = place, .day = day, .cat = cat, .chan = chan};
    rc->slot[h] = (uint32_t)++rc->n;
    return c;
}

static int read_orders(db *d, struct recount *rc)
{
    int64_t after = 0;
    for (int got = PAGE; got == PAGE;) {
        arena *a = arena_new();
        struct order_fact_row *r;
        got = store_order_fact_rows(d, a, after, PAGE, &r);
        for (int i = 0; i < got; i++) {
            after = r[i].id;
            char place[16];
            snprintf(place, sizeof place, "%.12s", r[i].place ? r[i].place : "");
            int pl = names_id(&rc->places, place), cat = names_id(&rc->cats, r[i].category),
                ch = names_id(&rc->chans, r[i].channel);
            struct cell *c = pl < 0 || cat < 0 || ch < 0
                                 ? NULL
                                 : cell_of(rc, pl, svc_order_stats_day(&r[i]), cat, ch);
            if (!c) {
                got = -1;
                break;
            }
            struct order_facts f;
            long long v[ORDER_TALLY_N];
            svc_order_stats_facts(&r[i], &f);
            order_tally_of(&f, v);
            for (int m = 0; m < ORDER_TALLY_N; m++) c->v[m] += v[m];
        }
        arena_free(a);
        if (got < 0) return -1;
    }
    return 0;
}

static int div_cmp(const void *x, const void *y)
{
    return strcmp(((const struct division *)x)->code, ((const struct division *)y)->code);
}

/* Names sorted, cells renumbered by rank and grouped by place, and the
 * divisions above them listed in key order. */
static int arrange(struct recount *rc)
{
    int *pr = names_rank(&rc->places), *cr = names_rank(&rc->cats), *hr = names_rank(&rc->chans);
    int np = rc->places.n, ok = pr && cr && hr;
    ok = ok && rc->cats.n < (1 << PART_BITS) - 1 && rc->chans.n < (1 << PART_BITS) - 1;
    rc->place_start = ok ? calloc((size_t)np + 1, sizeof *rc->place_start) : NULL;
    /* a division per level and run of places sharing its prefix (places
     * sorted as text, so a prefix's places are consecutive) */
    rc->div = ok ? malloc(sizeof *rc->div * (size_t)(5 * np + 1)) : NULL;
    ok = ok && rc->place_start && rc->div;
    for (size_t i = 0; ok && i < rc->n; i++) {
        struct cell *c = &rc->cells[i];
        c->place = pr[c->place];
        c->cat = cr[c->cat];
        c->chan = hr[c->chan];
        rc->place_start[c->place + 1]++;
    }
    for (int p = 0; ok && p < np; p++) rc->place_start[p + 1] += rc->place_start[p];
    /* the cells moved in place into place order (each cycle of the
     * permutation followed once), so that every division reads its cells
     * from one stretch of memory */
    size_t *fill = ok ? malloc(sizeof *fill * ((size_t)np + 1)) : NULL;
    uint32_t *dest = ok && fill ? malloc(sizeof *dest * (rc->n + 1)) : NULL;
    ok = ok && dest;
    if (ok) memcpy(fill, rc->place_start, sizeof *fill * ((size_t)np + 1));
    for (size_t i = 0; ok && i < rc->n; i++) dest[i] = (uint32_t)fill[rc->cells[i].place]++;
    for (size_t i = 0; ok && i < rc->n; i++)
        while (dest[i] != i) {
            uint32_t j = dest[i];
            struct cell t = rc->cells[j];
            rc->cells[j] = rc->cells[i];
            rc->cells[i] = t;
            dest[i] = dest[j];
            dest[j] = j;
        }
    free(dest);
    free(fill);
    static const size_t division_len[] = {2, 4, 6, 9, 12};
    for (int lv = 0; ok && lv < 5; lv++) {
        size_t len = division_len[lv];
        for (int p = 0; p < np; p++) {
            if (strlen(rc->places.s[p]) < len) continue;
            struct division *last = rc->ndiv ? &rc->div[rc->ndiv - 1] : NULL;
            if (last && strlen(last->code) == len &&
                strncmp(last->code, rc->places.s[p], len) == 0) {
                last->hi = p + 1;
                continue;
            }
            struct division *dv = &rc->div[rc->ndiv++];
            memcpy(dv->code, rc->places.s[p], len);
            dv->code[len] = '\0';
            dv->lo = p;
            dv->hi = p + 1;
        }
    }
    if (ok && rc->ndiv) qsort(rc->div, (size_t)rc->ndiv, sizeof *rc->div, div_cmp);
    free(pr);
    free(cr);
    free(hr);
    return ok ? 0 : -1;
}

static void recount_free(struct recount *rc)
{
    names_free(&rc->places);
    names_free(&rc->cats);
    names_free(&rc->chans);
    free(rc->cells);
    free(rc->slot);
    free(rc->place_start);
    free(rc->div);
}

/* ---- the counter rows of one (division, grain, combo) ---- */
struct sums {
    uint64_t *key; /* bucket << 2·PART_BITS | category + 1 << PART_BITS | channel + 1 (0: '*') */
    long long (*v)[ORDER_TALLY_N];
    size_t n, cap;
    uint32_t *slot;
    size_t nslot;
    struct keyed {
        uint64_t key;
        uint32_t at;
    } * order; /* by key: the table's key order */
};

static uint64_t key_of(int bucket, int cat, int chan)
{
    return (uint64_t)(uint32_t)bucket << (2 * PART_BITS) | (uint64_t)(uint32_t)cat << PART_BITS |
           (uint64_t)(uint32_t)chan;
}

static int keyed_cmp(const void *x, const void *y)
{
    uint64_t a = ((const struct keyed *)x)->key, b = ((const struct keyed *)y)->key;
    return (a > b) - (a < b);
}

/* Empties s, its hash no larger than `at_most` rows need. */
static int sums_reset(struct sums *s, size_t at_most)
{
    size_t want = 1024;
    while (want < 2 * at_most) want *= 2;
    if (s->nslot > want || !s->slot) {
        free(s->slot);
        s->nslot = 0;
        if (!(s->slot = malloc(sizeof *s->slot * want))) return -1;
        s->nslot = want;
    }
    memset(s->slot, 0, sizeof *s->slot * s->nslot);
    s->n = 0;
    return 0;
}

static size_t slot_of(uint64_t k, size_t nslot)
{
    return (size_t)((k * 0x9E3779B97F4A7C15u) >> 32) & (nslot - 1);
}

static int sums_grow(struct sums *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *key = realloc(s->key, sizeof *key * cap);
        if (key) s->key = key;
        long long(*v)[ORDER_TALLY_N] = key ? realloc(s->v, sizeof *v * cap) : NULL;
        if (v) s->v = v;
        struct keyed *o = v ? realloc(s->order, sizeof *o * cap) : NULL;
        if (!o) return -1;
        s->order = o;
        s->cap = cap;
    }
    if (2 * (s->n + 1) > s->nslot) {
        size_t nslot = s->nslot * 2;
        uint32_t *slot = calloc(nslot, sizeof *slot);
        if (!slot) return -1;
        for (size_t i = 0; i < s->n; i++) {
            size_t h = slot_of(s->key[i], nslot);
            while (slot[h]) h = (h + 1) & (nslot - 1);
            slot[h] = (uint32_t)i + 1;
        }
        free(s->slot);
        s->slot = slot;
        s->nslot = nslot;
    }
    return 0;
}

static int sums_add(struct sums *s, uint64_t k, const long long v[ORDER_TALLY_N])
{
    size_t h = slot_of(k, s->nslot);
    while (s->slot[h] && s->key[s->slot[h] - 1] != k) h = (h + 1) & (s->nslot - 1);
    if (!s->slot[h]) {
        if (s->n == s->cap || 2 * (s->n + 1) > s->nslot) {
            if (sums_grow(s) < 0) return -1;
            for (h = slot_of(k, s->nslot); s->slot[h];) h = (h + 1) & (s->nslot - 1);
        }
        s->key[s->n] = k;
        memset(s->v[s->n], 0, sizeof s->v[s->n]);
        s->slot[h] = (uint32_t)++s->n;
    }
    long long *to = s->v[s->slot[h] - 1];
    for (int m = 0; m < ORDER_TALLY_N; m++) to[m] += v[m];
    return 0;
}

/* The rows of a division at both grains and every combo (s[grain * 4 +
 * combo]), in one pass over its cells, each sorted into key order. */
static int sums_of(const struct recount *rc, const struct division *dv, struct sums s[8])
{
    size_t lo = rc->place_start[dv->lo], hi = rc->place_start[dv->hi];
    for (int g = 0; g < 8; g++)
        if (sums_reset(&s[g], hi - lo) < 0) return -1;
    for (size_t i = lo; i < hi; i++) {
        const struct cell *c = &rc->cells[i];
        for (int g = 0; g < 8; g++) {
            int combo = g % 4;
            uint64_t k = key_of(g < 4 ? c->day : c->day / 100, combo & 1 ? c->cat + 1 : 0,
                                combo & 2 ? c->chan + 1 : 0);
            if (sums_add(&s[g], k, c->v) < 0) return -1;
        }
    }
    for (int g = 0; g < 8; g++) {
        for (size_t i = 0; i < s[g].n; i++)
            s[g].order[i] = (struct keyed){s[g].key[i], (uint32_t)i};
        if (s[g].n > 1) qsort(s[g].order, s[g].n, sizeof *s[g].order, keyed_cmp);
    }
    return 0;
}

static void sums_free(struct sums *s)
{
    free(s->key);
    free(s->v);
    free(s->slot);
    free(s->order);
}

static const char *part_name(const struct names *t, uint64_t part)
{
    return part ? t->s[part - 1] : "*";
}

/* ---- rebuild: every row written once (a batch may span divisions: their
 * codes stay in rc until the end) ---- */
static int write_rows(db *d, const struct recount *rc, const struct division *dv, char grain,
                      int combo, const struct sums *s, struct order_stats_row *batch, int *nb)
{
    uint64_t mask = (1u << PART_BITS) - 1;
    for (size_t i = 0; i < s->n; i++) {
        uint64_t k = s->order[i].key;
        struct order_stats_row *r = &batch[(*nb)++];
        r->place = dv->code;
        r->grain = grain;
        r->combo = combo;
        r->bucket = (int)(k >> (2 * PART_BITS));
        r->category = part_name(&rc->cats, k >> PART_BITS & mask);
        r->channel = part_name(&rc->chans, k & mask);
        memcpy(r->v, s->v[s->order[i].at], sizeof r->v);
        if (*nb == BATCH) {
            if (store_order_stats_insert(d, batch, *nb) < 0) return -1;
            *nb = 0;
        }
    }
    return 0;
}

/* ---- check: the stored rows of a (division, grain, combo) against the sums ---- */
static long reported;

static void report(const char *place, char grain, long long bucket, const char *cat,
                   const char *chan)
{
    if (reported++ < MAX_REPORT)
        fprintf(stderr, "linli stats: counters differ from the orders: %s %c %lld %s %s\n", place,
                grain, bucket, cat, chan);
}

static bool row_is_zero(const struct order_stats_row *r)
{
    for (int m = 0; m < ORDER_TALLY_N; m++)
        if (r->v[m] != 0) return false;
    return true;
}

/* The aggregation key of a stored row's category or channel: 0 for '*' when
 * the combo has none, rank + 1 when it has; -1 when no recounted row can have
 * it. */
static long long part_of(const struct names *t, const char *s, bool used)
{
    if (!used) return s && strcmp(s, "*") == 0 ? 0 : -1;
    int r = names_find(t, s);
    return r < 0 ? -1 : r + 1;
}

static long compare_rows(db *d, const struct recount *rc, const struct division *dv, char grain,
                         int combo, const struct sums *s)
{
    arena *a = arena_new();
    struct order_stats_row *r;
    int nr = store_order_stats_group(d, a, dv->code, grain, combo, &r);
    unsigned char *seen = calloc(s->n + 1, 1);
    if (nr < 0 || !seen) {
        arena_free(a);
        free(seen);
        return -1;
    }
    long diffs = 0;
    for (int i = 0; i < nr; i++) {
        long long bucket = r[i].bucket;
        long long cat = part_of(&rc->cats, r[i].category, combo & 1);
        long long chan = part_of(&rc->chans, r[i].channel, combo & 2);
        struct keyed want = {key_of((int)bucket, (int)cat, (int)chan), 0}, *at = NULL;
        if (cat >= 0 && chan >= 0 && bucket >= 0 && bucket < (1 << 25))
            at = bsearch(&want, s->order, s->n, sizeof *s->order, keyed_cmp);
        bool same = at ? true : row_is_zero(&r[i]);
        if (at) {
            seen[at - s->order] = 1;
            const long long *v = s->v[at->at];
            for (int m = 0; m < ORDER_TALLY_N && same; m++) same = r[i].v[m] == v[m];
        }
        if (!same) {
            diffs++;
            report(dv->code, grain, bucket, r[i].category, r[i].channel);
        }
    }
    uint64_t mask = (1u << PART_BITS) - 1;
    for (size_t i = 0; i < s->n; i++)
        if (!seen[i]) { /* counted, but no stored row */
            uint64_t k = s->order[i].key;
            diffs++;
            report(dv->code, grain, (long long)(k >> (2 * PART_BITS)),
                   part_name(&rc->cats, k >> PART_BITS & mask), part_name(&rc->chans, k & mask));
        }
    free(seen);
    arena_free(a);
    return diffs;
}

/* Stored rows of a (place, grain, combo) that no order counts in: all zero. */
static long compare_others(db *d, const struct recount *rc)
{
    arena *a = arena_new();
    struct order_stats_row *g;
    int ng = store_order_stats_groups(d, a, &g);
    long diffs = ng < 0 ? -1 : 0;
    for (int i = 0; i < ng && diffs >= 0; i++) {
        const char *place = g[i].place;
        char grain = g[i].grain;
        long long combo = g[i].combo;
        struct division key = {.lo = 0};
        snprintf(key.code, sizeof key.code, "%s", place ? place : "");
        bool ours = place && strlen(place) < sizeof key.code && (grain == 'd' || grain == 'm') &&
                    combo >= 0 && combo <= 3 &&
                    bsearch(&key, rc->div, (size_t)rc->ndiv, sizeof *rc->div, div_cmp);
        if (ours) continue;
        arena *b = arena_new();
        struct order_stats_row *r;
        int nr =
            store_order_stats_group(d, b, place ? place : "", grain ? grain : 'd', (int)combo, &r);
        if (nr < 0) diffs = -1;
        for (int k = 0; k < nr; k++)
            if (!row_is_zero(&r[k])) {
                diffs++;
                report(place ? place : "", grain ? grain : '?', r[k].bucket, r[k].category,
                       r[k].channel);
            }
        arena_free(b);
    }
    arena_free(a);
    return diffs;
}

static long emit(db *d, const struct recount *rc, bool check)
{
    struct sums s[8] = {0};
    struct order_stats_row *batch = check ? NULL : malloc(sizeof *batch * BATCH);
    int nb = 0;
    long diffs = check || batch ? 0 : -1;
    for (int i = 0; i < rc->ndiv && diffs >= 0; i++) {
        const struct division *dv = &rc->div[i];
        if (sums_of(rc, dv, s) < 0) diffs = -1;
        for (int g = 0; g < 8 && diffs >= 0; g++) { /* the key's order: grain, then combo */
            char grain = g < 4 ? 'd' : 'm';
            long k = check ? compare_rows(d, rc, dv, grain, g % 4, &s[g])
                           : write_rows(d, rc, dv, grain, g % 4, &s[g], batch, &nb);
            diffs = k < 0 ? -1 : diffs + k;
        }
    }
    if (!check && diffs >= 0 && nb && store_order_stats_insert(d, batch, nb) < 0) diffs = -1;
    if (check && diffs >= 0) {
        long k = compare_others(d, rc);
        diffs = k < 0 ? -1 : diffs + k;
    }
    if (check && reported > MAX_REPORT)
        fprintf(stderr, "linli stats: … and %ld more rows differ\n", reported - MAX_REPORT);
    free(batch);
    for (int g = 0; g < 8; g++) sums_free(&s[g]);
    return diffs;
}

long svc_order_stats_rebuild(db *d, bool check)
{
    /* one transaction: the queue folded, the orders read and the counters
     * replaced (or compared) all see the same orders; the check rolls back,
     * fold included */
    if (db_begin(d) < 0) return -1;
    struct recount rc = {0};
    reported = 0;
    long diffs = -1;
    if (svc_order_stats_fold(d) >= 0 && read_orders(d, &rc) == 0 && arrange(&rc) == 0 &&
        (check || (store_order_stats_clear(d) == 0 && store_order_stats_touch(d) == 0)))
        diffs = emit(d, &rc, check);
    if (diffs < 0 || check)
        db_rollback(d);
    else if (db_commit(d) < 0)
        diffs = -1;
    recount_free(&rc);
    return diffs;
}
