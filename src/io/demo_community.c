/* The demo's places below a community: compounds (小区), buildings (楼栋),
 * units (单元) and households (户), then the community's basic grids.
 *
 * Sizes: at full scale a community has grids × 330–380 households, shared
 * among its compounds by style (old courtyards 家属院 are small, high-rises
 * large), so that its grids can each hold 300–500 households; at small scale
 * about 80 households in six compounds. */
#include <stdio.h>
#include <string.h>

#include "io/demo_internal.h"

static const char *const name_prefixes[] = {
    "黄河", "滨河", "西口", "河畔", "龙湾", "娘娘滩", "文笔",   "古渡", "金水", "翠苑",
    "锦绣", "阳光", "怡和", "康馨", "嘉禾", "盛世",   "御景",   "书香", "和谐", "龙腾",
    "凤鸣", "泰和", "瑞祥", "鑫源", "华美", "馨园",   "丽景",   "新城", "南园", "北苑",
    "东苑", "西苑", "晋西", "海潮", "龙口", "长城",   "黄河湾", "河湾", "金地", "祥和"};
static const char *const walkup_suffixes[] = {"小区", "花园", "家园", "新村", "佳苑",
                                              "雅居", "名居", "公寓", "苑"};
static const char *const highrise_suffixes[] = {"华庭", "府",   "名苑", "尚城", "国际",
                                                "壹号", "公馆", "御府", "天悦", "学府"};
static const char *const courtyards[] = {
    "供销社家属院",   "粮食局家属楼",   "电力小区",       "水利局家属院",   "农行家属院",
    "二中家属院",     "医院家属楼",     "税务小区",       "邮电小区",       "交通局家属院",
    "法院小区",       "林业局家属院",   "建行家属楼",     "物资局家属院",   "粮站小区",
    "煤运小区",       "卫生局家属院",   "教委家属院",     "工商家属院",     "财政局家属院",
    "检察院小区",     "农机站家属院",   "广电小区",       "气象局家属院",   "人武部家属院",
    "百货公司家属院", "糖酒公司家属院", "棉麻公司家属院", "运输公司家属院", "化肥厂家属院",
    "电厂生活区",     "一中家属院"};

static bool name_used(struct demo_ctx *c, const char *name)
{
    for (int i = 0; i < c->nused_names; i++)
        if (!strcmp(c->used_names[i], name)) return true;
    return false;
}

static const char *use_name(struct demo_ctx *c, const char *name)
{
    if (c->nused_names < (int)(sizeof c->used_names / sizeof c->used_names[0]))
        c->used_names[c->nused_names++] = name;
    return name;
}

/* A name no other compound of the county has. */
static const char *compound_name(struct demo_ctx *c, struct demo_comm *m, enum compound_style st)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        const char *name;
        if (st == STYLE_COURTYARD)
            name = DEMO_PICK(&m->rng, courtyards);
        else {
            const char *prefix = DEMO_PICK(&m->rng, name_prefixes);
            const char *suffix = st == STYLE_HIGHRISE ? DEMO_PICK(&m->rng, highrise_suffixes)
                                                      : DEMO_PICK(&m->rng, walkup_suffixes);
            name = arena_printf(c->a, "%s%s", prefix, suffix);
        }
        if (!name_used(c, name)) return use_name(c, name);
    }
    return use_name(c, arena_printf(c->a, "%s%d号院", m->short_name, c->nused_names + 1));
}

static void grow(void **p, int *cap, int need, size_t size, arena *a)
{
    if (need <= *cap) return;
    int ncap = *cap ? *cap * 2 : 64;
    while (ncap < need) ncap *= 2;
    void *np = arena_alloc(a, size * (size_t)ncap);
    if (*p) memcpy(np, *p, size * (size_t)*cap);
    *p = np;
    *cap = ncap;
}

static void add_place(struct demo_ctx *c, const char *code, const char *parent, const char *level,
                      const char *name)
{
    int rc = places_writer_add(c->places, code, parent, level, name, NULL);
    if (rc < 0 && !c->write_rc) c->write_rc = rc;
}

/* Floors, units and flats per floor of one building of a style. */
static void building_shape(struct demo_ctx *c, struct demo_comm *m, enum compound_style st,
                           int *floors, int *units, int *rooms)
{
    bool small = c->scale == DEMO_SMALL;
    switch (st) {
    case STYLE_COURTYARD:
        *floors = demo_rng_int(&m->rng, 3, small ? 4 : 5);
        *units = small ? 1 : demo_rng_int(&m->rng, 1, 2);
        *rooms = 2;
        break;
    case STYLE_WALKUP:
        *floors = demo_rng_int(&m->rng, 5, 6);
        *units = demo_rng_int(&m->rng, small ? 1 : 2, small ? 2 : 3);
        *rooms = 2;
        break;
    case STYLE_HIGHRISE:
        *floors = small ? demo_rng_int(&m->rng, 6, 8) : demo_rng_int(&m->rng, 11, 18);
        *units = small ? 1 : demo_rng_int(&m->rng, 1, 2);
        *rooms = small ? 2 : demo_rng_int(&m->rng, 2, 4);
        break;
    }
}

static void add_building(struct demo_ctx *c, struct demo_comm *m, int ci)
{
    struct demo_compound *k = &m->compounds[ci];
    int bi = m->nbuildings++;
    grow((void **)&m->buildings, &m->cap_buildings, m->nbuildings, sizeof *m->buildings, c->a);
    struct demo_building *b = &m->buildings[bi];
    int no = k->nbuildings + 1;
    snprintf(b->code, sizeof b->code, "%.15s%02d", k->code, no % 100);
    b->name = arena_printf(c->a, "%d号楼", no);
    b->compound = ci;
    b->first_household = m->nhouseholds;
    add_place(c, b->code, k->code, "building", b->name);
    k->nbuildings++;
    c->sum->buildings++;

    int floors = 1, units = 1, rooms = 1;
    building_shape(c, m, k->style, &floors, &units, &rooms);
    double vacancy = c->scale == DEMO_SMALL ? 0.05 : 0.08;
    for (int u = 1; u <= units; u++) {
        char ucode[PLACE_CODE_MAX];
        snprintf(ucode, sizeof ucode, "%.17s%d", b->code, u % 10);
        add_place(c, ucode, b->code, "unit", arena_printf(c->a, "%d单元", u));
        c->sum->units++;
        int seq = 0;
        for (int f = 1; f <= floors; f++)
            for (int r = 1; r <= rooms; r++) {
                int hi = m->nhouseholds++;
                grow((void **)&m->households, &m->cap_households, m->nhouseholds,
                     sizeof *m->households, c->a);
                struct demo_household *h = &m->households[hi];
                snprintf(h->code, sizeof h->code, "%.18s%03d", ucode, ++seq % 1000);
                h->building = bi;
                h->vacant = demo_rng_chance(&m->rng, vacancy);
                add_place(c, h->code, ucode, "household",
                          arena_printf(c->a, "%d号楼%d单元%d%02d", no, u, f, r));
                b->nhouseholds++;
                k->households++;
                c->sum->households++;
            }
    }
}

void demo_layout(struct demo_ctx *c, struct demo_comm *m, const struct demo_comm_spec *s)
{
    bool small = c->scale == DEMO_SMALL;
    /* Small scale: a fixed mix, so the branch rule meets both outcomes. */
    static const enum compound_style small_styles[] = {
        STYLE_WALKUP, STYLE_HIGHRISE, STYLE_COURTYARD, STYLE_WALKUP, STYLE_COURTYARD, STYLE_WALKUP};
    m->ncompounds = s->compounds;
    m->compounds = arena_alloc(c->a, sizeof *m->compounds * (size_t)m->ncompounds);
    int total = small ? demo_rng_int(&m->rng, 75, 90) : m->ngrids * demo_rng_int(&m->rng, 330, 380);
    int weight[64], wsum = 0;
    for (int i = 0; i < m->ncompounds; i++) {
        struct demo_compound *k = &m->compounds[i];
        if (i < 3 && s->fixed[i]) {
            k->style = s->fixed_style[i];
            k->name = use_name(c, s->fixed[i]);
        } else {
            if (small) {
                k->style = small_styles[i % 6];
            } else {
                int x = demo_rng_int(&m->rng, 0, 99);
                k->style = x < 25 ? STYLE_COURTYARD : x < 70 ? STYLE_WALKUP : STYLE_HIGHRISE;
            }
            k->name = compound_name(c, m, k->style);
        }
        weight[i] = k->style == STYLE_COURTYARD ? demo_rng_int(&m->rng, 8, 20)
                    : k->style == STYLE_WALKUP  ? demo_rng_int(&m->rng, 60, 120)
                                                : demo_rng_int(&m->rng, 130, 220);
        wsum += weight[i];
        double base = k->style == STYLE_COURTYARD ? 0.35 : k->style == STYLE_WALKUP ? 1.0 : 0.85;
        if (small && k->style != STYLE_COURTYARD) base *= 1.6;
        k->party_factor = base * demo_rng_int(&m->rng, 80, 120) / 100.0;
    }
    for (int i = 0; i < m->ncompounds; i++) {
        struct demo_compound *k = &m->compounds[i];
        snprintf(k->code, sizeof k->code, "%.12s%03d", m->code, (i + 1) % 1000);
        add_place(c, k->code, m->code, "compound", k->name);
        c->sum->compounds++;
        k->first_building = m->nbuildings;
        int target = total * weight[i] / wsum;
        if (target < 6) target = 6;
        do add_building(c, m, i);
        while (k->households < target && k->nbuildings < 99);
    }
}

void demo_grids(struct demo_ctx *c, struct demo_comm *m)
{
    int g = 0, acc = 0, remaining = m->nhouseholds;
    int target = remaining / m->ngrids;
    /* Walk the buildings in order; close a grid when the next building would
     * overshoot the running target by more than half of itself. */
    for (int i = 0; i < m->nbuildings; i++) {
        struct demo_building *b = &m->buildings[i];
        if (acc > 0 && g < m->ngrids - 1 && acc + b->nhouseholds / 2 >= target) {
            remaining -= acc;
            g++;
            target = remaining / (m->ngrids - g);
            acc = 0;
        }
        b->grid = g;
        acc += b->nhouseholds;
    }
    int used = g + 1;
    for (g = 0; g < used; g++) {
        int64_t id = c->next_grid++;
        m->grid_ids[g] = id;
        BULK_ADD(c->b[BULK_GRIDS], P_INT(id), P_TEXT(arena_printf(c->a, "%s-%02d", m->code, g + 1)),
                 P_TEXT(arena_printf(c->a, "%s第%d网格", m->short_name, g + 1)), P_TEXT("basic"),
                 P_TEXT(m->code), P_INT(c->now));
        c->sum->grids++;
    }
    m->ngrids = used;
    /* A grid covers whole compounds where it can, else single buildings. */
    for (int k = 0; k < m->ncompounds; k++) {
        struct demo_compound *cp = &m->compounds[k];
        int first = m->buildings[cp->first_building].grid;
        bool whole = true;
        for (int i = 0; i < cp->nbuildings; i++)
            if (m->buildings[cp->first_building + i].grid != first) whole = false;
        if (whole) {
            BULK_ADD(c->b[BULK_GRID_PLACES], P_INT(m->grid_ids[first]), P_TEXT(cp->code));
            continue;
        }
        for (int i = 0; i < cp->nbuildings; i++) {
            struct demo_building *b = &m->buildings[cp->first_building + i];
            BULK_ADD(c->b[BULK_GRID_PLACES], P_INT(m->grid_ids[b->grid]), P_TEXT(b->code));
        }
    }
}
