/* The demo's service positions 阵地: one 党群服务中心 per community and, as in
 * 河曲县's "网格+党群服务站" model, one 小区党群服务站 per grid, sitting in the
 * grid's first compound and serving every compound the grid reaches — at full
 * scale the seeds' 72 stations over 100 compounds — plus one 爱心驿站 for
 * riders in 滨河社区. The N modules follow the seeds' figures over the 72
 * (28 老年学堂, 11 四点半课堂, 1 社区食堂). Written after the places exist,
 * with a PRNG of its own so the rest of the demo is unchanged. */
#include <stdio.h>
#include <string.h>

#include "io/demo_internal.h"
#include "store/store_stations.h"

#define STATION_COMPOUNDS_MAX 32

static void all_items(int items[SI__COUNT], int v)
{
    for (int i = 0; i < SI__COUNT; i++) items[i] = v;
}

static const char *phone(struct demo_ctx *c, struct demo_rng *r)
{
    return arena_printf(c->a, "0350-72%05d", demo_rng_int(r, 10000, 99999));
}

static const char *opened(struct demo_ctx *c, struct demo_rng *r, int from_year)
{
    return arena_printf(c->a, "%d-%02d-%02d", demo_rng_int(r, from_year, 2024),
                        demo_rng_int(r, 1, 12), demo_rng_int(r, 1, 28));
}

static int put(struct demo_ctx *c, const struct station_row *s, const char *const *codes, int n)
{
    int64_t id = store_station_insert(c->d, s);
    if (id < 0 || store_station_places_set(c->d, id, codes, n) < 0) return DB_ERROR;
    if (!strcmp(s->kind, "center"))
        c->sum->centers++;
    else if (!strcmp(s->kind, "station"))
        c->sum->stations++;
    else
        c->sum->love_posts++;
    return 0;
}

/* The extras of the county's k-th station: spread so that the seeds' counts
 * hold over 72 stations (k·28 mod 72 < 28 is true for exactly 28 of them). */
static const char *extras(struct demo_ctx *c, int k, bool canteen)
{
    const char *list[5];
    int n = 0;
    if (canteen) list[n++] = "老年食堂";
    if ((k * 28) % 72 < 28) list[n++] = "老年学堂";
    if ((k * 11 + 5) % 72 < 11) list[n++] = "四点半课堂";
    if (k % 3 == 0) list[n++] = "便民工具墙";
    if (k % 5 == 2) list[n++] = "图书角";
    if (!n) return NULL;
    const char *s = list[0];
    for (int i = 1; i < n; i++) s = arena_printf(c->a, "%s、%s", s, list[i]);
    return s;
}

static int community_stations(struct demo_ctx *c, struct demo_comm *m, int *k)
{
    struct demo_rng r;
    demo_rng_seed(&r, demo_seed(m->code, 0x7a6469));
    bool binhe = !strcmp(m->code, "140930100010");
    bool small = c->scale == DEMO_SMALL;

    struct station_row center = {
        .kind = "center",
        .name = arena_printf(c->a, "%s党群服务中心", m->short_name),
        .place_code = m->code,
        .address = arena_printf(c->a, "河曲县西口镇%s居委会", m->short_name),
        .build_mode = "build",
        .opened_on = opened(c, &r, 2018),
        .hours = "周一至周日 8:00—18:00，24小时自助服务区全天开放",
        .phone = phone(c, &r),
        .extra_modules = binhe ? "老年食堂、四点半课堂、暖新驿站" : "老年学堂、图书角",
        .area_m2 = demo_rng_int(&r, 300, 650),
        .funding = 10000 * (int64_t)demo_rng_int(&r, 20, 80),
        .zone_24h = 1,
        .zone_8h = 1,
    };
    all_items(center.items, 1);
    if (put(c, &center, NULL, 0) < 0) return DB_ERROR;

    static const char *const modes[] = {"renovate", "renovate", "share",
                                        "renovate", "rent",     "build"};
    bool *hosts = arena_alloc(c->a, sizeof *hosts * (size_t)(m->ncompounds + 1));
    memset(hosts, 0, sizeof *hosts * (size_t)(m->ncompounds + 1));
    for (int g = 0; g < m->ngrids; g++) {
        const char *codes[STATION_COMPOUNDS_MAX];
        int n = 0, home = -1, first = -1;
        for (int ci = 0; ci < m->ncompounds && n < STATION_COMPOUNDS_MAX; ci++) {
            const struct demo_compound *cp = &m->compounds[ci];
            bool in_grid = false;
            for (int b = 0; b < cp->nbuildings && !in_grid; b++)
                in_grid = m->buildings[cp->first_building + b].grid == g;
            if (!in_grid) continue;
            if (first < 0) first = ci;
            if (home < 0 && !hosts[ci]) home = ci; /* one station per compound where it can */
            codes[n++] = cp->code;
        }
        if (first < 0) continue;
        bool second = home < 0;
        if (second) home = first;
        hosts[home] = true;
        const struct demo_compound *hc = &m->compounds[home];
        size_t len = strlen(hc->name);
        bool ends_xiaoqu = len >= 6 && !strcmp(hc->name + len - 6, "小区");
        struct station_row s = {
            .kind = "station",
            .name = arena_printf(c->a, "%s%s党群服务站%s", hc->name, ends_xiaoqu ? "" : "小区",
                                 second ? "（二站）" : ""),
            .place_code = hc->code,
            .address = arena_printf(c->a, "%s%s 1号楼一层", m->short_name, hc->name),
            .build_mode = modes[*k % 6],
            .opened_on = opened(c, &r, 2021),
            .hours = *k % 2 ? "每天 8:00—20:00" : "每天 8:00—20:00，24小时自助区全天开放",
            .phone = phone(c, &r),
            .extra_modules = extras(c, *k, binhe && g == 0),
            .area_m2 = demo_rng_int(&r, 40, 160),
            .funding = 1000 * (int64_t)demo_rng_int(&r, 3, 12),
            .zone_24h = *k % 2 == 0,
            .zone_8h = 1,
        };
        all_items(s.items, 1);
        /* The small demo keeps one station short of the standard, so the
         * checklist has something to show. */
        if (small && !binhe && g == m->ngrids - 1) {
            s.items[SI_HAS_ARCHIVE] = 0;
            s.items[SI_MOD_MEDIATION] = 0;
        }
        if (put(c, &s, codes, n) < 0) return DB_ERROR;
        (*k)++;
    }
    if (binhe) {
        struct station_row post = {
            .kind = "love_post",
            .name = "滨河社区爱心驿站",
            .place_code = m->code,
            .address = "河曲县西口镇滨河社区党群服务中心东侧",
            .build_mode = "share",
            .opened_on = opened(c, &r, 2023),
            .hours = "全天开放",
            .phone = phone(c, &r),
            .extra_modules = "饮水、充电、休息、应急药箱",
            .area_m2 = 30,
            .funding = 8000,
            .zone_24h = 1,
            .zone_8h = 0,
        };
        all_items(post.items, 0);
        post.items[SI_HAS_SIGN] = post.items[SI_HAS_FLAG] = post.items[SI_HAS_FACILITIES] = 1;
        post.items[SI_AREA_SERVICE] = 1;
        if (put(c, &post, NULL, 0) < 0) return DB_ERROR;
    }
    return 0;
}

int demo_stations(struct demo_ctx *c)
{
    int k = 0;
    for (int i = 0; i < c->ncomms; i++)
        if (community_stations(c, c->comms[i], &k) < 0) return DB_ERROR;
    return 0;
}
