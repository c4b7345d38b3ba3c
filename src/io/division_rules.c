/* Division code lengths and kinds. See division_rules.h. */
#include "io/division_rules.h"

#include <stdbool.h>
#include <string.h>

int division_code_len(const char *level)
{
    static const struct {
        const char *level;
        int len;
    } lens[] = {{"province", 2}, {"city", 4}, {"county", 6}, {"street", 9}, {"community", 12}};
    for (size_t i = 0; level && i < sizeof lens / sizeof lens[0]; i++)
        if (!strcmp(level, lens[i].level)) return lens[i].len;
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

const char *division_kind(const char *level, const char *name)
{
    if (!level || !name) return NULL;
    if (!strcmp(level, "community")) {
        if (ends_with(name, "居委会") || ends_with(name, "居民委员会") || strstr(name, "社区"))
            return "社区";
        return "村";
    }
    if (!strcmp(level, "street")) {
        if (ends_with(name, "街道") || ends_with(name, "办事处") || ends_with(name, "地区"))
            return "街道";
        if (ends_with(name, "镇")) return "镇";
        if (ends_with(name, "乡") || ends_with(name, "苏木")) return "乡";
    }
    return NULL;
}
