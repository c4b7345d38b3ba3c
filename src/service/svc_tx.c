/* One write transaction of a service operation; see svc_tx.h. */
#include "service/svc_tx.h"

#include <stdio.h>

#include "store/store_audit.h"

struct svc_result svc_tx(db *d, arena *a, const struct principal *who, const char *what,
                         svc_tx_fn fn, void *ctx)
{
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    struct svc_audit au = {0};
    struct svc_result res = fn(d, a, ctx, &au);
    if (!res.err && au.action &&
        audit_write(d, who, au.action, au.entity, au.entity_id, au.place_code, au.before_json,
                    au.after_json, au.note) < 0)
        res = svc_store_failed();
    if (res.err) {
        if (res.err == E_INTERNAL) fprintf(stderr, "linli: %s: %s\n", what, db_errmsg(d));
        db_rollback(d);
        return res;
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return res;
}
