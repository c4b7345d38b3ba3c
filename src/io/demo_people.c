/* The demo's people: households of plausible make-up (elderly living alone,
 * couples, three generations, grandparents raising left-behind children …),
 * residents with valid 身份证号 and phones, care tags at plausible rates,
 * party members (居民/离退休/在职 with 双报到/流动), volunteers with skills,
 * new-employment partners and community workers (三岗十八级). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/demo_internal.h"

#define BINHE     "140930100010"
#define MAYINGWEI "140930100007"

/* ---- a set of identity numbers ---- */

bool demo_keyset_add(struct demo_keyset *s, uint64_t key)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct demo_keyset old = *s;
        s->cap = old.cap ? old.cap * 2 : 1 << 14;
        s->keys = calloc(s->cap, sizeof *s->keys);
        if (!s->keys) abort();
        s->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) demo_keyset_add(s, old.keys[i]);
        free(old.keys);
    }
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (s->cap - 1);
    while (s->keys[i]) {
        if (s->keys[i] == key) return false;
        i = (i + 1) & (s->cap - 1);
    }
    s->keys[i] = key;
    s->n++;
    return true;
}

void demo_keyset_free(struct demo_keyset *s)
{
    free(s->keys);
}

/* ---- care tags ---- */

static const char *const tag_ids[] = {
    "empty_nest",     "poor_family", "dibao",     "dibao_child",     "floating",
    "floating_child", "left_behind", "orphan",    "de_facto_orphan", "disabled",
    "disabled_child", "special",     "petitioner"};
enum {
    T_EMPTY_NEST,
    T_POOR,
    T_DIBAO,
    T_DIBAO_CHILD,
    T_FLOATING,
    T_FLOATING_CHILD,
    T_LEFT_BEHIND,
    T_ORPHAN,
    T_DE_FACTO,
    T_DISABLED,
    T_DISABLED_CHILD,
    T_SPECIAL,
    T_PETITIONER
};

static void tag(struct demo_ctx *c, struct demo_person *p, int t)
{
    if (p->tags & (1u << t)) return;
    p->tags |= 1u << t;
    BULK_ADD(c->b[BULK_CARE_TAGS], P_INT(p->id), P_TEXT(tag_ids[t]));
    c->sum->care_tags++;
}

/* ---- residents ---- */

/* 户籍 elsewhere in 山西 (the demo keeps every identity number in province 14). */
static const char *const other_areas[] = {"140902", "140981", "140931", "140932",
                                          "140929", "140928", "140927", "141127",
                                          "140106", "140121", "141102", "140602"};

static struct demo_person *add_person(struct demo_ctx *c, struct demo_comm *m, int hh,
                                      const char *surname, char sex, int age, const char *relation,
                                      bool local, const char *area)
{
    if (age < 0) age = 0;
    if (age > 98) age = 98;
    if (m->npeople == m->cap_people) {
        int ncap = m->cap_people ? m->cap_people * 2 : 256;
        struct demo_person *np = arena_alloc(c->a, sizeof *np * (size_t)ncap);
        if (m->people) memcpy(np, m->people, sizeof *np * (size_t)m->npeople);
        m->people = np;
        m->cap_people = ncap;
    }
    struct demo_person *p = &m->people[m->npeople++];
    struct demo_rng *r = &m->rng;
    p->id = c->next_person++;
    p->sex = sex;
    p->age = age;
    p->household = hh;
    p->relation = relation;
    p->local = local;
    demo_birth_date(r, age, c->ty, c->tm, c->td, p->birth);
    demo_person_name(r, surname ? surname : demo_surname(r), sex, atoi(p->birth), p->name,
                     sizeof p->name);
    for (;;) { /* unique: a clash moves to another sequence number */
        demo_id_number(area, p->birth, demo_rng_int(r, 0, 999), sex, p->idno);
        char first17[18];
        memcpy(first17, p->idno, 17);
        first17[17] = 0;
        if (demo_keyset_add(&c->idnos, strtoull(first17, NULL, 10) + 1)) break;
    }
    if (age >= 14 && (age < 75 || demo_rng_chance(r, 0.6))) demo_phone(r, p->phone);
    c->sum->residents++;
    return p;
}

/* A spouse's age: near the head's, wives usually a little younger. */
static int spouse_age(struct demo_rng *r, int head_age, char head_sex)
{
    int d = demo_rng_int(r, -2, 6);
    int age = head_sex == 'M' ? head_age - d : head_age + d;
    return age < 20 ? 20 : age;
}

/* A child's age given the mother's: born when she was 21–38, not in the future. */
static int child_age(struct demo_rng *r, int mother_age, int max_age)
{
    int hi = mother_age - 21;
    if (hi > max_age) hi = max_age;
    if (hi < 0) hi = 0;
    int lo = mother_age - 38;
    if (lo < 0) lo = 0;
    if (lo > hi) lo = hi;
    return demo_rng_int(r, lo, hi);
}

/* Boys are 52% of births. (Each random draw is its own statement: the order
 * in which a call's arguments are evaluated is unspecified in C, and the demo
 * must be the same with every compiler.) */
static char child_sex(struct demo_rng *r)
{
    return demo_rng_chance(r, 0.52) ? 'M' : 'F';
}

static char other_sex(char s)
{
    return s == 'M' ? 'F' : 'M';
}

enum household_type {
    H_ELDER_SINGLE,
    H_ELDER_COUPLE,
    H_COUPLE_1KID,
    H_COUPLE_2KIDS,
    H_THREE_GEN,
    H_YOUNG_COUPLE,
    H_SINGLE_ADULT,
    H_LEFT_BEHIND,
    H_SINGLE_PARENT
};
/* Per mille, in the order above: the make-up of a county town's households. */
static const int type_weights[] = {80, 140, 300, 130, 100, 80, 70, 50, 50};

static enum household_type household_type(struct demo_rng *r)
{
    int x = demo_rng_int(r, 0, 999);
    for (int t = 0; t < (int)(sizeof type_weights / sizeof type_weights[0]); t++) {
        if (x < type_weights[t]) return (enum household_type)t;
        x -= type_weights[t];
    }
    return H_COUPLE_1KID;
}

/* Makes the residents of household hh; returns the index of the first. */
static int household_people(struct demo_ctx *c, struct demo_comm *m, int hh)
{
    struct demo_rng *r = &m->rng;
    int first = m->npeople;
    bool local = demo_rng_chance(r, 0.92);
    const char *area = local ? "140930" : DEMO_PICK(r, other_areas);
    const char *surname = demo_surname(r);
    enum household_type t = household_type(r);
    bool away = false; /* a parent working away: 留守 */
    switch (t) {
    case H_ELDER_SINGLE: {
        char s = demo_rng_chance(r, 0.65) ? 'F' : 'M';
        add_person(c, m, hh, surname, s, demo_rng_int(r, 65, 92), "户主", local, area);
        break;
    }
    case H_ELDER_COUPLE: {
        int a = demo_rng_int(r, 60, 88);
        add_person(c, m, hh, surname, 'M', a, "户主", local, area);
        add_person(c, m, hh, NULL, 'F', spouse_age(r, a, 'M'), "配偶", local, area);
        break;
    }
    case H_COUPLE_1KID:
    case H_COUPLE_2KIDS:
    case H_THREE_GEN: {
        char hs = demo_rng_chance(r, 0.88) ? 'M' : 'F';
        int a = t == H_THREE_GEN ? demo_rng_int(r, 30, 52) : demo_rng_int(r, 27, 58);
        add_person(c, m, hh, hs == 'M' ? surname : NULL, hs, a, "户主", local, area);
        int sa = spouse_age(r, a, hs);
        add_person(c, m, hh, hs == 'M' ? NULL : surname, other_sex(hs), sa, "配偶", local, area);
        int mother = hs == 'F' ? a : sa;
        int kids = t == H_COUPLE_2KIDS ? 2 : t == H_THREE_GEN ? demo_rng_int(r, 1, 2) : 1;
        for (int k = 0; k < kids; k++) {
            char s = child_sex(r);
            add_person(c, m, hh, surname, s, child_age(r, mother, t == H_THREE_GEN ? 20 : 28),
                       "子女", local, area);
        }
        if (t == H_THREE_GEN) {
            int pa = a + demo_rng_int(r, 24, 32);
            if (pa <= 95) {
                const char *psur = hs == 'M' ? surname : NULL;
                if (demo_rng_chance(r, 0.6))
                    add_person(c, m, hh, psur, 'M', pa, "父母", local, area);
                add_person(c, m, hh, NULL, 'F', pa - demo_rng_int(r, 0, 4), "父母", local, area);
            }
        }
        break;
    }
    case H_YOUNG_COUPLE: {
        int a = demo_rng_int(r, 22, 35);
        add_person(c, m, hh, surname, 'M', a, "户主", local, area);
        add_person(c, m, hh, NULL, 'F', spouse_age(r, a, 'M'), "配偶", local, area);
        break;
    }
    case H_SINGLE_ADULT: {
        char s = demo_rng_chance(r, 0.55) ? 'M' : 'F';
        add_person(c, m, hh, surname, s, demo_rng_int(r, 22, 58), "户主", local, area);
        break;
    }
    case H_LEFT_BEHIND: {
        int a = demo_rng_int(r, 55, 75);
        add_person(c, m, hh, surname, 'M', a, "户主", local, area);
        if (demo_rng_chance(r, 0.8))
            add_person(c, m, hh, NULL, 'F', spouse_age(r, a, 'M'), "配偶", local, area);
        int kids = demo_rng_int(r, 1, 2);
        for (int k = 0; k < kids; k++) {
            char s = child_sex(r);
            add_person(c, m, hh, surname, s, demo_rng_int(r, 3, 15), "孙子女", local, area);
        }
        break;
    }
    case H_SINGLE_PARENT: {
        int a = demo_rng_int(r, 28, 50);
        add_person(c, m, hh, surname, 'F', a, "户主", local, area);
        int kids = demo_rng_int(r, 1, 2);
        for (int k = 0; k < kids; k++) {
            char s = child_sex(r);
            add_person(c, m, hh, NULL, s, child_age(r, a, 17), "子女", local, area);
        }
        away = demo_rng_chance(r, 0.3);
        break;
    }
    }

    /* Care tags of the household and its members. */
    int n = m->npeople - first;
    bool all_old = true;
    for (int i = 0; i < n; i++)
        if (m->people[first + i].age < 60) all_old = false;
    bool poor = demo_rng_chance(r, 0.03), dibao = poor && demo_rng_chance(r, 0.5);
    for (int i = 0; i < n; i++) {
        struct demo_person *p = &m->people[first + i];
        bool child = p->age < 18;
        if (all_old) tag(c, p, T_EMPTY_NEST);
        if (poor && i == 0) tag(c, p, T_POOR);
        if (dibao) tag(c, p, child ? T_DIBAO_CHILD : T_DIBAO);
        if (!local) tag(c, p, child ? T_FLOATING_CHILD : T_FLOATING);
        if (t == H_LEFT_BEHIND && child) {
            int x = demo_rng_int(r, 0, 999);
            tag(c, p, x < 15 ? T_ORPHAN : x < 135 ? T_DE_FACTO : T_LEFT_BEHIND);
        }
        if (away && (child || i == 0)) tag(c, p, T_LEFT_BEHIND);
        if (demo_rng_chance(r, 0.015)) tag(c, p, child ? T_DISABLED_CHILD : T_DISABLED);
        if (!child && p->age <= 60 && demo_rng_chance(r, 0.003)) tag(c, p, T_SPECIAL);
        if (!child && demo_rng_chance(r, 0.002)) tag(c, p, T_PETITIONER);
    }
    return first;
}

/* ---- roles ---- */

static const char *const mobile_places[] = {"内蒙古鄂尔多斯市", "内蒙古包头市", "陕西省府谷县",
                                            "太原市",           "北京市",       "天津市",
                                            "内蒙古呼和浩特市", "忻州市忻府区"};
static const char *const pioneer_posts[] = {"政策宣传岗", "环境卫生岗", "矛盾调解岗",
                                            "治安巡逻岗", "邻里互助岗", "文明劝导岗"};
static const char *const team_skills[4][8] = {
    {"水电维修", "家电维修", "电工", "管道疏通"},
    {"医生", "护士", "健康咨询", "康复理疗"},
    {"律师", "法律咨询", "人民调解"},
    {"教师", "书法", "剪纸", "理发", "厨师", "心理咨询", "摄影", "二人台"}};

static void make_volunteer(struct demo_ctx *c, struct demo_comm *m, struct demo_person *p)
{
    struct demo_rng *r = &m->rng;
    int team = demo_rng_int(r, 0, 3), n = 0;
    while (n < 8 && team_skills[team][n]) n++;
    const char *s1 = team_skills[team][demo_rng_int(r, 0, n - 1)];
    const char *s2 = team_skills[team][demo_rng_int(r, 0, n - 1)];
    const char *skills =
        s1 == s2 || demo_rng_chance(r, 0.5) ? s1 : arena_printf(c->a, "%s,%s", s1, s2);
    BULK_ADD(c->b[BULK_VOLUNTEERS], P_INT(p->id), P_INT(m->teams[team]), P_TEXT(skills));
    p->volunteer = true;
    c->sum->volunteers++;
}

static void make_partner(struct demo_ctx *c, struct demo_comm *m, struct demo_person *p)
{
    static const char *const express[] = {"中通快递", "圆通速递", "韵达快递", "申通快递",
                                          "顺丰速运", "京东物流", "中国邮政", "极兔速递"};
    static const char *const delivery[] = {"美团外卖", "饿了么"};
    static const char *const rides[] = {"滴滴出行", "花小猪打车"};
    static const char *const duties[] = {"民情信息员", "平安巡查员", "文明宣传员",
                                         "民情信息员,平安巡查员", "平安巡查员,文明宣传员"};
    struct demo_rng *r = &m->rng;
    int x = demo_rng_int(r, 0, 99);
    const char *trade = x < 45 ? "express" : x < 85 ? "delivery" : "ride_hailing";
    const char *company = x < 45   ? DEMO_PICK(r, express)
                          : x < 85 ? DEMO_PICK(r, delivery)
                                   : DEMO_PICK(r, rides);
    BULK_ADD(c->b[BULK_PARTNERS], P_INT(p->id), P_TEXT(trade), P_TEXT(company),
             P_TEXT(DEMO_PICK(r, duties)));
    p->partner = true;
    c->sum->partners++;
    if (!c->kuaidi && !strcmp(m->code, BINHE)) {
        c->kuaidi = p->id;
        c->kuaidi_name = arena_strdup(c->a, p->name);
    }
}

static void make_member(struct demo_ctx *c, struct demo_comm *m, int pi)
{
    struct demo_rng *r = &m->rng;
    struct demo_person *p = &m->people[pi];
    if (m->nmembers == m->cap_members) {
        int ncap = m->cap_members ? m->cap_members * 2 : 64;
        struct demo_member *nm = arena_alloc(c->a, sizeof *nm * (size_t)ncap);
        if (m->members) memcpy(nm, m->members, sizeof *nm * (size_t)m->nmembers);
        m->members = nm;
        m->cap_members = ncap;
    }
    struct demo_member *e = &m->members[m->nmembers++];
    memset(e, 0, sizeof *e);
    e->person = pi;
    if (p->age >= 60)
        e->kind = demo_rng_chance(r, 0.75) ? "retired" : "resident";
    else {
        int x = demo_rng_int(r, 0, 99);
        e->kind = x < 45 ? "in_service" : (x < 83 || p->age >= 50) ? "resident" : "mobile";
    }
    int by, bm, bd;
    sscanf(p->birth, "%d-%d-%d", &by, &bm, &bd);
    long born = demo_days_from_civil(by, bm, bd);
    /* Joined at 19–38 (members are 20 or over), at least a month ago. */
    long from = born + 365L * 19, to = born + 365L * 38;
    if (to > c->today - 30) to = c->today - 30;
    if (from > to) from = to;
    demo_date_between(r, from, to, e->joined_on);
    const struct demo_building *b = &m->buildings[m->households[p->household].building];
    if (!strcmp(e->kind, "in_service")) {
        int n = c->ndepartments + c->ncobuild;
        int k = demo_rng_int(r, 0, n - 1);
        e->work_org = k < c->ndepartments ? c->departments[k] : c->cobuild[k - c->ndepartments];
        e->work_unit =
            k < c->ndepartments ? c->department_names[k] : c->cobuild_names[k - c->ndepartments];
        demo_date_between(r, demo_days_from_civil(2021, 3, 1), c->today - 7, e->reported_at);
    } else if (!strcmp(e->kind, "mobile")) {
        p->note = arena_printf(c->a, "流动党员，在%s务工", DEMO_PICK(r, mobile_places));
    } else if (demo_rng_chance(r, 0.25)) {
        e->pioneer_post = DEMO_PICK(r, pioneer_posts);
        e->duty_area = arena_printf(c->a, "%s%s", m->compounds[b->compound].name, b->name);
    }
    p->party = true;
    m->compounds[b->compound].party++;
    m->buildings[m->households[p->household].building].party++;
    c->sum->party_members++;
}

void demo_people(struct demo_ctx *c, struct demo_comm *m)
{
    struct demo_rng *r = &m->rng;
    bool binhe = !strcmp(m->code, BINHE);
    for (int hh = 0; hh < m->nhouseholds; hh++) {
        if (m->households[hh].vacant) continue;
        int first = household_people(c, m, hh);
        const struct demo_compound *k =
            &m->compounds[m->buildings[m->households[hh].building].compound];
        for (int i = first; i < m->npeople; i++) {
            struct demo_person *p = &m->people[i];
            if (p->age < 18) continue;
            double rate = p->age < 20 ? 0 : p->age < 36 ? 0.035 : p->age < 60 ? 0.075 : 0.10;
            if (demo_rng_chance(r, rate * k->party_factor)) {
                make_member(c, m, i);
                const char *kind = m->members[m->nmembers - 1].kind;
                bool dangyuan = binhe && !c->dangyuan && p->age >= 25 && p->age <= 60 &&
                                (!strcmp(kind, "resident") || !strcmp(kind, "in_service"));
                if (dangyuan) {
                    c->dangyuan = p->id;
                    c->dangyuan_name = arena_strdup(c->a, p->name);
                }
                if (dangyuan || (p->age <= 70 && demo_rng_chance(r, 0.35))) make_volunteer(c, m, p);
            } else if (p->age <= 70 && demo_rng_chance(r, 0.04)) {
                make_volunteer(c, m, p);
            }
            if (p->age >= 20 && p->age <= 45 && demo_rng_chance(r, p->sex == 'M' ? 0.009 : 0.0015))
                make_partner(c, m, p);
        }
    }
    /* 滨河社区 always has a partner, for the demo account kuaidi. */
    for (int i = 0; binhe && !c->kuaidi && i < m->npeople; i++) {
        struct demo_person *p = &m->people[i];
        if (p->sex == 'M' && p->age >= 20 && p->age <= 45 && !p->party) make_partner(c, m, p);
    }
}

/* Takes an adult of 25–55 not yet given a role, a party member when asked
 * (a secretary), starting the search at a random person. The demo account
 * dangyuan's person stays an ordinary member. */
static struct demo_person *pick_worker(struct demo_ctx *c, struct demo_comm *m, bool party)
{
    if (!m->npeople) return NULL;
    int start = demo_rng_int(&m->rng, 0, m->npeople - 1);
    for (int pass = party ? 0 : 1; pass < 2; pass++)
        for (int j = 0; j < m->npeople; j++) {
            struct demo_person *p = &m->people[(start + j) % m->npeople];
            if (p->age < 25 || p->age > 55 || p->worker || p->partner || p->id == c->dangyuan)
                continue;
            if (pass == 0 && !p->party) continue;
            return p;
        }
    return NULL;
}

static struct demo_person *worker(struct demo_ctx *c, struct demo_comm *m, bool party,
                                  const char *post, int grade_lo, int grade_hi, double certified,
                                  const char *note)
{
    struct demo_rng *r = &m->rng;
    struct demo_person *p = pick_worker(c, m, party);
    if (!p) return NULL;
    p->worker = true;
    p->note = note;
    const char *cert = !demo_rng_chance(r, certified) ? NULL
                       : demo_rng_chance(r, 0.35)     ? "中级社会工作师"
                                                      : "初级社会工作师";
    BULK_ADD(c->b[BULK_COMMUNITY_WORKERS], P_INT(p->id), P_TEXT(m->code), P_TEXT(post),
             P_INT(demo_rng_int(r, grade_lo, grade_hi)), P_NTEXT(cert));
    c->sum->workers++;
    return p;
}

void demo_workers(struct demo_ctx *c, struct demo_comm *m)
{
    const char *sn = m->short_name;
    /* 三岗十八级: 正职 grades 13–18, 副职 7–12, 其他 1–6. */
    struct demo_person *sec =
        worker(c, m, true, "正职", 13, 18, 0.9, arena_printf(c->a, "%s党委书记、居委会主任", sn));
    /* The deputy secretary also serves as a branch secretary where no
     * resident member takes it (社区兼). */
    struct demo_person *deputy =
        worker(c, m, true, "副职", 7, 12, 0.7, arena_printf(c->a, "%s党委副书记", sn));
    if (deputy) m->deputy = deputy->id;
    worker(c, m, false, "副职", 7, 12, 0.7, arena_printf(c->a, "%s居委会副主任", sn));
    struct demo_person *staff =
        worker(c, m, false, "其他", 1, 6, 0.5, arena_printf(c->a, "%s社区专干（民政）", sn));
    worker(c, m, false, "其他", 1, 6, 0.5, arena_printf(c->a, "%s社区专干（党建）", sn));
    struct demo_person *first_grid = NULL;
    for (int g = 0; g < m->ngrids; g++) {
        struct demo_person *p = worker(c, m, false, "其他", 1, 6, 0.4,
                                       arena_printf(c->a, "%s第%d网格专职网格员", sn, g + 1));
        if (!g) first_grid = p;
        if (p) BULK_ADD(c->b[BULK_GRID_WORKERS], P_INT(m->grid_ids[g]), P_INT(p->id));
    }
    if (!strcmp(m->code, BINHE)) {
        if (sec) c->binhe_secretary = arena_strdup(c->a, sec->name);
        if (staff) c->binhe_worker = arena_strdup(c->a, staff->name);
        if (first_grid) c->binhe_grid1_worker = arena_strdup(c->a, first_grid->name);
    } else if (!strcmp(m->code, MAYINGWEI) && sec) {
        c->mayingwei_secretary = arena_strdup(c->a, sec->name);
    }
}

void demo_people_rows(struct demo_ctx *c, struct demo_comm *m)
{
    bool binhe = !strcmp(m->code, BINHE);
    for (int i = 0; i < m->npeople; i++) {
        struct demo_person *p = &m->people[i];
        if (binhe && !c->jumin && !strcmp(p->relation, "户主") && p->age >= 25 && p->age <= 60 &&
            !p->party && !p->partner && !p->worker && !p->volunteer) {
            c->jumin = p->id;
            c->jumin_name = arena_strdup(c->a, p->name);
        }
        char sex[2] = {p->sex, 0};
        BULK_ADD(c->b[BULK_PEOPLE], P_INT(p->id), P_TEXT(p->name), P_TEXT(sex), P_TEXT(p->birth),
                 P_TEXT(p->idno), P_OPT(p->phone), P_TEXT(m->households[p->household].code),
                 P_INT(p->local ? 1 : 0), P_TEXT(p->relation), P_NTEXT(p->note), P_INT(c->now),
                 P_INT(c->now));
    }
}
