/* The demo county: the flow of `linli demo` (see demo.h). One transaction:
 * divisions from the embedded extract, county organisations, then per
 * community its organisations, places, grids, people and branches, written
 * table by table in foreign-key order, then the demo accounts (through the
 * accounts service) and one audit entry. */
#include "io/demo.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "io/demo_internal.h"
#include "io/demo_points.h"
#include "io/division_rules.h"
#include "service/svc_tx.h"
#include "store/store_demo.h"
#include "util/clock.h"
#include "util/embed.h"

#define EXTRACT "data/demo/divisions.csv"

/* The ten communities of 西口镇, with the seeds' sizes (100 compounds, 72
 * grids) and the real compounds the seeds name. */
static const struct demo_comm_spec full_specs[] = {
    {"140930100002", 8, 6, {NULL}, {0}},
    {"140930100003", 8, 6, {NULL}, {0}},
    {"140930100004", 10, 7, {NULL}, {0}},
    {"140930100005", 10, 7, {"教育小区"}, {STYLE_WALKUP}},
    {"140930100006", 10, 8, {NULL}, {0}},
    {"140930100007", 12, 9, {"文曲院", "恒苑尚水"}, {STYLE_WALKUP, STYLE_HIGHRISE}},
    {"140930100008", 8, 6, {NULL}, {0}},
    {"140930100009", 10, 7, {NULL}, {0}},
    {"140930100010", 14, 9, {"隗滨花园", "东河明珠"}, {STYLE_WALKUP, STYLE_HIGHRISE}},
    {"140930100011", 10, 7, {"幸福小区"}, {STYLE_WALKUP}},
};
static const struct demo_comm_spec small_specs[] = {
    {"140930100007", 6, 2, {"文曲院", "恒苑尚水"}, {STYLE_WALKUP, STYLE_HIGHRISE}},
    {"140930100010", 6, 2, {"隗滨花园", "东河明珠"}, {STYLE_WALKUP, STYLE_HIGHRISE}},
};

/* ---- the embedded division extract ---- */

struct division {
    const char *code, *name, *level, *parent;
};

struct extract {
    arena *a;
    struct division *rows;
    int n, cap;
    const char *f[4];
    int nf;
    bool header;
    bool bad;
};

static void on_field(void *s, size_t len, void *data)
{
    struct extract *x = data;
    if (x->nf < 4) x->f[x->nf] = len ? arena_strndup(x->a, s, len) : NULL;
    x->nf++;
}

static void on_record(int ch, void *data)
{
    (void)ch;
    struct extract *x = data;
    if (x->nf == 0) return;
    if (!x->header) {
        x->header = true; /* code,name,level,parent_code */
    } else if (x->nf != 4 || !x->f[0] || !x->f[1] || !x->f[2]) {
        x->bad = true;
    } else {
        if (x->n == x->cap) {
            int ncap = x->cap ? x->cap * 2 : 256;
            struct division *nr = arena_alloc(x->a, sizeof *nr * (size_t)ncap);
            if (x->rows) memcpy(nr, x->rows, sizeof *nr * (size_t)x->n);
            x->rows = nr;
            x->cap = ncap;
        }
        x->rows[x->n++] = (struct division){x->f[0], x->f[1], x->f[2], x->f[3]};
    }
    x->nf = 0;
}

static bool read_extract(struct extract *x)
{
    const struct embedded_file *f = embed_find(EXTRACT);
    if (!f) return false;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT) != 0) return false;
    bool ok = csv_parse(&p, f->data, f->len, on_field, on_record, x) == f->len &&
              csv_fini(&p, on_field, on_record, x) == 0;
    csv_free(&p);
    return ok && !x->bad && x->n > 0;
}

static const char *division_name(const struct extract *x, const char *code)
{
    for (int i = 0; i < x->n; i++)
        if (!strcmp(x->rows[i].code, code)) return x->rows[i].name;
    return NULL;
}

/* 滨河社区居委会 → 滨河社区 (names of grids and organisations). */
static const char *short_name(arena *a, const char *name)
{
    static const char *const suffixes[] = {"居民委员会", "居委会", "村民委员会", "村委会"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t m = strlen(suffixes[i]);
        if (n > m && !strcmp(name + n - m, suffixes[i])) return arena_strndup(a, name, n - m);
    }
    return name;
}

/* ---- accounts ---- */

static struct svc_result make_accounts(struct demo_ctx *c, struct demo_account out[DEMO_ACCOUNTS])
{
    const struct {
        const char *username, *role, *place, *scope_zh, *display;
        int64_t grid, org;
    } list[DEMO_ACCOUNTS] = {
        {"admin", "admin", "14", "山西省 (14)", "系统管理员", 0, 0},
        {"xian", "county_admin", "140930", "河曲县 (140930)", "河曲县委组织部", 0, 0},
        {"xikou", "street_admin", "140930100", "西口镇 (140930100)", "西口镇党委", 0, 0},
        {"binhe", "secretary", "140930100010", "滨河社区 (140930100010)", c->binhe_secretary, 0, 0},
        {"binhe_sg", "community_worker", "140930100010", "滨河社区 (140930100010)", c->binhe_worker,
         0, 0},
        {"wangge1", "grid_worker", NULL, "滨河社区第1网格", c->binhe_grid1_worker, c->binhe_grid1,
         0},
        {"mayingwei", "secretary", "140930100007", "马营围社区 (140930100007)",
         c->mayingwei_secretary, 0, 0},
        {"jumin", "resident", "140930100010", "滨河社区 (140930100010)", c->jumin_name, 0, 0},
        {"dangyuan", "volunteer", "140930100010", "滨河社区 (140930100010)", c->dangyuan_name, 0,
         0},
        {"kuaidi", "partner", "140930100010", "滨河社区 (140930100010)", c->kuaidi_name, 0, 0},
        {"bumen", "department", NULL, "河曲县住房和城乡建设管理局", "县住建局联络员", 0,
         c->housing_bureau},
    };
    for (int i = 0; i < DEMO_ACCOUNTS; i++) {
        if (!list[i].display) return svc_fail(E_INTERNAL, NULL, "演示数据缺少账号对应的人员");
        struct svc_result r =
            svc_account_create(c->d, c->a, NULL, list[i].username, list[i].display, DEMO_PASSWORD,
                               list[i].role, list[i].place, list[i].grid, list[i].org);
        if (r.err) return r;
        out[i] = (struct demo_account){list[i].username, list[i].role, list[i].scope_zh,
                                       list[i].display};
        c->sum->accounts++;
    }
    if (store_demo_link_person(c->d, "jumin", c->jumin) < 0 ||
        store_demo_link_person(c->d, "dangyuan", c->dangyuan) < 0 ||
        store_demo_link_person(c->d, "kuaidi", c->kuaidi) < 0)
        return svc_fail(E_INTERNAL, NULL, NULL);
    return (struct svc_result){0};
}

/* ---- the run ---- */

static int write_tables(struct demo_ctx *c)
{
    /* Foreign-key order: places first (already streaming), then the rest. */
    /* People before organisations: a branch names its secretary. */
    static const enum bulk_table order[] = {
        BULK_PEOPLE,     BULK_ORGANISATIONS, BULK_ORG_PLACES,        BULK_AGREEMENTS,
        BULK_GRIDS,      BULK_GRID_PLACES,   BULK_GRID_WORKERS,      BULK_PARTY_MEMBERS,
        BULK_VOLUNTEERS, BULK_PARTNERS,      BULK_COMMUNITY_WORKERS, BULK_CARE_TAGS};
    if (c->write_rc < 0) return c->write_rc;
    int rc = places_writer_flush(c->places);
    if (rc < 0) return rc;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        long n = bulk_flush(c->b[order[i]], c->d);
        if (n < 0) return (int)n;
    }
    if (bulk_sync_identity(c->d, "people") < 0 || bulk_sync_identity(c->d, "organisations") < 0 ||
        bulk_sync_identity(c->d, "grids") < 0)
        return DB_ERROR;
    return demo_stations(c);
}

static struct svc_result generate(struct demo_ctx *c, struct extract *x)
{
    for (int i = 0; i < x->n; i++) {
        const struct division *v = &x->rows[i];
        if (division_code_len(v->level) != (int)strlen(v->code))
            return svc_fail(E_INTERNAL, NULL, "内置演示区划数据有误");
        int rc = places_writer_add(c->places, v->code, v->parent, v->level, v->name,
                                   division_kind(v->level, v->name));
        if (rc < 0) return svc_fail(E_INTERNAL, NULL, NULL);
        c->sum->divisions++;
    }
    demo_county_orgs(c);
    const struct demo_comm_spec *specs = c->scale == DEMO_FULL ? full_specs : small_specs;
    int nspecs = c->scale == DEMO_FULL ? (int)(sizeof full_specs / sizeof full_specs[0])
                                       : (int)(sizeof small_specs / sizeof small_specs[0]);
    for (int i = 0; i < nspecs; i++) {
        struct demo_comm *m = arena_alloc(c->a, sizeof *m);
        m->code = specs[i].code;
        m->name = division_name(x, m->code);
        if (!m->name) return svc_fail(E_INTERNAL, NULL, "内置演示区划数据缺少西口镇的社区");
        m->short_name = short_name(c->a, m->name);
        m->ngrids = specs[i].grids;
        demo_rng_seed(&m->rng, demo_seed(m->code, (uint64_t)c->scale));
        demo_community_orgs(c, m);
        demo_layout(c, m, &specs[i]);
        demo_grids(c, m);
        if (!strcmp(m->code, "140930100010")) c->binhe_grid1 = m->grid_ids[0];
        demo_people(c, m);
        demo_workers(c, m);
        demo_branches(c, m);
        demo_people_rows(c, m);
        if (c->ncomms < (int)(sizeof c->comms / sizeof c->comms[0])) c->comms[c->ncomms++] = m;
        c->sum->communities++;
    }
    return (struct svc_result){0};
}

/* The demo's one transaction: every table, the accounts, the orders and the
 * points, and the audit entry. */
struct demo_tx {
    struct demo_ctx *c;
    struct extract *x;
    struct demo_account *accounts;
    bool began, wrote;
};

static struct svc_result demo_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct demo_tx *t = ctx;
    struct demo_ctx *c = t->c;
    const struct demo_summary *sum = c->sum;
    t->began = true;
    c->places = places_writer_new(d, c->now);
    for (int i = 0; i < BULK_TABLE_COUNT; i++) c->b[i] = bulk_new((enum bulk_table)i);
    struct svc_result res = generate(c, t->x);
    if (!res.err && write_tables(c) < 0) {
        fprintf(stderr, "linli demo: %s\n", db_errmsg(d));
        res = svc_fail(E_INTERNAL, NULL, "写入演示数据失败");
    }
    if (!res.err) res = make_accounts(c, t->accounts);
    if (!res.err && demo_orders(c) < 0) {
        fprintf(stderr, "linli demo: %s\n", db_errmsg(d));
        res = svc_fail(E_INTERNAL, NULL, "写入演示工单失败");
    }
    if (!res.err && demo_points(d, a, "140930") < 0)
        res = svc_fail(E_INTERNAL, NULL, "写入演示积分失败");
    if (res.err) return res;
    const char *scale = c->scale == DEMO_FULL ? "full" : "small";
    *au = (struct svc_audit){
        .action = "demo",
        .entity = "demo",
        .place_code = "140930",
        .after_json = arena_printf(
            a,
            "{\"scale\":\"%s\",\"compounds\":%ld,\"buildings\":%ld,\"households\":%ld,"
            "\"residents\":%ld,\"party_members\":%ld,\"organisations\":%ld,\"branches\":%ld,"
            "\"grids\":%ld,\"centers\":%ld,\"stations\":%ld,\"accounts\":%ld,\"orders\":%ld}",
            scale, sum->compounds, sum->buildings, sum->households, sum->residents,
            sum->party_members, sum->organisations, sum->branches, sum->grids, sum->centers,
            sum->stations, sum->accounts, sum->orders),
        .note = arena_printf(
            a, "演示县 河曲县（%s）：%ld 个小区，%ld 户，%ld 名居民，%ld 个网格，%ld 个账号",
            c->scale == DEMO_FULL ? "完整" : "精简", sum->compounds, sum->households,
            sum->residents, sum->grids, sum->accounts)};
    t->wrote = true;
    return res;
}

struct svc_result demo_create(db *d, arena *a, enum demo_scale scale, struct demo_summary *sum,
                              struct demo_account accounts[DEMO_ACCOUNTS])
{
    memset(sum, 0, sizeof *sum);
    if (!store_demo_db_empty(d))
        return svc_fail(E_CONFLICT, "db",
                        "数据库中已有账号或人员，演示数据只能在空数据库中创建；请用 --db "
                        "指定一个新的数据库。");
    struct extract x = {.a = a};
    if (!read_extract(&x))
        return svc_fail(E_INTERNAL, NULL, "缺少或无法读取内置的演示区划数据 " EXTRACT);

    struct demo_ctx c = {.d = d, .a = a, .scale = scale, .now = clock_now(), .sum = sum};
    idcard_today((time_t)c.now, &c.ty, &c.tm, &c.td);
    c.today = demo_days_from_civil(c.ty, c.tm, c.td);
    demo_rng_seed(&c.rng, demo_seed("河曲县", 140930));
    c.next_person = store_demo_next_id(d, "people");
    c.next_org = store_demo_next_id(d, "organisations");
    c.next_grid = store_demo_next_id(d, "grids");
    if (c.next_person < 0 || c.next_org < 0 || c.next_grid < 0)
        return svc_fail(E_UNAVAILABLE, NULL, NULL);

    bulk_tune_connection(d);
    struct demo_tx tx = {.c = &c, .x = &x, .accounts = accounts};
    struct svc_result res = svc_tx(d, a, NULL, "demo", demo_tx, &tx);
    if (res.err && !tx.began)
        res = svc_fail(E_UNAVAILABLE, NULL, "数据库忙，请稍后再试");
    else if (res.err && tx.wrote)
        res = res.err == E_INTERNAL ? svc_fail(E_INTERNAL, NULL, "写入审计日志失败")
                                    : svc_fail(E_UNAVAILABLE, NULL, "提交失败，请重试");

    places_writer_free(c.places);
    for (int t = 0; t < BULK_TABLE_COUNT; t++) bulk_free(c.b[t]);
    demo_keyset_free(&c.idnos);
    return res;
}
