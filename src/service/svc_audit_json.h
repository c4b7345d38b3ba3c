/* A JSON value as the compact text an audit entry keeps (before/after). */
#ifndef LINLI_SVC_AUDIT_JSON_H
#define LINLI_SVC_AUDIT_JSON_H
#include <jansson.h>

#include "util/arena.h"

/* v written compact into the arena (NULL for NULL); steals v. */
const char *svc_audit_json(arena *a, json_t *v);

#endif
