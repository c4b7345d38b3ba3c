/* The demo's organisations: the party tree (县委 → 镇党委 → 社区党委 → 小区党支部
 * → 楼栋党小组 → 党员中心户), departments, co-building units with their 共建协议,
 * social organisations, property companies, owners' committees and volunteer
 * teams, each linked to the places it serves (org_places). Compound branches
 * follow the branch rule (core/branch_rule.h). */
#include <stdio.h>
#include <string.h>

#include "core/branch_rule.h"
#include "io/demo_internal.h"

#define COUNTY "140930"
#define TOWN   "140930100"

static int64_t org_row(struct demo_ctx *c, const char *kind, const char *name, int64_t parent,
                       const char *place_code, const char *formation,
                       const struct demo_branch_info *b)
{
    int64_t id = c->next_org++;
    bool phone =
        strcmp(kind, "party_group") && strcmp(kind, "center_household") && strcmp(kind, "branch");
    /* 河曲's area code is 0350; office numbers there start with 72/73. */
    const char *tel = NULL;
    if (phone) {
        int exchange = demo_rng_int(&c->rng, 2, 3);
        tel = arena_printf(c->a, "0350-7%d%05d", exchange, demo_rng_int(&c->rng, 0, 99999));
    }
    BULK_ADD(c->b[BULK_ORGANISATIONS], P_INT(id), P_TEXT(kind), P_TEXT(name),
             parent ? P_INT(parent) : P_NULL, P_NTEXT(place_code), P_NTEXT(formation), P_NTEXT(tel),
             P_INT(c->now), b ? P_INT(b->five[0]) : P_NULL, b ? P_INT(b->five[1]) : P_NULL,
             b ? P_INT(b->five[2]) : P_NULL, b ? P_INT(b->five[3]) : P_NULL,
             b && b->secretary ? P_INT(b->secretary) : P_NULL, P_NTEXT(b ? b->way : NULL),
             b && b->one_shoulder >= 0 ? P_INT(b->one_shoulder) : P_NULL);
    c->sum->organisations++;
    return id;
}

int64_t demo_org(struct demo_ctx *c, const char *kind, const char *name, int64_t parent,
                 const char *place_code, const char *formation)
{
    return org_row(c, kind, name, parent, place_code, formation, NULL);
}

void demo_org_place(struct demo_ctx *c, int64_t org, const char *place_code)
{
    BULK_ADD(c->b[BULK_ORG_PLACES], P_INT(org), P_TEXT(place_code));
}

static void agreement(struct demo_ctx *c, int64_t org, const char *org_name, const char *place_code,
                      const char *place_name, const char *what)
{
    char signed_on[11], expires_on[11];
    long day = demo_days_from_civil(2022, 1, 10) + demo_rng_int(&c->rng, 0, 1075);
    demo_date_between(&c->rng, day, day, signed_on);
    demo_date_between(&c->rng, day + 1095, day + 1095, expires_on); /* three years */
    BULK_ADD(c->b[BULK_AGREEMENTS], P_INT(org), P_TEXT(place_code),
             P_TEXT(arena_printf(c->a, "%s与%s%s", org_name, place_name, what)), P_TEXT(signed_on),
             P_TEXT(expires_on), P_INT(c->now));
    c->sum->agreements++;
}

/* Departments (职能部门) of the county; the first is the demo account bumen's. */
static const char *const department_names[] = {"河曲县住房和城乡建设管理局",
                                               "河曲县公安局",
                                               "河曲县民政局",
                                               "河曲县城市管理局",
                                               "河曲县市场监督管理局",
                                               "河曲县司法局",
                                               "河曲县卫生健康和体育局",
                                               "河曲县人力资源和社会保障局",
                                               "河曲县教育科技局",
                                               "河曲县应急管理局",
                                               "河曲县医疗保障局",
                                               "河曲县行政审批服务管理局"};

/* Co-building units (共建单位) and the community each sits in. */
static const struct {
    const char *name, *home, *home_name;
} cobuilding[] = {
    {"国网河曲县供电公司", "140930100010", "滨河社区"},
    {"河曲县人民医院", "140930100005", "文笔塔社区"},
    {"河曲县第一中学", "140930100004", "同德社区"},
    {"河曲县实验小学", "140930100007", "马营围社区"},
    {"中国工商银行河曲支行", "140930100006", "惠通社区"},
    {"中国移动河曲分公司", "140930100009", "东兴社区"},
    {"河曲县农村商业银行", "140930100011", "幸福社区"},
    {"河曲县自来水公司", "140930100002", "古渡社区"},
    {"山煤河曲公司", "140930100007", "马营围社区"},
    {"河曲县中医院", "140930100003", "树林子社区"},
    {"河曲县第二中学", "140930100008", "元头湾社区"},
    {"中国邮政河曲县分公司", "140930100010", "滨河社区"},
};

void demo_county_orgs(struct demo_ctx *c)
{
    c->county_committee = demo_org(c, "party_committee", "河曲县委", 0, COUNTY, NULL);
    demo_org_place(c, c->county_committee, COUNTY);
    c->town_committee =
        demo_org(c, "party_committee", "西口镇党委", c->county_committee, TOWN, NULL);
    demo_org_place(c, c->town_committee, TOWN);
    for (size_t i = 0; i < sizeof department_names / sizeof department_names[0]; i++) {
        int64_t id = demo_org(c, "department", department_names[i], 0, COUNTY, NULL);
        demo_org_place(c, id, COUNTY); /* a department serves the whole county */
        c->departments[c->ndepartments] = id;
        c->department_names[c->ndepartments++] = department_names[i];
    }
    c->housing_bureau = c->departments[0];
    for (size_t i = 0; i < sizeof cobuilding / sizeof cobuilding[0]; i++) {
        int64_t id =
            demo_org(c, "cobuilding_unit", cobuilding[i].name, 0, cobuilding[i].home, NULL);
        demo_org_place(c, id, cobuilding[i].home);
        agreement(c, id, cobuilding[i].name, cobuilding[i].home, cobuilding[i].home_name,
                  "党建共建协议");
        c->cobuild[c->ncobuild] = id;
        c->cobuild_names[c->ncobuild] = cobuilding[i].name;
        c->cobuild_home[c->ncobuild++] = cobuilding[i].home;
    }
    int64_t mediation = demo_org(c, "social_org", "河曲县银发调解协会", 0, COUNTY, NULL);
    demo_org_place(c, mediation, COUNTY);
    int64_t volunteers = demo_org(c, "social_org", "河曲县义工联合会", 0, COUNTY, NULL);
    demo_org_place(c, volunteers, COUNTY);
}

static const char *const property_names[] = {
    "河曲县恒苑物业服务有限公司", "山西隗滨物业管理有限公司",   "河曲县安居物业服务有限公司",
    "河曲县鑫源物业管理有限公司", "忻州市宏达物业服务有限公司", "河曲县金水湾物业服务有限公司",
    "河曲县和顺物业服务有限公司", "河曲县嘉禾物业服务有限公司"};

void demo_community_orgs(struct demo_ctx *c, struct demo_comm *m)
{
    static const char *const teams[4] = {"水电维修志愿服务队", "医疗健康志愿服务队",
                                         "法律服务志愿服务队", "邻里互助志愿服务队"};
    m->committee =
        demo_org(c, "community_party_committee", arena_printf(c->a, "%s党委", m->short_name),
                 c->town_committee, m->code, NULL);
    demo_org_place(c, m->committee, m->code);
    for (int t = 0; t < 4; t++) {
        m->team_names[t] = arena_printf(c->a, "%s%s", m->short_name, teams[t]);
        m->teams[t] = demo_org(c, "volunteer_team", m->team_names[t], m->committee, m->code, NULL);
        demo_org_place(c, m->teams[t], m->code);
    }
    /* Two departments 包联 each community, with a 共驻共建 agreement. */
    int k = demo_rng_int(&m->rng, 0, c->ndepartments - 1);
    for (int i = 0; i < 2; i++) {
        int j = (k + i * 5) % c->ndepartments;
        agreement(c, c->departments[j], c->department_names[j], m->code, m->short_name,
                  "共驻共建协议");
    }
}

/* Property companies and owners' committees, once the compounds exist. Old
 * courtyards (家属院) have neither, as is common. */
static void compound_orgs(struct demo_ctx *c, struct demo_comm *m)
{
    for (int i = 0; i < m->ncompounds; i++) {
        struct demo_compound *k = &m->compounds[i];
        if (k->style == STYLE_COURTYARD) continue;
        int p =
            demo_rng_int(&m->rng, 0, (int)(sizeof property_names / sizeof property_names[0]) - 1);
        if (!c->property[p])
            c->property[p] = demo_org(c, "property_company", property_names[p], 0, m->code, NULL);
        k->property = c->property[p];
        demo_org_place(c, c->property[p], k->code);
        if (k->style == STYLE_HIGHRISE || demo_rng_chance(&m->rng, 0.4)) {
            k->owners = true;
            int64_t oc = demo_org(c, "owners_committee",
                                  arena_printf(c->a, "%s业主委员会", k->name), 0, k->code, NULL);
            demo_org_place(c, oc, k->code);
        }
    }
}

static const char *branch_name(struct demo_ctx *c, const char *compound)
{
    size_t n = strlen(compound);
    bool xiaoqu = n >= 6 && !strcmp(compound + n - 6, "小区");
    return arena_printf(c->a, "%s%s党支部", compound, xiaoqu ? "" : "小区");
}

/* The compound of a party member. */
static int member_compound(const struct demo_comm *m, const struct demo_member *e)
{
    return m->buildings[m->households[m->people[e->person].household].building].compound;
}

/* A party member living in the compounds marked in `in`, of the given kind
 * (NULL: any), searched from a random start; 0 if none. */
static int64_t member_in(struct demo_comm *m, const bool *in, const char *kind)
{
    if (!m->nmembers) return 0;
    int start = demo_rng_int(&m->rng, 0, m->nmembers - 1);
    for (int j = 0; j < m->nmembers; j++) {
        const struct demo_member *e = &m->members[(start + j) % m->nmembers];
        if (in[member_compound(m, e)] && (!kind || !strcmp(e->kind, kind)) &&
            m->people[e->person].age <= 70)
            return m->people[e->person].id;
    }
    return 0;
}

/* The 五有 checks, the secretary and how they were chosen (四个一批: 机关派 an
 * in-service member, 党员选 one elected among the residents, 社区兼 a community
 * worker, 退役军人引 a veteran), and 一肩挑 where there is an owners' committee. */
static struct demo_branch_info branch_info(struct demo_comm *m, const bool *in)
{
    struct demo_rng *r = &m->rng;
    struct demo_branch_info b = {.one_shoulder = 0};
    static const double five[4] = {0.8, 0.95, 0.85, 0.7};
    for (int i = 0; i < 4; i++) b.five[i] = demo_rng_chance(r, five[i]);
    int x = demo_rng_int(r, 0, 99);
    b.way = x < 15 ? "dispatched" : x < 60 ? "elected" : x < 85 ? "community" : "veteran";
    if (strcmp(b.way, "community") != 0) {
        b.secretary = member_in(m, in, !strcmp(b.way, "dispatched") ? "in_service" : NULL);
        if (!b.secretary) b.secretary = member_in(m, in, NULL);
    }
    if (!b.secretary) { /* no member to take it: the community sends one */
        b.way = "community";
        b.secretary = m->deputy;
    }
    bool owners = false;
    for (int i = 0; i < m->ncompounds; i++)
        if (in[i] && m->compounds[i].owners) owners = true;
    b.one_shoulder = owners ? demo_rng_chance(r, 0.3) : 0;
    return b;
}

void demo_branches(struct demo_ctx *c, struct demo_comm *m)
{
    compound_orgs(c, m);
    int n = m->ncompounds;
    struct compound_info *info = arena_alloc(c->a, sizeof *info * (size_t)n);
    int *group = arena_alloc(c->a, sizeof *group * (size_t)n);
    bool *in = arena_alloc(c->a, sizeof *in * (size_t)n);
    for (int i = 0; i < n; i++)
        info[i] = (struct compound_info){m->compounds[i].code, m->compounds[i].party, false};
    int groups = branch_propose_joint(info, n, group);
    if (groups < 0) groups = 0;
    /* Standalone branches: compounds in no joint group (3 or more members). */
    for (int i = 0; i < n; i++) {
        struct demo_compound *k = &m->compounds[i];
        if (group[i] != BRANCH_GROUP_NONE) continue;
        enum branch_formation f = branch_rule_for(k->party);
        memset(in, 0, sizeof *in * (size_t)n);
        in[i] = true;
        struct demo_branch_info bi = branch_info(m, in);
        k->branch = org_row(c, "branch", branch_name(c, k->name), m->committee, k->code,
                            branch_formation_id(f), &bi);
        demo_org_place(c, k->branch, k->code);
        c->sum->branches++;
        if (f == BRANCH_STANDALONE)
            c->sum->standalone++;
        else
            c->sum->joint++;
    }
    /* Joint branches, one per proposed group of neighbours. */
    for (int g = 0; g < groups; g++) {
        int first = -1, count = 0;
        for (int i = 0; i < n; i++) {
            in[i] = group[i] == g;
            if (in[i] && first < 0) first = i;
            count += in[i];
        }
        if (first < 0) continue;
        const char *name;
        if (count == 1)
            name = arena_printf(c->a, "%s联合党支部", m->compounds[first].name);
        else if (count == 2) {
            int second = first + 1;
            while (group[second] != g) second++;
            name = arena_printf(c->a, "%s、%s联合党支部", m->compounds[first].name,
                                m->compounds[second].name);
        } else
            name = arena_printf(c->a, "%s等%d个小区联合党支部", m->compounds[first].name, count);
        struct demo_branch_info bi = branch_info(m, in);
        int64_t id = org_row(c, "branch", name, m->committee, m->compounds[first].code,
                             branch_formation_id(BRANCH_JOINT), &bi);
        for (int i = 0; i < n; i++)
            if (group[i] == g) {
                m->compounds[i].branch = id;
                demo_org_place(c, id, m->compounds[i].code);
            }
        c->sum->branches++;
        c->sum->joint++;
    }
    /* 楼栋党小组 in buildings with 3 or more members. */
    int64_t *groups_of = arena_alloc(c->a, sizeof *groups_of * (size_t)(m->nbuildings + 1));
    for (int i = 0; i < m->nbuildings; i++) {
        struct demo_building *b = &m->buildings[i];
        if (b->party < 3) continue;
        struct demo_compound *k = &m->compounds[b->compound];
        groups_of[i] =
            demo_org(c, "party_group", arena_printf(c->a, "%s%s党小组", k->name, b->name),
                     k->branch, b->code, NULL);
        demo_org_place(c, groups_of[i], b->code);
    }
    /* Party members, with their branch; and a few 党员中心户. */
    bool *centred = arena_alloc(c->a, sizeof *centred * (size_t)(n + 1));
    for (int i = 0; i < m->nmembers; i++) {
        struct demo_member *e = &m->members[i];
        struct demo_person *p = &m->people[e->person];
        int bi = m->households[p->household].building;
        struct demo_compound *k = &m->compounds[m->buildings[bi].compound];
        BULK_ADD(c->b[BULK_PARTY_MEMBERS], P_INT(p->id), P_TEXT(e->kind), P_INT(k->branch),
                 P_TEXT(e->joined_on), P_NTEXT(e->work_unit),
                 e->work_org ? P_INT(e->work_org) : P_NULL, P_OPT(e->reported_at),
                 e->work_org ? P_TEXT(m->code) : P_NULL, P_NTEXT(e->pioneer_post),
                 P_NTEXT(e->duty_area));
        int ci = m->buildings[bi].compound;
        if (!centred[ci] && !strcmp(e->kind, "retired") && demo_rng_chance(&m->rng, 0.3)) {
            centred[ci] = true;
            const char *hh = m->households[p->household].code;
            int64_t id =
                demo_org(c, "center_household", arena_printf(c->a, "党员中心户（%s家）", p->name),
                         groups_of[bi] ? groups_of[bi] : k->branch, hh, NULL);
            demo_org_place(c, id, hh);
        }
    }
}
