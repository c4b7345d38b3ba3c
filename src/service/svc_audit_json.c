/* A JSON value as an audit entry's text; see svc_audit_json.h. */
#include "service/svc_audit_json.h"

#include <stdlib.h>

const char *svc_audit_json(arena *a, json_t *v)
{
    if (!v) return NULL;
    char *s = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    const char *out = arena_strdup(a, s);
    free(s);
    return out;
}
