/* A small thread-safe cache of byte strings keyed by a text key and a version
 * number: an entry is good only for the version it was made at, so callers
 * bump the version (in their database) when what the entries show changes and
 * never invalidate by hand. Least recently used entries give way. Used for the
 * 三率 dashboard answers and the people reads (http/response_cache.c), which
 * are read far more often than they change. */
#ifndef LINLI_VERSION_CACHE_H
#define LINLI_VERSION_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct version_cache;

/* At most entries answers and max_bytes bytes of them; an answer over a quarter
 * of max_bytes is not kept. */
struct version_cache *version_cache_new(int entries, size_t max_bytes);
void version_cache_free(struct version_cache *c);

/* Appends the entry for (key, version) to out and returns true; false when
 * there is none. */
bool version_cache_get(struct version_cache *c, const char *key, int64_t version, buf *out);
/* Stores a copy of data for (key, version), replacing an older one. */
void version_cache_put(struct version_cache *c, const char *key, int64_t version, const char *data,
                       size_t len);

#endif
