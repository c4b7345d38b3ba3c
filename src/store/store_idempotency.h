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

/* A key as stored (strings in the caller's arena; status 0 and the answer
 * fields NULL unless state is IDEM_KEPT). */
struct idem_key {
    const char *request_hash, *content_type, *location, *body;
    int state, status;
    int64_t created_at;
};
/* The key into *out when it exists and has not expired: 1, 0 when none, < 0
 * on error. */
int store_idem_get(db *d, arena *a, const char *scope, const char *key, int64_t now,
                   struct idem_key *out);

/* Records how the request ended: state IDEM_KEPT with its answer, or
 * IDEM_NOT_KEPT (answer fields NULL). Returns the rows changed or < 0. */
int store_idem_finish(db *d, const char *scope, const char *key, int state, int status,
                      const char *content_type, const char *location, const char *body);
/* Drops the reservation (the request failed: nothing happened). */
int store_idem_release(db *d, const char *scope, const char *key);
/* Deletes the keys expired at now; returns how many or < 0. */
int store_idem_purge(db *d, int64_t now);

#endif
