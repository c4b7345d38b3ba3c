#include "core/principal.h"

#include <string.h>

bool principal_has_cap(const struct principal *p, const char *cap)
{
    if (!p) return false;
    for (int i = 0; i < p->ncaps; i++)
        if (strcmp(p->caps[i], cap) == 0) return true;
    return false;
}
