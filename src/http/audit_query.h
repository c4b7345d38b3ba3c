#ifndef LINLI_AUDIT_QUERY_H
#define LINLI_AUDIT_QUERY_H
#include "http/http.h"
#include "store/store_audit.h"

/* entity, action, actor, place, from, to (dates in China time or RFC 3339),
 * cursor, limit. */
err_code audit_filter_from_query(req *r, struct audit_filter *f);

#endif
