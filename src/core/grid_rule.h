/* Grid (网格) rules: the two kinds (基础网格, 专属网格), the size norm of a basic
 * grid ("每个网格覆盖300—500户") and the staffing norm (at least 18 community
 * workers per 10,000 urban residents). Forms, imports and dashboards warn with
 * the same wording. Pure: C standard library only. */
#ifndef LINLI_GRID_RULE_H
#define LINLI_GRID_RULE_H
#include <stdbool.h>

#define GRID_KIND_BASIC     "basic"     /* 基础网格: 300–500 households */
#define GRID_KIND_DEDICATED "dedicated" /* 专属网格: a school, market, park…; no size rule */
#define GRID_MIN_HOUSEHOLDS 300
#define GRID_MAX_HOUSEHOLDS 500
#define GRID_STAFF_PER_10K  18

bool grid_kind_valid(const char *kind);
const char *grid_kind_zh(const char *kind); /* "基础网格" / "专属网格" / NULL */
/* Accepts "basic"/"dedicated" or the Chinese labels; NULL if neither. */
const char *grid_kind_from_label(const char *label);

/* A static Chinese warning when a basic grid has fewer than 300 or more than
 * 500 households; NULL when within the norm, for dedicated grids and for
 * unknown kinds. */
const char *grid_size_warning(const char *kind, int households);

/* Community workers the norm requires: ceil(18 × residents / 10,000); 0 for
 * residents ≤ 0; saturates at INT_MAX. */
int staffing_required(long urban_residents);

#endif
