/* Sessions already checked, kept in memory so that a request need not look its
 * session up again: an entry is good while the auth change counter (migration
 * 021: accounts, grants, scopes, sessions ending — in any server process) is
 * where it was when the session was read, and until the session expires. */
#ifndef LINLI_SESSION_CACHE_H
#define LINLI_SESSION_CACHE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "util/arena.h"

/* Fills *p (strings in a) and returns true when token_hash was checked at
 * auth_version and has not expired at now. */
bool session_cache_get(const char *token_hash, int64_t auth_version, int64_t now, arena *a,
                       struct principal *p);
void session_cache_put(const char *token_hash, int64_t auth_version, int64_t expires_at,
                       const struct principal *p);

#endif
