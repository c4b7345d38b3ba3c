/* SQL for idempotency keys (migration 027): the reservation of a key before a
 * request's handler runs, the answer kept after it, and the purge. */
#ifndef LINLI_STORE_IDEMPOTENCY_H
#define LINLI_STORE_IDEMPOTENCY_H
#include <stdint.h>

#include "store/db.h"

enum { IDEM_RUNNING = 0, IDEM_KEPT = 1, IDEM_NOT_KEPT = 2 };

/* Reserves (scope, key) for a request whose hash is request_hash, dropping
 * an expired reservation of the same key first. The caller holds the
 * transaction. 1 reserved, 0 the key is taken (see store_idem_get), < 0 error. */
int store_idem_reserve(db *d, const char *scope, const char *key, const char *request_hash,
                       int64_t now, int64_t expires_at);

/* The columns of store_idem_get. */
enum { IK_HASH, IK_STATE, IK_STATUS, IK_CONTENT_TYPE, IK_LOCATION, IK_BODY, IK_CREATED_AT };
/* The key's row (columns above) when it exists and has not expired, else an
 * empty result; NULL on error. */
db_rows *store_idem_get(db *d, arena *a, const char *scope, const char *key, int64_t now);

/* Records how the request ended: state IDEM_KEPT with its answer, or
 * IDEM_NOT_KEPT (answer fields NULL). Returns the rows changed or < 0. */
int store_idem_finish(db *d, const char *scope, const char *key, int state, int status,
                      const char *content_type, const char *location, const char *body);
/* Drops the reservation (the request failed: nothing happened). */
int store_idem_release(db *d, const char *scope, const char *key);
/* Deletes the keys expired at now; returns how many or < 0. */
int store_idem_purge(db *d, int64_t now);

#endif
