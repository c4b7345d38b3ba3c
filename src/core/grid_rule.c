/* Grid kinds, the basic-grid size warning and the staffing norm. See
 * grid_rule.h. Pure code: no I/O. */
#include "core/grid_rule.h"

#include <limits.h>
#include <string.h>

bool grid_kind_valid(const char *kind)
{
    return kind && (!strcmp(kind, GRID_KIND_BASIC) || !strcmp(kind, GRID_KIND_DEDICATED));
}

const char *grid_kind_zh(const char *kind)
{
    if (!kind) return NULL;
    if (!strcmp(kind, GRID_KIND_BASIC)) return "基础网格";
    if (!strcmp(kind, GRID_KIND_DEDICATED)) return "专属网格";
    return NULL;
}

const char *grid_kind_from_label(const char *label)
{
    if (!label) return NULL;
    if (!strcmp(label, GRID_KIND_BASIC) || !strcmp(label, "基础网格") || !strcmp(label, "基础"))
        return GRID_KIND_BASIC;
    if (!strcmp(label, GRID_KIND_DEDICATED) || !strcmp(label, "专属网格") || !strcmp(label, "专属"))
        return GRID_KIND_DEDICATED;
    return NULL;
}

const char *grid_size_warning(const char *kind, int households)
{
    if (!kind || strcmp(kind, GRID_KIND_BASIC) != 0) return NULL;
    if (households < GRID_MIN_HOUSEHOLDS)
        return "基础网格户数少于300户，低于每格300—500户的标准，建议与相邻网格合并";
    if (households > GRID_MAX_HOUSEHOLDS)
        return "基础网格户数超过500户，高于每格300—500户的标准，建议拆分网格";
    return NULL;
}

int staffing_required(long urban_residents)
{
    if (urban_residents <= 0) return 0;
    /* 18·r/10⁴ rounded up, without overflowing 18·r: r = q·10⁴ + rem. */
    long q = urban_residents / 10000, rem = urban_residents % 10000;
    long extra = (rem * GRID_STAFF_PER_10K + 9999) / 10000;
    if (q > (INT_MAX - extra) / GRID_STAFF_PER_10K) return INT_MAX;
    return (int)(q * GRID_STAFF_PER_10K + extra);
}
