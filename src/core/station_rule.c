/* The 阵地 standard and vocabularies; see station_rule.h. */
#include "core/station_rule.h"

#include <string.h>

const struct station_item_def station_items[SI__COUNT] = {
    {SG_STANDARD, "has_code", "有编码"},         {SG_STANDARD, "has_area", "有足够使用面积"},
    {SG_STANDARD, "has_sign", "有标识"},         {SG_STANDARD, "has_flag", "有党旗"},
    {SG_STANDARD, "has_facilities", "有设施"},   {SG_STANDARD, "has_archive", "有档案"},
    {SG_STANDARD, "good_quality", "建设质量好"}, {SG_AREAS, "branch", "支部活动区"},
    {SG_AREAS, "service", "便民服务区"},         {SG_MODULES, "members", "党员管理"},
    {SG_MODULES, "deliberation", "说事议事"},    {SG_MODULES, "agency", "帮办代办"},
    {SG_MODULES, "culture", "文化休闲"},         {SG_MODULES, "mediation", "矛盾调解"},
};
const char *const station_group_keys[3] = {"standard", "areas", "modules"};
const char *const station_group_zh[3] = {"六有一好", "两大基础功能区", "五个功能模块"};

bool station_standardized(const int items[SI__COUNT])
{
    for (int i = 0; i < SI__COUNT; i++)
        if (!items[i]) return false;
    return true;
}

int station_group_met(const int items[SI__COUNT], enum station_group g, int *of)
{
    int met = 0, n = 0;
    for (int i = 0; i < SI__COUNT; i++) {
        if (station_items[i].group != g) continue;
        n++;
        met += items[i] != 0;
    }
    if (of) *of = n;
    return met;
}

struct pair {
    const char *id, *zh;
};

static const struct pair kinds[] = {
    {"center", "党群服务中心"}, {"station", "小区党群服务站"}, {"love_post", "爱心驿站"}};
const char *const station_kinds[] = {"center", "station", "love_post", NULL};

static const struct pair modes[] = {{"renovate", "盘活闲置用房改造"},
                                    {"share", "协调物业用房共享"},
                                    {"rent", "选取场地租赁"},
                                    {"build", "规划预留新建"}};
const char *const station_modes[] = {"renovate", "share", "rent", "build", NULL};

static const char *zh_of(const struct pair *p, size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (!strcmp(p[i].id, id)) return p[i].zh;
    return NULL;
}

static const char *parse(const struct pair *p, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(p[i].id, s) || !strcmp(p[i].zh, s)) return p[i].id;
    return NULL;
}

const char *station_kind_zh(const char *id)
{
    return zh_of(kinds, sizeof kinds / sizeof kinds[0], id);
}

const char *station_kind_parse(const char *s)
{
    return parse(kinds, sizeof kinds / sizeof kinds[0], s);
}

const char *station_mode_zh(const char *id)
{
    return zh_of(modes, sizeof modes / sizeof modes[0], id);
}

const char *station_mode_parse(const char *s)
{
    return parse(modes, sizeof modes / sizeof modes[0], s);
}

int station_coverage_permille(long covered, long compounds)
{
    if (compounds <= 0 || covered <= 0) return 0;
    if (covered >= compounds) return 1000;
    return (int)((covered * 1000 + compounds / 2) / compounds);
}
