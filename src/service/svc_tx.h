/* One write transaction of a service operation, run the one way: begin, the
 * operation's writes, its audit entry, commit — or roll back on any failure.
 * Before this, each service pasted the same block (about 70 times), and the
 * copies differed in what they logged and answered when the store failed. */
#ifndef LINLI_SVC_TX_H
#define LINLI_SVC_TX_H
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

/* The audit entry a transaction writes when it succeeds; action NULL: none.
 * The fields are those of audit_write() (store/store_audit.h). */
struct svc_audit {
    const char *action, *entity, *entity_id, *place_code, *before_json, *after_json, *note;
};

/* The writes: returns {0} (with .id when something was made) or a failure.
 * Answer E_INTERNAL (svc_store_failed()) when a store call failed: svc_tx
 * logs the store's message under `what`. Fill *audit to record the change. */
typedef struct svc_result (*svc_tx_fn)(db *d, arena *a, void *ctx, struct svc_audit *audit);

/* Runs fn in a transaction (nested in the caller's when there is one): fn's
 * failure rolls back and is answered as it is; begin or commit failing answers
 * E_UNAVAILABLE; the audit entry failing answers E_INTERNAL. `what` names the
 * operation in the server log ("grid create"). */
struct svc_result svc_tx(db *d, arena *a, const struct principal *who, const char *what,
                         svc_tx_fn fn, void *ctx);

/* What fn answers when a store call failed. */
static inline struct svc_result svc_store_failed(void)
{
    return svc_fail(E_INTERNAL, NULL, NULL);
}

#endif
