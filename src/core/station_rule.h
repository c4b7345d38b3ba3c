/* Service positions 阵地: the kinds (党群服务中心 of a community, 小区党群服务站
 * of a compound, 爱心驿站 for riders), the 四个一批 construction modes, and the
 * standard a station is checked against: 六有一好 (有编码、有足够使用面积、
 * 有标识、有党旗、有设施、有档案、建设质量好) and the 2+5+N modules (two base
 * areas, five modules, N free extras). A station is "standardized" when every
 * item of 六有一好, both base areas and all five modules are present; the N
 * extras are a bonus, never a requirement. Pure: C standard library only. */
#ifndef LINLI_STATION_RULE_H
#define LINLI_STATION_RULE_H
#include <stdbool.h>

/* The checked items, in this order everywhere (store columns, API, pages). */
enum station_item {
    SI_HAS_CODE, /* 六有一好 */
    SI_HAS_AREA,
    SI_HAS_SIGN,
    SI_HAS_FLAG,
    SI_HAS_FACILITIES,
    SI_HAS_ARCHIVE,
    SI_GOOD_QUALITY,
    SI_AREA_BRANCH, /* 2: base areas */
    SI_AREA_SERVICE,
    SI_MOD_MEMBERS, /* 5: modules */
    SI_MOD_DELIBERATION,
    SI_MOD_AGENCY,
    SI_MOD_CULTURE,
    SI_MOD_MEDIATION,
    SI__COUNT
};

enum station_group { SG_STANDARD, SG_AREAS, SG_MODULES };

struct station_item_def {
    enum station_group group;
    const char *key; /* JSON key inside its group, form field suffix */
    const char *zh;
};
extern const struct station_item_def station_items[SI__COUNT];
extern const char *const station_group_keys[3]; /* "standard", "areas", "modules" */
extern const char *const station_group_zh[3];

/* True when every item is present (items[i] != 0 for all i). */
bool station_standardized(const int items[SI__COUNT]);
/* How many items of a group are present, and how many it has. */
int station_group_met(const int items[SI__COUNT], enum station_group g, int *of);

/* Kinds: center 党群服务中心, station 小区党群服务站, love_post 爱心驿站. */
extern const char *const station_kinds[];      /* ids, NULL-terminated */
const char *station_kind_zh(const char *id);   /* NULL if unknown */
const char *station_kind_parse(const char *s); /* id for an id or label, else NULL */

/* 四个一批: renovate 盘活闲置用房改造, share 协调物业用房共享, rent 选取场地租赁,
 * build 规划预留新建. */
extern const char *const station_modes[]; /* ids, NULL-terminated */
const char *station_mode_zh(const char *id);
const char *station_mode_parse(const char *s);

/* Compounds covered per thousand compounds, rounded; 0 when there are none. */
int station_coverage_permille(long covered, long compounds);

#endif
