#include "core/activity_kind.h"

#include <stddef.h>
#include <string.h>

static const struct {
    const char *id, *zh;
} kinds[] = {
    {"festival", "邻里节"},  {"banquet", "百家宴"},     {"clinic", "义诊"},
    {"haircut", "义剪"},     {"lecture", "讲座"},       {"after_school", "四点半课堂"},
    {"culture", "文体活动"}, {"volunteer", "志愿服务"}, {"other", "其他活动"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *const activity_kinds[] = {"festival",     "banquet", "clinic",    "haircut", "lecture",
                                      "after_school", "culture", "volunteer", "other",   NULL};

const char *activity_kind_parse(const char *s)
{
    for (size_t i = 0; s && i < NKINDS; i++)
        if (!strcmp(s, kinds[i].id) || !strcmp(s, kinds[i].zh)) return kinds[i].id;
    return NULL;
}

const char *activity_kind_zh(const char *id)
{
    for (size_t i = 0; id && i < NKINDS; i++)
        if (!strcmp(id, kinds[i].id)) return kinds[i].zh;
    return "";
}
