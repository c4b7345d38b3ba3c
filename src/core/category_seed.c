/* The category vocabularies and the seed tree; see category_seed.h. The seed
 * follows the seeds' own examples: 岢岚县's "1小时响应、24小时办结" gives the
 * default limits, 八公山区's 分级吹哨 the whistle kinds, and the five
 * disposal tiers their names. */
#include "core/category_seed.h"

#include <stdio.h>
#include <string.h>

const struct category_term category_tiers[] = {
    {"onsite", "现场处置"}, {"dispatch", "派单处置"},  {"consult", "协商处置"},
    {"tackle", "攻坚处置"}, {"report_up", "上报处置"},
};
const int category_tiers_count = sizeof category_tiers / sizeof category_tiers[0];

const struct category_term category_whistles[] = {
    {"publicity", "宣传哨"},
    {"emergency", "应急哨"},
    {"enforcement", "执法哨"},
    {"tackle", "攻坚哨"},
};
const int category_whistles_count = sizeof category_whistles / sizeof category_whistles[0];

const struct category_term category_resp_roles[] = {{"lead", "主责"}, {"assist", "配合"}};
const int category_resp_roles_count = sizeof category_resp_roles / sizeof category_resp_roles[0];

#define R CATEGORY_RESPONSE_DEFAULT
#define D CATEGORY_RESOLUTION_DEFAULT

/* Groups first, then their items; the order is the display order. */
const struct category_seed category_seeds[] = {
    {"municipal", NULL, "市政设施", "路灯、管网、供暖供气等公共设施", R, D, false, "dispatch", NULL,
     NULL},
    {"streetlight", "municipal", "路灯修缮", "路灯不亮、损坏或倒伏", R, D, false, "dispatch",
     "水电维修", NULL},
    {"sewer", "municipal", "污水管网", "污水管道堵塞、外溢、井盖缺失", R, D, false, "dispatch",
     "水电维修", NULL},
    {"heating", "municipal", "供暖", "暖气不热、管道漏水、供暖收费", R, D, false, "dispatch",
     "水电维修", NULL},
    {"gas", "municipal", "供气", "燃气停供、燃气泄漏隐患", 30, D, false, "dispatch", NULL,
     "emergency"},

    {"housing", NULL, "房屋", "房屋安全与住宅配套", R, D, false, "dispatch", NULL, NULL},
    {"house_leak", "housing", "房屋漏水", "屋顶、外墙、管道漏水", R, D, false, "dispatch",
     "水电维修", NULL},
    {"elevator", "housing", "加装电梯", "老旧小区加装电梯的协商与办理", R, 43200, true, "consult",
     NULL, "tackle"},
    {"property", "housing", "物业服务", "物业服务质量、收费与管理", R, D, false, "dispatch", NULL,
     NULL},

    {"traffic", NULL, "停车与出行", "停车、充电与车辆停放", R, D, false, "dispatch", NULL, NULL},
    {"parking", "traffic", "停车", "小区停车难、车位纠纷、乱停乱放", R, D, false, "consult", NULL,
     NULL},
    {"charging", "traffic", "充电桩", "电动车、汽车充电桩建设与故障", R, D, false, "dispatch",
     "水电维修", NULL},
    {"flying_wire", "traffic", "飞线充电", "私拉电线为电动车充电", R, D, false, "onsite", NULL,
     "publicity"},
    {"bike_parking", "traffic", "非机动车停放", "电动车、自行车乱停乱放", R, D, false, "onsite",
     NULL, NULL},

    {"safety", NULL, "安全隐患", "危及居民安全的行为与隐患", R, D, false, "dispatch", NULL, NULL},
    {"high_throw", "safety", "高空抛物", "高空抛物、坠物", R, D, false, "dispatch", NULL,
     "enforcement"},

    {"environment", NULL, "环境", "环境卫生与污染", R, D, false, "dispatch", NULL, NULL},
    {"noise", "environment", "噪音扰民", "施工、商铺、邻居噪音", R, D, false, "onsite", NULL,
     "enforcement"},
    {"fume", "environment", "油烟污染", "餐饮油烟直排扰民", R, D, false, "dispatch", NULL,
     "enforcement"},
    {"sanitation", "environment", "环境卫生", "垃圾清运、楼道堆物、卫生死角", R, D, false, "onsite",
     NULL, NULL},

    {"urban", NULL, "城市管理", "违法建设与占道", R, D, false, "dispatch", NULL, NULL},
    {"illegal_building", "urban", "私搭乱建", "私搭乱建、违章建筑", R, 4320, false, "tackle", NULL,
     "enforcement"},
    {"street_vendor", "urban", "占道经营", "占用道路经营、摆摊", R, D, false, "dispatch", NULL,
     "enforcement"},

    {"dispute", NULL, "矛盾纠纷", "居民之间的矛盾与调解", R, D, false, "consult", NULL, NULL},
    {"neighbour", "dispute", "邻里纠纷", "邻里之间的矛盾调解", R, D, false, "consult", "法律",
     NULL},

    {"service", NULL, "便民服务", "帮扶、咨询与代办", R, D, false, "onsite", NULL, NULL},
    {"hardship", "service", "困难帮扶", "困难群众、独居老人帮扶", R, D, true, "dispatch", "医疗",
     NULL},
    {"policy", "service", "政策咨询", "社保、医保、民政等政策咨询", R, D, true, "onsite", "法律",
     "publicity"},
    {"errand", "service", "帮办代办", "证照、补贴等事项帮办代办", R, D, true, "onsite", NULL, NULL},
};
const int category_seeds_count = sizeof category_seeds / sizeof category_seeds[0];

#undef R
#undef D

const char *category_term_parse(const struct category_term *list, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(list[i].id, s) || !strcmp(list[i].zh, s)) return list[i].id;
    return NULL;
}

const char *category_term_zh(const struct category_term *list, int n, const char *id)
{
    for (int i = 0; id && i < n; i++)
        if (!strcmp(list[i].id, id)) return list[i].zh;
    return NULL;
}

bool category_code_valid(const char *code)
{
    if (!code || !(*code >= 'a' && *code <= 'z')) return false;
    size_t n = 0;
    for (const char *p = code; *p; p++, n++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return n <= 40;
}

bool category_limit_valid(long minutes)
{
    return minutes >= 1 && minutes <= CATEGORY_LIMIT_MAX;
}

const char *category_duration_zh(long minutes, char *out, size_t outsz)
{
    if (minutes <= 0) {
        snprintf(out, outsz, "—");
        return out;
    }
    long d = minutes / 1440, h = minutes % 1440 / 60, m = minutes % 60;
    /* whole days read as days only when the hours would be unwieldy (> 72) */
    if (d && !h && !m && minutes > 4320)
        snprintf(out, outsz, "%ld天", d);
    else if (!m)
        snprintf(out, outsz, "%ld小时", minutes / 60);
    else if (minutes < 60)
        snprintf(out, outsz, "%ld分钟", m);
    else
        snprintf(out, outsz, "%ld小时%ld分钟", minutes / 60, m);
    return out;
}

const char *category_limits_zh(long response, long resolution, bool working_hours, char *out,
                               size_t outsz)
{
    char a[32], b[32];
    snprintf(out, outsz, "%s响应 · %s办结%s", category_duration_zh(response, a, sizeof a),
             category_duration_zh(resolution, b, sizeof b), working_hours ? "（工作时间）" : "");
    return out;
}

int category_seed_check(char *msg, size_t msgsz)
{
    for (int i = 0; i < category_seeds_count; i++) {
        const struct category_seed *s = &category_seeds[i];
        if (!category_code_valid(s->code)) {
            snprintf(msg, msgsz, "invalid code \"%s\"", s->code ? s->code : "(null)");
            return -1;
        }
        if (!s->name || !*s->name) {
            snprintf(msg, msgsz, "%s: no name", s->code);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (!strcmp(category_seeds[j].code, s->code)) {
                snprintf(msg, msgsz, "duplicate code %s", s->code);
                return -1;
            }
        if (s->parent) {
            int found = 0;
            for (int j = 0; j < i && !found; j++)
                found = !strcmp(category_seeds[j].code, s->parent);
            if (!found) {
                snprintf(msg, msgsz, "%s: parent %s missing or after it", s->code, s->parent);
                return -1;
            }
        }
        if (!category_limit_valid(s->response_minutes) ||
            !category_limit_valid(s->resolution_minutes) ||
            s->response_minutes > s->resolution_minutes) {
            snprintf(msg, msgsz, "%s: bad limits %d/%d", s->code, s->response_minutes,
                     s->resolution_minutes);
            return -1;
        }
        if (!category_term_zh(category_tiers, category_tiers_count, s->tier)) {
            snprintf(msg, msgsz, "%s: unknown tier %s", s->code, s->tier ? s->tier : "(null)");
            return -1;
        }
        if (s->whistle &&
            !category_term_zh(category_whistles, category_whistles_count, s->whistle)) {
            snprintf(msg, msgsz, "%s: unknown whistle %s", s->code, s->whistle);
            return -1;
        }
    }
    return 0;
}
